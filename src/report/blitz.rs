//! How a blitz is shown: what to expect per team and in total, the leaderboard, progress by
//! minute, and where a real blitz falls; as a table or JSON.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use super::csv_out::{self, Cell, Column};
use super::{NoChart, Report, readable, write_columns};
use crate::blitz::{Actual, BlitzFigure, Group, Simulated};
use crate::chart::{BlitzChart, FanChart};
use crate::engine::BlitzCounts;
use crate::stats::{Sorted, Summary, percentile_of};

/// Everything `blitz` found.
#[derive(Debug, Clone)]
pub struct BlitzReport {
    pub scenario: String,
    pub seed: u64,
    pub replications: u64,
    pub minutes: f64,
    /// (start, end) of each break.
    pub breaks: Vec<(f64, f64)>,
    pub simulated: Simulated,
    pub actual: Option<Actual>,
}

/// Progress rows are shown every this many minutes in the table.
const PROGRESS_STEP: usize = 15;

impl BlitzReport {
    /// The groups shown side by side: each team, then everyone when there are several teams.
    fn groups(&self) -> Vec<&Group> {
        let s = &self.simulated;
        let mut groups: Vec<&Group> = s.teams.iter().collect();
        if s.teams.len() > 1 {
            groups.push(&s.total);
        }
        groups
    }

    fn write_actual(&self, out: &mut dyn Write, actual: &Actual) -> io::Result<()> {
        let s = &self.simulated;
        writeln!(
            out,
            "\nThe real blitz against the simulated ones (better than this share of them; ties \
             count half)"
        )?;
        let placed = |counts: &BlitzCounts, group: &Group, q: BlitzFigure| {
            let share = percentile_of(group.values(q), q.of(counts));
            format!(
                "{} (better than {:.0}%)",
                show(q, q.of(counts)),
                share * 100.0
            )
        };
        let mut header = vec!["".to_string()];
        let mut columns: Vec<(&BlitzCounts, &Group)> = actual.teams.iter().zip(&s.teams).collect();
        header.extend(s.teams.iter().map(|t| t.name.clone()));
        if s.teams.len() > 1 {
            header.push(s.total.name.clone());
            columns.push((&actual.total, &s.total));
        }
        let rows: Vec<Vec<String>> = ACTUAL_QUANTITIES
            .iter()
            .map(|&q| {
                let mut row = vec![label(q).to_string()];
                row.extend(columns.iter().map(|(c, g)| placed(c, g, q)));
                row
            })
            .collect();
        write_columns(out, &header, &rows)?;
        if actual.total.dials > 0 {
            writeln!(
                out,
                "Of the real blitz's {} dials, {} reached voicemail ({}%); the simulation counts \
                 them among the dials that reach nobody.",
                actual.total.dials,
                actual.voicemails,
                readable(100.0 * f64::from(actual.voicemails) / f64::from(actual.total.dials))
            )?;
        }
        writeln!(out, "\nEach rep against a simulated rep of the same team")?;
        let rows: Vec<Vec<String>> = actual
            .reps
            .iter()
            .map(|(team, name, counts)| {
                let mut row = vec![name.clone(), s.teams[*team].name.clone()];
                row.extend(
                    [
                        BlitzFigure::Dials,
                        BlitzFigure::Conversations,
                        BlitzFigure::Appointments,
                    ]
                    .iter()
                    .map(|&q| {
                        let share =
                            percentile_of(s.per_rep[*team].iter().map(|c| q.of(c)), q.of(counts));
                        format!("{} ({:.0}%)", show(q, q.of(counts)), share * 100.0)
                    }),
                );
                row
            })
            .collect();
        write_columns(
            out,
            &["rep", "team", "dials", "conversations", "appointments"],
            &rows,
        )?;
        Ok(())
    }
}

impl Report for BlitzReport {
    /// Progress by minute, the teams and the leaderboard.
    type Chart = BlitzChart;

