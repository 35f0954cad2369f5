//! One lead in the calendar: its fate, drawn when it enters, where it stands in its cadence,
//! and what its touches take; and the streams new leads are drawn from, in entry order.

use rand::Rng;
use rand_distr::Distribution;

use super::desk::LeadSlots;
use super::{Arrivals, CalendarModel, GroupModel, SET};
use crate::engine::rng::{Leap, Stream, leaped};
use crate::engine::sampling::unit_interval;
use crate::reach::{first_touch_chance, touch_chance};

/// The owner of a lead in the shared pool: nobody in particular.
pub(super) const POOL: u16 = u16::MAX;

/// One lead: its fate, drawn when it enters, and where it stands.
#[derive(Debug, Clone, Copy)]
pub(super) struct Lead {
    /// Touch k falls due on `anchor` + the touch's day, snapped to a working day.
    pub(super) anchor: i32,
    /// 0-based touch of its first conversation (n: none). Before an inbound lead's first touch:
    /// the first conversation after the first touch.
    pub(super) conversation: u16,
    /// Its owner makes the touches below this one.
    pub(super) stop: u16,
    /// The next touch to make.
    pub(super) next: u16,
    /// The rep who owns it, or [`POOL`].
    pub(super) owner: u16,
    /// The rep it was first given to, or [`POOL`].
    pub(super) first_owner: u16,
    pub(super) recycled: bool,
    pub(super) inbound: bool,
    pub(super) touched: bool,
    /// Its group of leads (the model's index), whose cadence, reachability and funnel it has.
    pub(super) group: u8,
    /// The day it entered (an inbound lead's arrival, a list lead's start) and, inbound, the
    /// minute of that working day. Its cadence is planned from this day: `anchor` moves when
    /// the lead is recycled, the plan does not.
    pub(super) arrival_day: u32,
    pub(super) arrival_minute: f32,
    /// Inbound: its reachability, and the uniform that decides its first touch.
    p: f32,
    first_touch_u: f32,
    stage_draw: u64,
    /// The top 32 bits of the draws of its sales cycle and of a second owner's give-up point
    /// (after recycling): 2^−32 resolution is far below any Monte Carlo error.
    pub(super) cycle_draw: u32,
    pub(super) second_stop_draw: u32,
    /// Days from the start of nurture to its response.
    pub(super) nurture_days: f32,
    /// Visible score, standard normal scale.
    pub(super) score: f32,
}

/// Where a lead waiting at a desk for a follow-up stands: everything serving reads of it but
/// its slot and its fate. Leads started together share it, and wait and move together as a run
/// (see `Desk`). Days fit in 16 bits: a horizon has at most 520 weeks, and a cadence spans at
/// most 3,650 days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Place {
    /// The lead's `anchor` and `arrival_day`.
    anchor: i16,
    entered: u16,
    pub(super) next: u16,
    pub(super) group: u8,
    /// Whether its owner is the rep it was first given to, so that their touches are made on
    /// their own lead (a shared pool's leads are no rep's own).
    pub(super) own: bool,
}

impl Place {
    /// Touch `k` falls due on this day plus the touch's day, snapped to a working day.
    pub(super) fn anchor(&self) -> i32 {
        i32::from(self.anchor)
    }

    /// The day the lead entered, from which its cadence is planned.
    pub(super) fn entered(&self) -> u32 {
        u32::from(self.entered)
    }

    /// The same place, with touch `next` the next to make.
    pub(super) fn at(&self, next: u16) -> Place {
        Place { next, ..*self }
    }
}

/// One lead waiting at a place: the slot holding the rest of it (see `LeadSlots`), and the
/// two touches that end its wait, 8 bytes moved from day to day. While it waits nothing of it
/// changes but its place.
#[derive(Debug, Clone, Copy)]
pub(super) struct Waiting {
    pub(super) slot: u32,
    pub(super) conversation: u16,
    pub(super) stop: u16,
}

