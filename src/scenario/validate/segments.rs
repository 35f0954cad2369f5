//! `[[leads.segments]]`: names, shares and sources, and each segment's own numbers checked by
//! the rules of the top-level keys they replace.

use super::checks::{Checks, Invalid};
use super::{cadence, funnel, leads};
use crate::scenario::{LeadSource, MAX_SEGMENTS, REFERRALS, Scenario, Segment};

/// How far a source's shares may add up from 1: rounding in decimal shares, no more.
const SHARE_SUM_TOLERANCE: f64 = 1e-9;

/// The rules of `[[leads.segments]]`.
pub(super) fn check(c: &mut Checks, s: &Scenario) {
    let segments = &s.leads.segments;
    if segments.is_empty() {
        return;
    }
    if segments.len() > MAX_SEGMENTS {
        c.fail(
            "leads.segments",
            format!("[{} segments]", segments.len()),
            format!("may list at most {MAX_SEGMENTS} segments: merge the smallest"),
        );
    }
    let implicit: Vec<&str> = s
        .sources_without_segments()
        .into_iter()
        .map(LeadSource::name)
        .collect();
    for (i, segment) in segments.iter().enumerate() {
        let key = |k: &str| format!("leads.segments[{i}].{k}");
        let name = segment.name.trim();
        if name.is_empty() {
            c.fail(
                key("name"),
                "\"\"",
                "is empty: give each segment a name (reports list segments by name)",
            );
        } else if let Some(first) = segments[..i].iter().position(|o| o.name.trim() == name) {
            c.fail(
                key("name"),
                format!("\"{}\"", segment.name),
                format!("leads.segments[{first}] has this name already: give each segment its own"),
            );
        } else if s.referrals.are_on() && name == REFERRALS {
            c.fail(
                key("name"),
                format!("\"{}\"", segment.name),
                "names the referred leads' group (referrals.per_conversation is on): call the \
                 segment something else",
            );
        } else if implicit.contains(&name) {
            c.fail(
                key("name"),
                format!("\"{}\"", segment.name),
                format!(
                    "names the scenario's own {name} leads, which no segment belongs to: call \
                     the segment something else, or give the {name} leads segments"
                ),
            );
        }
        if !(segment.share > 0.0 && segment.share <= 1.0) {
            c.fail(
                key("share"),
                segment.share,
                "must be above 0 and at most 1: the segment's share of its source's leads",
            );
        }
        source(c, s, i, segment);
        own_numbers(c, s, &format!("leads.segments[{i}]"), segment);
    }
    share_sums(c, s);
}

/// A segment's source: one the scenario has, and one only.
fn source(c: &mut Checks, s: &Scenario, i: usize, segment: &Segment) {
    let key = format!("leads.segments[{i}].source");
    let scenario_source = s.leads.source;
    match segment.source_in(scenario_source) {
        LeadSource::Both if segment.source.is_some() => c.fail(
            key,
            "\"both\"",
            "a segment's leads come from one source: write source = \"list\" or \"inbound\"",
        ),
        LeadSource::Both => c.fail(
            key,
            "",
            "with leads.source = \"both\", say which source the segment's leads come from: \
             source = \"list\" or \"inbound\"",
        ),
        LeadSource::List if !scenario_source.has_list() => c.fail(
            key,
            "\"list\"",
            format!(
                "leads.source = \"{}\" has no list: set leads.source = \"both\", or give the \
                 segment source = \"inbound\"",
                scenario_source.name()
            ),
        ),
        LeadSource::Inbound if !scenario_source.has_arrivals() => c.fail(
            key,
            "\"inbound\"",
            format!(
                "leads.source = \"{}\" has no inbound leads: set leads.source = \"both\" (and \
                 leads.per_week), or give the segment source = \"list\"",
                scenario_source.name()
            ),
        ),
        _ => {}
    }
}

/// Each source's segments share out all of its leads: checked once every segment has a
/// valid share and one source (else the sum would speak of a mistake already reported).
fn share_sums(c: &mut Checks, s: &Scenario) {
    let segments = &s.leads.segments;
    let all_placed = segments.iter().all(|seg| {
        seg.share > 0.0 && seg.share <= 1.0 && seg.source_in(s.leads.source) != LeadSource::Both
    });
    if !all_placed {
        return;
    }
    for source in [LeadSource::List, LeadSource::Inbound] {
        let of_source: Vec<&Segment> = segments
            .iter()
            .filter(|seg| seg.source_in(s.leads.source) == source)
            .collect();
        if of_source.is_empty() {
            continue;
        }
        let sum: f64 = of_source.iter().map(|seg| seg.share).sum();
        if (sum - 1.0).abs() > SHARE_SUM_TOLERANCE {
            // Shown as the shares were written, not with binary rounding's tail.
            let sum = (sum * 1e9).round() / 1e9;
            let listed: Vec<String> = of_source
                .iter()
                .map(|seg| format!("{} {}", seg.name, seg.share))
                .collect();
            c.fail(
                "leads.segments",
                "",
                format!(
                    "the shares of the {} segments add up to {sum} ({}): they must add up to 1, \
                     each segment's share of the {} leads",
                    source.name(),
                    listed.join(", "),
                    source.name()
                ),
            );
        }
    }
}

/// A segment's own numbers, checked by the rules of the keys they replace: each problem of the
/// segment's effective scenario that the scenario itself has not got, under the segment's key
/// (`at`: `leads.segments[i]`, or `referrals` for the referred leads).
pub(super) fn own_numbers(c: &mut Checks, s: &Scenario, at: &str, segment: &Segment) {
    let own_scenario = s.with_segment(segment);
    let found = |scenario: &Scenario| {
        let mut checks = Checks::default();
        leads::check(&mut checks, scenario);
        funnel::check(&mut checks, scenario);
        cadence::check(&mut checks, scenario);
        checks.found
    };
    let base = found(s);
    let replaced = [
        (
            segment.unreachable.is_some(),
            "leads.unreachable",
            "unreachable",
        ),
        (
            segment.reachability.is_some(),
            "leads.reachability",
            "reachability",
        ),
        (segment.funnel.is_some(), "funnel", "funnel"),
        (segment.cadence.is_some(), "cadence", "cadence"),
    ];
    for invalid in found(&own_scenario) {
        if base.contains(&invalid) {
            continue;
        }
        let renamed = replaced.iter().find_map(|&(given, top, own)| {
            let rest = invalid.key.strip_prefix(top)?;
            (given && (rest.is_empty() || rest.starts_with(['.', '['])))
                .then(|| format!("{at}.{own}{rest}"))
        });
        if let Some(key) = renamed {
            c.found.push(Invalid {
                key,
                value: invalid.value,
                fix: format!("segment \"{}\": {}", segment.name, invalid.fix),
            });
        }
    }
}
