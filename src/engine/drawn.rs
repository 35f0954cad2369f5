//! Replications with the scenario's `[uncertainty]` drawn afresh for each (docs/model.md,
//! "Parameter uncertainty"): every replication builds its model from its own draw of the
//! numbers not known exactly, then runs on its usual stream.
//!
//! The draw comes from a stream of its own, seeded from the replication's stream without
//! moving it, so replication r of a run meets the same luck (the same leads, the same funnel
//! draws) with and without the table, and the same parameters in every variant and every
//! candidate of a plan's search.

use rand::{Rng, SeedableRng};

use super::rng::Stream;
use super::sampling::unit_interval;
use super::{CalendarModel, CohortModel, Replicate, SetHours};
use crate::scenario::{Scenario, Uncertain};

/// Told apart from every other use of a replication's first draw.
const PARAMETER_SALT: u64 = 0xD1B5_4A32_D192_ED03;

/// A model of `scenario` whose `[uncertainty]` is drawn for every replication.
#[derive(Debug, Clone)]
pub struct Drawn<'a, M, B> {
    scenario: &'a Scenario,
    build: B,
    /// The model at the scenario's own numbers, for its buffers (draws change no shape).
    own: M,
}

impl<'a, M, B: Fn(&Scenario) -> M> Drawn<'a, M, B> {
    /// Replications of the models `build` makes from draws of `scenario`'s uncertain numbers.
    pub fn new(scenario: &'a Scenario, build: B) -> Self {
        Drawn {
            own: build(scenario),
            scenario,
            build,
        }
    }
}

/// A cohort of `scenario` with its uncertain numbers drawn per replication.
pub fn drawn_cohort(scenario: &Scenario) -> Drawn<'_, CohortModel, fn(&Scenario) -> CohortModel> {
    Drawn::new(scenario, CohortModel::new)
}

/// A calendar of `scenario` at `hours_per_day` with its uncertain numbers drawn per
/// replication, recording weeks when asked.
pub fn drawn_calendar(
    scenario: &Scenario,
    hours_per_day: f64,
    record_weeks: bool,
) -> DrawnCalendar<'_> {
    DrawnCalendar {
        scenario,
        hours_per_day,
        record_weeks,
        own: CalendarModel::new(scenario, hours_per_day),
    }
}

/// A calendar whose uncertain numbers are drawn for every replication, at hours that can be
/// set (a plan's search sets them replication by replication).
#[derive(Debug, Clone)]
pub struct DrawnCalendar<'a> {
    scenario: &'a Scenario,
    hours_per_day: f64,
    record_weeks: bool,
    /// The model at the scenario's own numbers, for its buffers (draws change no shape).
    own: CalendarModel,
}

impl Replicate for DrawnCalendar<'_> {
    type Output = <CalendarModel as Replicate>::Output;
    type Scratch = <CalendarModel as Replicate>::Scratch;

    fn scratch(&self) -> Self::Scratch {
        self.own.scratch()
    }

    fn replicate(&self, stream: &mut Stream, scratch: &mut Self::Scratch) -> Self::Output {
        let model = CalendarModel::new(&drawn_scenario(self.scenario, stream), self.hours_per_day);
        let model = if self.record_weeks {
            model.recording_weeks()
        } else {
            model
        };
        model.replicate(stream, scratch)
    }
}

impl SetHours for DrawnCalendar<'_> {
    fn set_hours_per_day(&mut self, hours_per_day: f64) {
        self.hours_per_day = hours_per_day;
    }
}

/// The scenario a replication runs on: `scenario` with its uncertain numbers drawn from the
/// parameter stream of the replication whose stream is `stream`.
pub fn drawn_scenario(scenario: &Scenario, stream: &Stream) -> Scenario {
    let mut parameters = parameter_stream(stream);
    let uniforms = [(); Uncertain::ALL.len()].map(|_| unit_interval(parameters.next_u64()));
    scenario.uncertainty.drawn(scenario, &uniforms)
}

/// The parameter stream of a replication: seeded from the first draw of a copy of its stream,
/// so the stream itself does not move.
fn parameter_stream(stream: &Stream) -> Stream {
    let mut copy = stream.clone();
    Stream::seed_from_u64(copy.next_u64() ^ PARAMETER_SALT)
}

impl<M, B> Replicate for Drawn<'_, M, B>
where
    M: Replicate,
    B: Fn(&Scenario) -> M + Sync,
{
    type Output = M::Output;
    type Scratch = M::Scratch;

    fn scratch(&self) -> M::Scratch {
        self.own.scratch()
    }

    fn replicate(&self, stream: &mut Stream, scratch: &mut M::Scratch) -> M::Output {
        let model = (self.build)(&drawn_scenario(self.scenario, stream));
        model.replicate(stream, scratch)
    }
}
