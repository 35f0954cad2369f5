//! `plan` of an inbound team: the reps and hours that keep the service promised to new
//! leads, in text, JSON and CSV.

use std::io::{self, Write};

use serde::Serialize;

use super::csv_out::{self, Cell, Column};
use super::plan::write_rep_cards;
use super::{NoChart, Report, readable, write_columns};
use crate::chart::FanPanels;
use crate::plan::{Candidate, MAX_SIZED_REPS, PromiseKept, Sizing, TeamSize};

/// Everything the sizing of an inbound team found.
#[derive(Debug, Clone)]
pub struct SizingReport {
    pub scenario: String,
    pub seed: u64,
    pub replications: u64,
    pub leads_per_week: f64,
    pub weeks: u32,
    pub working_weeks: u32,
    pub sizing: Sizing,
}

/// The JSON of a sizing.
#[derive(Serialize)]
struct SizingJson<'a> {
    scenario: &'a str,
    seed: u64,
    replications: u64,
    leads_per_week: f64,
    weeks: u32,
    confidence: f64,
    goal_deals: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    goal_revenue: Option<f64>,
    /// Whether the team found keeps every promise at the confidence.
    kept: bool,
    most_reps: u32,
    members_fixed: bool,
    team: &'a TeamSize,
    tried: &'a [Candidate],
}

/// A promise in words, and how its values read.
fn promise_name(p: &PromiseKept) -> String {
    match (p.promise, p.minutes) {
        ("penetration", _) => "penetration of the cadence (touches made / planned)".into(),
        ("called_within", Some(minutes)) => {
            format!("new leads first touched within {}", minutes_words(minutes))
        }
        ("backlog", _) => "touches overdue at the year's end".into(),
        _ => "deals in the year (the goal)".into(),
    }
}

/// A value of promise `p` as the text shows it: percents for penetration and shares.
fn promise_value(p: &PromiseKept, value: f64) -> String {
    match p.promise {
        "penetration" => format!("{value:.1}%"),
        "called_within" => format!("{:.1}%", value * 100.0),
        _ => readable(value),
    }
}

/// Minutes as people say them: 60 is "1 hour", 1440 "1 day".
fn minutes_words(minutes: f64) -> String {
    let (value, unit) = if minutes >= 1440.0 {
        (minutes / 1440.0, "day")
    } else if minutes >= 60.0 {
        (minutes / 60.0, "hour")
    } else {
        (minutes, "minute")
    };
    let plural = if value == 1.0 { "" } else { "s" };
    format!("{} {unit}{plural}", readable(value))
}

impl Report for SizingReport {
    type Chart = FanPanels;

