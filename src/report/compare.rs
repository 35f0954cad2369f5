//! How a comparison is shown: tables per 100 leads and per 100 hours, paired differences, the
//! touch-by-touch analysis, JSON (docs/model.md), CSV and the charts.

use std::io::{self, Write};

use serde::Serialize;

use super::csv_out::{self, number};
use super::segments::SegmentJson;
use super::uncertainty::heading;
use super::{
    Breakdown, MetricMap, NONE, NoChart, Report, TeamReport, group_thousands, readable,
    write_columns,
};
use crate::chart::{ByTouch, CompareChart, VariantSeries};
use crate::compare::{Compared, Cutoff, Difference, PER_HOUR_METRICS, TouchAnalysis, difference};
use crate::money::{MarginDifference, Money};
use crate::stats::{Metric, Samples};

/// One variant's results.
#[derive(Debug, Clone)]
pub struct VariantResult {
    pub name: String,
    pub samples: Samples,
    /// What each touch of the cadence brings, exactly; `None` for team calendars with inbound
    /// leads or individual reps, where speed to lead and each rep's habits change it.
    pub touches: Option<TouchAnalysis>,
    /// The team's side of a calendar run.
    pub team: Option<TeamReport>,
    /// The replications with the variant's `[uncertainty]` drawn, when it has one.
    pub drawn: Option<Samples>,
    /// The results by segment, when the variant has more than one group of leads.
    pub segments: Option<Breakdown>,
    /// What the variant's replications cost and earn, with `[costs]`.
    pub money: Option<Money>,
}

impl VariantResult {
    /// The replications with what is not known drawn: the variant's own numbers when it knows
    /// them all.
    fn drawn_or_known(&self) -> &Samples {
        self.drawn.as_ref().unwrap_or(&self.samples)
    }
}

/// Everything `compare` found; the first variant is the baseline.
#[derive(Debug, Clone)]
pub struct CompareReport {
    pub title: String,
    /// What was compared, in a few words ("cohorts of 1,000 leads").
    pub setup: String,
    pub seed: u64,
    pub replications: u64,
    /// Whether the variants are team calendars rather than cohorts.
    pub calendar: bool,
    /// The keys of `[uncertainty]` drawn in any variant.
    pub drawn_keys: Vec<String>,
    pub variants: Vec<VariantResult>,
}

/// The funnel metrics the charts and the short tables show.
const OUTCOMES: [Metric; 5] = PER_HOUR_METRICS;

impl CompareReport {
    /// Every variant against the baseline, for every compared quantity, with the variant's
    /// position.
    pub fn differences(&self) -> Vec<(usize, Difference)> {
        self.differences_of(|v| &v.samples)
    }

    /// [`CompareReport::differences`] with every variant's `[uncertainty]` drawn; `None` when
    /// no variant has one.
    pub fn drawn_differences(&self) -> Option<Vec<(usize, Difference)>> {
        self.draws()
            .then(|| self.differences_of(VariantResult::drawn_or_known))
    }

