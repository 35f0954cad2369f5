//! The engine against the closed forms of docs/model.md, computed here independently (Beta
//! functions from statrs), and against a naive lead-by-lead simulation where no closed form
//! is simple (several channels, decay). Tolerances are 4.5 standard errors.

use callblitz::stats::{Metric, Samples};
use rand::{RngExt, SeedableRng};
use rand_distr::{Beta, Distribution};
use rand_xoshiro::Xoshiro256PlusPlus;
use statrs::function::beta::ln_beta;

use crate::common::{assert_within, run};

/// One closed-form case: a single call channel (response 1, no decay).
#[derive(Debug, Clone)]
pub(crate) struct Case {
    mean: f64,
    concentration: Option<f64>,
    unreachable: f64,
    attempts: usize,
    give_up: Vec<(usize, f64)>,
}

impl Case {
    pub(crate) fn new(
        mean: f64,
        concentration: Option<f64>,
        unreachable: f64,
        attempts: usize,
    ) -> Self {
        Case {
            mean,
            concentration,
            unreachable,
            attempts,
            give_up: Vec::new(),
        }
    }

    fn giving_up(mut self, give_up: &[(usize, f64)]) -> Self {
        self.give_up = give_up.to_vec();
        self
    }

    /// S(k) = u + (1 − u) · B(α, β + k) / B(α, β), or (1 − p)^k for a homogeneous population.
    fn survival(&self, k: usize) -> f64 {
        let reachable = match self.concentration {
            None => (1.0 - self.mean).powi(k as i32),
            Some(kappa) => {
                let (a, b) = (self.mean * kappa, (1.0 - self.mean) * kappa);
                (ln_beta(a, b + k as f64) - ln_beta(a, b)).exp()
            }
        };
        self.unreachable + (1.0 - self.unreachable) * reachable
    }

    /// (stopping point, share) with the rest running the whole cadence.
    fn stops(&self) -> Vec<(usize, f64)> {
        let rest = 1.0 - self.give_up.iter().map(|g| g.1).sum::<f64>();
        let mut stops: Vec<(usize, f64)> = self
            .give_up
            .iter()
            .map(|&(g, s)| (g.min(self.attempts), s))
            .collect();
        stops.push((self.attempts, rest));
        stops
    }

    /// P(conversation) = Σ_g share_g (1 − S(g)).
    pub(crate) fn contact_probability(&self) -> f64 {
        self.stops()
            .iter()
            .map(|&(g, share)| share * (1.0 - self.survival(g)))
            .sum()
    }

    /// E[touches] = Σ_g share_g Σ_{k<g} S(k).
    pub(crate) fn expected_touches(&self) -> f64 {
        self.stops()
            .iter()
            .map(|&(g, share)| share * (0..g).map(|k| self.survival(k)).sum::<f64>())
            .sum()
    }

    /// E[touches the cadence schedules] = Σ_{k<n} S(k), give-up aside.
    fn expected_planned(&self) -> f64 {
        (0..self.attempts).map(|k| self.survival(k)).sum()
    }

    fn scenario(&self, leads: u64, replications: u64, seed: u64) -> String {
        let reachability = match self.concentration {
            None => format!("{{ mean = {} }}", self.mean),
            Some(kappa) => format!("{{ mean = {}, concentration = {kappa} }}", self.mean),
        };
        let give_up: Vec<String> = self
            .give_up
            .iter()
            .map(|(after, share)| format!("{{ after = {after}, share = {share} }}"))
            .collect();
        format!(
            r#"
            [simulation]
            replications = {replications}
            seed = {seed}
            [leads]
            count = {leads}
            reachability = {reachability}
            unreachable = {unreachable}
            [cadence]
            attempts = {attempts}
            days = {attempts}
            [reps]
            give_up = [{give_up}]
            [channels.call]
            minutes = 0.75
            conversation_minutes = 1.5
            response = 1.0
            [funnel]
            appointment_rate = 0.25
            show_rate = 0.8
            opportunity_rate = 0.5
            win_rate = 0.25
            deal_size = 20000.0
            booking_minutes = 4.5
            "#,
            unreachable = self.unreachable,
            attempts = self.attempts,
            give_up = give_up.join(", "),
        )
    }
}

fn cases() -> Vec<Case> {
    vec![
        Case::new(0.1, None, 0.0, 3),
        Case::new(0.05, None, 0.0, 16),
        Case::new(0.3, None, 0.2, 8),
        Case::new(0.1, Some(10.0), 0.0, 3),
        Case::new(0.1, Some(10.0), 0.0, 16),
        Case::new(0.15, Some(3.0), 0.25, 10),
        Case::new(0.05, Some(1.0), 0.0, 20),
        Case::new(0.5, Some(50.0), 0.0, 4),
        Case::new(0.1, Some(10.0), 0.0, 16).giving_up(&[(3, 0.8)]),
        Case::new(0.2, Some(2.0), 0.1, 12).giving_up(&[(1, 0.3), (2, 0.2), (5, 0.3)]),
        Case::new(0.08, None, 0.4, 16).giving_up(&[(3, 0.5)]),
        Case::new(0.9, Some(20.0), 0.0, 5).giving_up(&[(1, 0.5)]),
        Case::new(0.02, Some(100.0), 0.0, 50).giving_up(&[(60, 0.5)]),
    ]
}

