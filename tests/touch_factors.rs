//! Touches likelier to reach than the one before: a touch's own response factor and a decay
//! above 1 (docs/model.md, "The lead model"). The survival stays exact, the engines agree with
//! it, runs do not depend on the thread count, and bad factors are refused.

use callblitz::engine::{CalendarModel, CohortModel, simulate_calendar};
use callblitz::reach::{GiveUpMix, Population, touch_chance};
use callblitz::scenario::{Override, Scenario, load_str};
use callblitz::stats::{Metric, Samples};

use crate::common::{
    assert_refused, assert_within, callblitz, on_threads, run, shipped, stdout_of, weekdays_of_log,
};

/// E[f(p)] over Beta(α, β) by the midpoint rule after p = u^(1/α), which takes the density's
/// p^(α−1) into the measure: ∫ f(p) Beta(p) dp = ∫₀¹ f(u^(1/α)) (1 − u^(1/α))^(β−1) du / (α B).
fn beta_expectation(alpha: f64, beta: f64, f: impl Fn(f64) -> f64) -> f64 {
    let n = 400_000;
    let norm = alpha * statrs::function::beta::beta(alpha, beta);
    (0..n)
        .map(|i| {
            let p = ((i as f64 + 0.5) / n as f64).powf(1.0 / alpha);
            f(p) * (1.0 - p).powf(beta - 1.0)
        })
        .sum::<f64>()
        / n as f64
        / norm
}

#[test]
fn touch_chance_agrees_at_one_grows_with_the_factor_and_stays_a_probability() {
    for p in [0.0, 0.01, 0.15, 0.5, 0.99, 1.0] {
        assert_eq!(touch_chance(p, 1.0), p);
        let just_above = touch_chance(p, 1.0 + 1e-9);
        assert!((just_above - p).abs() < 1e-8, "continuous at 1, p {p}");
        let chances: Vec<f64> = [0.0, 0.5, 1.0, 1.3, 2.0, 4.0]
            .iter()
            .map(|&c| touch_chance(p, c))
            .collect();
        assert!(chances.windows(2).all(|w| w[0] <= w[1]), "{chances:?}");
        assert!(chances.iter().all(|c| (0.0..=1.0).contains(c)));
    }
    // A factor of 2: two touches' worth, 1 − (1 − p)².
    assert!((touch_chance(0.3, 2.0) - 0.51).abs() < 1e-15);
    assert_eq!(
        touch_chance(0.0, 3.0),
        0.0,
        "an unreachable lead stays unreached"
    );
}

#[test]
fn survival_with_factors_above_and_below_one_matches_direct_integration() {
    // Factors below, at and above 1, whole and fractional, in no particular order.
    let factors = [0.95, 1.3, 0.2, 2.0, 1.0, 0.5, 3.7, 1.05];
    let touch_misses = |p: f64, k: usize| {
        factors[..k]
            .iter()
            .map(|&c| 1.0 - touch_chance(p, c))
            .product::<f64>()
    };
    // A wide population (α below 1, the cold-outbound shape) and a narrower one.
    for (mean, kappa) in [(0.15, 3.0), (2.0 / 7.0, 7.0)] {
        let population = Population {
            mean,
            concentration: Some(kappa),
            unreachable: 0.0,
        };
        let s = population.survival(&factors);
        let (alpha, beta) = population.shapes().unwrap();
        for (k, sk) in s.iter().enumerate() {
            let integral = beta_expectation(alpha, beta, |p| touch_misses(p, k));
            assert!(
                (sk - integral).abs() < 1e-7,
                "mean {mean}, κ {kappa}: S({k}) {sk} vs {integral}"
            );
        }
    }
    // Every lead alike: the plain product; the unreachable share mixes in linearly.
    let alike = Population {
        mean: 0.2,
        concentration: None,
        unreachable: 0.25,
    };
    let s = alike.survival(&factors);
    for (k, sk) in s.iter().enumerate() {
        let expected = 0.25 + 0.75 * touch_misses(0.2, k);
        assert!((sk - expected).abs() < 1e-15, "S({k}) {sk} vs {expected}");
    }
}

