//! How a calibration is shown: a table, JSON (docs/model.md), a scenario fragment the other
//! commands read, and the chart of observed against fitted conversations by attempt.

use std::io::{self, Write};

use serde::Serialize;

use super::csv_out;
use super::{Entries, NoChart, Report, group_thousands, write_columns};
use crate::calibrate::{
    ALARM, Calibration, FittedReach, LEVEL, MAX_ATTEMPTS, Parameter, Rate, SegmentFit,
    quantity_name,
};
use crate::calllog::{self, Disposition};
use crate::chart::CalibrationChart;
use crate::scenario::{MAX_CONCENTRATION, MIN_BETA_SHAPE, Scale, Uncertain};

/// A calibration, for output.
#[derive(Debug, Clone)]
pub struct CalibrationReport<'a>(pub &'a Calibration);

/// A concentration beyond this, with no upper limit from the data, is a homogeneous population.
const HOMOGENEOUS: f64 = 1e5;

impl<'a> CalibrationReport<'a> {
    fn describe_log(&self) -> Vec<String> {
        let e = &self.0.evidence;
        let mut lines = vec![format!(
            "{} leads, {} touches ({} after a lead's first conversation, left out of the fit)",
            group_thousands(e.leads as f64, 0),
            group_thousands(e.touches as f64, 0),
            group_thousands(e.after_conversation as f64, 0),
        )];
        let dial_outcomes = e.dial_outcomes();
        lines.push(format!(
            "{} dials (call and voicemail touches) before a first conversation, {} of them \
             reaching voicemail",
            group_thousands(dial_outcomes.iter().sum::<u64>() as f64, 0),
            group_thousands(dial_outcomes[Disposition::Voicemail.index()] as f64, 0),
        ));
        if e.bad_number_leads > 0 {
            lines.push(format!(
                "{} lead(s) never reached showed a bad number on a dial: unreachable, each \
                 followed by the fit to its first dial",
                group_thousands(e.bad_number_leads as f64, 0)
            ));
        }
        if e.bad_then_reached > 0 {
            lines.push(format!(
                "{} lead(s) showed a bad number and later had a conversation: the bad number is \
                 read as a dial that reached nobody",
                group_thousands(e.bad_then_reached as f64, 0)
            ));
        }
        if e.truncated > 0 {
            lines.push(format!(
                "{} lead(s) had more than {MAX_ATTEMPTS} touches without a conversation; the fit \
                 follows their first {MAX_ATTEMPTS}",
                group_thousands(e.truncated as f64, 0)
            ));
        }
        if let Some(skipped) = e.skipped.describe() {
            lines.push(skipped);
        }
        lines
    }

    /// The goodness-of-fit test in words.
    fn verdict(&self) -> String {
        match &self.0.test {
            None => "too few attempts to test the fit".to_string(),
            Some(t) => format!(
                "Pearson χ² {:.1} on {} df ({} groups of attempts), p = {:.3}: {}",
                t.statistic,
                t.df,
                t.groups,
                t.p_value,
                if t.p_value < 0.05 {
                    "the model departs from the log by more than chance"
                } else {
                    "no sign that the model misfits"
                }
            ),
        }
    }

