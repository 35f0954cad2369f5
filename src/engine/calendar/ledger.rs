//! What a calendar replication counts and records: the funnel, each rep's work, the weeks
//! (when recorded), speed to lead, and what becomes of the replication's outcome.

use super::cash::CashFlow;
use super::lead::{Lead, POOL, Place};
use super::{CalendarModel, CalendarOutcome, FIRST_TOUCH_BINS, HELD, OPPORTUNITY, RepCounts};
use super::{SET, StaffCounts, WON, Week};
use crate::engine::counts::{FunnelCounts, SegmentedOutcome};

/// The counts of one replication.
pub(super) struct Ledger {
    /// Per group of leads.
    funnel: Vec<FunnelCounts>,
    reps: Vec<RepCounts>,
    /// Empty when weeks are not recorded.
    weeks: Vec<Week>,
    nurture_responses: u32,
    /// Inbound leads a rep skipped (cherry-picking).
    skipped: u32,
    first_touch: [u32; FIRST_TOUCH_BINS.len() + 1],
    /// The first day a rep had time for a new account and the territory had none left.
    territory_used_up: Option<u32>,
    /// Accounts of the list started.
    list_started: u64,
    /// Inbound leads by time to their first touch, reached on it.
    first_touch_reached: [u32; FIRST_TOUCH_BINS.len()],
    /// First conversations by the 0-based touch of the cadence that made them.
    conversations_by_touch: Vec<u32>,
    /// Appointments set, and deals, from conversations on or after a re-forecast's check-in.
    appointments_from_check_in: u32,
    deals_from_check_in: u32,
    /// Money by week, when the run is priced.
    cash: Option<CashFlow>,
}

impl Ledger {
    /// Nothing counted yet.
    pub(super) fn new(model: &CalendarModel) -> Self {
        Ledger {
            funnel: vec![FunnelCounts::default(); model.groups.len()],
            reps: vec![RepCounts::default(); model.reps.len()],
            weeks: if model.with_weeks {
                vec![Week::default(); model.calendar.weeks() as usize]
            } else {
                Vec::new()
            },
            nurture_responses: 0,
            skipped: 0,
            first_touch: [0; FIRST_TOUCH_BINS.len() + 1],
            territory_used_up: None,
            list_started: 0,
            first_touch_reached: [0; FIRST_TOUCH_BINS.len()],
            conversations_by_touch: vec![0; model.most_touches()],
            appointments_from_check_in: 0,
            deals_from_check_in: 0,
            cash: model.cash.map(|_| CashFlow::new(model.calendar.weeks())),
        }
    }

    /// A rep has time for a new account on `day`, and every account has been started.
    pub(super) fn territory_used_up(&mut self, day: u32) {
        self.territory_used_up.get_or_insert(day);
    }

    /// A lead enters the count.
    pub(super) fn lead(&mut self, model: &CalendarModel, lead: &Lead) {
        self.funnel[usize::from(lead.group)].leads += 1;
        if let (Some(cash), Some(prices)) = (&mut self.cash, &model.cash) {
            cash.add(f64::from(lead.arrival_day), -prices.per_lead);
        }
    }

    /// An account of the list is started: a lead that enters the count.
    pub(super) fn list_lead(&mut self, model: &CalendarModel, lead: &Lead) {
        self.lead(model, lead);
        self.list_started += 1;
    }

    /// Accounts of the list started so far.
    pub(super) fn list_started(&self) -> u64 {
        self.list_started
    }

    /// A rep skips an inbound lead (cherry-picking).
    pub(super) fn skip(&mut self) {
        self.skipped += 1;
    }

    /// An inbound lead's first touch, `delay` minutes after it arrived, and whether it reached
    /// the lead.
    pub(super) fn first_touch(&mut self, delay: f64, reached: bool) {
        let bin = FIRST_TOUCH_BINS
            .iter()
            .position(|&(upper, _)| delay < upper)
            .unwrap_or(FIRST_TOUCH_BINS.len() - 1);
        self.first_touch[bin] += 1;
        self.first_touch_reached[bin] += u32::from(reached);
    }

