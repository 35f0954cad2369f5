//! How a plan is shown: the KPI card, the reverse funnel, JSON (docs/model.md) and CSV.

use std::io::{self, Write};

use serde::Serialize;
use serde::ser::SerializeMap;

use super::csv_out::{self, Cell, Column};
use super::money::write_money;
use super::team::write_people;
use super::uncertainty::heading;
use super::{NONE, NoChart, Report, readable, write_columns, year_fan};
use crate::chart::{ChanceChart, FanChart, PlanChart};
use crate::engine::PeopleSummary;
use crate::money::{IncomeGoal, Money};
use crate::plan::{
    AtConfidence, AtLevel, ChanceAt, ChannelTouches, DrawnPlan, FunnelStep, HireChoice, Period,
    RepPlan, ReverseFunnel, Round, SegmentPlan, Target, TerritoryUse,
};
use crate::stats::WeeklySeries;

/// Everything `plan` found.
#[derive(Debug, Clone)]
pub struct PlanReport {
    pub scenario: String,
    pub seed: u64,
    pub replications: u64,
    pub reps: u32,
    pub weeks: u32,
    pub working_weeks: u32,
    pub working_days_per_week: u32,
    pub ramp_weeks: f64,
    /// The most hours a working day holds (`team.workday_hours`).
    pub workday_hours: f64,
    /// (start, end) of each span of weeks off.
    pub weeks_off: Vec<(f64, f64)>,
    pub target: Target,
    pub expected: ReverseFunnel,
    pub at_confidence: AtConfidence,
    pub search: Vec<Round>,
    /// The plan with the scenario's `[uncertainty]` drawn, when it has one: the keys drawn and
    /// what the search found.
    pub drawn: Option<(Vec<String>, DrawnPlan)>,
    /// When a rep short of the plan would be told from bad luck (`plan --tell`).
    pub when_to_tell: Option<crate::track::WhenToTell>,
    /// The rep's own income the goal was stated as (`plan --income`).
    pub income: Option<IncomeGoal>,
    /// The team as it is against one more rep (`plan --one-more-hire`).
    pub hires: Option<HireChoice>,
}

impl PlanReport {
    /// The most prospecting hours a working week holds, per rep.
    fn max_hours_per_week(&self) -> f64 {
        self.workday_hours * f64::from(self.working_days_per_week)
    }

    fn write_funnel_table(&self, out: &mut dyn Write) -> io::Result<()> {
        let header: Vec<String> = std::iter::once(String::new())
            .chain(Period::ALL.map(|period| period.name().replace('_', " ")))
            .collect();
        let rows: Vec<Vec<String>> = self
            .expected
            .lines()
            .map(|step| {
                std::iter::once(step.name().to_string())
                    .chain(Period::ALL.map(|period| readable(self.expected.per(step, period))))
                    .collect()
            })
            .collect();
        write_columns(out, &header, &rows)
    }