    /// The JSON object of this calibration (a segment's too).
    fn json_object(&self) -> CalibrationJson<'a> {
        let c: &'a Calibration = self.0;
        let e = &c.evidence;
        let dial_outcomes = e.dial_outcomes();
        let reach = c.fit.reach;
        // The observed rates, then the fitted shares, decay and channel responses.
        let fitted = c
            .reachability
            .iter()
            .filter(|(q, _)| {
                matches!(
                    q,
                    Parameter::Unreachable
                        | Parameter::BadNumberShare
                        | Parameter::Decay
                        | Parameter::Response(_)
                )
            })
            .map(|&(q, rate)| (quantity_name(q), rate));
        let segments = c
            .segments
            .iter()
            .map(|segment| SegmentJson {
                name: &segment.name,
                share: segment.share,
                fit: CalibrationReport(&segment.calibration).json_object(),
            })
            .collect();
        CalibrationJson {
            log: &e.file,
            leads: e.leads,
            touches: e.touches,
            dials: dial_outcomes.iter().sum(),
            voicemails: dial_outcomes[Disposition::Voicemail.index()],
            skipped_rows: e.skipped.count,
            skipped_lines: e
                .skipped
                .first
                .iter()
                .map(|err| SkippedLineJson {
                    line: err.line,
                    problem: &err.message,
                })
                .collect(),
            reachability: ReachabilityJson {
                alpha: reach.alpha,
                beta: reach.beta,
                mean: reach.mean(),
                concentration: reach.concentration(),
                unreachable: reach.unreachable,
                decay: reach.decay,
                decay_held: c.fit.model().held_decay().is_some(),
                ci95: Entries(
                    c.reachability
                        .iter()
                        .map(|&(q, rate)| (quantity_name(q), rate.ci95))
                        .collect(),
                ),
                log_likelihood: c.fit.log_likelihood,
            },
            bad_number_leads: e.bad_number_leads,
            goodness_of_fit: c.test.map(|t| GoodnessOfFitJson {
                statistic: t.statistic,
                df: t.df,
                p_value: t.p_value,
                groups: t.groups,
            }),
            decay_test: c.decay_test.map(|t| DecayTestJson {
                held: t.held,
                fitted: t.fitted,
                statistic: t.statistic,
                p_value: t.p_value,
            }),
            warnings: self.warnings(),
            contact_by_attempt: c
                .attempts
                .iter()
                .map(|a| AttemptJson {
                    attempt: a.attempt,
                    leads: a.leads,
                    observed: a.conversations as f64 / a.leads as f64,
                    fitted: a.expected / a.leads as f64,
                })
                .collect(),
            rates: Entries(c.rates.iter().cloned().chain(fitted).collect()),
            give_up: c
                .give_up
                .iter()
                .map(|&(after, share)| GiveUpJson { after, share })
                .collect(),
            reps: c
                .reps
                .iter()
                .map(|r| RepJson {
                    rep: &r.rep,
                    leads: r.leads,
                    dials: r.dials,
                    conversations_per_dial: r.conversations_per_dial,
                    appointment_rate: r.appointment_rate,
                    touches_per_unreached_lead: r.touches_per_unreached_lead,
                })
                .collect(),
            segments,
        }
    }

    /// The fit of reachability: how it was made, its estimates and intervals, the test of the
    /// fit and the warnings.
    fn write_fit(&self, out: &mut dyn Write) -> io::Result<()> {
        let c = self.0;
        let decay = match c.fit.model().held_decay() {
            Some(held) => format!("decay held at {}", number(held)),
            None => "decay fitted".to_string(),
        };
        writeln!(
            out,
            "Reachability: shifted-beta-geometric model by maximum likelihood, touch k of a lead \
             reaching it with chance p · response · decay^(k−1), {decay}, unreached leads \
             censored at their last touch; 95% profile-likelihood intervals"
        )?;
        let rows: Vec<[String; 3]> = c
            .reachability
            .iter()
            .map(|&(q, rate)| [quantity_name(q), number(rate.estimate), interval(&rate)])
            .collect();
        write_columns(out, &["", "estimate", "95% interval"], &rows)?;
        for &channel in c.fit.model().free_channels() {
            if c.fit.reach.response[channel.index()] > 0.999 {
                writeln!(
                    out,
                    "{} response is at its bound of 1: the channel reaches leads at least as \
                     well as calls, which the model cannot express",
                    channel.name()
                )?;
            }
        }
        writeln!(
            out,
            "log-likelihood {:.1}; {}",
            // + 0.0 turns a −0 into 0.
            c.fit.log_likelihood + 0.0,
            self.verdict()
        )?;
        if let Some(t) = c.decay_test {
            writeln!(
                out,
                "decay held at {}; fitted free it is {} (likelihood-ratio χ² {:.1}, p = {:.3})",
                number(t.held),
                number(t.fitted),
                t.statistic,
                t.p_value
            )?;
        }
        for warning in self.warnings() {
            writeln!(out, "warning: {warning}")?;
        }
        Ok(())
    }

    /// The warnings that conversations by attempt depart from the fitted model, each saying
    /// what departs and what to do.
    fn warnings(&self) -> Vec<String> {
        let c = self.0;
        let mut warnings = Vec::new();
        let held = c
            .fit
            .model()
            .held_decay()
            .filter(|_| c.decay_test.is_some());
        if let Some(t) = c.decay_test.filter(|t| t.p_value < ALARM) {
            warnings.push(format!(
                "conversations by attempt fall {} than decay {} allows: fitted free, decay is \
                 {} (likelihood-ratio χ² {:.1}, p = {:.3}); fit decay (leave out --decay)",
                if t.fitted < t.held {
                    "faster"
                } else {
                    "more slowly"
                },
                number(t.held),
                number(t.fitted),
                t.statistic,
                t.p_value
            ));
        }
        if let Some(t) = c.test.filter(|t| t.p_value < ALARM) {
            let w = t.worst;
            let attempts = if w.first_attempt == w.last_attempt {
                format!("attempt {}", w.first_attempt)
            } else {
                format!("attempts {}–{}", w.first_attempt, w.last_attempt)
            };
            warnings.push(format!(
                "conversations by attempt depart from the fitted model (Pearson p = {:.3}), most \
                 at {attempts}: {} of the leads at risk reached, {} fitted; {}check the log's \
                 labels (--outcome-map, --channel-map), and whether the cadence changed or \
                 restarted during the log (fit such parts apart with --segment-col)",
                t.p_value,
                share(w.observed),
                share(w.fitted),
                if held.is_some() {
                    "fit decay (leave out --decay), "
                } else {
                    ""
                }
            ));
        }
        warnings
    }

    /// The fitted reachability as a scenario's inline table, with a comment when the fit
    /// had to be changed to be simulated.
    fn reachability_table(c: &Calibration) -> String {
        let reach = c.fit.reach;
        // A mean of 1 is not a valid one: a mean that rounds up to it is written whole.
        let mean = match float(reach.mean(), 5) {
            toml::Value::Float(m) if m >= 1.0 => toml::Value::Float(reach.mean()),
            rounded => rounded,
        };
        let decay = float(reach.decay, 4);
        let kappa = reach.concentration();
        // The engine needs both Beta shapes at MIN_BETA_SHAPE or more: a fit below it (leads
        // almost all reached at once, or never) is written at the nearest spread it simulates,
        // or as alike leads when even the largest concentration is not enough.
        let least = MIN_BETA_SHAPE / reach.mean().min(1.0 - reach.mean());
        let homogeneous = kappa > MAX_CONCENTRATION
            || least > MAX_CONCENTRATION
            || kappa > HOMOGENEOUS
                && c.quantity(Parameter::Concentration)
                    .is_some_and(|r| r.ci95[1].is_infinite());
        if homogeneous {
            format!(
                "reachability = {{ mean = {mean}, decay = {decay} }}   # every lead alike: no \
                 spread was found"
            )
        } else if kappa < least {
            format!(
                "reachability = {{ mean = {mean}, concentration = {}, decay = {decay} }}   # \
                 fitted {}: raised to the widest spread callblitz simulates",
                float(least * 1.001, 4),
                float(kappa, 4)
            )
        } else {
            format!(
                "reachability = {{ mean = {mean}, concentration = {}, decay = {decay} }}",
                float(kappa, 4)
            )
        }
    }

    /// The fitted appointment rate, for a log with conversations.
    fn appointment_rate(c: &Calibration) -> Option<toml::Value> {
        let e = &c.evidence;
        (e.reached > 0).then(|| float(e.appointments as f64 / e.reached as f64, 4))
    }

    /// A scenario fragment with the fitted numbers: a scenario in itself (every other key keeps
    /// its default), or tables to copy into one. With segments, one `[[leads.segments]]` entry
    /// each.
    pub fn scenario_fragment(&self) -> String {
        let c = self.0;
        let e = &c.evidence;
        let reach = c.fit.reach;
        let file_name = std::path::Path::new(&e.file)
            .file_name()
            .map_or(e.file.clone(), |n| n.to_string_lossy().into_owned());
        let mut out = String::new();
        let mut line = |text: String| {
            out.push_str(&text);
            out.push('\n');
        };
        line(format!(
            "# Calibrated by `callblitz calibrate` from {file_name}: {} leads, {} touches.",
            e.leads, e.touches
        ));
        line(
            "# A scenario in itself (every key not here keeps its default), or tables to copy \
             into one."
                .into(),
        );
        line(format!(
            "# The log's longest run of touches to a first conversation was {}; set [cadence] \
             to the team's own.",
            e.longest()
        ));
        line(format!(
            "name = {}",
            toml::Value::String(format!("Calibrated from {file_name}"))
        ));
        line(String::new());
        line("[leads]".into());
        line(format!("count = {}", e.leads));
        line(Self::reachability_table(c));
        line(format!("unreachable = {}", float(reach.unreachable, 4)));
        for &channel in c.fit.model().free_channels() {
            line(String::new());
            line(format!("[channels.{}]", channel.name()));
            line(format!(
                "response = {}   # relative to calls",
                float(reach.response[channel.index()], 4)
            ));
        }
        line(String::new());
        line("[reps]".into());
        // Every point before the longest run (which is "the whole cadence"), each share rounded
        // down so the shares never sum past 1.
        let points: Vec<String> = c
            .give_up
            .iter()
            .filter(|&&(after, _)| after < e.longest())
            .map(|&(after, share)| (after, (share * 1e4).floor() / 1e4))
            .filter(|&(_, share)| share > 0.0)
            .map(|(after, share)| {
                format!(
                    "{{ after = {after}, share = {} }}",
                    toml::Value::Float(share)
                )
            })
            .collect();
        line(format!("give_up = [{}]", points.join(", ")));
        if let Some(rate) = Self::appointment_rate(c) {
            line(String::new());
            line("[funnel]".into());
            line(format!("appointment_rate = {rate}"));
        }
        if !c.segments.is_empty() {
            line(String::new());
            line(
                "# Each segment of the log fitted by itself; its share is of the log's leads. \
                 Channel responses and give-up are the whole log's."
                    .into(),
            );
        }
        for (segment, share) in c.segments.iter().zip(segment_shares(&c.segments)) {
            let s = &segment.calibration;
            line(String::new());
            line("[[leads.segments]]".into());
            line(format!(
                "name = {}",
                toml::Value::String(segment.name.clone())
            ));
            line(format!("share = {share}"));
            if s.fit.model().fits_unreachable() {
                line(format!(
                    "unreachable = {}",
                    float(s.fit.reach.unreachable, 4)
                ));
            }
            line(Self::reachability_table(s));
            if let Some(rate) = Self::appointment_rate(s) {
                line(format!("funnel = {{ appointment_rate = {rate} }}"));
            }
        }
        out.push_str(&self.uncertainty_table(&out));
        out
    }

    /// The `[uncertainty]` table of the fitted numbers that `fragment` (the scenario written so
    /// far) states, each 95% interval rounded outward to four figures: the reachability mean
    /// and the channel responses with the other reachability numbers held at their fit
    /// ([`crate::calibrate::Fit::conditional_interval`]), and the appointment rate. The
    /// concentration and the unreachable share are not drawn: the log pins down how many leads
    /// it reaches far better than how that splits between them, and drawing each from its own
    /// interval would spread contacts many times wider than the log allows. A number whose
    /// interval reaches a bound of its key, or leaves out the value written, is not drawn
    /// either, and a comment says so.
    fn uncertainty_table(&self, fragment: &str) -> String {
        let c = self.0;
        let written = crate::scenario::load_str(fragment, "the fragment", &[])
            .expect("calibrate writes a valid scenario");
        let held = |q: Parameter| {
            c.fit
                .conditional_interval(q, LEVEL)
                .ok()
                .map(|interval| [interval.lo, interval.hi.unwrap_or(f64::INFINITY)])
        };
        let mut fitted: Vec<(Uncertain, Option<[f64; 2]>)> =
            vec![(Uncertain::Mean, held(Parameter::Mean))];
        for &channel in c.fit.model().free_channels() {
            fitted.push((
                Uncertain::Response(channel),
                held(Parameter::Response(channel)),
            ));
        }
        if let Some((_, rate)) = c.rates.iter().find(|(name, _)| name == "appointment_rate") {
            fitted.push((Uncertain::AppointmentRate, Some(rate.ci95)));
        }
        let mut lines = vec![
            String::new(),
            "# 95% intervals: plan, simulate and compare draw each number afresh for every"
                .to_string(),
            "# replication. The mean and the responses are the log's with the other reachability"
                .to_string(),
            "# numbers held at their fit; the concentration and the unreachable share are not drawn:"
                .to_string(),
            "# the log pins down the leads it reaches far better than how that splits between the"
                .to_string(),
            "# three, and independent draws would spread contacts far wider than the log allows."
                .to_string(),
            "[uncertainty]".to_string(),
        ];
        let mut left_out = Vec::new();
        let mut replaced = Vec::new();
        for (drawn, rate) in fitted {
            let key = drawn.key();
            // Segments that each give their own value leave no lead to draw it for.
            if written.groups_reading(drawn).is_empty() {
                replaced.push(key);
                continue;
            }
            let Some([lo, hi]) = rate else {
                left_out.push(key);
                continue;
            };
            let (lo, hi) = (outward(lo, f64::floor), outward(hi, f64::ceil));
            let in_bounds = match drawn.scale() {
                Scale::Rate => lo > 0.0 && hi < 1.0,
                Scale::Positive { most } => lo > 0.0 && hi <= most,
            };
            match drawn.value(&written) {
                Some(own) if in_bounds && (lo..=hi).contains(&own) => lines.push(format!(
                    "\"{key}\" = [{}, {}]",
                    toml::Value::Float(lo),
                    toml::Value::Float(hi)
                )),
                _ => left_out.push(key),
            }
        }
        if !left_out.is_empty() {
            lines.push(format!(
                "# Not drawn (the interval reaches a bound of the key, or leaves out the value \
                 written): {}",
                left_out.join(", ")
            ));
        }
        if !replaced.is_empty() {
            lines.push(format!(
                "# Not drawn (each segment gives its own, fitted apart, and it replaces the \
                 whole log's): {}",
                replaced.join(", ")
            ));
        }
        lines.iter().map(|line| format!("{line}\n")).collect()
    }
}

