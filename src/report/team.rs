//! The team's side of a calendar run: time to first touch of inbound leads, the backlog of
//! overdue touches, nurture responses and the per-rep table.

use std::io::{self, Write};

use serde::Serialize;

use super::{readable, write_columns};
use crate::engine::{
    CalendarModel, CalendarSamples, FIRST_TOUCH_BINS, ListSupply, PeopleSummary, RepCounts,
};
use crate::money::{Money, Prices};
use crate::runs::Outcome;
use crate::stats::{Sample, Samples, Summary};

/// A cohort's or a calendar's replications, for a calendar what the team did, and at
/// `prices` what the replications cost and earn: what simulate and compare report of each run.
pub fn simulated(
    outcome: Outcome,
    prices: Option<Prices>,
) -> (Samples, Option<TeamReport>, Option<Money>) {
    match outcome {
        Outcome::Cohort(samples) => {
            let money = prices.map(|prices| Money::of(&samples, &prices));
            (samples, None, money)
        }
        Outcome::Calendar(model, runs) => {
            let team = TeamReport::new(&model, &runs);
            let money = prices.map(|prices| Money::of_calendar(&runs, &prices));
            (runs.samples, Some(team), money)
        }
        Outcome::Plan(..) | Outcome::Sizing(_) | Outcome::Blitz(_) => {
            unreachable!("simulate and compare run cohorts and calendars")
        }
    }
}

/// What the team did, summarised over replications.
#[derive(Debug, Clone, Serialize)]
pub struct TeamReport {
    pub routing: &'static str,
    /// Present when leads arrive by themselves.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_touch: Option<FirstTouch>,
    /// Due touches not made by the horizon's end.
    pub backlog_at_end: Summary,
    /// Present when nurture is on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nurture_responses: Option<Summary>,
    /// The team's prospecting hours over the horizon, ramp and weeks off applied (and, when
    /// reps can leave, the seats' vacancies and new hires' ramps: a mean over replications).
    pub capacity_hours: f64,
    /// What turnover did to the seats, when reps can leave (`[people]`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub people: Option<PeopleSummary>,
    /// Hours of that capacity no work filled: no account left to start, no lead arrived, or
    /// a day's last minutes too short for the next touch.
    pub unused_prospecting_hours: Summary,
    /// Present when a territory of accounts is worked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub territory: Option<TerritoryReport>,
    /// First conversations by the touch of the cadence that made them, nurture responses
    /// aside. The funnel after a conversation does not depend on the touch, so among leads
    /// that convert the shares are the same.
    pub conversations_by_touch: Vec<TouchConversations>,
    pub reps: Vec<RepReport>,
}

/// How far the team got through its territory.
#[derive(Debug, Clone, Serialize)]
pub struct TerritoryReport {
    pub accounts: u64,
    pub refill_per_month: u64,
    pub accounts_started: Summary,
    /// Share of replications in which a rep had time for a new account and none was left.
    pub used_up_share: f64,
    /// The median week (1-based) that first happened in, over those replications.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub used_up_median_week: Option<f64>,
}

/// The first conversations one touch of the cadence made, over all replications.
#[derive(Debug, Clone, Serialize)]
pub struct TouchConversations {
    /// 1 for the first touch.
    pub touch: usize,
    /// Share of all first conversations made on the cadence's touches.
    pub share: f64,
    /// Share made on this touch or an earlier one.
    pub cumulative: f64,
}

/// How long inbound leads waited for their first touch, over all replications.
#[derive(Debug, Clone, Serialize)]
pub struct FirstTouch {
    pub inbound_leads_per_replication: f64,
    pub bins: Vec<FirstTouchBin>,
    /// Share of inbound leads never touched inside the horizon.
    pub never: f64,
    /// Share of inbound leads their rep skipped (cherry-picking); part of `never` unless
    /// recycling gave them to another rep.
    pub skipped: f64,
}

/// One bin of the time to first touch.
#[derive(Debug, Clone, Serialize)]
pub struct FirstTouchBin {
    pub within: &'static str,
    /// Share of inbound leads first touched this soon.
    pub share: f64,
    /// Share of those whose first touch reached them (0 when there are none).
    pub reached_on_first_touch: f64,
}