#[test]
fn a_concentrated_population_with_factors_above_one_acts_as_every_lead_alike() {
    // κ = 1e6, the largest allowed: the Beta is a spike at the mean, and the log-gamma part of
    // the closed form must keep its digits.
    let factors = [1.5, 0.9, 2.5, 1.0, 3.3];
    let survival = |concentration| {
        Population {
            mean: 0.3,
            concentration,
            unreachable: 0.0,
        }
        .survival(&factors)
    };
    for (spread, alike) in survival(Some(1e6)).iter().zip(survival(None)) {
        assert!((spread - alike).abs() < 1e-5, "{spread} vs {alike}");
    }
}

/// A cadence whose touches carry their own factors, with warming (decay above 1), a spread
/// population, a quarter unreachable and a give-up point.
const WARMING: &str = r#"
[simulation]
replications = 2000
seed = 17
[leads]
count = 1000
reachability = { mean = 0.15, concentration = 3.0, decay = 1.04 }
unreachable = 0.25
[cadence]
touches = [
  { day = 0, channel = "voicemail" },
  { day = 1, channel = "call", response = 1.3 },
  { day = 3, channel = "email", response = 0.5 },
  { day = 5, channel = "call" },
  { day = 8, channel = "voicemail", response = 2.0 },
  { day = 10, channel = "call", response = 1.6 },
]
[reps]
give_up = [ { after = 2, share = 0.4 } ]
"#;

/// WARMING's multipliers, built here from its keys: channel response (voicemail 0.95, call 1,
/// email 0.2 by default) × the touch's own × 1.04^k.
fn warming_multipliers() -> Vec<f64> {
    [0.95, 1.3, 0.1, 1.0, 1.9, 1.6]
        .iter()
        .enumerate()
        .map(|(k, c)| c * 1.04f64.powi(k as i32))
        .collect()
}

fn standard_error(samples: &Samples, metric: Metric) -> f64 {
    let m = samples.get(metric).moments();
    (m.variance() / m.count() as f64).sqrt()
}

#[test]
fn a_cohort_with_touch_factors_matches_the_closed_form() {
    let (s, samples) = run(WARMING);
    let multipliers = warming_multipliers();
    let model = CohortModel::new(&s);
    for (engine, ours) in model.lead().multipliers().iter().zip(&multipliers) {
        assert!((engine - ours).abs() < 1e-12, "{engine} vs {ours}");
    }
    assert!(multipliers.iter().filter(|&&c| c > 1.0).count() >= 3);
    let survival = Population {
        mean: 0.15,
        concentration: Some(3.0),
        unreachable: 0.25,
    }
    .survival(&multipliers);
    let mix = GiveUpMix::new([(2, 0.4)], multipliers.len());
    let leads = s.leads.count as f64;
    for (metric, per_lead) in [
        (Metric::Contacts, mix.contact_probability(&survival)),
        (Metric::Touches, mix.expected_touches(&survival)),
    ] {
        assert_within(
            metric.name(),
            samples.get(metric).moments().mean(),
            leads * per_lead,
            standard_error(&samples, metric),
        );
    }
}

/// WARMING with `--set`-style overrides.
fn warming_with(overrides: &[&str]) -> Scenario {
    let overrides: Vec<Override> = overrides
        .iter()
        .map(|o| Override::parse(o).unwrap())
        .collect();
    load_str(WARMING, "warming.toml", &overrides).unwrap()
}

#[test]
fn a_calendar_with_touch_factors_is_identical_on_one_and_two_threads() {
    // Inbound leads, so that both the first touch (speed to lead, here on a call of response
    // 1.3) and the later touches are drawn from each lead's own chance.
    let s = warming_with(&[
        "leads.source=inbound",
        "leads.per_week=40",
        "team.reps=2",
        "cadence.touches[0]={day=0,channel=\"call\",response=1.3}",
    ]);
    assert_eq!(s.cadence.touches.as_ref().unwrap()[0].response, 1.3);
    let model = CalendarModel::new(&s, s.team.prospecting_hours_per_day);
    let on = |threads| on_threads(threads, || simulate_calendar(&model, 60, 5));
    let one = on(1);
    assert!(one.samples.get(Metric::Contacts).moments().mean() > 0.0);
    assert_eq!(one, on(2));
}

