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
use crate::scenario::Channel;
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
pub enum Quantity {
    Total(Metric),
    PerHundredLeads(Metric),
    PerHundredHours(Metric),
}

impl Quantity {
    /// Every compared quantity, in output order.
    pub fn all() -> Vec<Quantity> {
        let per_lead = Metric::ALL
            .iter()
            .filter(|m| m.scales_with_leads() && **m != Metric::Leads);
        Metric::ALL
            .iter()
            .map(|&m| Quantity::Total(m))
            .chain(per_lead.map(|&m| Quantity::PerHundredLeads(m)))
            .chain(
                PER_HOUR_METRICS
                    .iter()
                    .map(|&m| Quantity::PerHundredHours(m)),
            )
            .collect()
    }

    pub fn name(self) -> String {
        match self {
            Quantity::Total(m) => m.name().to_string(),
            Quantity::PerHundredLeads(m) => format!("{}_per_100_leads", m.name()),
            Quantity::PerHundredHours(m) => format!("{}_per_100_hours", m.name()),
        }
    }

    /// The quantity's value in each replication.
    pub fn values(self, samples: &Samples) -> Vec<f64> {
        match self {
            Quantity::Total(m) => samples.get(m).values().to_vec(),
            Quantity::PerHundredLeads(m) => per_hundred(samples, m, Metric::Leads),
            Quantity::PerHundredHours(m) => per_hundred(samples, m, Metric::ProspectingHours),
        }
    }
}

/// 100 × `metric` / `base`, replication by replication (0 where the base is 0).
fn per_hundred(samples: &Samples, metric: Metric, base: Metric) -> Vec<f64> {
    samples
        .get(metric)
        .values()
        .iter()
        .zip(samples.get(base).values())
        .map(|(v, b)| if *b > 0.0 { 100.0 * v / b } else { 0.0 })
        .collect()
}

/// A variant's quantity minus the baseline's, with 95% intervals of the mean difference.
#[derive(Debug, Clone, PartialEq)]
pub struct Difference {
    pub quantity: Quantity,
    pub mean: f64,
    /// From the replication-by-replication differences (common random numbers).
    pub ci95: [f64; 2],
    /// As if the variants had been run on independent random numbers.
    pub unpaired_ci95: [f64; 2],
}

/// Compares `variant` against `baseline`, replication by replication.
pub fn difference(quantity: Quantity, baseline: &Samples, variant: &Samples) -> Difference {
    let a = quantity.values(baseline);
    let b = quantity.values(variant);
    let n = a.len().min(b.len());
    let mut paired = Sample::with_capacity(n);
    let (mut sa, mut sb) = (Sample::with_capacity(n), Sample::with_capacity(n));
    for (x, y) in a.iter().zip(&b) {
        paired.push(y - x);
        sa.push(*x);
        sb.push(*y);
    }
    let mean = paired.moments().mean();
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

impl TouchAnalysis {
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
