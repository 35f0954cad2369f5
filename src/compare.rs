//! `compare`: strategies side by side on common random numbers.
//!
//! Every variant is simulated from the same streams (seed, replication), so replication r of
//! each variant works the same leads: a lead's first-conversation touch is drawn by inversion
//! from the same uniform number under each variant's own distribution, so a lead that is hard
//! to reach is hard to reach in every variant. Differences are taken replication by
//! replication, which removes the luck the variants share and narrows the intervals. The
//! touch-level analysis (what each touch of a cadence brings and costs) is exact, from the
//! closed forms.

use statrs::distribution::{ContinuousCDF, StudentsT};

use crate::engine::LeadModel;
use crate::scenario::{Channel, Scenario};
use crate::stats::{Metric, Sample, Samples};

/// Funnel metrics also compared per 100 prospecting hours.
pub const PER_HOUR_METRICS: [Metric; 5] = [
    Metric::Contacts,
    Metric::AppointmentsSet,
    Metric::AppointmentsHeld,
    Metric::Opportunities,
    Metric::Deals,
];

/// A quantity compared between variants: a metric, or a metric per 100 prospecting hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compared {
    Total(Metric),
    PerHundredLeads(Metric),
    PerHundredHours(Metric),
}

impl Compared {
    /// Every compared quantity, in output order.
    pub fn all() -> Vec<Compared> {
        let per_lead = Metric::ALL
            .iter()
            .filter(|m| m.scales_with_leads() && **m != Metric::Leads);
        Metric::ALL
            .iter()
            .map(|&m| Compared::Total(m))
            .chain(per_lead.map(|&m| Compared::PerHundredLeads(m)))
            .chain(
                PER_HOUR_METRICS
                    .iter()
                    .map(|&m| Compared::PerHundredHours(m)),
            )
            .collect()
    }

    pub fn name(self) -> String {
        match self {
            Compared::Total(m) => m.name().to_string(),
            Compared::PerHundredLeads(m) => format!("{}_per_100_leads", m.name()),
            Compared::PerHundredHours(m) => format!("{}_per_100_hours", m.name()),
        }
    }

    /// The metric counted.
    pub fn metric(self) -> Metric {
        self.parts().0
    }

    /// The metric counted, and what it is counted per (100 leads or 100 hours), if anything.
    fn parts(self) -> (Metric, Option<Metric>) {
        match self {
            Compared::Total(m) => (m, None),
            Compared::PerHundredLeads(m) => (m, Some(Metric::Leads)),
            Compared::PerHundredHours(m) => (m, Some(Metric::ProspectingHours)),
        }
    }

    /// The estimate over replications: the mean of a total; for a rate, 100 × the ratio of the
    /// means (the mean of per-replication ratios would depend on the cohort's size).
    pub fn estimate(self, samples: &Samples) -> f64 {
        let (metric, base) = self.parts();
        let mean = samples.get(metric).moments().mean();
        match base {
            None => mean,
            Some(base) => ratio(100.0 * mean, samples.get(base).moments().mean()),
        }
    }

    /// Per-replication values whose spread gives the estimate's standard error: the values
    /// themselves for a total; for a rate, its linearisation (the delta method).
    fn influence(self, samples: &Samples) -> Vec<f64> {
        let (metric, base) = self.parts();
        let values = samples.get(metric).values();
        let Some(base) = base else {
            return values.to_vec();
        };
        let rate = self.estimate(samples) / 100.0;
        let base_mean = samples.get(base).moments().mean();
        values
            .iter()
            .zip(samples.get(base).values())
            .map(|(y, x)| ratio(100.0 * (y - rate * x), base_mean))
            .collect()
    }

    /// The estimate with its 95% interval.
    pub fn interval(self, samples: &Samples) -> (f64, f64, f64) {
        let estimate = self.estimate(samples);
        let spread: Sample = self.influence(samples).into_iter().collect();
        let n = spread.moments().count() as f64;
        let half = t_975(n - 1.0) * (spread.moments().variance() / n).sqrt();
        (estimate, estimate - half, estimate + half)
    }
}