    /// The differences as JSON.
    fn differences_json(&self, differences: Vec<(usize, Difference)>) -> Vec<DifferenceJson<'_>> {
        let baseline = &self.variants[0].name;
        differences
            .into_iter()
            .map(|(i, d)| DifferenceJson {
                baseline,
                variant: &self.variants[i].name,
                metric: d.quantity.name(),
                mean: d.mean,
                ci95: d.ci95,
                unpaired_ci95: d.unpaired_ci95,
            })
            .collect()
    }

    /// Whether any variant drew its `[uncertainty]`.
    fn draws(&self) -> bool {
        self.variants.iter().any(|v| v.drawn.is_some())
    }

    fn differences_of(&self, samples: fn(&VariantResult) -> &Samples) -> Vec<(usize, Difference)> {
        let baseline = samples(&self.variants[0]);
        (1..self.variants.len())
            .flat_map(|i| {
                let variant = samples(&self.variants[i]);
                Compared::all()
                    .into_iter()
                    .map(move |q| (i, difference(q, baseline, variant)))
            })
            .collect()
    }

    /// The outcomes, and their differences from the baseline, with `[uncertainty]` drawn.
    fn write_drawn(&self, out: &mut dyn Write) -> io::Result<()> {
        let Some(differences) = self.drawn_differences() else {
            return Ok(());
        };
        writeln!(out, "{}", heading(&self.drawn_keys))?;
        let mut header = vec!["metric (mean, P05 to P95)".to_string()];
        header.extend(self.variants.iter().map(|v| v.name.clone()));
        let rows: Vec<Vec<String>> = OUTCOMES
            .iter()
            .map(|&m| {
                let mut row = vec![m.name().to_string()];
                row.extend(self.variants.iter().map(|v| {
                    let s = v.drawn_or_known().get(m).summary();
                    format!(
                        "{} ({} to {})",
                        readable(s.mean),
                        readable(s.p05),
                        readable(s.p95)
                    )
                }));
                row
            })
            .collect();
        write_columns(out, &header, &rows)?;
        if self.variants.len() > 1 {
            writeln!(
                out,
                "Difference from \"{}\" in total, with its 95% interval (paired: the same luck \
                 and the same draws)",
                self.variants[0].name
            )?;
            let mut header = vec!["metric".to_string()];
            header.extend(self.variants[1..].iter().map(|v| v.name.clone()));
            let rows: Vec<Vec<String>> = OUTCOMES
                .iter()
                .map(|&m| {
                    let q = Compared::Total(m);
                    let mut row = vec![q.name()];
                    row.extend(
                        differences
                            .iter()
                            .filter(|(_, d)| d.quantity == q)
                            .map(|(_, d)| with_interval(d.mean, d.ci95)),
                    );
                    row
                })
                .collect();
            write_columns(out, &header, &rows)?;
        }
        writeln!(out)
    }

    /// How each team worked its leads: speed to lead, what was never touched, the backlog.
    fn write_teams(&self, out: &mut dyn Write) -> io::Result<()> {
        let teams: Vec<&TeamReport> = self
            .variants
            .iter()
            .filter_map(|v| v.team.as_ref())
            .collect();
        if teams.len() != self.variants.len() {
            return Ok(());
        }
        writeln!(out, "How the team worked its leads (mean)")?;
        let mut header = vec!["".to_string()];
        header.extend(self.variants.iter().map(|v| v.name.clone()));
        let mut rows: Vec<Vec<String>> = Vec::new();
        let mut row = |label: &str, value: &dyn Fn(&TeamReport) -> Option<String>| {
            let cells: Vec<Option<String>> = teams.iter().map(|t| value(t)).collect();
            if cells.iter().any(Option::is_some) {
                let mut r = vec![label.to_string()];
                r.extend(cells.into_iter().map(|c| c.unwrap_or_else(|| "-".into())));
                rows.push(r);
            }
        };
        let percent = |share: f64| format!("{}%", readable(100.0 * share));
        row("routing", &|t| Some(t.routing.to_string()));
        row("first touch within 5 minutes", &|t| {
            t.first_touch.as_ref().map(|f| percent(f.bins[0].share))
        });
        row("first touch within an hour", &|t| {
            t.first_touch
                .as_ref()
                .map(|f| percent(f.bins[..3].iter().map(|b| b.share).sum()))
        });
        row("never touched", &|t| {
            t.first_touch.as_ref().map(|f| percent(f.never))
        });
        row("overdue touches at the end", &|t| {
            Some(readable(t.backlog_at_end.mean))
        });
        row("territory used up (share of years, median week)", &|t| {
            t.territory
                .as_ref()
                .map(|territory| match territory.used_up_median_week {
                    Some(week) => format!(
                        "{}, week {}",
                        percent(territory.used_up_share),
                        readable(week)
                    ),
                    None => "never".to_string(),
                })
        });
        row("prospecting hours unused", &|t| {
            Some(readable(t.unused_prospecting_hours.mean))
        });
        row("conversations from nurture", &|t| {
            t.nurture_responses.as_ref().map(|n| readable(n.mean))
        });
        write_columns(out, &header, &rows)?;
        writeln!(out)
    }

    fn write_touches(&self, out: &mut dyn Write, name: &str, t: &TouchAnalysis) -> io::Result<()> {
        writeln!(
            out,
            "Touch by touch, \"{name}\" (per 100 leads of a cohort, exact from the model)"
        )?;
        let header: Vec<String> = [
            "touch",
            "day",
            "channel",
            "touches",
            "conversations",
            "cumulative",
            "appointments",
            "deals",
            "hours",
            "appts per hour",
        ]
        .map(String::from)
        .to_vec();
        let rows: Vec<Vec<String>> = t
            .touches
            .iter()
            .map(|y| {
                vec![
                    y.touch.to_string(),
                    y.day.to_string(),
                    y.channel.name().to_string(),
                    readable(y.touches),
                    readable(y.conversations),
                    format!("{:.0}%", y.cumulative_share * 100.0),
                    readable(y.appointments),
                    format!("{:.3}", y.deals),
                    readable(y.hours),
                    format!("{:.3}", y.appointments_per_hour),
                ]
            })
            .collect();
        write_columns(out, &header, &rows)?;
        let channels = t.by_channel();
        if channels.len() > 1 {
            writeln!(out, "By channel:")?;
            let header = [
                "channel",
                "touches",
                "conversations",
                "appointments",
                "deals",
                "hours",
                "appts per hour",
            ];
            let rows: Vec<[String; 7]> = channels
                .iter()
                .map(|c| {
                    [
                        c.channel.name().to_string(),
                        readable(c.touches),
                        readable(c.conversations),
                        readable(c.appointments),
                        format!("{:.3}", c.deals),
                        readable(c.hours),
                        format!("{:.3}", c.appointments / c.hours.max(f64::MIN_POSITIVE)),
                    ]
                })
                .collect();
            write_columns(out, &header, &rows)?;
        }
        let n = t.touches.len();
        let average = t.average_appointments_per_hour;
        if average <= 0.0 {
            writeln!(out, "No touch of this cadence yields an appointment.")?;
            return writeln!(out);
        }
        writeln!(
            out,
            "{}",
            cutoff_sentence(
                &t.below_average,
                n,
                &format!("the cadence's average ({average:.3})")
            )
        )?;
        if let (Some(cutoff), Some(break_even)) =
            (&t.below_break_even, t.break_even_appointments_per_hour)
        {
            let threshold = format!("break-even ({break_even:.3}, what pays for an hour)");
            writeln!(out, "{}", cutoff_sentence(cutoff, n, &threshold))?;
        }
        writeln!(out)
    }
}