    /// The plan at confidence, or why the goal is out of reach.
    fn write_answer(&self, out: &mut dyn Write, answer: &AtConfidence) -> io::Result<()> {
        let t = &self.target;
        match answer {
            AtConfidence::Plan(plan) => {
                let rates = self.expected_rates();
                let reps = f64::from(self.reps);
                let per_day = plan.hours_per_week / f64::from(self.working_days_per_week);
                writeln!(
                    out,
                    "The weekly KPIs, per rep (hours once ramped up; dials, leads and \
                     conversations averaged over the year, ramp included)"
                )?;
                let rows = [
                    [
                        "prospecting hours per week".to_string(),
                        format!(
                            "{}   ({} h a working day{})",
                            readable(plan.hours_per_week),
                            readable(per_day),
                            if plan.reps.iter().any(|r| r.own_hours) {
                                "; reps with hours of their own keep them"
                            } else {
                                ""
                            }
                        ),
                    ],
                    [
                        "first-time appointments per week".to_string(),
                        format!(
                            "{} set, {} held once ramped ({} and {} over the year)",
                            readable(plan.appointments_set_per_week_ramped / f64::from(self.reps)),
                            readable(plan.appointments_held_per_week_ramped / f64::from(self.reps)),
                            readable(plan.appointments_set_per_week / f64::from(self.reps)),
                            readable(plan.appointments_held_per_week / f64::from(self.reps))
                        ),
                    ],
                    [
                        "appointment -> opportunity".to_string(),
                        format!(
                            "{:.0}% of appointments held ({:.0}% of those set)",
                            rates.0 * 100.0,
                            rates.1 * 100.0
                        ),
                    ],
                    [
                        "dials per working day".to_string(),
                        readable(plan.dials_per_working_day / f64::from(self.reps)),
                    ],
                    [
                        "new leads per week".to_string(),
                        readable(plan.leads_per_week / f64::from(self.reps)),
                    ],
                    [
                        "conversations per week".to_string(),
                        readable(plan.contacts_per_week / f64::from(self.reps)),
                    ],
                ];
                for [name, value] in rows {
                    writeln!(out, "  {name:<34}{value}")?;
                }
                if let Some(territory) = &plan.territory {
                    writeln!(out, "  {:<34}{}", "territory", territory_line(territory))?;
                }
                for segment in &plan.segments {
                    writeln!(
                        out,
                        "  {:<34}{}",
                        format!("segment {}", segment.name),
                        segment_line(segment, reps)
                    )?;
                }
                writeln!(
                    out,
                    "\nAt these hours {:.1}% of simulated years reach the goal (asked: at least \
                     {:.0}%), counting the {}-week ramp, the weeks off and deals still in the \
                     sales cycle at year end.",
                    plan.probability * 100.0,
                    t.confidence * 100.0,
                    readable(self.ramp_weeks)
                )?;
                writeln!(
                    out,
                    "Deals in the year: P10 {}, median {}, P90 {}; revenue P10 {}, median {}, P90 {}.",
                    readable(plan.deals[0]),
                    readable(plan.deals[1]),
                    readable(plan.deals[2]),
                    readable(plan.revenue[0]),
                    readable(plan.revenue[1]),
                    readable(plan.revenue[2])
                )?;
                match plan.goal_likely_from_week {
                    Some(week) => writeln!(
                        out,
                        "The goal becomes more likely than not in week {week} of {}.",
                        self.weeks
                    )?,
                    None => writeln!(
                        out,
                        "The goal is not more likely than not by any week's end."
                    )?,
                }
                write_rep_cards(out, &plan.reps, t)?;
                if let Some(people) = &plan.people {
                    write_people(out, people)?;
                }
                if let Some(money) = &plan.money {
                    write_money(out, money)?;
                }
                writeln!(
                    out,
                    "\nProspecting hours per week per rep for each chance of the goal (each \
                     simulated year's fewest hours that reach it, to {} h):",
                    readable(crate::plan::HOURS_TOLERANCE)
                )?;
                for level in &plan.curve {
                    let hours = match level.hours_per_week {
                        Some(hours) => readable(hours),
                        None => format!(
                            "out of reach (more than {} h)",
                            readable(self.max_hours_per_week())
                        ),
                    };
                    let own = if level.confidence == t.confidence {
                        "   (the plan)"
                    } else {
                        ""
                    };
                    writeln!(out, "  {:>4.0}%  {hours}{own}", level.confidence * 100.0)?;
                }
            }
            AtConfidence::Unreachable(short) => {
                writeln!(
                    out,
                    "This goal cannot be reached with {:.0}% confidence.",
                    t.confidence * 100.0
                )?;
                writeln!(
                    out,
                    "At the most a working week holds ({} prospecting hours per rep), {:.1}% of \
                     simulated years reach it; with {:.0}% confidence the team reaches {} {}.",
                    readable(short.max_hours_per_week),
                    short.probability_at_max * 100.0,
                    t.confidence * 100.0,
                    readable(short.deals_at_confidence),
                    if short.deals_at_confidence == 1.0 {
                        "deal"
                    } else {
                        "deals"
                    }
                )?;
                for reason in &short.reasons {
                    writeln!(out, "  - {reason}")?;
                }
            }
        }
        Ok(())
    }