    fn write_text(&self, out: &mut dyn Write) -> io::Result<()> {
        let s = &self.simulated;
        writeln!(out, "{}", self.scenario)?;
        let teams: Vec<String> = s
            .teams
            .iter()
            .map(|t| format!("{} ({} reps)", t.name, t.reps))
            .collect();
        writeln!(
            out,
            "{}-minute blitz: {}; {} simulated blitzes, seed {}\n",
            readable(self.minutes),
            teams.join(", "),
            readable(self.replications as f64),
            self.seed
        )?;
        writeln!(
            out,
            "What to expect: median (P10 to P90) of simulated blitzes"
        )?;
        let groups = self.groups();
        let mut header = vec!["".to_string()];
        header.extend(groups.iter().map(|g| g.name.clone()));
        let rows: Vec<Vec<String>> = s
            .quantities
            .iter()
            .map(|&q| {
                let mut row = vec![label(q).to_string()];
                row.extend(groups.iter().map(|g| {
                    let s = g.summary(q);
                    let p10 = band_of(g, q, 0.1);
                    let p90 = band_of(g, q, 0.9);
                    if s.p50.is_nan() {
                        crate::report::NONE.to_string()
                    } else {
                        format!("{} ({} to {})", show(q, s.p50), show(q, p10), show(q, p90))
                    }
                }));
                row
            })
            .collect();
        write_columns(out, &header, &rows)?;
        writeln!(
            out,
            "\nLeaderboard: appointments of the rep ranked first, second, ... (median, P10 to P90)"
        )?;
        let rows: Vec<[String; 2]> = s
            .leaderboard
            .iter()
            .enumerate()
            .map(|(rank, sample)| {
                let sorted = sample.sorted();
                [
                    (rank + 1).to_string(),
                    format!(
                        "{} ({} to {})",
                        readable(sorted.percentile(0.5)),
                        readable(sorted.percentile(0.1)),
                        readable(sorted.percentile(0.9))
                    ),
                ]
            })
            .collect();
        write_columns(out, &["rank", "appointments"], &rows)?;
        writeln!(
            out,
            "\nProgress of all teams: median by minute (P10 to P90)"
        )?;
        let bands: Vec<Vec<(f64, f64, f64)>> = [
            BlitzFigure::Dials,
            BlitzFigure::Conversations,
            BlitzFigure::Appointments,
        ]
        .iter()
        .map(|&q| s.total.progress_band(q))
        .collect();
        let minutes = bands[0].len();
        let rows: Vec<Vec<String>> = (1..=minutes)
            .filter(|m| m % PROGRESS_STEP == 0 || *m == minutes)
            .map(|m| {
                let mut row = vec![m.to_string()];
                row.extend(bands.iter().map(|b| {
                    let (p10, p50, p90) = b[m - 1];
                    format!("{} ({} to {})", readable(p50), readable(p10), readable(p90))
                }));
                row
            })
            .collect();
        write_columns(
            out,
            &["minute", "dials", "conversations", "appointments"],
            &rows,
        )?;
        if let Some(actual) = &self.actual {
            self.write_actual(out, actual)?;
        }
        Ok(())
    }