impl CompareReport {
    /// Variant `variant`'s gross margin less the baseline's, paired on the same random
    /// numbers; `None` for the baseline or where either has no `[costs]`.
    fn margin_over_baseline(&self, variant: usize) -> Option<MarginDifference> {
        let baseline = self.variants.first()?.money.as_ref()?;
        let own = self.variants[variant].money.as_ref()?;
        (variant > 0).then(|| own.margin_over(baseline))
    }

    /// What each variant costs and earns, and its margin against the baseline's, when any
    /// variant has `[costs]`.
    fn write_money(&self, out: &mut dyn Write) -> io::Result<()> {
        if self.variants.iter().all(|v| v.money.is_none()) {
            return Ok(());
        }
        let unit = if self.calendar {
            "per simulated year"
        } else {
            "per cohort"
        };
        writeln!(
            out,
            "Money ([costs]), {unit}: mean, and P05 to P95 of the margin"
        )?;
        let mut header = vec!["".to_string()];
        header.extend(self.variants.iter().map(|v| v.name.clone()));
        let row = |name: &str, value: &dyn Fn(&Money) -> String| {
            let mut row = vec![name.to_string()];
            row.extend(
                self.variants
                    .iter()
                    .map(|v| v.money.as_ref().map_or(NONE.to_string(), value)),
            );
            row
        };
        let per = |x: Option<f64>| x.map_or(NONE.to_string(), readable);
        let rows = vec![
            row("cost", &|m| readable(m.cost.mean)),
            row("revenue", &|m| readable(m.revenue.mean)),
            row("gross margin", &|m| readable(m.gross_margin.mean)),
            row("  P05 to P95", &|m| {
                format!(
                    "{} to {}",
                    readable(m.gross_margin.p05),
                    readable(m.gross_margin.p95)
                )
            }),
            row("return on cost", &|m| {
                m.return_on_cost
                    .map_or(NONE.to_string(), |r| format!("{}%", readable(100.0 * r)))
            }),
            row(
                "cost per appointment held",
                &|m| per(m.per_appointment_held),
            ),
            row("cost per deal", &|m| per(m.per_deal)),
            row("years losing money", &|m| {
                format!("{}%", readable(100.0 * m.loss_chance))
            }),
        ];
        write_columns(out, &header, &rows)?;
        for (i, v) in self.variants.iter().enumerate().skip(1) {
            if let Some(d) = self.margin_over_baseline(i) {
                writeln!(
                    out,
                    "Gross margin of \"{}\" less \"{}\": {} (paired on the same random numbers)",
                    v.name,
                    self.variants[0].name,
                    with_interval(d.mean, d.ci95)
                )?;
            }
        }
        writeln!(out)
    }
}