impl Waiting {
    /// Minutes `rep` takes for its touch `k`, its conversation and booking included (the rest
    /// of the lead, in `slots`, is read only for its conversation).
    #[inline]
    pub(super) fn touch_minutes(
        &self,
        model: &CalendarModel,
        group: &GroupModel,
        k: u16,
        rep: usize,
        slots: &LeadSlots,
    ) -> f64 {
        if k == self.conversation {
            slots.lead(self).touch_minutes(model, k, rep)
        } else {
            group.touch_minutes(rep, k)
        }
    }
}

/// A lead waiting at a desk: where it stands, and itself.
#[derive(Debug, Clone, Copy)]
pub(super) struct Ticket {
    pub(super) place: Place,
    pub(super) waiting: Waiting,
}

impl Ticket {
    /// The ticket of `lead`, kept in `slot`.
    pub(super) fn new(lead: &Lead, slot: u32) -> Self {
        Ticket {
            place: Place {
                anchor: lead.anchor as i16,
                entered: lead.arrival_day as u16,
                next: lead.next,
                group: lead.group,
                own: lead.owner != POOL && lead.first_owner == lead.owner,
            },
            waiting: Waiting {
                slot,
                conversation: lead.conversation,
                stop: lead.stop,
            },
        }
    }
}

impl Lead {
    /// The desk it waits at: its owner's, or the pool's.
    pub(super) fn desk(&self) -> usize {
        match self.owner {
            POOL => 0,
            owner => owner as usize,
        }
    }

    /// Its group of leads.
    #[inline]
    pub(super) fn group<'m>(&self, model: &'m CalendarModel) -> &'m GroupModel {
        &model.groups[usize::from(self.group)]
    }

    /// The day its touch `k` falls due from `anchor`, snapped to a working day.
    pub(super) fn due_day(&self, model: &CalendarModel, anchor: i32, k: u16) -> u32 {
        model.due_day(self.group(model), anchor, k)
    }

    /// The day its touch `k` was planned for, as a lead of `group` (its own, looked up once
    /// by callers that ask for many touches): due from the day it entered, snapped to a
    /// working day (the horizon's end or later: not planned inside the horizon).
    pub(super) fn planned_day(&self, model: &CalendarModel, group: &GroupModel, k: u16) -> u32 {
        model.due_day(group, self.arrival_day as i32, k)
    }

    /// The funnel stage it reaches in a conversation with `rep`.
    pub(super) fn stage(&self, model: &CalendarModel, rep: usize) -> u8 {
        self.group(model).stage_sampler[rep].sample(self.stage_draw) as u8
    }

    /// Minutes of a conversation on touch `k` with `rep`, its booking included.
    pub(super) fn conversation_minutes(&self, model: &CalendarModel, k: usize, rep: usize) -> f64 {
        let lead = &self.group(model).lead;
        let booking = if self.stage(model, rep) >= SET {
            lead.booking_minutes()
        } else {
            0.0
        };
        lead.touches()[k].conversation_minutes + booking
    }

    /// Minutes `rep` takes for its touch `k`, its conversation and booking included.
    pub(super) fn touch_minutes(&self, model: &CalendarModel, k: u16, rep: usize) -> f64 {
        let base = self.group(model).touch_minutes(rep, k);
        if k == self.conversation {
            base + self.conversation_minutes(model, k as usize, rep)
        } else {
            base
        }
    }

    /// The lead owned by `owner` (a rep, or the pool) from its first touch, stopping where that
    /// owner's give-up point, drawn with `stop_draw`, says.
    fn given_to(self, model: &CalendarModel, owner: u16, stop_draw: u64) -> Lead {
        let rep = (owner != POOL).then(|| &model.reps[owner as usize]);
        Lead {
            stop: model.stop_for(self.group(model), rep, stop_draw),
            owner,
            first_owner: owner,
            ..self
        }
    }

    /// The lead with its cadence starting on `day` (a lead that waited for a rep with time).
    pub(super) fn entering_on(&self, day: u32) -> Lead {
        Lead {
            anchor: day as i32,
            arrival_day: day,
            ..*self
        }
    }

    /// The touches of its first day that it gets, and their minutes with `rep`.
    pub(super) fn first_day_minutes(&self, model: &CalendarModel, rep: usize) -> (u16, f64) {
        let last = self
            .conversation
            .min(self.stop.saturating_sub(1))
            .min(self.group(model).first_block - 1);
        let minutes = (0..=last).map(|k| self.touch_minutes(model, k, rep)).sum();
        (last + 1, minutes)
    }

    /// This inbound lead with its first touch `delay` minutes after it arrived: a lead still at
    /// hand is easier to reach (speed to lead), which settles its first conversation.
    pub(super) fn first_touched_after(&self, model: &CalendarModel, delay: f64) -> Lead {
        let arrivals = model.arrivals.as_ref().expect("inbound leads arrive");
        let response = self.group(model).lead.multipliers()[0];
        let p = f64::from(self.p);
        // A lead that can never be reached is not reached at once either.
        let chance = if p > 0.0 {
            let at_hand = arrivals.speed_to_lead.at_hand_after(delay);
            first_touch_chance(touch_chance(p, response), at_hand, response)
        } else {
            0.0
        };
        let conversation = if f64::from(self.first_touch_u) < chance {
            0
        } else {
            self.conversation
        };
        Lead {
            conversation,
            ..*self
        }
    }
}