    /// The answer, each promise at it, each rep's card and the sizes tried.
    fn write_text(&self, out: &mut dyn Write) -> io::Result<()> {
        let s = &self.sizing;
        let team = &s.team;
        writeln!(out, "{}", self.scenario)?;
        writeln!(
            out,
            "Team sized for {} inbound leads a week (Poisson) over {} weeks ({} worked), with \
             {:.0}% confidence. {} simulated years, seed {}.\n",
            readable(self.leads_per_week),
            self.weeks,
            self.working_weeks,
            s.target.confidence * 100.0,
            readable(self.replications as f64),
            self.seed
        )?;
        let size = format!(
            "{} rep(s) at {} prospecting hours a day each",
            team.reps,
            readable(team.hours_per_day)
        );
        if s.kept {
            writeln!(
                out,
                "Answer: {size} keep every promise in {:.1}% of years ({:.0}% asked).",
                team.chance * 100.0,
                s.target.confidence * 100.0
            )?;
        } else {
            let weakest = team
                .promises
                .iter()
                .min_by(|a, b| a.chance.total_cmp(&b.chance))
                .map(promise_name)
                .unwrap_or_default();
            writeln!(
                out,
                "No team within reach keeps every promise in {:.0}% of years: {size}, the most \
                 tried, keep them in {:.1}%; the hardest to keep is {weakest}. Promise less, \
                 route fewer leads to this team, or {}.",
                s.target.confidence * 100.0,
                team.chance * 100.0,
                if s.members_fixed {
                    "add members"
                } else {
                    "split the flow between teams"
                }
            )?;
        }
        if s.members_fixed {
            writeln!(
                out,
                "The reps are the {} listed in [[team.members]]: only their hours were searched \
                 (members who state hours_per_day keep them).",
                team.reps
            )?;
        } else if !s.kept {
            let why = if s.most_reps < MAX_SIZED_REPS {
                "a larger team's runs would make more touches than a run may"
            } else {
                "the most a sizing tries"
            };
            writeln!(out, "(At most {} reps: {why}.)", s.most_reps)?;
        }
        writeln!(out)?;
        let header = ["promise", "must be", "P10", "P50", "P90", "years kept"];
        let mut rows: Vec<Vec<String>> = team
            .promises
            .iter()
            .map(|p| {
                let sign = if p.at_most { "at most" } else { "at least" };
                let mut row = vec![
                    promise_name(p),
                    format!("{sign} {}", promise_value(p, p.bound)),
                ];
                row.extend(p.p10_50_90.iter().map(|&v| promise_value(p, v)));
                row.push(format!("{:.1}%", p.chance * 100.0));
                row
            })
            .collect();
        rows.push(vec![
            "every promise at once".into(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            format!("{:.1}%", team.chance * 100.0),
        ]);
        write_columns(out, &header, &rows)?;
        write_rep_cards(out, &team.rep_cards, &self.sizing.target)?;
        writeln!(
            out,
            "\nTeam sizes tried (screened on the first years, then the answer on every year)"
        )?;
        let rows: Vec<[String; 4]> = s
            .tried
            .iter()
            .map(|c| {
                [
                    c.reps.to_string(),
                    readable(c.hours_per_day),
                    readable(c.years as f64),
                    format!("{:.1}%", c.chance * 100.0),
                ]
            })
            .collect();
        write_columns(
            out,
            &["reps", "hours a day", "years", "every promise kept"],
            &rows,
        )
    }

    fn json(&self) -> impl Serialize {
        let s = &self.sizing;
        SizingJson {
            scenario: &self.scenario,
            seed: self.seed,
            replications: self.replications,
            leads_per_week: self.leads_per_week,
            weeks: self.weeks,
            confidence: s.target.confidence,
            goal_deals: self.sizing.target.deals,
            goal_revenue: self.sizing.target.revenue,
            kept: s.kept,
            most_reps: s.most_reps,
            members_fixed: s.members_fixed,
            team: &s.team,
            tried: &s.tried,
        }
    }

    /// A row per promise at the answer: its bound, percentiles and the share of years kept.
    fn write_csv(&self, out: &mut dyn Write) -> io::Result<()> {
        let columns: Vec<Column<PromiseKept>> = vec![
            Column::new("promise", |p: &PromiseKept| {
                Cell::Text(p.promise.to_string())
            }),
            Column::new("minutes", |p: &PromiseKept| match p.minutes {
                Some(m) => Cell::Number(m),
                None => Cell::Text(String::new()),
            }),
            Column::new("bound", |p: &PromiseKept| Cell::Number(p.bound)),
            Column::new("at_most", |p: &PromiseKept| {
                Cell::Text(p.at_most.to_string())
            }),
            Column::new("p10", |p: &PromiseKept| Cell::Number(p.p10_50_90[0])),
            Column::new("p50", |p: &PromiseKept| Cell::Number(p.p10_50_90[1])),
            Column::new("p90", |p: &PromiseKept| Cell::Number(p.p10_50_90[2])),
            Column::new("chance", |p: &PromiseKept| Cell::Number(p.chance)),
        ];
        csv_out::write_columns(out, &columns, self.sizing.team.promises.iter().cloned())
    }

    fn chart(&self) -> Result<FanPanels, NoChart> {
        Err(SizingReport::no_chart())
    }
}

impl SizingReport {
    /// Why a sizing has no chart, and how to chart the team it finds.
    pub fn no_chart() -> NoChart {
        NoChart(
            "the sizing of an inbound team draws no chart; chart the team it finds with \
             `callblitz simulate SCENARIO --calendar --set team.reps=N --set \
             team.prospecting_hours_per_day=H --chart FILE`"
                .into(),
        )
    }
}