/// The segments' shares of the log's leads, to six significant digits, the last making the
/// sum exactly 1 (as `[[leads.segments]]` requires).
fn segment_shares(segments: &[SegmentFit]) -> Vec<toml::Value> {
    let mut shares: Vec<f64> = segments.iter().map(|s| significant(s.share, 6)).collect();
    if let Some((last, rest)) = shares.split_last_mut() {
        *last = ((1.0 - rest.iter().sum::<f64>()) * 1e9).round() / 1e9;
    }
    shares.into_iter().map(toml::Value::Float).collect()
}

impl Report for CalibrationReport<'_> {
    /// Observed against fitted conversations by attempt, over the give-up.
    type Chart = CalibrationChart;

    /// The readable table.
    fn write_text(&self, out: &mut dyn Write) -> io::Result<()> {
        let c = self.0;
        writeln!(out, "Calibration of {}", c.evidence.file)?;
        for line in self.describe_log() {
            writeln!(out, "  {line}")?;
        }
        writeln!(out)?;
        self.write_fit(out)?;
        writeln!(
            out,
            "\nConversations by attempt: share of the leads not yet reached that the touch reached"
        )?;
        let rows: Vec<[String; 4]> = c
            .attempts
            .iter()
            .map(|a| {
                [
                    a.attempt.to_string(),
                    group_thousands(a.leads as f64, 0),
                    share(a.conversations as f64 / a.leads as f64),
                    share(a.expected / a.leads as f64),
                ]
            })
            .collect();
        write_columns(out, &["attempt", "leads", "observed", "fitted"], &rows)?;
        writeln!(out, "\nRates, with 95% Wilson intervals")?;
        let rows: Vec<[String; 3]> = c
            .rates
            .iter()
            .map(|(name, rate)| [name.clone(), number(rate.estimate), interval(rate)])
            .collect();
        write_columns(out, &["", "estimate", "95% interval"], &rows)?;
        writeln!(
            out,
            "\nGive-up: share of leads dropped unreached after each number of touches \
             (Kaplan–Meier)"
        )?;
        let longest = c.evidence.longest();
        let shares: Vec<String> = c
            .give_up
            .iter()
            .map(|&(k, s)| {
                let end = if k == longest {
                    " (the longest run)"
                } else {
                    ""
                };
                format!("after {k}{end}: {:.1}%", 100.0 * s)
            })
            .collect();
        if shares.is_empty() {
            writeln!(out, "  none: every lead was worked until it was reached")?;
        } else {
            writeln!(out, "  {}", shares.join(", "))?;
        }
        if !c.reps.is_empty() {
            writeln!(out, "\nReps")?;
            let rows: Vec<[String; 5]> = c
                .reps
                .iter()
                .map(|r| {
                    [
                        r.rep.clone(),
                        group_thousands(r.leads as f64, 0),
                        group_thousands(r.dials as f64, 0),
                        format!(
                            "{} {}",
                            number(r.conversations_per_dial.estimate),
                            interval(&r.conversations_per_dial)
                        ),
                        format!(
                            "{} {}",
                            number(r.appointment_rate.estimate),
                            interval(&r.appointment_rate)
                        ),
                    ]
                })
                .collect();
            write_columns(
                out,
                &[
                    "rep",
                    "leads",
                    "dials",
                    "conversations per dial",
                    "appointment rate",
                ],
                &rows,
            )?;
        }
        for segment in &c.segments {
            let e = &segment.calibration.evidence;
            writeln!(
                out,
                "\nSegment {}: {} leads ({:.1}% of the log), {} touches, fitted by itself",
                calllog::quoted(&segment.name),
                group_thousands(e.leads as f64, 0),
                100.0 * segment.share,
                group_thousands(e.touches as f64, 0),
            )?;
            CalibrationReport(&segment.calibration).write_fit(out)?;
        }
        Ok(())
    }

    /// One JSON object: docs/model.md's keys, and the intervals, test, give-up and reps besides.
    fn json(&self) -> impl Serialize {
        self.json_object()
    }

    /// A row per estimate, with its 95% interval: the fitted quantities, then the rates
    /// observed in the log; then each segment's, named `SEGMENT.NAME`.
    fn write_csv(&self, out: &mut dyn Write) -> io::Result<()> {
        let segments =
            self.0.segments.iter().flat_map(|segment| {
                estimate_rows(&segment.calibration, &format!("{}.", segment.name))
            });
        csv_out::write_rows(out, estimate_rows(self.0, "").into_iter().chain(segments))
    }

    /// The chart of observed against fitted conversations by attempt, over the give-up.
    fn chart(&self) -> Result<CalibrationChart, NoChart> {
        let c = self.0;
        Ok(CalibrationChart {
            title: format!("Calibration of {}", c.evidence.file),
            subtitle: format!(
                "{} leads; fitted mean {:.3}, concentration {:.1}, decay {:.3}{}{}",
                group_thousands(c.evidence.leads as f64, 0),
                c.fit.reach.mean(),
                c.fit.reach.concentration(),
                c.fit.reach.decay,
                if c.fit.model().held_decay().is_some() {
                    " (held)"
                } else {
                    ""
                },
                match c.quantity(Parameter::Unreachable) {
                    Some(r) => format!(", unreachable {:.1}%", 100.0 * r.estimate),
                    None => String::new(),
                }
            ),
            attempts: c
                .attempts
                .iter()
                .filter(|a| a.leads > 0)
                .map(|a| {
                    let rate = Rate::proportion(a.conversations, a.leads);
                    (
                        a.attempt,
                        rate.estimate,
                        rate.ci95[0],
                        rate.ci95[1],
                        a.expected / a.leads as f64,
                    )
                })
                .collect(),
            // What the fitted leads would give without decay, when decay was fitted below 1.
            without_decay: if c.fit.model().held_decay().is_none() && c.fit.reach.decay < 0.999 {
                let reach = FittedReach {
                    decay: 1.0,
                    ..c.fit.reach
                };
                c.fit
                    .attempts_under(&reach)
                    .iter()
                    .filter(|a| a.leads > 0)
                    .map(|a| (a.attempt, a.expected / a.leads as f64))
                    .collect()
            } else {
                Vec::new()
            },
            give_up: c.give_up.clone(),
        })
    }
}