    /// A plan's answer as `at_confidence` JSON; `None` when the goal is out of reach.
    fn at_confidence_json(&self, answer: &AtConfidence) -> Option<AtConfidenceJson> {
        let t = &self.target;
        // Weekly figures per rep, like the hours; the expected funnel is the team's.
        let reps = f64::from(self.reps);
        match answer {
            AtConfidence::Plan(plan) => Some(AtConfidenceJson {
                confidence: t.confidence,
                prospecting_hours_per_week: plan.hours_per_week,
                leads_per_week: plan.leads_per_week / reps,
                appointments_set_per_week: plan.appointments_set_per_week / reps,
                appointments_held_per_week: plan.appointments_held_per_week / reps,
                appointments_set_per_week_ramped: plan.appointments_set_per_week_ramped / reps,
                appointments_held_per_week_ramped: plan.appointments_held_per_week_ramped / reps,
                probability_of_goal: plan.probability,
                contacts_per_week: plan.contacts_per_week / reps,
                dials_per_working_day: plan.dials_per_working_day / reps,
                deals: Quantiles::from(plan.deals),
                revenue: Quantiles::from(plan.revenue),
                goal_likely_from_week: plan.goal_likely_from_week,
                territory: plan.territory,
                segments: plan
                    .segments
                    .iter()
                    .map(|segment| SegmentPlan {
                        leads_per_week: segment.leads_per_week / reps,
                        appointments_set_per_week: segment.appointments_set_per_week / reps,
                        prospecting_hours_per_week: segment.prospecting_hours_per_week / reps,
                        ..segment.clone()
                    })
                    .collect(),
                curve: plan.curve.iter().map(LevelJson::from).collect(),
                chance_by_hours: plan.chance_by_hours.clone(),
                money: plan.money.clone(),
                people: plan.people,
                reps: plan.reps.clone(),
            }),
            AtConfidence::Unreachable(_) => None,
        }
    }

    /// Opportunities per appointment held, and per appointment set.
    fn expected_rates(&self) -> (f64, f64) {
        let e = &self.expected;
        let opportunities = e.per_year(FunnelStep::Opportunities);
        (
            opportunities / e.per_year(FunnelStep::AppointmentsHeld),
            opportunities / e.per_year(FunnelStep::AppointmentsSet),
        )
    }
}

impl Report for PlanReport {
    /// Cumulative deals by week at the planned hours.
    type Chart = PlanChart;

    /// The KPI card, the plan at confidence and the expected reverse funnel.
    fn write_text(&self, out: &mut dyn Write) -> io::Result<()> {
        let t = &self.target;
        let revenue = t
            .revenue
            .map(|r| format!(" (revenue {})", readable(r)))
            .unwrap_or_default();
        writeln!(out, "{}", self.scenario)?;
        writeln!(
            out,
            "Goal: {} deals{revenue} in {} weeks ({} worked), with {:.0}% confidence; {} rep(s). \
             {} simulated years, seed {}.\n",
            readable(t.deals),
            self.weeks,
            self.working_weeks,
            t.confidence * 100.0,
            self.reps,
            readable(self.replications as f64),
            self.seed
        )?;
        if let Some(goal) = &self.income {
            writeln!(
                out,
                "The rep's own goal: an income of {} in the year, {} base pay and {}% commission \
                 on {} of revenue.\n",
                readable(goal.income),
                readable(goal.base_salary),
                readable(100.0 * goal.commission_rate),
                readable(goal.revenue)
            )?;
        }
        self.write_answer(out, &self.at_confidence)?;
        if let Some(hires) = &self.hires {
            write_hires(out, hires, self.replications)?;
        }
        if let Some(tell) = &self.when_to_tell {
            super::track::write_when_to_tell(tell, out)?;
        }
        if let Some((keys, drawn)) = &self.drawn {
            writeln!(out, "\n{}", heading(keys))?;
            if let (Some(p), Some(hours)) = (
                drawn.probability_at_luck_hours,
                self.at_confidence.hours_per_week(),
            ) {
                writeln!(
                    out,
                    "The plan above, {} h a week, reaches the goal in {:.1}% of simulated years \
                     once the numbers are drawn.",
                    readable(hours),
                    p * 100.0
                )?;
            }
            self.write_answer(out, &drawn.answer)?;
        }
        writeln!(
            out,
            "\nThe expected reverse funnel (steady state: no ramp, no weeks lost to the sales \
             cycle)"
        )?;
        self.write_funnel_table(out)?;
        writeln!(
            out,
            "\nThe search: {}",
            trace(&self.search, self.replications)
        )?;
        match &self.drawn {
            Some((_, drawn)) => {
                writeln!(
                    out,
                    "With parameter uncertainty: {}",
                    trace(&drawn.search, self.replications)
                )
            }
            None => Ok(()),
        }
    }