/// The draws of a lead's funnel stage and sales cycle, from the stream of its kind.
struct Fate {
    stage_draw: u64,
    cycle_draw: u32,
}

impl Fate {
    fn draw(stream: &mut Stream) -> Self {
        Fate {
            stage_draw: stream.next_u64(),
            cycle_draw: (stream.next_u64() >> 32) as u32,
        }
    }
}

/// The draws only team features use: a second owner's give-up point, the nurture response
/// and the noise in the visible score.
struct Extra {
    second_stop_draw: u32,
    nurture_draw: u64,
    noise: f64,
}

impl Extra {
    /// For models that use none of them.
    const NONE: Extra = Extra {
        second_stop_draw: 0,
        nurture_draw: 0,
        noise: 0.5,
    };

    fn draw(stream: &mut Stream) -> Self {
        Extra {
            second_stop_draw: (stream.next_u64() >> 32) as u32,
            nurture_draw: stream.next_u64(),
            noise: unit_interval(stream.next_u64()),
        }
    }
}

/// Where new leads come from. Each kind of lead draws from a stream of its own, so the n-th
/// lead of a kind is the same lead whatever the capacity: list leads from the replication's
/// stream (their team-feature draws from a jump of it), inbound leads from a long jump.
pub(super) struct LeadSource<'a> {
    list: &'a mut Stream,
    list_extra: Stream,
    inbound: Stream,
    /// A list lead drawn but not started (its first day did not fit), and its give-up draw.
    list_waiting: Option<(Lead, u64)>,
    /// The list's accounts drawn so far for each group that has list accounts.
    list_assigned: Vec<u64>,
    /// The list's accounts drawn so far.
    list_drawn: u64,
    /// Whether each conversation refers a lead, and the referred leads: a stream of their own,
    /// there only with referrals on.
    referred: Option<Stream>,
}

impl<'a> LeadSource<'a> {
    /// The leads of the replication whose stream is `stream`.
    pub(super) fn new(stream: &'a mut Stream) -> Self {
        LeadSource {
            list_extra: leaped(stream, Leap::Jump),
            inbound: leaped(stream, Leap::LongJump),
            list: stream,
            list_waiting: None,
            list_assigned: Vec::new(),
            list_drawn: 0,
            referred: None,
        }
    }