/// `callblitz COMMAND… warming.toml EXTRA…` on a file of `text`, with what it printed.
fn on_file(text: &str, command: &[&str], extra: &[&str]) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("warming.toml");
    std::fs::write(&file, text).unwrap();
    callblitz()
        .args(command)
        .arg(&file)
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn bad_factors_and_decay_are_refused_with_the_file_the_key_the_bound_and_the_fix() {
    // (WARMING's text, replaced by, expected on stderr.)
    let cases: &[(&str, &str, &[&str])] = &[
        (
            "\"call\", response = 1.3",
            "\"call\", response = 5",
            &[
                "warming.toml:12: cadence.touches[1].response = 5",
                "from 1e-6 to 4 (a bound of the model)",
                "1 (the default)",
            ],
        ),
        (
            "response = 0.5",
            "response = -0.5",
            &[
                "warming.toml:13: cadence.touches[2].response = -0.5",
                "must be 0 or",
            ],
        ),
        (
            "response = 0.5",
            "response = nan",
            &["cadence.touches[2].response = NaN"],
        ),
        (
            "decay = 1.04",
            "decay = 1.6",
            &[
                "warming.toml:7: leads.reachability.decay = 1.6",
                "at most 1.5",
                "above 1 repetition warms",
            ],
        ),
        // 1.4^4 × the second voicemail's 1.9 is 7.3: warming within its own bound, but the
        // fifth touch would be worth more than four plain calls. The most decay allowed is
        // min_k (4 / r_k)^(1/k), here the last call's (4 / 1.6)^(1/5) = 1.2011.
        (
            "decay = 1.04",
            "decay = 1.4",
            &[
                "warming.toml:7: leads.reachability.decay = 1.4",
                "touch 5 of the cadence (day 8)",
                "by 7.30",
                "more than the 4 a touch may",
                "at most 1.201 with this cadence",
            ],
        ),
    ];
    for (from, to, expected) in cases {
        assert!(WARMING.contains(from), "{from}");
        let text = WARMING.replacen(from, to, 1);
        assert_refused(&on_file(&text, &["scenario", "check"], &[]), expected);
        assert_refused(&on_file(&text, &["simulate"], &[]), expected);
    }
    // The decay offered is accepted, and one step above it is not.
    let check = |decay: &str| {
        on_file(
            WARMING,
            &["scenario", "check"],
            &["--set", &format!("leads.reachability.decay={decay}")],
        )
    };
    assert!(check("1.201").status.success());
    assert_refused(
        &check("1.202"),
        &["--set leads.reachability.decay", "touch 6 of the cadence"],
    );
}

#[test]
fn scenario_show_gives_every_touch_its_response() {
    let output = on_file(WARMING, &["scenario", "show"], &["--json"]);
    assert!(output.status.success());
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let responses: Vec<f64> = json["cadence"]["touches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["response"].as_f64().unwrap())
        .collect();
    assert_eq!(responses, [1.0, 1.3, 0.5, 1.0, 2.0, 1.6]);
    let output = on_file(WARMING, &["scenario", "show"], &[]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("channel = \"call\"\nresponse = 1.3\n"),
        "{text}"
    );
}

#[test]
fn a_simulated_log_of_the_cold_outbound_defaults_dials_on_working_days_only() {
    // The shorthand's days 5 and 19 are Saturdays from a Monday start, and a restart 63 days
    // after the last touch (day 25) moves every later cycle by 88 days, a Monday to a Friday,
    // so that its days 2 and 16 fall on Sundays: all must land on a working day. A four-day
    // week moves Fridays too.
    for week in ["5", "4"] {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("log.csv");
        stdout_of(
            callblitz()
                .args(["simulate", &shipped("cold-outbound.toml")])
                .args(["--set", "leads.count=400", "--set"])
                .arg(format!("simulation.working_days_per_week={week}"))
                .args(["--set", "cadence.restart={cycles=3,pause_days=63}", "--log"])
                .arg(&log),
        );
        let weekdays = weekdays_of_log(&log);
        let worked: usize = week.parse().unwrap();
        assert!(weekdays[0] > 0, "{weekdays:?}");
        assert!(
            weekdays[worked..].iter().all(|&n| n == 0),
            "{week}-day week, touches on days off: {weekdays:?}"
        );
    }
}