impl Report for CompareReport {
    /// Outcomes per 100 leads, cumulative conversations and the marginal yield by touch.
    type Chart = CompareChart;

    fn write_text(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "{}", self.title)?;
        writeln!(
            out,
            "{}, {} replications, seed {}; every variant on the same random numbers\n",
            self.setup,
            readable(self.replications as f64),
            self.seed
        )?;
        let names: Vec<&str> = self.variants.iter().map(|v| v.name.as_str()).collect();
        let mean_of = |v: &VariantResult, q: Compared| q.estimate(&v.samples);
        let table = |out: &mut dyn Write, title: &str, quantities: &[Compared]| {
            writeln!(out, "{title}")?;
            let mut header = vec!["metric".to_string()];
            header.extend(names.iter().map(|n| n.to_string()));
            let rows: Vec<Vec<String>> = quantities
                .iter()
                .map(|&q| {
                    let mut row = vec![q.metric().name().to_string()];
                    row.extend(self.variants.iter().map(|v| readable(mean_of(v, q))));
                    row
                })
                .collect();
            write_columns(out, &header, &rows)?;
            writeln!(out)
        };
        let totals: Vec<Compared> = Metric::ALL.iter().map(|&m| Compared::Total(m)).collect();
        let unit = if self.calendar {
            "per simulated year"
        } else {
            "per cohort"
        };
        table(out, &format!("In total, {unit} (mean)"), &totals)?;
        let per_lead: Vec<Compared> = Metric::ALL
            .iter()
            .filter(|m| m.scales_with_leads() && **m != Metric::Leads)
            .map(|&m| Compared::PerHundredLeads(m))
            .collect();
        table(out, "Per 100 leads", &per_lead)?;
        let per_hour: Vec<Compared> = OUTCOMES
            .iter()
            .map(|&m| Compared::PerHundredHours(m))
            .collect();
        table(out, "Per 100 prospecting hours", &per_hour)?;