/// A row per estimate of `c`: the fitted quantities, then the observed rates, each name after
/// `prefix`.
fn estimate_rows(c: &Calibration, prefix: &str) -> Vec<EstimateRow> {
    let fitted = c
        .reachability
        .iter()
        .map(|&(q, rate)| (quantity_name(q), rate));
    fitted
        .chain(c.rates.iter().cloned())
        .map(|(name, rate)| EstimateRow {
            name: format!("{prefix}{name}"),
            estimate: rate.estimate,
            ci95_low: rate.ci95[0],
            ci95_high: rate.ci95[1],
        })
        .collect()
}

/// `x` to `digits` significant digits as a TOML float (always with its decimal point).
/// `x` rounded to four significant figures by `direction` (`floor` or `ceil`), so that an
/// interval's ends move outward.
fn outward(x: f64, direction: fn(f64) -> f64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let scale = 10f64.powi(3 - x.abs().log10().floor() as i32);
    direction(x * scale) / scale
}

fn float(x: f64, digits: i32) -> toml::Value {
    toml::Value::Float(significant(x, digits))
}

/// `x` rounded to `digits` significant digits.
fn significant(x: f64, digits: i32) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let scale = 10f64.powi(digits - 1 - x.abs().log10().floor() as i32);
    (x * scale).round() / scale
}

