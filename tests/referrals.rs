//! Referrals: conversations bring referred leads, and a blitz counts a referral as a positive
//! response.

use callblitz::blitz::{BlitzFigure, Simulated};
use callblitz::engine::{
    BlitzCounts, BlitzModel, CalendarModel, LeadModel, simulate_blitz, simulate_calendar,
};
use callblitz::stats::{Metric, Samples};

use crate::common::{
    assert_refused, assert_within, bits, callblitz, on_threads, run, scenario, stdout_of,
};

/// A cohort whose conversations refer a lead each with chance 0.3; referred leads are easier
/// to reach and convert better.
const REFERRING_COHORT: &str = r#"
[simulation]
replications = 4000
seed = 11
[leads]
count = 500
[funnel]
appointment_rate = 0.12
[referrals]
per_conversation = 0.3
reachability = { mean = 0.4, concentration = 3.0, decay = 0.92 }
unreachable = 0.05
funnel = { appointment_rate = 0.35, win_rate = 0.3 }
"#;

/// The mean of `metric` over replications, with its standard error.
fn mean_and_se(samples: &Samples, metric: Metric) -> (f64, f64) {
    let values = samples.get(metric).values();
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let variance = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, (variance / n).sqrt())
}

#[test]
fn a_cohorts_referred_leads_follow_the_closed_form() {
    let (s, samples) = run(REFERRING_COHORT);
    let [listed, referred] = samples.segments() else {
        panic!("a cohort with referrals reports the list's leads and the referred ones");
    };
    let base = LeadModel::new(&s).expected_per_lead();
    let own = s.with_segment(&s.referrals.segment());
    let model = LeadModel::new(&own);
    let per_referred = model.expected_per_lead();
    let deals_per_referred = per_referred.contacts * model.funnel().deals_per_conversation();
    let referrals = 500.0 * base.contacts * 0.3;
    let check = |what: &str, samples: &Samples, metric: Metric, expected: f64| {
        let (mean, se) = mean_and_se(samples, metric);
        assert_within(what, mean, expected, se);
    };
    assert!(
        listed
            .get(Metric::Leads)
            .values()
            .iter()
            .all(|&n| n == 500.0)
    );
    check("referred leads", referred, Metric::Leads, referrals);
    check(
        "referred contacts",
        referred,
        Metric::Contacts,
        referrals * per_referred.contacts,
    );
    check(
        "deals from referrals",
        referred,
        Metric::Deals,
        referrals * deals_per_referred,
    );
    // The totals hold both groups.
    let (total, _) = mean_and_se(&samples, Metric::Leads);
    let (referred_leads, _) = mean_and_se(referred, Metric::Leads);
    assert!((total - 500.0 - referred_leads).abs() < 1e-9);
}

#[test]
fn referrals_off_leave_a_cohort_as_it_was() {
    let off = REFERRING_COHORT.replace("per_conversation = 0.3", "per_conversation = 0.0");
    let end = REFERRING_COHORT.find("[referrals]").unwrap();
    let (_, with_off) = run(&off);
    let (_, without) = run(&REFERRING_COHORT[..end]);
    assert_eq!(bits(&with_off), bits(&without));
    assert!(with_off.segments().is_empty());
}

/// A calendar with time to spare whose conversations refer leads started the same day.
const REFERRING_CALENDAR: &str = r#"
[simulation]
replications = 300
seed = 5
weeks = 26
weeks_off = 0
[leads]
count = 400
[team]
prospecting_hours_per_day = 6.0
ramp_weeks = 0
[referrals]
per_conversation = 0.25
lag_days = 0
reachability = { mean = 0.4 }
"#;

#[test]
fn every_conversation_refers_with_its_chance_in_a_calendar() {
    let s = scenario(REFERRING_CALENDAR);
    let model = CalendarModel::new(&s, 6.0);
    let runs = simulate_calendar(&model, 300, 5);
    let [listed, referred] = runs.samples.segments() else {
        panic!("a calendar with referrals reports the list's leads and the referred ones");
    };
    // With a lag of 0 every referral is due on the day of its conversation and, with time to
    // spare, started: the referred leads are Binomial(conversations, 0.25) in each year.
    let sum = |samples: &Samples, metric: Metric| samples.get(metric).values().iter().sum::<f64>();
    let conversations = sum(listed, Metric::Contacts);
    let referrals = sum(referred, Metric::Leads);
    assert_within(
        "referred leads per conversation",
        referrals,
        0.25 * conversations,
        (0.25 * 0.75 * conversations).sqrt(),
    );
    assert!(sum(referred, Metric::Contacts) > 0.0);
    // Referred leads are not accounts of the territory.
    assert!(sum(listed, Metric::Leads) <= 400.0 * 300.0);
}