        if self.variants.len() > 1 {
            writeln!(
                out,
                "Difference from \"{}\", with its 95% interval (paired on the same random numbers)",
                names[0]
            )?;
            let mut header = vec!["metric".to_string()];
            header.extend(names[1..].iter().map(|n| n.to_string()));
            let differences = self.differences();
            // On a calendar, which variant wins is a question of the year's totals: a variant
            // may gain per lead and still lose, working fewer leads.
            let year_totals: Vec<Compared> = if self.calendar {
                OUTCOMES.iter().map(|&m| Compared::Total(m)).collect()
            } else {
                Vec::new()
            };
            let rows: Vec<Vec<String>> = year_totals
                .iter()
                .chain(&per_lead)
                .chain(&per_hour)
                .map(|&q| {
                    let mut row = vec![q.name()];
                    for i in 1..self.variants.len() {
                        let d = &differences
                            .iter()
                            .find(|(at, d)| *at == i && d.quantity == q)
                            .expect("every quantity is compared")
                            .1;
                        row.push(with_interval(d.mean, d.ci95));
                    }
                    row
                })
                .collect();
            write_columns(out, &header, &rows)?;
            writeln!(out)?;
        }
        self.write_money(out)?;
        self.write_drawn(out)?;
        self.write_teams(out)?;
        for v in &self.variants {
            if let Some(segments) = &v.segments {
                segments.write_text(out, &format!("{}, by segment", v.name))?;
            }
        }
        if self.variants.iter().any(|v| v.segments.is_some()) {
            writeln!(out)?;
        }
        for v in &self.variants {
            if let Some(t) = &v.touches {
                self.write_touches(out, &v.name, t)?;
            }
        }
        let untabled: Vec<&str> = self
            .variants
            .iter()
            .filter(|v| v.touches.is_none())
            .map(|v| v.name.as_str())
            .collect();
        if !untabled.is_empty() {
            writeln!(
                out,
                "Touch by touch: not shown for {}. The per-touch table describes a cohort worked \
                 through the cadence; with inbound leads or [[team.members]], speed to lead and \
                 each rep's own habits change what a touch brings{}.",
                untabled.join(", "),
                if self.variants.iter().any(|v| v.segments.is_some()) {
                    ", and segments each have a cadence of their own"
                } else {
                    ""
                }
            )?;
        }
        Ok(())
    }

    /// `{"seed", "replications", "variants": [{"name", "metrics", "touches", …}],
    /// "differences": [{"baseline", "variant", "metric", "mean", "ci95"}]}`.
    fn json(&self) -> impl Serialize {
        CompareJson {
            seed: self.seed,
            replications: self.replications,
            variants: self
                .variants
                .iter()
                .enumerate()
                .map(|(i, v)| VariantJson {
                    name: &v.name,
                    metrics: MetricMap(
                        Metric::ALL
                            .iter()
                            .map(|&m| (m, v.samples.get(m).summary()))
                            .collect(),
                    ),
                    rates: Compared::all()
                        .into_iter()
                        .filter(|q| !matches!(q, Compared::Total(_)))
                        .map(|q| {
                            let (estimate, low, high) = q.interval(&v.samples);
                            (
                                q.name(),
                                RateJson {
                                    estimate,
                                    ci95: [low, high],
                                },
                            )
                        })
                        .collect(),
                    touch_analysis: v.touches.as_ref().map(|t| TouchAnalysisJson {
                        touches: t
                            .touches
                            .iter()
                            .map(|y| TouchJson {
                                touch: y.touch,
                                day: y.day,
                                channel: y.channel.name(),
                                touches_per_100_leads: y.touches,
                                conversations_per_100_leads: y.conversations,
                                cumulative_share: y.cumulative_share,
                                appointments_per_100_leads: y.appointments,
                                deals_per_100_leads: y.deals,
                                hours_per_100_leads: y.hours,
                                appointments_per_hour: y.appointments_per_hour,
                            })
                            .collect(),
                        average_appointments_per_hour: t.average_appointments_per_hour,
                        last_touch_above_average: t.below_average.last_worth_it,
                        break_even_appointments_per_hour: t.break_even_appointments_per_hour,
                        last_touch_above_break_even: t
                            .below_break_even
                            .as_ref()
                            .map(|c| c.last_worth_it),
                    }),
                    team: v.team.as_ref(),
                    segments: v.segments.as_ref().map(Breakdown::json),
                    money: v.money.as_ref(),
                    gross_margin_vs_baseline: self.margin_over_baseline(i),
                })
                .collect(),
            differences: self.differences_json(self.differences()),
            with_uncertainty: self
                .drawn_differences()
                .map(|differences| DrawnCompareJson {
                    drawn: &self.drawn_keys,
                    variants: self
                        .variants
                        .iter()
                        .map(|v| DrawnVariantJson {
                            name: &v.name,
                            metrics: MetricMap(
                                Metric::ALL
                                    .iter()
                                    .map(|&m| (m, v.drawn_or_known().get(m).summary()))
                                    .collect(),
                            ),
                        })
                        .collect(),
                    differences: self.differences_json(differences),
                }),
        }
    }

    /// One row per difference: baseline, variant, metric, mean, the paired and the unpaired
    /// 95% interval.
    fn write_csv(&self, out: &mut dyn Write) -> io::Result<()> {
        let rows = self.differences().into_iter().map(|(i, d)| DifferenceRow {
            baseline: &self.variants[0].name,
            variant: &self.variants[i].name,
            metric: d.quantity.name(),
            mean: d.mean,
            ci95_low: d.ci95[0],
            ci95_high: d.ci95[1],
            unpaired_ci95_low: d.unpaired_ci95[0],
            unpaired_ci95_high: d.unpaired_ci95[1],
        });
        csv_out::write_rows(out, rows)
    }

    /// The comparison charts: outcomes per 100 leads, cumulative conversations and the
    /// marginal yield by touch.
    fn chart(&self) -> Result<CompareChart, NoChart> {
        Ok(CompareChart {
            title: self.title.clone(),
            subtitle: format!(
                "{}, {} replications on common random numbers{}",
                self.setup,
                readable(self.replications as f64),
                if self.variants.iter().all(|v| v.touches.is_some()) {
                    "; touch curves exact"
                } else {
                    ""
                }
            ),
            outcomes: OUTCOMES.iter().map(|m| m.name().to_string()).collect(),
            variants: self
                .variants
                .iter()
                .map(|v| VariantSeries {
                    name: v.name.clone(),
                    outcomes: OUTCOMES
                        .iter()
                        .map(|&m| Compared::PerHundredLeads(m).interval(&v.samples))
                        .collect(),
                    by_touch: v.touches.as_ref().map(|t| ByTouch {
                        cumulative_conversations: t
                            .touches
                            .iter()
                            .scan(0.0, |total, y| {
                                *total += y.conversations;
                                Some(*total)
                            })
                            .collect(),
                        appointments_per_hour: t
                            .touches
                            .iter()
                            .map(|y| y.appointments_per_hour)
                            .collect(),
                        average_appointments_per_hour: t.average_appointments_per_hour,
                    }),
                })
                .collect(),
            break_even: self.variants[0]
                .touches
                .as_ref()
                .and_then(|t| t.break_even_appointments_per_hour),
        })
    }
}