    /// The JSON object of docs/model.md, with the search and any shortfall.
    fn json(&self) -> impl Serialize {
        let t = &self.target;
        let expected = ExpectedJson(&self.expected);
        PlanJson {
            scenario: &self.scenario,
            seed: self.seed,
            replications: self.replications,
            goal: GoalJson {
                reps: self.reps,
                deals: t.deals,
                revenue: t.revenue,
                confidence: t.confidence,
                weeks: self.weeks,
                working_weeks: self.working_weeks,
            },
            expected,
            at_confidence: self.at_confidence_json(&self.at_confidence),
            unreachable: unreachable_json(&self.at_confidence),
            search: search_json(&self.search),
            when_to_tell: self.when_to_tell.as_ref(),
            income: self.income.as_ref(),
            one_more_hire: self.hires.as_ref(),
            with_uncertainty: self.drawn.as_ref().map(|(keys, drawn)| DrawnPlanJson {
                drawn: keys,
                probability_of_goal_at_luck_alone_hours: drawn.probability_at_luck_hours,
                at_confidence: self.at_confidence_json(&drawn.answer),
                unreachable: unreachable_json(&drawn.answer),
                search: search_json(&drawn.search),
            }),
        }
    }
    /// The expected reverse funnel, one row per line with a column per period.
    fn write_csv(&self, out: &mut dyn Write) -> io::Result<()> {
        let columns: Vec<Column<FunnelStep>> =
            std::iter::once(Column::new("metric", |step: &FunnelStep| {
                Cell::Text(step.name().to_string())
            }))
            .chain(Period::ALL.map(|period| {
                Column::new(period.name(), move |&step| {
                    Cell::Number(self.expected.per(step, period))
                })
            }))
            .collect();
        csv_out::write_columns(out, &columns, self.expected.lines())
    }

    fn chart(&self) -> Result<PlanChart, NoChart> {
        let AtConfidence::Plan(plan) = &self.at_confidence else {
            return Err(NoChart(
                "no plan reaches the goal, so there is nothing to chart (see the explanation \
                 above with --chart left out)"
                    .into(),
            ));
        };
        let goal = self.target.deals;
        let chance = ChanceChart {
            title: "The chance of the goal against the prospecting hours a week".into(),
            subtitle: format!(
                "{}: each of {} simulated years' fewest hours that reach {} deals, on the \
                 same random numbers",
                self.scenario,
                readable(self.replications as f64),
                readable(goal)
            ),
            bounds: plan
                .chance_by_hours
                .iter()
                .map(|c| (c.hours_per_week, c.at_least, c.at_most))
                .collect(),
            levels: plan
                .curve
                .iter()
                .filter_map(|l| l.hours_per_week.map(|h| (l.confidence, h)))
                .collect(),
            plan: (self.target.confidence, plan.hours_per_week),
        };
        let fan = FanChart {
            y_label: "deals closed, cumulative".into(),
            weeks: plan.timeline.series(WeeklySeries::CumulativeDeals),
            cumulative: true,
            goal: Some((goal, format!("goal ({})", readable(goal)))),
            ..year_fan(
                format!(
                    "Cumulative deals at {} prospecting hours a week",
                    readable(plan.hours_per_week)
                ),
                format!(
                    "{}: {} simulated years; {:.0}% reach the goal of {} deals",
                    self.scenario,
                    readable(self.replications as f64),
                    plan.probability * 100.0,
                    readable(goal)
                ),
                self.ramp_weeks,
                &self.weeks_off,
            )
        };
        Ok(PlanChart { chance, fan })
    }
}