    /// `{"scenario", "seed", "replications", "minutes", "teams": [{"name", "reps", "metrics",
    /// "progress"}], "total", "leaderboard", "actual"}`.
    fn json(&self) -> impl Serialize {
        let s = &self.simulated;
        let group = |g: &Group| {
            let band = |q: BlitzFigure| g.progress_band(q);
            let (dials, conversations, appointments) = (
                band(BlitzFigure::Dials),
                band(BlitzFigure::Conversations),
                band(BlitzFigure::Appointments),
            );
            GroupJson {
                name: g.name.clone(),
                reps: g.reps,
                metrics: s
                    .quantities
                    .iter()
                    .map(|&q| (q.name(), g.summary(q)))
                    .collect(),
                progress: (0..dials.len())
                    .map(|m| MinuteJson {
                        minute: m + 1,
                        dials: dials[m].into(),
                        contacts: conversations[m].into(),
                        appointments_set: appointments[m].into(),
                    })
                    .collect(),
            }
        };
        BlitzJson {
            scenario: &self.scenario,
            seed: self.seed,
            replications: self.replications,
            minutes: self.minutes,
            teams: s.teams.iter().map(group).collect(),
            total: group(&s.total),
            leaderboard: s
                .leaderboard
                .iter()
                .enumerate()
                .map(|(rank, sample)| RankJson {
                    rank: rank + 1,
                    appointments_set: sample.summary(),
                })
                .collect(),
            actual: self.actual.as_ref().map(|a| {
                let placed = |counts: &BlitzCounts, pool: &[BlitzCounts]| {
                    ACTUAL_QUANTITIES
                        .iter()
                        .map(|&q| {
                            (
                                q.name(),
                                PlacedJson {
                                    actual: q.of(counts),
                                    percentile: percentile_of(
                                        pool.iter().map(|c| q.of(c)),
                                        q.of(counts),
                                    ),
                                },
                            )
                        })
                        .collect()
                };
                ActualJson {
                    teams: a
                        .teams
                        .iter()
                        .zip(&s.teams)
                        .map(|(c, g)| PlacedGroupJson {
                            name: g.name.clone(),
                            team: None,
                            values: placed(c, &g.counts),
                        })
                        .collect(),
                    total: PlacedGroupJson {
                        name: s.total.name.clone(),
                        team: None,
                        values: placed(&a.total, &s.total.counts),
                    },
                    reps: a
                        .reps
                        .iter()
                        .map(|(team, name, c)| PlacedGroupJson {
                            name: name.clone(),
                            team: Some(s.teams[*team].name.clone()),
                            values: placed(c, &s.per_rep[*team]),
                        })
                        .collect(),
                    voicemails: a.voicemails,
                }
            }),
        }
    }

    /// One row per simulated blitz: `replication`, then each group's (each team's, then
    /// everyone's) dials, conversations, appointments and positive responses.
    fn write_csv(&self, out: &mut dyn Write) -> io::Result<()> {
        let s = &self.simulated;
        let counted = [
            BlitzFigure::Dials,
            BlitzFigure::Conversations,
            BlitzFigure::Appointments,
            BlitzFigure::Positives,
        ];
        let mut columns: Vec<Column<usize>> = vec![Column::new("replication", |&r| Cell::Whole(r))];
        for g in s.teams.iter().chain([&s.total]) {
            columns.extend(counted.map(|q| {
                Column::new(format!("{}: {}", g.name, q.name()), move |&r| {
                    Cell::Number(q.of(&g.counts[r]))
                })
            }));
        }
        csv_out::write_columns(out, &columns, 0..s.total.counts.len())
    }

    /// The figure: progress by minute, the teams, the leaderboard; the real blitz over them.
    fn chart(&self) -> Result<BlitzChart, NoChart> {
        let s = &self.simulated;
        let actual = self.actual.as_ref();
        let fan = |q: BlitzFigure, title: &str| FanChart {
            title: title.to_string(),
            subtitle: "all teams; band: P10 to P90 of simulated blitzes".to_string(),
            x_label: "minute".to_string(),
            y_label: format!("{}, cumulative", label(q)),
            weeks: s.total.progress_band(q),
            cumulative: true,
            goal: None,
            ramp_weeks: 0.0,
            pauses: self.breaks.clone(),
            pause_label: "breaks".to_string(),
            band_label: "P10 to P90 of simulated blitzes".to_string(),
            actual: actual.map(|a| a.progress.iter().map(|c| q.of(c)).collect()),
        };
        let bars = [
            BlitzFigure::Dials,
            BlitzFigure::Conversations,
            BlitzFigure::Appointments,
        ];
        let mut leaderboard_actual: Vec<f64> = actual
            .map(|a| a.reps.iter().map(|r| f64::from(r.2.appointments)).collect())
            .unwrap_or_default();
        leaderboard_actual.sort_by(|a, b| b.total_cmp(a));
        Ok(BlitzChart {
            title: self.scenario.clone(),
            subtitle: format!(
                "{}-minute blitz, {} simulated blitzes, seed {}",
                readable(self.minutes),
                readable(self.replications as f64),
                self.seed
            ),
            progress: vec![
                fan(BlitzFigure::Conversations, "Conversations so far"),
                fan(BlitzFigure::Appointments, "Appointments so far"),
            ],
            teams: s.teams.iter().map(|t| t.name.clone()).collect(),
            quantities: bars.iter().map(|&q| label(q).to_string()).collect(),
            team_bands: s
                .teams
                .iter()
                .map(|g| {
                    bars.iter()
                        .map(|&q| (band_of(g, q, 0.5), band_of(g, q, 0.1), band_of(g, q, 0.9)))
                        .collect()
                })
                .collect(),
            team_actual: actual
                .map(|a| {
                    a.teams
                        .iter()
                        .map(|c| bars.iter().map(|&q| q.of(c)).collect())
                        .collect()
                })
                .unwrap_or_default(),
            leaderboard: s
                .leaderboard
                .iter()
                .map(|sample| {
                    let sorted = sample.sorted();
                    let at = |p| sorted.percentile(p);
                    (at(0.5), at(0.1), at(0.9))
                })
                .collect(),
            leaderboard_actual,
        })
    }
}