/// x / y, or 0 where y is 0 (no hours, no leads: nothing to count per).
fn ratio(x: f64, y: f64) -> f64 {
    if y > 0.0 { x / y } else { 0.0 }
}

/// A variant's quantity minus the baseline's, with 95% intervals of the mean difference.
#[derive(Debug, Clone, PartialEq)]
pub struct Difference {
    pub quantity: Compared,
    pub mean: f64,
    /// From the replication-by-replication differences (common random numbers).
    pub ci95: [f64; 2],
    /// As if the variants had been run on independent random numbers.
    pub unpaired_ci95: [f64; 2],
}

/// Compares `variant` against `baseline`, replication by replication.
pub fn difference(quantity: Compared, baseline: &Samples, variant: &Samples) -> Difference {
    let a = quantity.influence(baseline);
    let b = quantity.influence(variant);
    let n = a.len().min(b.len());
    let paired: Sample = a.iter().zip(&b).map(|(x, y)| y - x).collect();
    let (sa, sb): (Sample, Sample) = (a.into_iter().collect(), b.into_iter().collect());
    let mean = quantity.estimate(variant) - quantity.estimate(baseline);
    let t = t_975(n as f64 - 1.0);
    let half = t * (paired.moments().variance() / n as f64).sqrt();
    let unpaired_half = t * ((sa.moments().variance() + sb.moments().variance()) / n as f64).sqrt();
    Difference {
        quantity,
        mean,
        ci95: [mean - half, mean + half],
        unpaired_ci95: [mean - unpaired_half, mean + unpaired_half],
    }
}

fn t_975(df: f64) -> f64 {
    StudentsT::new(0.0, 1.0, df.max(1.0))
        .map(|t| t.inverse_cdf(0.975))
        .unwrap_or(1.959_963_984_540_054)
}

/// What one touch of a cadence brings and costs, per 100 leads, exactly.
#[derive(Debug, Clone, PartialEq)]
pub struct TouchYield {
    /// 1-based touch number.
    pub touch: usize,
    pub day: u32,
    pub channel: Channel,
    /// Touches made (leads still worked at this touch).
    pub touches: f64,
    pub conversations: f64,
    /// Share of the cadence's conversations reached by this touch, cumulative.
    pub cumulative_share: f64,
    pub appointments: f64,
    pub deals: f64,
    pub hours: f64,
    /// Appointments per prospecting hour spent on this touch.
    pub appointments_per_hour: f64,
}

/// The touch-by-touch analysis of one cadence.
#[derive(Debug, Clone, PartialEq)]
pub struct TouchAnalysis {
    pub touches: Vec<TouchYield>,
    /// Appointments per prospecting hour over the whole cadence.
    pub average_appointments_per_hour: f64,
    /// Where touches fall below the cadence's average yield for good.
    pub below_average: Cutoff,
    /// Appointments per hour that pay for an hour, when a value and a cost are given.
    pub break_even_appointments_per_hour: Option<f64>,
    /// Where touches stop paying for their time, when a value and a cost are given.
    pub below_break_even: Option<Cutoff>,
}

/// Where a cadence's touches fall below a yield for good, and the dips before.
#[derive(Debug, Clone, PartialEq)]
pub struct Cutoff {
    /// The last touch (1-based) yielding at least the threshold: every later touch yields less
    /// (0 when no touch reaches it).
    pub last_worth_it: usize,
    /// Touches before that one that yield less (1-based).
    pub dips: Vec<usize>,
}

impl Cutoff {
    fn find(touches: &[TouchYield], threshold: f64) -> Cutoff {
        let worth = |t: &TouchYield| t.appointments_per_hour >= threshold;
        let last_worth_it = touches.iter().rposition(worth).map_or(0, |k| k + 1);
        let dips = touches[..last_worth_it]
            .iter()
            .filter(|t| !worth(t))
            .map(|t| t.touch)
            .collect();
        Cutoff {
            last_worth_it,
            dips,
        }
    }
}