/// "Hire one or two?": each team size's chance, deals and money at the same hours, and what
/// the extra rep adds year by year.
fn write_hires(out: &mut dyn Write, hires: &HireChoice, replications: u64) -> io::Result<()> {
    writeln!(
        out,
        "\nOne more hire? Each team at {} prospecting hours a week per rep, on the same {} \
         simulated years:",
        readable(hires.hours_per_week),
        readable(replications as f64)
    )?;
    let rows: Vec<Vec<String>> = hires
        .options
        .iter()
        .map(|option| {
            let [p10, p50, p90] = option.deals.map(readable);
            let money = option.money.as_ref();
            vec![
                option.reps.to_string(),
                format!("{}%", readable(100.0 * option.probability_of_goal)),
                format!("{p10} / {p50} / {p90}"),
                money.map_or(NONE.to_string(), |m| readable(m.cost.mean)),
                money.map_or(NONE.to_string(), |m| {
                    format!(
                        "{} ({} to {})",
                        readable(m.gross_margin.mean),
                        readable(m.gross_margin.p05),
                        readable(m.gross_margin.p95)
                    )
                }),
                option.people.map_or(NONE.to_string(), |p| {
                    format!("{}%", readable(100.0 * p.filled_share))
                }),
                money.and_then(|m| m.payback).map_or(NONE.to_string(), |p| {
                    p.months[1].map_or("past the horizon".to_string(), readable)
                }),
            ]
        })
        .collect();
    write_columns(
        out,
        &[
            "reps",
            "chance of the goal",
            "deals P10 / median / P90",
            "cost (mean)",
            "gross margin: mean (P05 to P95)",
            "seats filled",
            "months to pay back (median)",
        ],
        &rows,
    )?;
    let d = &hires.extra_deals;
    write!(
        out,
        "The extra rep adds {} deals in the year (mean; P05 {}, P95 {})",
        readable(d.mean),
        readable(d.p05),
        readable(d.p95)
    )?;
    match (&hires.extra_margin, hires.pays_for_itself) {
        (Some(m), Some(share)) => writeln!(
            out,
            " and {} of gross margin (P05 {}, P95 {}); they pay for themselves within the \
             horizon in {}% of years, ramp and turnover counted.",
            readable(m.mean),
            readable(m.p05),
            readable(m.p95),
            readable(100.0 * share)
        ),
        _ => writeln!(out, "; add [costs] for what each team costs and earns."),
    }
}

/// Why a plan's goal is out of reach, as JSON; `None` for a plan that reaches it.
fn unreachable_json(answer: &AtConfidence) -> Option<UnreachableJson> {
    match answer {
        AtConfidence::Unreachable(short) => Some(UnreachableJson {
            max_hours_per_week: short.max_hours_per_week,
            probability_at_max: short.probability_at_max,
            deals_at_confidence: short.deals_at_confidence,
            reasons: short.reasons.clone(),
        }),
        AtConfidence::Plan(_) => None,
    }
}

/// Every round of a search, as JSON.
fn search_json(search: &[Round]) -> Vec<SearchJson> {
    search
        .iter()
        .map(|round| SearchJson {
            years: round.years,
            hours_per_week: [round.hours_per_week.0, round.hours_per_week.1],
        })
        .collect()
}

/// A search's rounds in words: the years each simulated and at what hours (a run of all
/// `replications` years at one number of hours is the plan's, or the most a week holds).
fn trace(search: &[Round], replications: u64) -> String {
    let total: u64 = search.iter().map(|round| round.years).sum();
    let rounds: Vec<String> = search
        .iter()
        .map(|round| match round.hours_per_week {
            (low, high) if low == high && round.years == replications => {
                format!("every year at {} h", readable(low))
            }
            (low, high) if low == high => {
                format!("{} at {} h", readable(round.years as f64), readable(low))
            }
            (low, high) => format!(
                "{} at {}-{} h",
                readable(round.years as f64),
                readable(low),
                readable(high)
            ),
        })
        .collect();
    format!(
        "{} simulated years in {} round{}, each year at hours of its own: {}",
        readable(total as f64),
        search.len(),
        if search.len() == 1 { "" } else { "s" },
        rounds.join(", ")
    )
}

#[derive(Serialize)]
struct PlanJson<'a> {
    scenario: &'a str,
    seed: u64,
    replications: u64,
    goal: GoalJson,
    expected: ExpectedJson<'a>,
    at_confidence: Option<AtConfidenceJson>,
    unreachable: Option<UnreachableJson>,
    search: Vec<SearchJson>,
    /// When a rep short of the plan would be told from bad luck, with `--tell`.
    #[serde(skip_serializing_if = "Option::is_none")]
    when_to_tell: Option<&'a crate::track::WhenToTell>,
    /// The income the goal was stated as, with `--income`.
    #[serde(skip_serializing_if = "Option::is_none")]
    income: Option<&'a IncomeGoal>,
    /// The team as it is against one more rep, with `--one-more-hire`.
    #[serde(skip_serializing_if = "Option::is_none")]
    one_more_hire: Option<&'a HireChoice>,
    /// The plan with `[uncertainty]` drawn, when the scenario has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    with_uncertainty: Option<DrawnPlanJson<'a>>,
}