    /// Counts the touches the cadence plans for `lead` inside the horizon, up to its
    /// conversation, for the team, its first owner and the weeks they fall due in.
    pub(super) fn plan(&mut self, model: &CalendarModel, lead: &Lead) {
        let group = lead.group(model);
        let n = group.touches();
        let planned = group
            .planned_in_horizon(lead.arrival_day)
            .min(n)
            .min(lead.conversation.saturating_add(1));
        self.funnel[usize::from(lead.group)].planned += u64::from(planned);
        if lead.first_owner != POOL {
            self.reps[lead.first_owner as usize].planned += u32::from(planned);
        }
        if model.with_weeks {
            for k in 0..planned {
                self.weeks[(lead.planned_day(model, group, k) / 7) as usize].planned += 1;
            }
        }
    }

    /// Counts an inbound lead that is never touched: the cadence planned its touches from its
    /// arrival, as if the first came at once.
    pub(super) fn never_touched(&mut self, model: &CalendarModel, lead: &Lead) {
        self.plan(model, &lead.first_touched_after(model, 0.0));
        self.first_touch[FIRST_TOUCH_BINS.len()] += 1;
    }

    /// Counts the touches `ks` of each of `leads` leads at `place` made by `rep` on `day`,
    /// taking `minutes` in all.
    pub(super) fn touches(
        &mut self,
        model: &CalendarModel,
        rep: usize,
        day: u32,
        minutes: f64,
        (ks, leads): (std::ops::Range<u16>, u32),
        place: &Place,
    ) {
        let made = u32::from(ks.end - ks.start) * leads;
        let group = &model.groups[usize::from(place.group)];
        let prefix = group.lead.prefix_dials();
        let dials =
            (prefix[usize::from(ks.end)] - prefix[usize::from(ks.start)]) * u64::from(leads);
        let t = &mut self.funnel[usize::from(place.group)];
        t.touches += u64::from(made);
        t.dials += dials;
        t.minutes += minutes;
        let counts = &mut self.reps[rep];
        counts.touches += made;
        counts.minutes += minutes;
        let (before, after) = (
            group.prefix_by_channel[usize::from(ks.start)],
            group.prefix_by_channel[usize::from(ks.end)],
        );
        for ((count, after), before) in counts.touches_by_channel.iter_mut().zip(after).zip(before)
        {
            *count += (after - before) * leads;
        }
        if place.own {
            counts.made_on_own += made;
        }
        if let Some(week) = self.week_of(day) {
            week.touches += made;
            week.dials += dials as u32;
            week.minutes += minutes;
        }
    }

    /// Counts the touches `ks` of `leads` leads at `place`, made, toward the weeks they were
    /// planned for, however late (or, once recycled, early) they were made: a week's
    /// penetration cannot pass 100%. Only for models that record weeks.
    pub(super) fn planned_made(
        &mut self,
        model: &CalendarModel,
        place: &Place,
        ks: std::ops::Range<u16>,
        leads: u32,
    ) {
        let group = &model.groups[usize::from(place.group)];
        for k in ks {
            let planned = model.due_day(group, place.entered() as i32, k);
            if planned < model.calendar.days() {
                self.weeks[(planned / 7) as usize].planned_made += leads;
            }
        }
    }

    /// A nurtured lead's response: a conversation with `rep` on `day`, taking `minutes`.
    pub(super) fn nurture_response(
        &mut self,
        model: &CalendarModel,
        lead: &Lead,
        rep: usize,
        day: u32,
        minutes: f64,
    ) {
        self.funnel[usize::from(lead.group)].minutes += minutes;
        self.nurture_responses += 1;
        self.reps[rep].minutes += minutes;
        if let Some(week) = self.week_of(day) {
            week.minutes += minutes;
        }
        self.conversation(model, lead, rep, day, None);
    }