/// What one channel's touches of a cadence bring and cost, per 100 leads.
#[derive(Debug, Clone, PartialEq)]
pub struct ChannelYield {
    pub channel: Channel,
    pub touches: f64,
    pub conversations: f64,
    pub appointments: f64,
    pub deals: f64,
    pub hours: f64,
}

impl TouchAnalysis {
    /// The touches summed by channel, in the order channels first appear in the cadence.
    pub fn by_channel(&self) -> Vec<ChannelYield> {
        let mut channels: Vec<ChannelYield> = Vec::new();
        for t in &self.touches {
            let at = match channels.iter().position(|c| c.channel == t.channel) {
                Some(at) => at,
                None => {
                    channels.push(ChannelYield {
                        channel: t.channel,
                        touches: 0.0,
                        conversations: 0.0,
                        appointments: 0.0,
                        deals: 0.0,
                        hours: 0.0,
                    });
                    channels.len() - 1
                }
            };
            let c = &mut channels[at];
            c.touches += t.touches;
            c.conversations += t.conversations;
            c.appointments += t.appointments;
            c.deals += t.deals;
            c.hours += t.hours;
        }
        channels
    }

    /// Whether the per-touch closed forms describe a run of `scenario` (`calendar`: a team's
    /// calendar): they describe a cohort of one cadence, and a team's inbound leads and
    /// individual reps change what a touch brings, while segments each have their own cadence.
    pub fn applies(scenario: &Scenario, calendar: bool) -> bool {
        let individual = scenario.leads.source.has_arrivals() || !scenario.team.members.is_empty();
        scenario.leads.segments.is_empty() && !(calendar && individual)
    }

    /// The analysis of `scenario`'s cadence when it [applies](TouchAnalysis::applies).
    pub fn of(
        scenario: &Scenario,
        calendar: bool,
        value_and_cost: Option<(f64, f64)>,
    ) -> Option<Self> {
        TouchAnalysis::applies(scenario, calendar)
            .then(|| TouchAnalysis::new(&LeadModel::new(scenario), value_and_cost))
    }

    /// The analysis of `lead`'s cadence; with the value of an appointment and the cost of an
    /// hour, also where touches stop paying.
    pub fn new(lead: &LeadModel, value_and_cost: Option<(f64, f64)>) -> Self {
        let s = lead.survival();
        let mix = lead.give_up();
        let f = lead.funnel();
        let total_contacts = mix.contact_probability(s);
        let mut cumulative = 0.0;
        let touches: Vec<TouchYield> = lead
            .touches()
            .iter()
            .enumerate()
            .map(|(k, planned)| {
                let made = 100.0 * mix.expected_over_touches(s, |j| f64::from(u8::from(j == k)));
                let conversations = 100.0 * mix.contact_at(s, k);
                cumulative += conversations;
                let appointments = conversations * f.appointment;
                let minutes = made * planned.minutes
                    + conversations * planned.conversation_minutes
                    + appointments * lead.booking_minutes();
                let hours = minutes / 60.0;
                TouchYield {
                    touch: k + 1,
                    day: planned.day,
                    channel: planned.channel,
                    touches: made,
                    conversations,
                    cumulative_share: if total_contacts > 0.0 {
                        cumulative / (100.0 * total_contacts)
                    } else {
                        0.0
                    },
                    appointments,
                    deals: conversations * f.deals_per_conversation(),
                    hours,
                    appointments_per_hour: if hours > 0.0 {
                        appointments / hours
                    } else {
                        0.0
                    },
                }
            })
            .collect();
        let total_hours: f64 = touches.iter().map(|t| t.hours).sum();
        let total_appointments: f64 = touches.iter().map(|t| t.appointments).sum();
        let average = if total_hours > 0.0 {
            total_appointments / total_hours
        } else {
            0.0
        };
        let break_even = value_and_cost.map(|(value, cost)| cost / value);
        TouchAnalysis {
            below_average: Cutoff::find(&touches, average),
            below_break_even: break_even.map(|b| Cutoff::find(&touches, b)),
            average_appointments_per_hour: average,
            break_even_appointments_per_hour: break_even,
            touches,
        }
    }
}