#[derive(Serialize)]
struct DrawnPlanJson<'a> {
    drawn: &'a [String],
    /// The chance of the goal at the hours of the plan on luck alone, the numbers drawn.
    probability_of_goal_at_luck_alone_hours: Option<f64>,
    at_confidence: Option<AtConfidenceJson>,
    unreachable: Option<UnreachableJson>,
    search: Vec<SearchJson>,
}

#[derive(Serialize)]
struct GoalJson {
    reps: u32,
    deals: f64,
    revenue: Option<f64>,
    confidence: f64,
    weeks: u32,
    working_weeks: u32,
}

#[derive(Serialize)]
struct AtConfidenceJson {
    confidence: f64,
    prospecting_hours_per_week: f64,
    leads_per_week: f64,
    appointments_set_per_week: f64,
    appointments_held_per_week: f64,
    appointments_set_per_week_ramped: f64,
    appointments_held_per_week_ramped: f64,
    probability_of_goal: f64,
    contacts_per_week: f64,
    dials_per_working_day: f64,
    deals: Quantiles,
    revenue: Quantiles,
    goal_likely_from_week: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    territory: Option<TerritoryUse>,
    /// Weekly figures per rep, revenue the team's year.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    segments: Vec<SegmentPlan>,
    /// The hours at each confidence.
    curve: Vec<LevelJson>,
    /// The chance of the goal against the hours, between the bounds the search proved.
    chance_by_hours: Vec<ChanceAt>,
    /// What the plan's year costs and earns, with `[costs]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    money: Option<Money>,
    /// What turnover did to the seats, with `[people]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    people: Option<PeopleSummary>,
    /// Each rep's KPI card, when the team has more than one rep.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    reps: Vec<RepPlan>,
}

/// Each rep's KPI card, one row each, and the team's total: what the plan asks of each rep,
/// from what each did in the plan's simulated years. The channels no rep uses are left out.
/// One figure of a rep's card.
type RepFigure<'a> = &'a dyn Fn(&RepPlan) -> f64;
/// A channel's touches a week.
type ChannelFigure = fn(&ChannelTouches) -> f64;

pub(super) fn write_rep_cards(
    out: &mut dyn Write,
    reps: &[RepPlan],
    target: &Target,
) -> io::Result<()> {
    if reps.is_empty() {
        return Ok(());
    }
    let channels: Vec<(&str, ChannelFigure)> = [
        (
            "calls",
            (|t: &ChannelTouches| t.call) as fn(&ChannelTouches) -> f64,
        ),
        ("voicemails", |t| t.voicemail),
        ("emails", |t| t.email),
        ("InMails", |t| t.inmail),
    ]
    .into_iter()
    .filter(|(_, of)| reps.iter().any(|r| of(&r.touches_per_week) > 0.0))
    .collect();
    let own = if reps.iter().any(|r| r.own_hours) {
        "; * their own hours, kept"
    } else {
        ""
    };
    let split = if reps.iter().all(|r| r.stated_share) {
        "the team's goal split by the shares stated in [[team.members]]"
    } else {
        "the team's goal split by the deals each rep's hours, pace and skill bring in these \
         years"
    };
    writeln!(
        out,
        "\nEach rep's KPI card ({split}; weekly figures over the weeks worked, ramp included, \
         hours once ramped up{own})"
    )?;
    let goal_unit = if target.revenue.is_some() {
        "own goal (revenue)"
    } else {
        "own goal (deals)"
    };
    let header: Vec<String> = ["rep", "hours a week"]
        .into_iter()
        .chain(channels.iter().map(|(name, _)| *name))
        .chain([
            "dials a day",
            "conversations",
            "appointments set",
            "held",
            "deals",
            "share",
            goal_unit,
            "alone reaches it",
        ])
        .map(str::to_string)
        .collect();
    let goal = |r: &RepPlan| r.goal_revenue.unwrap_or(r.goal_deals);
    let row = |name: String, hours: String, of: &dyn Fn(RepFigure) -> f64| {
        let mut cells = vec![name, hours];
        cells.extend(
            channels
                .iter()
                .map(|(_, channel)| readable(of(&|r| channel(&r.touches_per_week)))),
        );
        cells.extend([
            readable(of(&|r| r.dials_per_working_day)),
            readable(of(&|r| r.conversations_per_week)),
            readable(of(&|r| r.appointments_set_per_week)),
            readable(of(&|r| r.appointments_held_per_week)),
            readable(of(&|r| r.deals)),
            format!("{:.0}%", of(&|r| r.share_of_goal) * 100.0),
            readable(of(&goal)),
        ]);
        cells
    };
    let mut rows: Vec<Vec<String>> = reps
        .iter()
        .map(|rep| {
            let own = if rep.own_hours { "*" } else { "" };
            let mut cells = row(
                rep.name.clone(),
                format!("{}{own}", readable(rep.hours_per_week)),
                &|f| f(rep),
            );
            cells.push(format!("{:.0}%", rep.probability_of_own_goal * 100.0));
            cells
        })
        .collect();
    let total = |f: RepFigure| reps.iter().map(f).sum::<f64>();
    let mut team = row(
        "team".to_string(),
        readable(total(&|r| r.hours_per_week)),
        &total,
    );
    team.push("-".to_string());
    rows.push(team);
    write_columns(out, &header, &rows)
}