    /// A conversation with `rep` on `day`, on the cadence's 0-based `touch` (`None`: a nurture
    /// response), and what follows from it inside the horizon.
    pub(super) fn conversation(
        &mut self,
        model: &CalendarModel,
        lead: &Lead,
        rep: usize,
        day: u32,
        touch: Option<u16>,
    ) {
        if let Some(k) = touch {
            self.conversations_by_touch[usize::from(k)] += 1;
        }
        let stage = lead.stage(model, rep);
        let horizon = f64::from(model.calendar.days());
        let set = u32::from(stage >= SET);
        let group = lead.group(model);
        let t = &mut self.funnel[usize::from(lead.group)];
        t.contacts += 1;
        t.appointments_set += u64::from(set);
        let counts = &mut self.reps[rep];
        counts.conversations += 1;
        counts.appointments_set += set;
        if let Some(week) = self.week_of(day) {
            week.contacts += 1;
            week.appointments_set += set;
        }
        let after_check_in = model.check_in_day().is_some_and(|from| day >= from);
        if after_check_in {
            self.appointments_from_check_in += set;
        }
        let held = f64::from(day) + group.appointment_lag_days;
        if stage < HELD || held >= horizon {
            return;
        }
        let opportunity = u32::from(stage >= OPPORTUNITY);
        self.reps[rep].appointments_held += 1;
        let t = &mut self.funnel[usize::from(lead.group)];
        t.appointments_held += 1;
        t.opportunities += u64::from(opportunity);
        self.record(
            held,
            Week {
                appointments_held: 1,
                opportunities: opportunity,
                ..Week::default()
            },
        );
        if let (Some(cash), Some(prices)) = (&mut self.cash, &model.cash) {
            let paid =
                prices.per_appointment_held + f64::from(opportunity) * prices.per_opportunity;
            cash.add(held, -paid);
        }
        let close = held + group.cycle_days(u64::from(lead.cycle_draw) << 32);
        if stage == WON && close < horizon {
            self.funnel[usize::from(lead.group)].deals += 1;
            let counts = &mut self.reps[rep];
            counts.deals += 1;
            counts.revenue += group.lead.deal_size();
            if after_check_in {
                self.deals_from_check_in += 1;
            }
            self.record(
                close,
                Week {
                    deals: 1,
                    ..Week::default()
                },
            );
            if let (Some(cash), Some(prices)) = (&mut self.cash, &model.cash) {
                cash.add(
                    close,
                    group.lead.deal_size() * (1.0 - prices.commission_rate),
                );
            }
        }
    }

    /// Adds counts to the week of `day`, when weeks are recorded.
    #[inline]
    fn record(&mut self, day: f64, counts: Week) {
        if self.weeks.is_empty() {
            return;
        }
        if let Some(week) = self.weeks.get_mut((day / 7.0) as usize) {
            week.add(&counts);
        }
    }

    /// The week of `day`, when weeks are recorded (a whole day: no division in floating
    /// point, which [`Ledger::record`] needs for the days of appointments and deals).
    fn week_of(&mut self, day: u32) -> Option<&mut Week> {
        self.weeks.get_mut((day / 7) as usize)
    }

    /// The backlog at the end of the week of `day`, when weeks are recorded.
    pub(super) fn week_backlog(&mut self, day: u32, backlog: u32) {
        if let Some(week) = self.week_of(day) {
            week.backlog = backlog;
        }
    }

    /// The replication's outcome, with `backlog` due touches left unmade at its end, what
    /// turnover did to the seats when reps can leave, and the seat-weeks filled in each week
    /// (`None`: every seat all the time).
    pub(super) fn outcome(
        self,
        model: &CalendarModel,
        backlog: u32,
        staffing: Option<StaffCounts>,
        filled_by_week: Option<&[f64]>,
    ) -> CalendarOutcome {
        let payback = self.cash.as_ref().zip(model.cash).map(|(cash, prices)| {
            let seats = model.reps.len() as f64;
            cash.payback(|week| prices.seat_week * filled_by_week.map_or(seats, |f| f[week]))
        });
        let priced: Vec<FunnelCounts> = self
            .funnel
            .iter()
            .zip(&model.groups)
            .map(|(counts, group)| counts.priced(group.lead.deal_size()))
            .collect();
        let minutes: f64 = priced.iter().map(|c| c.minutes).sum();
        let SegmentedOutcome { total, segments } = SegmentedOutcome::of(&priced);
        CalendarOutcome {
            outcome: total,
            segments,
            weeks: self.weeks,
            reps: self.reps,
            first_touch: self.first_touch,
            first_touch_reached: self.first_touch_reached,
            conversations_by_touch: self.conversations_by_touch,
            backlog,
            nurture_responses: self.nurture_responses,
            skipped: self.skipped,
            unused_minutes: (staffing
                .map_or_else(|| model.total_minutes(), |s| s.capacity_minutes)
                - minutes)
                .max(0.0),
            staffing,
            payback,
            territory_used_up: self.territory_used_up,
            list_started: self.list_started,
            appointments_from_check_in: self.appointments_from_check_in,
            deals_from_check_in: self.deals_from_check_in,
        }
    }
}