/// What a call log can tell: it has no "other positive" outcome.
const ACTUAL_QUANTITIES: [BlitzFigure; 4] = [
    BlitzFigure::Dials,
    BlitzFigure::Conversations,
    BlitzFigure::Appointments,
    BlitzFigure::AppointmentsPerConversation,
];

/// The row label of a quantity.
fn label(q: BlitzFigure) -> &'static str {
    match q {
        BlitzFigure::Dials => "dials",
        BlitzFigure::Conversations => "conversations",
        BlitzFigure::Appointments => "appointments",
        BlitzFigure::Positives => "positive responses",
        BlitzFigure::Referrals => "referrals",
        BlitzFigure::PositivesPerDial => "positive per dial",
        BlitzFigure::PositivesPerConversation => "positive per conversation",
        BlitzFigure::AppointmentsPerConversation => "appointments per conversation",
    }
}

/// A value of a quantity for people: rates in percent.
fn show(q: BlitzFigure, value: f64) -> String {
    match q {
        BlitzFigure::PositivesPerDial
        | BlitzFigure::PositivesPerConversation
        | BlitzFigure::AppointmentsPerConversation
            if value.is_finite() =>
        {
            format!("{}%", readable(100.0 * value))
        }
        _ => readable(value),
    }
}

/// A percentile of one quantity over a group's replications.
fn band_of(g: &Group, q: BlitzFigure, p: f64) -> f64 {
    g.values(q).collect::<Sorted>().percentile(p)
}

#[derive(Serialize)]
struct BlitzJson<'a> {
    scenario: &'a str,
    seed: u64,
    replications: u64,
    minutes: f64,
    teams: Vec<GroupJson>,
    total: GroupJson,
    leaderboard: Vec<RankJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    actual: Option<ActualJson>,
}

#[derive(Serialize)]
struct GroupJson {
    name: String,
    reps: usize,
    metrics: BTreeMap<&'static str, Summary>,
    /// Cumulative counts by the end of each minute: P10, median and P90.
    progress: Vec<MinuteJson>,
}

#[derive(Serialize)]
struct RankJson {
    rank: usize,
    appointments_set: Summary,
}

#[derive(Serialize)]
struct MinuteJson {
    minute: usize,
    dials: BandJson,
    contacts: BandJson,
    appointments_set: BandJson,
}

#[derive(Serialize)]
struct BandJson {
    p10: f64,
    p50: f64,
    p90: f64,
}

impl From<(f64, f64, f64)> for BandJson {
    fn from((p10, p50, p90): (f64, f64, f64)) -> Self {
        BandJson { p10, p50, p90 }
    }
}

#[derive(Serialize)]
struct ActualJson {
    teams: Vec<PlacedGroupJson>,
    total: PlacedGroupJson,
    reps: Vec<PlacedGroupJson>,
    /// The log's dials that reached voicemail, counted as `calibrate` counts them.
    voicemails: u32,
}

#[derive(Serialize)]
struct PlacedGroupJson {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    team: Option<String>,
    values: BTreeMap<&'static str, PlacedJson>,
}

#[derive(Serialize)]
struct PlacedJson {
    actual: f64,
    /// Share of simulated values below the actual one, ties counting half.
    percentile: f64,
}