/// One rep's results.
#[derive(Debug, Clone, Serialize)]
pub struct RepReport {
    pub name: String,
    pub touches: Summary,
    pub conversations: Summary,
    pub appointments_set: Summary,
    pub prospecting_hours: Summary,
    /// Touches the rep made on the leads first given to them ÷ the touches the cadence planned
    /// for those leads, in percent, over all replications (round-robin only).
    pub penetration: Option<f64>,
}

impl TeamReport {
    /// Summarises the team's side of calendar replications of `model`.
    pub fn new(model: &CalendarModel, runs: &CalendarSamples) -> Self {
        let replications = runs.samples.len().max(1) as f64;
        let first_touch = model.has_arrivals().then(|| {
            let total: u64 = runs.first_touch.iter().sum();
            let share = |count: u64| count as f64 / total.max(1) as f64;
            FirstTouch {
                inbound_leads_per_replication: total as f64 / replications,
                bins: FIRST_TOUCH_BINS
                    .iter()
                    .zip(&runs.first_touch)
                    .zip(&runs.first_touch_reached)
                    .map(|((&(_, within), &count), &reached)| FirstTouchBin {
                        within,
                        share: share(count),
                        reached_on_first_touch: reached as f64 / count.max(1) as f64,
                    })
                    .collect(),
                never: share(runs.first_touch[FIRST_TOUCH_BINS.len()]),
                skipped: share(runs.skipped),
            }
        });
        let pooled = model.mode() == crate::scenario::RoutingMode::SharedPool;
        let reps = model
            .reps()
            .iter()
            .zip(&runs.reps)
            .map(|(rep, counts)| {
                let summary =
                    |f: fn(&RepCounts) -> f64| counts.iter().map(f).collect::<Sample>().summary();
                let planned: u64 = counts.iter().map(|c| u64::from(c.planned)).sum();
                let made: u64 = counts.iter().map(|c| u64::from(c.made_on_own)).sum();
                RepReport {
                    name: rep.name.clone(),
                    touches: summary(|c| f64::from(c.touches)),
                    conversations: summary(|c| f64::from(c.conversations)),
                    appointments_set: summary(|c| f64::from(c.appointments_set)),
                    prospecting_hours: summary(|c| c.minutes / 60.0),
                    penetration: (!pooled && planned > 0)
                        .then(|| 100.0 * made as f64 / planned as f64),
                }
            })
            .collect();
        let territory = match model.list() {
            Some(ListSupply::Territory {
                accounts,
                refill_per_month,
            }) => Some(TerritoryReport {
                accounts,
                refill_per_month,
                accounts_started: runs.list_started.summary(),
                used_up_share: runs.territory_used_up_share(),
                used_up_median_week: runs.territory_used_up_median_week(),
            }),
            Some(ListSupply::Unlimited) | None => None,
        };
        let people = runs.people(model);
        TeamReport {
            routing: model.mode().name(),
            capacity_hours: people.map_or(model.total_minutes() / 60.0, |p| p.capacity_hours),
            people,
            unused_prospecting_hours: runs.unused_hours.summary(),
            territory,
            first_touch,
            backlog_at_end: runs.backlog.summary(),
            nurture_responses: model
                .has_nurture()
                .then(|| runs.nurture_responses.summary()),
            conversations_by_touch: by_touch(&runs.conversations_by_touch),
            reps,
        }
    }