const LEADS: u64 = 1000;
const REPLICATIONS: u64 = 4000;

fn mean(samples: &Samples, metric: Metric) -> f64 {
    samples.get(metric).moments().mean()
}

fn standard_error(samples: &Samples, metric: Metric) -> f64 {
    let m = samples.get(metric).moments();
    (m.variance() / m.count() as f64).sqrt()
}

#[test]
fn closed_forms_reproduce_model_md_examples() {
    // docs/model.md: mean 0.1, κ = 10: 3 touches reach 25% with 2.718 touches per lead;
    // 16 touches reach 64% with 9.523.
    let three = Case::new(0.1, Some(10.0), 0.0, 3);
    assert!((three.contact_probability() - 0.25).abs() < 1e-12);
    assert_eq!((three.expected_touches() * 1000.0).round(), 2718.0);
    let sixteen = Case::new(0.1, Some(10.0), 0.0, 16);
    assert!((sixteen.contact_probability() - 0.64).abs() < 1e-12);
    assert_eq!((sixteen.expected_touches() * 1000.0).round(), 9523.0);
}

#[test]
fn contacts_and_touches_match_the_closed_forms() {
    for (i, case) in cases().iter().enumerate() {
        let (_, samples) = run(&case.scenario(LEADS, REPLICATIONS, 100 + i as u64));
        let what = |m: &str| format!("case {i} {case:?}: {m}");
        let n = LEADS as f64;
        let p = case.contact_probability();

        // Leads are independent, so contacts per replication are Binomial(N, p).
        let binomial_sd = (n * p * (1.0 - p)).sqrt();
        assert_within(
            &what("contacts"),
            mean(&samples, Metric::Contacts),
            n * p,
            binomial_sd / (REPLICATIONS as f64).sqrt(),
        );
        assert_within(
            &what("touches"),
            mean(&samples, Metric::Touches),
            n * case.expected_touches(),
            standard_error(&samples, Metric::Touches),
        );
        // Every touch is a call here.
        assert_eq!(
            samples.get(Metric::Dials).values(),
            samples.get(Metric::Touches).values()
        );

        // The spread over replications is that of independent leads: the sample variance of
        // R near-normal values has relative standard error √(2 / (R − 1)).
        if p > 0.0 && p < 1.0 {
            let variance = samples.get(Metric::Contacts).moments().variance();
            assert_within(
                &what("variance of contacts / binomial variance"),
                variance / (binomial_sd * binomial_sd),
                1.0,
                (2.0 / (REPLICATIONS as f64 - 1.0)).sqrt(),
            );
        }
    }
}

#[test]
fn funnel_stages_revenue_and_prospecting_time_match_the_closed_forms() {
    for (i, case) in [cases()[5].clone(), cases()[9].clone()].iter().enumerate() {
        let (_, samples) = run(&case.scenario(LEADS, REPLICATIONS, 200 + i as u64));
        let n = LEADS as f64;
        let p = case.contact_probability();
        // Thinning a binomial gives a binomial: each stage is Binomial(N, p · rates so far).
        let mut rate = p;
        for (metric, step) in [
            (Metric::AppointmentsSet, 0.25),
            (Metric::AppointmentsHeld, 0.8),
            (Metric::Opportunities, 0.5),
            (Metric::Deals, 0.25),
        ] {
            rate *= step;
            let se = (n * rate * (1.0 - rate) / REPLICATIONS as f64).sqrt();
            assert_within(metric.name(), mean(&samples, metric), n * rate, se);
        }
        assert_within(
            "revenue",
            mean(&samples, Metric::Revenue),
            n * rate * 20000.0,
            20000.0 * (n * rate * (1.0 - rate) / REPLICATIONS as f64).sqrt(),
        );
        // Minutes: 0.75 per touch, 1.5 per conversation, 4.5 more per appointment booked.
        let minutes_per_lead = 0.75 * case.expected_touches() + 1.5 * p + 4.5 * p * 0.25;
        assert_within(
            "prospecting_hours",
            mean(&samples, Metric::ProspectingHours),
            n * minutes_per_lead / 60.0,
            standard_error(&samples, Metric::ProspectingHours),
        );
    }
}

#[test]
fn penetration_is_touches_made_over_touches_planned() {
    let full = Case::new(0.1, Some(10.0), 0.0, 16);
    let (_, samples) = run(&full.scenario(LEADS, 200, 7));
    assert!(
        samples
            .get(Metric::Penetration)
            .values()
            .iter()
            .all(|&v| v == 100.0)
    );

    // With give-up, the ratio of the expected totals (its bias is O(1/N), far below the error
    // for 10,000 leads).
    let case = Case::new(0.1, Some(10.0), 0.0, 16).giving_up(&[(3, 0.8)]);
    let (_, samples) = run(&case.scenario(10_000, 2000, 8));
    assert_within(
        "penetration",
        mean(&samples, Metric::Penetration),
        100.0 * case.expected_touches() / case.expected_planned(),
        standard_error(&samples, Metric::Penetration),
    );
}