/// "+11.93 (11.87 to 11.99)": as many decimals as the interval's width needs.
fn with_interval(mean: f64, [low, high]: [f64; 2]) -> String {
    let width = (high - low).abs();
    let decimals = if width > 0.0 {
        (1.0 - width.log10().floor()).clamp(0.0, 6.0) as usize
    } else {
        2
    };
    let sign = if mean >= 0.0 { "+" } else { "" };
    format!(
        "{sign}{} ({} to {})",
        group_thousands(mean, decimals),
        group_thousands(low, decimals),
        group_thousands(high, decimals)
    )
}

/// What a [`Cutoff`] means for a cadence of `n` touches, in a sentence.
fn cutoff_sentence(cutoff: &Cutoff, n: usize, threshold: &str) -> String {
    let dips = if cutoff.dips.is_empty() {
        String::new()
    } else {
        let list: Vec<String> = cutoff.dips.iter().map(|k| k.to_string()).collect();
        format!(" (before it, touches {} also fall below)", list.join(", "))
    };
    match cutoff.last_worth_it {
        0 => format!("No touch reaches {threshold}."),
        k if k == n => format!("The last touch still reaches {threshold}{dips}."),
        k => format!("After touch {k}, no touch reaches {threshold}{dips}."),
    }
}

/// A row of the CSV: one difference from the baseline.
#[derive(Serialize)]
struct DifferenceRow<'a> {
    baseline: &'a str,
    variant: &'a str,
    metric: String,
    #[serde(serialize_with = "number")]
    mean: f64,
    #[serde(serialize_with = "number")]
    ci95_low: f64,
    #[serde(serialize_with = "number")]
    ci95_high: f64,
    #[serde(serialize_with = "number")]
    unpaired_ci95_low: f64,
    #[serde(serialize_with = "number")]
    unpaired_ci95_high: f64,
}