fn number(x: f64) -> String {
    match x {
        _ if x.is_nan() => crate::report::NONE.to_string(),
        _ if x.abs() >= 100.0 => group_thousands(x, 1),
        _ if x.abs() >= 1.0 => format!("{x:.3}"),
        _ => format!("{x:.4}"),
    }
}

fn share(x: f64) -> String {
    if x.is_nan() {
        crate::report::NONE.to_string()
    } else {
        format!("{x:.4}")
    }
}

fn interval(rate: &Rate) -> String {
    let hi = if rate.ci95[1].is_infinite() {
        "∞".to_string()
    } else {
        number(rate.ci95[1])
    };
    format!("{} – {hi}", number(rate.ci95[0]))
}

/// A row of the CSV: an estimate and its 95% interval (an upper end the data do not bound is
/// `inf`).
#[derive(Serialize)]
struct EstimateRow {
    name: String,
    #[serde(serialize_with = "csv_out::number")]
    estimate: f64,
    #[serde(serialize_with = "csv_out::number")]
    ci95_low: f64,
    #[serde(serialize_with = "csv_out::number")]
    ci95_high: f64,
}

/// The JSON object, keys in this order: the log read, the fit of reachability and its
/// intervals, the test of the fit, the fit by attempt, the rates, the give-up and each rep's
/// rates. serde_json writes a number that is not finite (an interval with no upper limit) as
/// null.
#[derive(Serialize)]
struct CalibrationJson<'a> {
    log: &'a str,
    leads: u64,
    touches: u64,
    /// Call and voicemail touches up to each lead's first conversation, and those of them
    /// whose outcome is voicemail.
    dials: u64,
    voicemails: u64,
    skipped_rows: u64,
    /// The first rows skipped, with their problem.
    skipped_lines: Vec<SkippedLineJson<'a>>,
    reachability: ReachabilityJson,
    /// Leads never reached whose log shows a bad number.
    bad_number_leads: u64,
    goodness_of_fit: Option<GoodnessOfFitJson>,
    /// With decay held: the likelihood-ratio test of it.
    decay_test: Option<DecayTestJson>,
    /// The warnings that conversations by attempt depart from the fit.
    warnings: Vec<String>,
    contact_by_attempt: Vec<AttemptJson>,
    /// The observed rates, then the fitted unreachable share and channel responses.
    rates: Entries<String, Rate>,
    give_up: Vec<GiveUpJson>,
    reps: Vec<RepJson<'a>>,
    /// With a segment column: each segment fitted by itself.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    segments: Vec<SegmentJson<'a>>,
}