/// A multichannel cadence with decay, an unreachable share and give-up points.
const MULTICHANNEL: &str = r#"
[simulation]
replications = 2000
seed = 11
[leads]
count = 1000
reachability = { mean = 0.15, concentration = 3.0, decay = 0.92 }
unreachable = 0.25
[cadence]
touches = [
  { day = 0, channel = "call" }, { day = 0, channel = "email" },
  { day = 2, channel = "voicemail" }, { day = 4, channel = "call" },
  { day = 4, channel = "inmail" }, { day = 7, channel = "call" },
  { day = 9, channel = "voicemail" }, { day = 11, channel = "email" },
  { day = 14, channel = "call" }, { day = 16, channel = "call" },
]
[reps]
give_up = [ { after = 3, share = 0.5 }, { after = 7, share = 0.2 } ]
[channels.call]
minutes = 0.75
conversation_minutes = 1.5
response = 1.0
[channels.voicemail]
minutes = 1.25
conversation_minutes = 2.0
response = 0.95
[channels.email]
minutes = 3.0
conversation_minutes = 1.0
response = 0.2
[channels.inmail]
minutes = 4.0
conversation_minutes = 3.0
response = 0.3
[funnel]
appointment_rate = 0.12
booking_minutes = 4.5
"#;

/// Per-lead totals of the naive simulation: contacts, touches, dials, minutes, appointments.
#[derive(Default)]
struct Naive {
    sum: [f64; 5],
    sum_sq: [f64; 5],
    leads: f64,
}

/// Simulates leads one by one, touch by touch, with explicit Beta draws: the model as
/// docs/model.md states it, with none of the engine's shortcuts.
fn naive_multichannel(leads: u64) -> Naive {
    // is_dial: calls and voicemails (a voicemail is a dial that leaves a message).
    let (minutes, conversation, response, is_dial) = (
        [0.75, 3.0, 1.25, 0.75, 4.0, 0.75, 1.25, 3.0, 0.75, 0.75],
        [1.5, 1.0, 2.0, 1.5, 3.0, 1.5, 2.0, 1.0, 1.5, 1.5],
        [1.0, 0.2, 0.95, 1.0, 0.3, 1.0, 0.95, 0.2, 1.0, 1.0],
        [1.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0],
    );
    let beta = Beta::new(0.15 * 3.0, 0.85 * 3.0).unwrap();
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(12345);
    let mut naive = Naive::default();
    for _ in 0..leads {
        let p = if rng.random::<f64>() < 0.25 {
            0.0
        } else {
            beta.sample(&mut rng)
        };
        let u = rng.random::<f64>();
        let stop = if u < 0.5 {
            3
        } else if u < 0.7 {
            7
        } else {
            10
        };
        let mut lead = [0.0; 5];
        for k in 0..stop {
            lead[1] += 1.0;
            lead[2] += is_dial[k];
            lead[3] += minutes[k];
            if rng.random::<f64>() < p * response[k] * 0.92f64.powi(k as i32) {
                lead[0] = 1.0;
                lead[3] += conversation[k];
                if rng.random::<f64>() < 0.12 {
                    lead[4] = 1.0;
                    lead[3] += 4.5;
                }
                break;
            }
        }
        for ((sum, sum_sq), value) in naive.sum.iter_mut().zip(&mut naive.sum_sq).zip(lead) {
            *sum += value;
            *sum_sq += value * value;
        }
        naive.leads += 1.0;
    }
    naive
}

#[test]
fn multichannel_cadence_with_decay_matches_a_naive_simulation() {
    let (_, samples) = run(MULTICHANNEL);
    let naive = naive_multichannel(2_000_000);
    let metrics = [
        (Metric::Contacts, 1.0),
        (Metric::Touches, 1.0),
        (Metric::Dials, 1.0),
        (Metric::ProspectingHours, 60.0),
        (Metric::AppointmentsSet, 1.0),
    ];
    for (i, (metric, scale)) in metrics.into_iter().enumerate() {
        let engine_mean = mean(&samples, metric) * scale / 1000.0;
        let engine_se = standard_error(&samples, metric) * scale / 1000.0;
        let naive_mean = naive.sum[i] / naive.leads;
        let naive_var = naive.sum_sq[i] / naive.leads - naive_mean * naive_mean;
        let naive_se = (naive_var / naive.leads).sqrt();
        assert_within(
            &format!("{} per lead, engine vs naive", metric.name()),
            engine_mean,
            naive_mean,
            (engine_se * engine_se + naive_se * naive_se).sqrt(),
        );
    }
}