    /// The readable tables.
    pub fn write_text(&self, out: &mut dyn Write) -> io::Result<()> {
        if let Some(first) = &self.first_touch {
            writeln!(
                out,
                "\nTime to first touch of inbound leads ({} arrive in a simulated horizon, on \
                 average)",
                readable(first.inbound_leads_per_replication)
            )?;
            let rows: Vec<[String; 3]> = first
                .bins
                .iter()
                .map(|b| {
                    let reached = if b.share > 0.0 {
                        percent(b.reached_on_first_touch)
                    } else {
                        "-".to_string()
                    };
                    [b.within.to_string(), percent(b.share), reached]
                })
                .chain([[
                    "never touched".to_string(),
                    percent(first.never),
                    "-".to_string(),
                ]])
                .collect();
            write_columns(
                out,
                &["waited", "share of leads", "reached on that first touch"],
                &rows,
            )?;
            if first.skipped > 0.0 {
                writeln!(
                    out,
                    "({} of inbound leads were skipped by their rep: cherry-picking)",
                    percent(first.skipped)
                )?;
            }
        }
        let b = &self.backlog_at_end;
        writeln!(
            out,
            "\nOverdue touches at the horizon's end: mean {}, P05 {}, P95 {}",
            readable(b.mean),
            readable(b.p05),
            readable(b.p95)
        )?;
        self.write_time_and_territory(out)?;
        if let Some(people) = &self.people {
            write_people(out, people)?;
        }
        if let Some(n) = &self.nurture_responses {
            writeln!(
                out,
                "Conversations from nurture: mean {} (P05 {}, P95 {})",
                readable(n.mean),
                readable(n.p05),
                readable(n.p95)
            )?;
        }
        if !self.conversations_by_touch.is_empty() {
            writeln!(
                out,
                "\nFirst conversations by touch of the cadence (nurture aside; the same shares \
                 among leads that convert)"
            )?;
            let rows: Vec<[String; 3]> = self
                .conversations_by_touch
                .iter()
                .map(|t| [t.touch.to_string(), percent(t.share), percent(t.cumulative)])
                .collect();
            write_columns(out, &["touch", "share", "by this touch"], &rows)?;
        }
        writeln!(out, "\nPer rep ({}; means over replications)", self.routing)?;
        let rows: Vec<[String; 6]> = self
            .reps
            .iter()
            .map(|r| {
                [
                    r.name.clone(),
                    readable(r.touches.mean),
                    readable(r.conversations.mean),
                    readable(r.appointments_set.mean),
                    readable(r.prospecting_hours.mean),
                    r.penetration
                        .map_or("-".to_string(), |p| format!("{}%", readable(p))),
                ]
            })
            .collect();
        write_columns(
            out,
            &[
                "rep",
                "touches",
                "conversations",
                "appointments set",
                "hours",
                "penetration of own leads",
            ],
            &rows,
        )?;
        if self.routing == crate::scenario::RoutingMode::SharedPool.name() {
            writeln!(
                out,
                "(a shared pool owns every lead: penetration is the team's, above)"
            )?;
        }
        Ok(())
    }
}

impl TeamReport {
    /// The territory's use and the prospecting hours left unused.
    fn write_time_and_territory(&self, out: &mut dyn Write) -> io::Result<()> {
        if let Some(t) = &self.territory {
            let refill = if t.refill_per_month > 0 {
                format!(", {} more each month", readable(t.refill_per_month as f64))
            } else {
                String::new()
            };
            write!(
                out,
                "Territory: {} accounts{refill}; {} started (mean)",
                readable(t.accounts as f64),
                readable(t.accounts_started.mean)
            )?;
            match t.used_up_median_week {
                Some(week) => writeln!(
                    out,
                    "; used up in {} of replications, by week {} (median): from then on, spare \
                     time goes to follow-ups, or stays unused",
                    percent(t.used_up_share),
                    readable(week)
                )?,
                None => writeln!(out, "; never used up")?,
            }
        }
        let unused = &self.unused_prospecting_hours;
        writeln!(
            out,
            "Prospecting hours unused: mean {} of {} ({}; P05 {}, P95 {})",
            readable(unused.mean),
            readable(self.capacity_hours),
            percent(unused.mean / self.capacity_hours.max(f64::MIN_POSITIVE)),
            readable(unused.p05),
            readable(unused.p95)
        )
    }
}

/// Each touch's share of first conversations, and the cumulative share; none when no touch
/// made one.
fn by_touch(counts: &[u64]) -> Vec<TouchConversations> {
    let total: u64 = counts.iter().sum();
    if total == 0 {
        return Vec::new();
    }
    let mut so_far = 0;
    counts
        .iter()
        .enumerate()
        .map(|(k, &count)| {
            so_far += count;
            TouchConversations {
                touch: k + 1,
                share: count as f64 / total as f64,
                cumulative: so_far as f64 / total as f64,
            }
        })
        .collect()
}

/// What turnover did to the seats, in a sentence.
pub(super) fn write_people(out: &mut dyn Write, people: &PeopleSummary) -> io::Result<()> {
    writeln!(
        out,
        "People ([people]; means per replication): {} rep(s) left, {} hire(s) never ramped up, \
         {} replacement hire(s); the seats were filled {} of the weeks.",
        readable(people.left),
        readable(people.never_ramped),
        readable(people.rehires),
        percent(people.filled_share)
    )
}

fn percent(share: f64) -> String {
    format!("{}%", readable(100.0 * share))
}