/// A segment's line on the KPI card: its weekly leads, appointments and hours per rep averaged
/// over the year (ramp included, so the hours add up to less than the ramped-up hours), and
/// the team's revenue from it in the year with what an hour of it brings.
fn segment_line(segment: &SegmentPlan, reps: f64) -> String {
    format!(
        "{} leads, {} appointments set, {} h a week over the year; revenue {} in the year ({} \
         a prospecting hour)",
        readable(segment.leads_per_week / reps),
        readable(segment.appointments_set_per_week / reps),
        readable(segment.prospecting_hours_per_week / reps),
        readable(segment.revenue),
        readable(segment.revenue_per_prospecting_hour)
    )
}

/// The territory's accounts and how far the plan's hours get through them.
fn territory_line(t: &TerritoryUse) -> String {
    let refill = match t.refill_per_month {
        0 => String::new(),
        n => format!(" + {} a month", readable(n as f64)),
    };
    format!(
        "{} accounts{refill}: {} started over the year, used up in {:.0}% of years",
        readable(t.accounts as f64),
        readable(t.accounts_started),
        t.used_up_share * 100.0
    )
}

#[derive(Serialize)]
struct Quantiles {
    p10: f64,
    p50: f64,
    p90: f64,
}

impl From<[f64; 3]> for Quantiles {
    fn from([p10, p50, p90]: [f64; 3]) -> Self {
        Quantiles { p10, p50, p90 }
    }
}

#[derive(Serialize)]
struct UnreachableJson {
    max_hours_per_week: f64,
    probability_at_max: f64,
    deals_at_confidence: f64,
    reasons: Vec<String>,
}

#[derive(Serialize)]
struct SearchJson {
    /// Simulated years in the round.
    years: u64,
    /// The fewest and the most hours a week they ran at.
    hours_per_week: [f64; 2],
}

#[derive(Serialize)]
struct LevelJson {
    confidence: f64,
    /// `null` when even the most hours a week hold fall short.
    prospecting_hours_per_week: Option<f64>,
}

impl From<&AtLevel> for LevelJson {
    fn from(level: &AtLevel) -> Self {
        LevelJson {
            confidence: level.confidence,
            prospecting_hours_per_week: level.hours_per_week,
        }
    }
}

/// `{"per_year": {NAME: value}, "per_quarter": …}`, lines in funnel order.
struct ExpectedJson<'a>(&'a ReverseFunnel);

impl Serialize for ExpectedJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut periods = serializer.serialize_map(Some(Period::ALL.len()))?;
        for period in Period::ALL {
            periods.serialize_entry(period.name(), &PeriodJson(self.0, period))?;
        }
        periods.end()
    }
}

/// `{NAME: value}` of every line in one period.
struct PeriodJson<'a>(&'a ReverseFunnel, Period);

impl Serialize for PeriodJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let PeriodJson(funnel, period) = *self;
        let mut map = serializer.serialize_map(None)?;
        for step in funnel.lines() {
            map.serialize_entry(step.name(), &funnel.per(step, period))?;
        }
        map.end()
    }
}