    /// The same, with the stream of referrals (the list's team-feature stream, a long jump on).
    pub(super) fn with_referrals(mut self) -> Self {
        self.referred = Some(leaped(&self.list_extra, Leap::LongJump));
        self
    }

    /// Whether a conversation refers a lead, with chance `chance`.
    pub(super) fn refers(&mut self, chance: f64) -> bool {
        let stream = self.referred.as_mut().expect("referrals have their stream");
        unit_interval(stream.next_u64()) < chance
    }

    /// A lead referred in a conversation of `owner`'s, of group `group`, entering on `day`:
    /// drawn as a list lead is, from the referrals' stream.
    pub(super) fn draw_referred(
        &mut self,
        model: &CalendarModel,
        group_index: u8,
        owner: u16,
        day: u32,
    ) -> Lead {
        let stream = self.referred.as_mut().expect("referrals have their stream");
        let (lead, stop_draw) = drawn_cold(model, group_index, day, stream, None);
        lead.given_to(model, owner, stop_draw)
    }

    /// Fills `minutes` with the minutes of the working day at which `day`'s inbound leads
    /// arrive, in order.
    pub(super) fn arrival_minutes(
        &mut self,
        arrivals: &Arrivals,
        day: u32,
        minutes: &mut Vec<f64>,
    ) {
        minutes.clear();
        let Some(arriving) = arrivals.per_weekday[(day % 7) as usize] else {
            return;
        };
        let count = arriving.sample(&mut self.inbound) as usize;
        minutes.extend(
            (0..count).map(|_| unit_interval(self.inbound.next_u64()) * arrivals.workday_minutes),
        );
        // Equal minutes are equal to the bit (total order), so an unstable sort gives the order
        // a stable one would.
        minutes.sort_unstable_by(f64::total_cmp);
    }

    /// Draws an inbound lead arriving at `minute` of `day`, and the draw of its owner's give-up
    /// point (the owner is set on arrival). Its reachability's rank is its true rank.
    pub(super) fn draw_inbound(
        &mut self,
        model: &CalendarModel,
        arrivals: &Arrivals,
        day: u32,
        minute: f64,
    ) -> (Lead, u64) {
        let stream = &mut self.inbound;
        // Only a scenario with inbound segments draws them: without, the stream is as it was.
        let group_index = match &arrivals.groups {
            Some((groups, sampler)) => groups[sampler.sample(stream.next_u64())],
            None => arrivals.only_group,
        };
        let group = &model.groups[usize::from(group_index)];
        let rank = unit_interval(stream.next_u64());
        let p = group
            .reach
            .as_ref()
            .expect("a group with inbound leads samples their reachability")
            .sample(rank);
        let first_touch_u = unit_interval(stream.next_u64());
        let conversation = group.later_conversation(p, unit_interval(stream.next_u64()));
        let stop_draw = stream.next_u64();
        let fate = Fate::draw(stream);
        let extra = Extra::draw(stream);
        let lead = Lead {
            stop: model.stop_for(group, None, stop_draw),
            inbound: true,
            arrival_minute: minute as f32,
            p: p as f32,
            first_touch_u: first_touch_u as f32,
            ..entering(model, group_index, day, conversation, fate, extra, rank)
        };
        (lead, stop_draw)
    }

    /// The next list lead, started by `owner` on `day`, and the draw of its owner's give-up
    /// point: the one left waiting, or a new one with the same four draws as the cohort
    /// engine's lead, then three more from a stream of their own.
    pub(super) fn draw_list(&mut self, model: &CalendarModel, owner: u16, day: u32) -> (Lead, u64) {
        let (lead, stop_draw) = match self.list_waiting.take() {
            Some((lead, stop_draw)) => (lead.entering_on(day), stop_draw),
            None => {
                let group_index = self.next_list_group(model);
                drawn_cold(
                    model,
                    group_index,
                    day,
                    self.list,
                    Some(&mut self.list_extra),
                )
            }
        };
        (lead.given_to(model, owner, stop_draw), stop_draw)
    }

