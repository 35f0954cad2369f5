//! Referrals: conversations bring referred leads, and a blitz counts a referral as a positive
//! response.

use callblitz::blitz::{BlitzFigure, Simulated};
use callblitz::engine::{BlitzCounts, BlitzModel, simulate_blitz};

use crate::common::{assert_refused, assert_within, callblitz, scenario, stdout_of};

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
