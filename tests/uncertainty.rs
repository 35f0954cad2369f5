//! `[uncertainty]`: numbers drawn per replication on the same luck, the same on any number of
//! threads, with the spread the intervals give, and plans made from a fitted log that reach a
//! true population's goal as often as they say.

use callblitz::calibrate::{Calibration, Evidence, FitOptions};
use callblitz::calllog::{Options, write_cohort_log};
use callblitz::engine::{
    CalendarModel, CalendarSamples, CohortModel, drawn_calendar, drawn_cohort, run_replications,
};
use callblitz::plan::AtConfidence;
use callblitz::report::CalibrationReport;
use callblitz::runs::{DrawnOutcome, Kind, Outcome, Run};
use callblitz::scenario::{Scale, Scenario, Uncertain, load_str};
use callblitz::stats::{Metric, Samples};
use statrs::distribution::{ContinuousCDF, Normal};

use crate::common::{assert_refused, assert_within, bits, callblitz, scenario, stdout_of};

/// A list worked by calls over a short year, with a funnel whose rates are known.
const LIST: &str = r#"
[simulation]
replications = 400
seed = 7
weeks = 26
weeks_off = 2
[leads]
count = 1500
reachability = { mean = 0.12, concentration = 4.0, decay = 1.0 }
unreachable = 0.0
[cadence]
attempts = 6
days = 14
[funnel]
appointment_rate = 0.3
show_rate = 0.8
opportunity_rate = 0.6
win_rate = 0.4
sales_cycle_days = { median = 20, p90 = 40 }
[team]
ramp_weeks = 4
[goal]
deals = 4
confidence = 0.8
"#;

fn with_table(text: &str, table: &str) -> Scenario {
    scenario(&format!("{text}\n[uncertainty]\n{table}"))
}