    /// The group of the next account drawn from the list: with one group, it; else the quota
    /// method's next (see `ListShares`).
    fn next_list_group(&mut self, model: &CalendarModel) -> u8 {
        let shares = &model.list_shares;
        if let [(only, _)] = shares.groups[..] {
            return only;
        }
        self.list_assigned.resize(shares.groups.len(), 0);
        let (group, place) = shares.next(&self.list_assigned, self.list_drawn);
        self.list_assigned[place] += 1;
        self.list_drawn += 1;
        group
    }

    /// Keeps a list lead that did not fit, with its give-up draw: the same lead is the next one
    /// started, by whoever has time.
    pub(super) fn hold_list(&mut self, lead: Lead, stop_draw: u64) {
        self.list_waiting = Some((lead, stop_draw));
    }
}

/// A lead of group `group_index` entering on `day` drawn as the cohort engine draws one: its
/// first conversation, its give-up draw (returned beside it) and its fate from `stream`, then
/// the team-feature draws, when the model uses them, from `extras` (else from `stream`).
fn drawn_cold(
    model: &CalendarModel,
    group_index: u8,
    day: u32,
    stream: &mut Stream,
    extras: Option<&mut Stream>,
) -> (Lead, u64) {
    let group = &model.groups[usize::from(group_index)];
    let conversation_draw = stream.next_u64();
    let conversation = group.lead.first_conversation().sample(conversation_draw);
    let stop_draw = stream.next_u64();
    let fate = Fate::draw(stream);
    let extra = if model.needs_extras() {
        Extra::draw(extras.unwrap_or(stream))
    } else {
        Extra::NONE
    };
    // Its true rank is how early it would answer.
    let rank = 1.0 - unit_interval(conversation_draw);
    let lead = entering(
        model,
        group_index,
        day,
        conversation as u16,
        fate,
        extra,
        rank,
    );
    (lead, stop_draw)
}