#[derive(Serialize)]
struct CompareJson<'a> {
    seed: u64,
    replications: u64,
    variants: Vec<VariantJson<'a>>,
    differences: Vec<DifferenceJson<'a>>,
    /// The variants and differences with `[uncertainty]` drawn, when any variant has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    with_uncertainty: Option<DrawnCompareJson<'a>>,
}

#[derive(Serialize)]
struct DrawnCompareJson<'a> {
    drawn: &'a [String],
    variants: Vec<DrawnVariantJson<'a>>,
    differences: Vec<DifferenceJson<'a>>,
}

#[derive(Serialize)]
struct DrawnVariantJson<'a> {
    name: &'a str,
    metrics: MetricMap,
}

#[derive(Serialize)]
struct VariantJson<'a> {
    name: &'a str,
    metrics: MetricMap,
    /// Per 100 leads and per 100 prospecting hours: ratios of means with 95% intervals.
    rates: std::collections::BTreeMap<String, RateJson>,
    /// Left out for team calendars with inbound leads or individual reps.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    touch_analysis: Option<TouchAnalysisJson>,
    /// Calendar runs only.
    #[serde(skip_serializing_if = "Option::is_none")]
    team: Option<&'a TeamReport>,
    /// Variants with more than one group of leads only.
    #[serde(skip_serializing_if = "Option::is_none")]
    segments: Option<Vec<SegmentJson>>,
    /// With `[costs]` only.
    #[serde(skip_serializing_if = "Option::is_none")]
    money: Option<&'a Money>,
    /// The variant's gross margin less the baseline's, paired; not for the baseline.
    #[serde(skip_serializing_if = "Option::is_none")]
    gross_margin_vs_baseline: Option<MarginDifference>,
}

#[derive(Serialize)]
struct TouchAnalysisJson {
    touches: Vec<TouchJson>,
    average_appointments_per_hour: f64,
    last_touch_above_average: usize,
    break_even_appointments_per_hour: Option<f64>,
    last_touch_above_break_even: Option<usize>,
}

#[derive(Serialize)]
struct RateJson {
    estimate: f64,
    ci95: [f64; 2],
}

#[derive(Serialize)]
struct TouchJson {
    touch: usize,
    day: u32,
    channel: &'static str,
    touches_per_100_leads: f64,
    conversations_per_100_leads: f64,
    cumulative_share: f64,
    appointments_per_100_leads: f64,
    deals_per_100_leads: f64,
    hours_per_100_leads: f64,
    appointments_per_hour: f64,
}

#[derive(Serialize)]
struct DifferenceJson<'a> {
    baseline: &'a str,
    variant: &'a str,
    metric: String,
    mean: f64,
    ci95: [f64; 2],
    unpaired_ci95: [f64; 2],
}