#[derive(Serialize)]
struct SegmentJson<'a> {
    name: &'a str,
    share: f64,
    #[serde(flatten)]
    fit: CalibrationJson<'a>,
}

#[derive(Serialize)]
struct DecayTestJson {
    held: f64,
    fitted: f64,
    statistic: f64,
    p_value: f64,
}

#[derive(Serialize)]
struct SkippedLineJson<'a> {
    line: Option<u64>,
    problem: &'a str,
}

#[derive(Serialize)]
struct ReachabilityJson {
    alpha: f64,
    beta: f64,
    mean: f64,
    concentration: f64,
    unreachable: f64,
    decay: f64,
    /// Whether decay was held (--decay) rather than fitted.
    decay_held: bool,
    /// Every fitted quantity's 95% interval, by name.
    ci95: Entries<String, [f64; 2]>,
    log_likelihood: f64,
}

#[derive(Serialize)]
struct GoodnessOfFitJson {
    statistic: f64,
    df: u32,
    p_value: f64,
    groups: u32,
}

#[derive(Serialize)]
struct AttemptJson {
    attempt: usize,
    leads: u64,
    /// Shares of the leads that had the attempt.
    observed: f64,
    fitted: f64,
}

#[derive(Serialize)]
struct GiveUpJson {
    after: usize,
    share: f64,
}

#[derive(Serialize)]
struct RepJson<'a> {
    rep: &'a str,
    leads: u64,
    dials: u64,
    conversations_per_dial: Rate,
    appointment_rate: Rate,
    touches_per_unreached_lead: f64,
}