/// A lead of group `group` entering on `day` with its first conversation on touch
/// `conversation`, owned by the pool until given to a rep; `rank` is how reachable it truly is,
/// for its score.
fn entering(
    model: &CalendarModel,
    group: u8,
    day: u32,
    conversation: u16,
    fate: Fate,
    extra: Extra,
    rank: f64,
) -> Lead {
    Lead {
        anchor: day as i32,
        conversation,
        stop: model.groups[usize::from(group)].touches(),
        next: 0,
        owner: POOL,
        first_owner: POOL,
        recycled: false,
        inbound: false,
        touched: false,
        group,
        arrival_day: day,
        arrival_minute: 0.0,
        p: 0.0,
        first_touch_u: 0.0,
        stage_draw: fate.stage_draw,
        cycle_draw: fate.cycle_draw,
        second_stop_draw: extra.second_stop_draw,
        nurture_days: model.nurture.map_or(f32::INFINITY, |n| {
            (-(1.0 - unit_interval(extra.nurture_draw)).ln() / n.hazard_per_day) as f32
        }),
        score: if model.scored {
            model.score(rank, extra.noise)
        } else {
            0.0
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::rng::replication_stream;
    use crate::scenario::load_str;

    #[test]
    fn a_lead_fits_in_a_cache_line() {
        assert!(std::mem::size_of::<super::Lead>() <= 64);
    }

    #[test]
    fn a_waiting_lead_is_an_eighth_of_a_cache_line() {
        assert!(std::mem::size_of::<super::Waiting>() <= 8);
        assert!(std::mem::size_of::<super::Place>() <= 8);
    }

    /// An inbound scenario whose reachability is spread, with unreachable leads and the
    /// cadence `touches`, so that every term of the closed forms counts.
    fn inbound(touches: &str) -> crate::scenario::Scenario {
        let text = format!(
            r#"
            [leads]
            source = "inbound"
            per_week = 100
            reachability = {{ mean = 0.2, concentration = 2.0, decay = 1.1 }}
            unreachable = 0.3
            [cadence]
            touches = {touches}
            [speed_to_lead]
            at_hand = 0.8
            half_life_minutes = 4
            "#
        );
        load_str(&text, "test.toml", &[]).unwrap()
    }

    #[test]
    fn the_first_touch_reaches_leads_as_the_closed_form_says_at_every_delay() {
        // A first touch on a channel of response 0.95, and one whose own factor takes it above
        // 1 (1.5 × 1, counted as 1.5 touches' worth).
        for touches in [
            r#"[{ day = 0, channel = "voicemail" }, { day = 2, channel = "call" }]"#,
            r#"[{ day = 0, channel = "call", response = 1.5 }, { day = 2, channel = "call" }]"#,
        ] {
            let scenario = inbound(touches);
            let model = CalendarModel::new(&scenario, 2.0);
            let arrivals = model.arrivals.as_ref().unwrap();
            let population = model.lead().population();
            let response = model.lead().multipliers()[0];
            let leads = 200_000;
            for delay in [0.0, 2.0, 4.0, 10.0, 60.0] {
                let mut stream = replication_stream(9, delay as u64);
                let mut source = LeadSource::new(&mut stream);
                let reached = (0..leads)
                    .filter(|_| {
                        let (lead, _) = source.draw_inbound(&model, arrivals, 0, 0.0);
                        lead.first_touched_after(&model, delay).conversation == 0
                    })
                    .count();
                let observed = reached as f64 / f64::from(leads);
                let at_hand = scenario.speed_to_lead.at_hand_after(delay);
                let expected = population.first_touch_chance(response, at_hand);
                let se = (expected * (1.0 - expected) / f64::from(leads)).sqrt();
                assert!(
                    (observed - expected).abs() <= 4.5 * se,
                    "{touches}, delay {delay}: {observed} against {expected} (se {se})"
                );
            }
        }
    }

    #[test]
    fn later_touches_reach_inbound_leads_as_the_survival_says_with_factors_above_one() {
        // Touches 2.. of a lead drawn at random: its first conversation among them falls on
        // touch k with chance S'(k−1) − S'(k), S' the survival of touches 2.. alone. Touch 3's
        // multiplier is 1.3 × 1.1² = 1.57, touch 4's 2 × 0.95 × 1.1³ = 2.53.
        let scenario = inbound(
            r#"[
                { day = 0, channel = "call" }, { day = 1, channel = "email" },
                { day = 2, channel = "call", response = 1.3 },
                { day = 4, channel = "voicemail", response = 2.0 }, { day = 6, channel = "call" },
            ]"#,
        );
        let model = CalendarModel::new(&scenario, 2.0);
        let arrivals = model.arrivals.as_ref().unwrap();
        let multipliers = model.lead().multipliers();
        assert!(multipliers.iter().filter(|&&c| c > 1.0).count() >= 2);
        let survival = model.lead().population().survival(&multipliers[1..]);
        let n = multipliers.len();
        let leads = 200_000u32;
        let mut stream = replication_stream(4, 0);
        let mut source = LeadSource::new(&mut stream);
        let mut at = vec![0u32; n + 1];
        for _ in 0..leads {
            let (lead, _) = source.draw_inbound(&model, arrivals, 0, 0.0);
            at[lead.conversation as usize] += 1;
        }
        assert_eq!(at[0], 0, "the first touch is settled by speed to lead");
        for k in 1..=n {
            let expected = if k < n {
                survival[k - 1] - survival[k]
            } else {
                survival[n - 1]
            };
            let observed = f64::from(at[k]) / f64::from(leads);
            let se = (expected * (1.0 - expected) / f64::from(leads)).sqrt();
            assert!(
                (observed - expected).abs() <= 4.5 * se,
                "touch {}: {observed} against {expected} (se {se})",
                k + 1
            );
        }
    }
}