#[test]
fn referrals_are_the_same_on_one_and_two_threads() {
    let s = scenario(REFERRING_CALENDAR);
    let model = CalendarModel::new(&s, 6.0);
    let one = on_threads(1, || simulate_calendar(&model, 40, 5));
    let two = on_threads(2, || simulate_calendar(&model, 40, 5));
    for (a, b) in one.samples.segments().iter().zip(two.samples.segments()) {
        assert_eq!(bits(a), bits(b));
    }
    assert_eq!(bits(&one.samples), bits(&two.samples));
    let (_, cohort) = run(REFERRING_COHORT);
    let (_, again) = on_threads(2, || run(REFERRING_COHORT));
    assert_eq!(
        bits(cohort.segments().last().unwrap()),
        bits(again.segments().last().unwrap())
    );
}

/// A blitz whose conversations end in an appointment (12%), another positive response (5%)
/// or a referral (20%, drawn on its own).
const REFERRING_BLITZ: &str = r#"
[simulation]
replications = 3000
seed = 4
[funnel]
appointment_rate = 0.12
[blitz]
minutes = 90
reps = 4
other_positive_rate = 0.05
[referrals]
per_conversation = 0.2
"#;

/// Share of `numerator` among `denominator` over every simulated blitz, with its binomial
/// standard error.
fn pooled_share(simulated: &Simulated, numerator: fn(&BlitzCounts) -> u32) -> (f64, f64) {
    let (hits, conversations) = simulated.total.counts.iter().fold((0.0, 0.0), |(h, c), x| {
        (h + f64::from(numerator(x)), c + f64::from(x.conversations))
    });
    let share = hits / conversations;
    (share, (share * (1.0 - share) / conversations).sqrt())
}

#[test]
fn a_blitz_counts_a_referral_as_a_positive_response() {
    let s = scenario(REFERRING_BLITZ);
    let model = BlitzModel::new(&s);
    let simulated = Simulated::new(&model, &simulate_blitz(&model, 3000, 4));
    let (referrals, se) = pooled_share(&simulated, |c| c.referrals);
    assert_within("referrals per conversation", referrals, 0.2, se);
    // Positive: an appointment or another positive response (17%), or else a referral.
    let expected = 1.0 - (1.0 - 0.17) * (1.0 - 0.2);
    let (positives, se) = pooled_share(&simulated, |c| c.positives);
    assert_within(
        "positive responses per conversation",
        positives,
        expected,
        se,
    );
    assert!(simulated.quantities.contains(&BlitzFigure::Referrals));
}

#[test]
fn a_blitz_without_referrals_keeps_its_numbers_and_rows() {
    let with_off = REFERRING_BLITZ.replace("per_conversation = 0.2", "per_conversation = 0.0");
    let without = REFERRING_BLITZ.replace("[referrals]\nper_conversation = 0.2\n", "");
    let run = |text: &str| {
        let s = scenario(text);
        let model = BlitzModel::new(&s);
        Simulated::new(&model, &simulate_blitz(&model, 200, 4))
    };
    let (off, absent) = (run(&with_off), run(&without));
    assert_eq!(off.total.counts, absent.total.counts);
    assert!(!off.quantities.contains(&BlitzFigure::Referrals));
    assert!(off.total.counts.iter().all(|c| c.referrals == 0));
}

#[test]
fn the_blitz_table_shows_referrals_when_they_are_on() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("blitz.toml");
    std::fs::write(&path, REFERRING_BLITZ.replace("3000", "200")).unwrap();
    let text = String::from_utf8(stdout_of(callblitz().arg("blitz").arg(&path))).unwrap();
    assert!(text.contains("\nreferrals "), "{text}");
}

#[test]
fn bad_referral_keys_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    for (text, key) in [
        (
            "[referrals]\nper_conversation = 1.5\n",
            "referrals.per_conversation",
        ),
        ("[referrals]\nlag_days = 100000\n", "referrals.lag_days"),
        ("[referrals]\nper_convrsation = 0.1\n", "per_convrsation"),
        (
            "[referrals]\nper_conversation = 0.1\nreachability = { mean = 1.5 }\n",
            "referrals.reachability.mean",
        ),
        (
            "[referrals]\nper_conversation = 0.1\n[[leads.segments]]\nname = \"referrals\"\nshare = 1\n",
            "leads.segments[0].name",
        ),
    ] {
        let path = dir.path().join("bad.toml");
        std::fs::write(&path, text).unwrap();
        let output = callblitz()
            .args(["scenario", "check"])
            .arg(&path)
            .output()
            .unwrap();
        assert_refused(&output, &[key, "bad.toml"]);
    }
}