#[test]
fn a_number_no_run_reads_leaves_every_replication_as_luck_alone_had_it() {
    // The cadence has no InMail: drawing its response changes no model, so the drawn runs
    // must be the luck-alone runs to the last bit, replication by replication.
    let plain = scenario(LIST);
    let drawn = with_table(LIST, r#""channels.inmail.response" = [0.1, 0.5]"#);
    let (reps, seed) = (60, 3);
    let cohort: Samples = run_replications(&CohortModel::new(&plain), reps, seed, &());
    let drawn_luck: Samples = run_replications(&drawn_cohort(&drawn), reps, seed, &());
    assert_eq!(bits(&cohort), bits(&drawn_luck));
    let calendar: CalendarSamples =
        run_replications(&CalendarModel::new(&plain, 1.0), reps, seed, &());
    let drawn_year: CalendarSamples =
        run_replications(&drawn_calendar(&drawn, 1.0, false), reps, seed, &());
    assert_eq!(bits(&calendar.samples), bits(&drawn_year.samples));
    // A number the run does read changes it.
    let win = with_table(LIST, r#""funnel.win_rate" = [0.2, 0.6]"#);
    let moved: Samples = run_replications(&drawn_cohort(&win), reps, seed, &());
    assert_ne!(bits(&cohort), bits(&moved));
    // ... and leaves the luck before the win alone: the same opportunities in every replication.
    let opportunities = |s: &Samples| s.get(Metric::Opportunities).values().to_vec();
    assert_eq!(opportunities(&cohort), opportunities(&moved));
}

/// Every outcome of a run and of its draws, prepared and run on `threads` threads.
fn plan_on_threads(s: &Scenario, threads: usize) -> String {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    pool.install(|| {
        let mut out = String::new();
        for kind in [Kind::Cohort, Kind::Calendar, Kind::Plan] {
            let run = Run::prepare(s.clone(), kind).unwrap();
            let luck = run.run();
            let drawn = run.run_drawn(&luck, &()).expect("the scenario draws");
            out.push_str(&match drawn {
                DrawnOutcome::Samples(samples) => format!("{:?}", bits(&samples)),
                DrawnOutcome::Plan(plan) => format!(
                    "{:?} {:?} {:?}",
                    plan.answer.hours_per_week(),
                    plan.probability_at_luck_hours,
                    plan.search
                        .iter()
                        .map(|round| (round.years, round.hours_per_week))
                        .collect::<Vec<_>>()
                ),
            });
        }
        out
    })
}

#[test]
fn drawn_runs_are_the_same_on_any_number_of_threads() {
    let s = with_table(
        &LIST.replace("replications = 400", "replications = 120"),
        r#""leads.reachability.mean" = [0.08, 0.16]
"funnel.win_rate" = [0.3, 0.5]"#,
    );
    let one = plan_on_threads(&s, 1);
    assert_eq!(one, plan_on_threads(&s, 2));
    let mut other = s.clone();
    other.simulation.seed += 1;
    assert_ne!(one, plan_on_threads(&other, 2), "another seed, other draws");
}

#[test]
fn a_drawn_win_rate_gives_the_deals_its_logit_normal_mean_gives() {
    // Deals are a binomial thinning of the opportunities by the win rate, drawn afresh each
    // replication: E[deals] = E[opportunities] · E[w], E[w] by quadrature over the normal.
    let (lo, hi) = (0.15, 0.6);
    let s = with_table(
        &LIST.replace("replications = 400", "replications = 4000"),
        &format!(r#""funnel.win_rate" = [{lo}, {hi}]"#),
    );
    let samples: Samples = run_replications(
        &drawn_cohort(&s),
        s.simulation.replications,
        s.simulation.seed,
        &(),
    );
    let lead = CohortModel::new(&s);
    let per_lead = lead.lead().expected_per_lead();
    let f = lead.lead().funnel();
    let opportunities =
        s.leads.count as f64 * per_lead.contacts * f.appointment * f.show * f.opportunity;
    let interval = s.uncertainty.intervals["funnel.win_rate"];
    let normal = Normal::standard();
    let n = 20_000;
    let mean_win: f64 = (0..n)
        .map(|i| interval.quantile(Scale::Rate, (i as f64 + 0.5) / n as f64))
        .sum::<f64>()
        / n as f64;
    assert!(mean_win > lo && mean_win < hi);
    let deals = samples.get(Metric::Deals);
    let m = deals.moments();
    assert_within(
        "mean deals with the win rate drawn",
        m.mean(),
        opportunities * mean_win,
        m.variance().sqrt() / (deals.values().len() as f64).sqrt(),
    );
    // The spread is wider than luck alone gives: the variance adds opportunities² · Var[w].
    let var_win: f64 = (0..n)
        .map(|i| (interval.quantile(Scale::Rate, (i as f64 + 0.5) / n as f64) - mean_win).powi(2))
        .sum::<f64>()
        / n as f64;
    assert!(m.variance() > opportunities.powi(2) * var_win);
    // The quadrature's own check: the interval's ends are the 2.5% and 97.5% quantiles.
    let z = normal.inverse_cdf(0.975);
    assert!((interval.quantile(Scale::Rate, normal.cdf(z)) - hi).abs() < 1e-9);
}

#[test]
fn an_interval_that_cannot_be_drawn_is_refused_with_its_key_and_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("u.toml");
    std::fs::write(
        &file,
        r#"[uncertainty]
"funnel.win_rat" = [0.1, 0.3]
"funnel.show_rate" = [0.9, 0.7]
"leads.unreachable" = [0.0, 0.3]
"funnel.deal_size" = [30000, 40000]
"leads.reachability.decay" = [0.8]
"#,
    )
    .unwrap();
    let path = file.to_str().unwrap();
    let check = |set: &[&str]| {
        callblitz()
            .args(["scenario", "check", path])
            .args(set)
            .output()
            .unwrap()
    };
    assert_refused(
        &check(&[]),
        &[
            "u.toml:2: uncertainty.funnel.win_rat",
            "did you mean `funnel.win_rate`?",
            "u.toml:3: uncertainty.funnel.show_rate = [0.9, 0.7]: must be [lo, hi] with lo below hi",
            "u.toml:4: uncertainty.leads.unreachable = [0, 0.3]: both ends must be strictly \
             between 0 and 1",
            "u.toml:5: uncertainty.funnel.deal_size = [30000, 40000]: the scenario's own \
             funnel.deal_size = 25000 lies outside it",
            "u.toml:6: uncertainty.leads.reachability.decay: must be an interval of two numbers",
        ],
    );
    // Every lead alike: no spread to draw.
    std::fs::write(
        &file,
        "[leads]\nreachability = { mean = 0.1 }\n[uncertainty]\n\
         \"leads.reachability.concentration\" = [1.0, 5.0]\n",
    )
    .unwrap();
    assert_refused(
        &check(&[]),
        &["u.toml:4:", "give leads.reachability.concentration"],
    );
    // --set reaches one interval, quoted or not, and is checked as written.
    std::fs::write(&file, "name = \"u\"\n").unwrap();
    let shown = stdout_of(callblitz().args([
        "scenario",
        "show",
        path,
        "--json",
        "--set",
        "uncertainty.funnel.win_rate=[0.1,0.3]",
        "--set",
        "uncertainty.\"leads.reachability.mean\"=[0.12,0.22]",
    ]));
    let json: serde_json::Value = serde_json::from_slice(&shown).unwrap();
    assert_eq!(
        json["uncertainty"]["funnel.win_rate"],
        serde_json::json!([0.1, 0.3])
    );
    assert_eq!(
        json["uncertainty"]["leads.reachability.mean"],
        serde_json::json!([0.12, 0.22])
    );
    assert_refused(
        &check(&["--set", "uncertainty.funnel.win_rate=[0.3,0.4]"]),
        &["--set uncertainty.funnel.win_rate", "lies outside it"],
    );
}

/// The chance that `truth` reaches its goal at `hours_per_week`, over `replications` years
/// on `seed`, and the count of years that did.
fn chance_at(truth: &Scenario, hours_per_week: f64, replications: u64, seed: u64) -> u64 {
    let days = f64::from(truth.simulation.working_days_per_week);
    let model = CalendarModel::new(truth, hours_per_week / days);
    let runs: CalendarSamples = run_replications(&model, replications, seed, &());
    let goal = truth.goal.deals.unwrap();
    runs.samples
        .get(Metric::Deals)
        .values()
        .iter()
        .filter(|&&d| d >= goal)
        .count() as u64
}

/// The scenario a planner makes from a log of `truth`: the truth's cadence, team and goal,
/// with what `calibrate --scenario` wrote in place of the reachability and the appointment
/// rate, its `[uncertainty]` included.
fn planned_from_log(
    truth: &Scenario,
    log_leads: u64,
    seed: u64,
    dir: &std::path::Path,
) -> Scenario {
    let mut logged = truth.clone();
    logged.leads.count = log_leads;
    logged.simulation.seed = seed;
    let path = dir.join(format!("log{seed}.csv"));
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    write_cohort_log(&logged, &CohortModel::new(&logged), &mut file).unwrap();
    drop(file);
    let evidence = Evidence::read(&path, &Options::default()).unwrap();
    // As `calibrate LOG --scenario` fits it: decay free, no share of unreachable leads.
    let calibration = Calibration::new(evidence, FitOptions::default()).unwrap();
    let fragment = CalibrationReport(&calibration).scenario_fragment();
    let fitted = load_str(&fragment, "fragment.toml", &[]).unwrap();
    let mut planned = truth.clone();
    planned.leads.reachability = fitted.leads.reachability;
    planned.funnel.appointment_rate = fitted.funnel.appointment_rate;
    planned.uncertainty = fitted.uncertainty;
    planned
}

#[test]
fn plans_from_fitted_logs_reach_the_true_goal_as_often_as_they_say() {
    // A true population; logs of 200 leads drawn from it; for each, calibrate, plan at 80%
    // with the fitted [uncertainty], and measure the true chance of the goal at the plan's
    // hours on fresh years. Averaged over the logs, the true chance must be the chance the
    // plans state, within 4.5 standard errors of the spread of the differences over logs
    // (which holds the plans' own Monte Carlo error and the fresh years'). The plans on luck
    // alone are measured the same way, and reported.
    let truth = scenario(LIST);
    let (logs, evaluation) = (40, 400);
    let dir = tempfile::tempdir().unwrap();
    let (mut with, mut without) = (Vec::new(), Vec::new());
    // The true chances themselves, for the report: how often a plan falls well short.
    let (mut true_with, mut true_without) = (Vec::new(), Vec::new());
    for l in 0..logs {
        let planned = planned_from_log(&truth, 200, 1000 + l, dir.path());
        assert!(
            planned
                .uncertainty
                .parameters()
                .any(|(p, _)| p == Uncertain::Mean),
            "the fragment draws the mean"
        );
        let run = Run::prepare(planned, Kind::Plan).unwrap();
        let luck = run.run();
        let Some(DrawnOutcome::Plan(drawn)) = run.run_drawn(&luck, &()) else {
            panic!("a plan with [uncertainty] draws")
        };
        let (Outcome::Plan(_, AtConfidence::Plan(alone), _), AtConfidence::Plan(plan)) =
            (&luck, &drawn.answer)
        else {
            panic!("the goal is in reach")
        };
        let reached = |h| chance_at(&truth, h, evaluation, 50_000 + l) as f64 / evaluation as f64;
        true_with.push(reached(plan.hours_per_week));
        true_without.push(reached(alone.hours_per_week));
        with.push(true_with[true_with.len() - 1] - plan.probability);
        without.push(true_without[true_without.len() - 1] - alone.probability);
    }
    let mean_se = |xs: &[f64]| {
        let n = xs.len() as f64;
        let mean = xs.iter().sum::<f64>() / n;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
        (mean, (var / n).sqrt())
    };
    let (shortfall, se) = mean_se(&with);
    let (luck_shortfall, luck_se) = mean_se(&without);
    let well_short = |xs: &[f64]| xs.iter().filter(|&&p| p < 0.7).count();
    eprintln!(
        "true chance of the goal less the chance stated, over {logs} fitted logs: \
         {shortfall:+.3} ± {se:.3} with [uncertainty], {luck_shortfall:+.3} ± {luck_se:.3} on \
         luck alone; mean true chance {:.3} and {:.3}; plans whose true chance is below 70%: \
         {} and {}",
        mean_se(&true_with).0,
        mean_se(&true_without).0,
        well_short(&true_with),
        well_short(&true_without),
    );
    assert_within(
        "true chance of the goal less the chance the plans with [uncertainty] state",
        shortfall,
        0.0,
        se,
    );
}

/// A shipped scenario's path.
fn shipped(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name);
    path.to_str().unwrap().to_string()
}

#[test]
fn a_decay_interval_past_the_cadences_bound_is_refused_as_a_fixed_decay_is() {
    let check = |path: &str, set: &[&str]| {
        let mut command = callblitz();
        command.args(["scenario", "check", path]);
        for s in set {
            command.args(["--set", s]);
        }
        command.output().unwrap()
    };
    let cold = shipped("cold-outbound.toml");
    // Ten calls a cycle: 4^(1/9) = 1.1665 is the largest decay, fixed or drawn.
    assert_refused(
        &check(&cold, &["leads.reachability.decay=1.2"]),
        &["use a decay of at most 1.166 with this cadence"],
    );
    assert_refused(
        &check(
            &cold,
            &[
                "leads.reachability.decay=1.1",
                "uncertainty.leads.reachability.decay=[1.05,1.49]",
            ],
        ),
        &[
            "uncertainty.leads.reachability.decay = [1.05, 1.49]",
            "the largest decay the scenario's cadence allows",
            "end the interval at most 1.166 with this cadence",
        ],
    );
    let within = check(
        &cold,
        &[
            "leads.reachability.decay=1.1",
            "uncertainty.leads.reachability.decay=[1.05,1.166]",
        ],
    );
    assert_eq!(within.status.code(), Some(0), "{within:?}");

    // A segment's own cadence bounds the decay its leads draw; one with its own reachability
    // draws none.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("u.toml");
    let write = |deep_reachability: &str| {
        std::fs::write(
            &file,
            format!(
                r#"[cadence]
attempts = 3
days = 7

[[leads.segments]]
name = "short"
share = 0.5

[[leads.segments]]
name = "deep"
share = 0.5
cadence = {{ attempts = 10, days = 28 }}
{deep_reachability}

[uncertainty]
"leads.reachability.decay" = [0.8, 1.3]
"#
            ),
        )
        .unwrap();
    };
    let path = file.to_str().unwrap();
    write("");
    assert_refused(
        &check(path, &[]),
        &[
            "u.toml:16: uncertainty.leads.reachability.decay = [0.8, 1.3]",
            "the cadence of \"deep\" allows",
            "end the interval at most 1.166",
        ],
    );
    write("reachability = { mean = 0.2, concentration = 2.0 }");
    let accepted = check(path, &[]);
    assert_eq!(accepted.status.code(), Some(0), "{accepted:?}");
}

#[test]
fn an_interval_on_a_number_every_segment_replaces_is_refused() {
    let kare = shipped("kare-mix.toml");
    let output = callblitz()
        .args(["simulate", &kare, "--replications", "20"])
        .args(["--set", "uncertainty.funnel.win_rate=[0.15,0.25]"])
        .output()
        .unwrap();
    assert_refused(
        &output,
        &[
            "uncertainty.funnel.win_rate = [0.15, 0.25]",
            "every segment gives its own win_rate (attain, recapture, expand)",
            "the interval would change nothing",
            "remove it",
        ],
    );

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("u.toml");
    let check = |text: &str| {
        std::fs::write(&file, text).unwrap();
        callblitz()
            .args(["scenario", "check", file.to_str().unwrap()])
            .output()
            .unwrap()
    };
    let segments = r#"
[[leads.segments]]
name = "a"
share = 0.5
reachability = { mean = 0.2 }
funnel = { deal_size = 9000.0 }

[[leads.segments]]
name = "b"
share = 0.5
reachability = { mean = 0.1, concentration = 3.0 }
funnel = { deal_size = 40000.0, win_rate = 0.3 }
"#;
    // A reachability table replaces the whole of leads.reachability, even the keys it leaves
    // out; a funnel table only the keys it gives.
    let refused = check(&format!(
        "{segments}\n[uncertainty]\n\"leads.reachability.decay\" = [0.85, 0.95]\n\
         \"funnel.deal_size\" = [20000, 30000]\n\"funnel.win_rate\" = [0.2, 0.3]\n"
    ));
    assert_refused(
        &refused,
        &[
            "uncertainty.leads.reachability.decay = [0.85, 0.95]: every segment gives its own \
             reachability table (a, b), which replaces the whole leads.reachability",
            "uncertainty.funnel.deal_size = [20000, 30000]: every segment gives its own \
             deal_size (a, b)",
        ],
    );
    assert!(!String::from_utf8_lossy(&refused.stderr).contains("funnel.win_rate"));
    // The inbound leads have no segments and keep the scenario's numbers: drawn for them.
    let both = check(&format!(
        "[leads]\nsource = \"both\"\nper_week = 10\n{}\n[uncertainty]\n\
         \"funnel.deal_size\" = [20000, 30000]\n",
        segments.replace("share = 0.5\n", "share = 0.5\nsource = \"list\"\n")
    ));
    assert_eq!(both.status.code(), Some(0), "{both:?}");
}

#[test]
fn a_drawn_run_of_segments_breaks_down_by_segment_and_adds_up() {
    let json: serde_json::Value = crate::common::json_of(
        callblitz()
            .args(["simulate", &crate::common::shipped("kare-mix.toml")])
            .args(["--set", "uncertainty.funnel.show_rate=[0.6,0.85]"])
            .args(["--replications", "200", "--json"]),
    );
    let drawn = &json["with_uncertainty"];
    let segments = drawn["segments"].as_array().unwrap();
    assert_eq!(segments.len(), 3);
    for metric in ["leads", "deals", "revenue"] {
        let sum: f64 = segments
            .iter()
            .map(|s| s["metrics"][metric]["mean"].as_f64().unwrap())
            .sum();
        let total = drawn["metrics"][metric]["mean"].as_f64().unwrap();
        assert!(
            (sum - total).abs() <= 1e-9 * total.max(1.0),
            "{metric}: {sum} against {total}"
        );
    }
    // The show rate is drawn: the drawn deals differ from luck alone's.
    assert_ne!(
        drawn["segments"][2]["metrics"]["deals"]["mean"],
        json["segments"][2]["metrics"]["deals"]["mean"]
    );
}
