//! Scenario files: the plain-data description of a prospecting setup.
//!
//! A scenario is read from TOML (see [`load`]), every key has a default taken from published
//! figures (docs/model.md, Sources; the source is cited beside each default), and
//! [`validate`] checks every value against the rules of the model. The engine never sees TOML: it is built from a
//! validated [`Scenario`].

mod load;
mod segments;
mod sweep;
mod tables_only;
mod uncertainty;
mod validate;

#[cfg(test)]
pub(crate) use load::load_with;
pub use load::{Location, Origin, Override, Problem, ScenarioError, Source, load, load_str};
pub use segments::{FunnelOverrides, LeadGroup, MAX_SEGMENTS, Segment, Shares};
pub use sweep::{Axis, Grid, MAX_POINTS, MIN_SWING, Measure, Sweep, SweepRun};
pub use uncertainty::{Interval, Scale, Uncertain, Uncertainty};
pub use validate::{
    Invalid, MAX_CONCENTRATION, MAX_DECAY, MAX_LEAD_REPLICATIONS, MAX_TOUCH_MULTIPLIER,
    MIN_BETA_SHAPE, validate,
};

use serde::{Deserialize, Serialize};

/// One whole scenario, with every default filled in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Scenario {
    /// A human name, echoed in every output.
    pub name: String,
    pub simulation: Simulation,
    pub leads: Leads,
    pub cadence: Cadence,
    pub reps: Reps,
    pub channels: Channels,
    pub funnel: Funnel,
    pub team: Team,
    pub routing: Routing,
    pub speed_to_lead: SpeedToLead,
    pub nurture: Nurture,
    pub referrals: Referrals,
    pub goal: Goal,
    /// `[costs]`: what prospecting costs (none unless stated).
    #[serde(skip_serializing_if = "Costs::is_empty")]
    pub costs: Costs,
    /// `[people]`: reps who leave and hires who never make it (none unless stated).
    #[serde(skip_serializing_if = "People::is_empty")]
    pub people: People,
    /// `[service]`: what an inbound team promises its new leads, which `plan` sizes the team
    /// to keep (none unless stated).
    #[serde(skip_serializing_if = "Service::is_empty")]
    pub service: Service,
    pub blitz: Blitz,
    pub sweep: Sweep,
    /// `[uncertainty]`: numbers not known exactly, each with its 95% interval, drawn afresh
    /// for every replication of `plan`, `simulate` and `compare`.
    #[serde(skip_serializing_if = "Uncertainty::is_empty")]
    pub uncertainty: Uncertainty,
    /// `[[variants]]`: strategies `compare` runs side by side, each a set of overrides.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub variants: Vec<Variant>,
}

/// One `[[variants]]` entry: a name and dotted overrides (`set = { "cadence.attempts" = 3 }`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Variant {
    pub name: String,
    #[serde(default)]
    pub set: std::collections::BTreeMap<String, toml::Value>,
}

impl Default for Scenario {
    fn default() -> Self {
        Scenario {
            name: "Cold outbound (published averages)".to_string(),
            simulation: Simulation::default(),
            leads: Leads::default(),
            cadence: Cadence::default(),
            reps: Reps::default(),
            channels: Channels::default(),
            funnel: Funnel::default(),
            team: Team::default(),
            routing: Routing::default(),
            speed_to_lead: SpeedToLead::default(),
            nurture: Nurture::default(),
            referrals: Referrals::default(),
            goal: Goal::default(),
            costs: Costs::default(),
            people: People::default(),
            service: Service::default(),
            blitz: Blitz::default(),
            sweep: Sweep::default(),
            uncertainty: Uncertainty::default(),
            variants: Vec::new(),
        }
    }
}

/// `[simulation]`: how many replications, the master seed, and the calendar horizon.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Simulation {
    pub replications: u64,
    pub seed: u64,
    pub weeks: u32,
    pub working_days_per_week: u32,
    pub weeks_off: u32,
}

impl Default for Simulation {
    fn default() -> Self {
        Simulation {
            replications: 10_000,
            seed: 1,
            weeks: 52,
            working_days_per_week: 5,
            // Holidays plus a typical vacation allowance.
            weeks_off: 4,
        }
    }
}

/// `[leads]`: how many leads, and how reachable they are.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Leads {
    /// Leads of a cohort; in calendar runs the accounts of the territory a list offers.
    pub count: u64,
    /// Calendar runs: a list without end, a fresh lead always at hand, in place of a territory
    /// of `count` accounts.
    pub unlimited: bool,
    /// Calendar runs: accounts added to the territory at the start of each month after the
    /// first.
    pub refill_per_month: u64,
    pub reachability: Reachability,
    /// Share of leads that can never be reached (bad numbers, wrong people).
    pub unreachable: f64,
    pub source: LeadSource,
    pub per_week: f64,
    /// Relative arrivals on each working day of the week (Monday first); empty: even.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub arrival_profile: Vec<f64>,
    /// `[[leads.segments]]`: named groups of leads, each with its share of a source's leads and
    /// its own numbers; empty: one population.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub segments: Vec<Segment>,
}

impl Default for Leads {
    fn default() -> Self {
        Leads {
            // No published figure: a territory of a thousand accounts for one rep.
            count: 1000,
            unlimited: false,
            refill_per_month: 0,
            // A quarter of leads unreachable, Beta(mean 0.18, concentration 3) and decay 0.92:
            // over the ten-attempt cadence worked in full, 5.47% of dials reach the prospect
            // (Gong Labs × 30MPC 2024: 5.4%; ConnectAndSell 2017: 4.0%), and the second
            // attempt connects 0.654 times as often as the first (InsightSquared 2015: about
            // two thirds). The unreachable share, concentration and decay are the published
            // cold-outbound shape (docs/model.md, Sources), whose mean of 0.15 gives only 4.55%
            // of dials: the mean is raised to meet Gong.
            reachability: Reachability {
                mean: default_mean(),
                concentration: Some(3.0),
                decay: 0.92,
            },
            unreachable: 0.25,
            source: LeadSource::List,
            per_week: 0.0,
            arrival_profile: Vec::new(),
            // No published figure: one population unless a scenario names its segments.
            segments: Vec::new(),
        }
    }
}

impl Leads {
    /// Whether calendar runs work a territory of `count` accounts: a list, not unlimited.
    pub fn has_territory(&self) -> bool {
        self.source.has_list() && !self.unlimited
    }
}

/// `leads.reachability`: the per-touch chance of a conversation with the decision maker.
///
/// Inside a written table the keys keep the meaning of docs/model.md: without `concentration`
/// every lead has the same chance `mean`, and without `decay` there is none (1.0).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reachability {
    #[serde(default = "default_mean")]
    pub mean: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concentration: Option<f64>,
    #[serde(default = "no_decay")]
    pub decay: f64,
}

fn no_decay() -> f64 {
    1.0
}

/// The cold-outbound reachability mean (see `Leads::default`).
fn default_mean() -> f64 {
    0.18
}

/// `leads.source`: where new leads come from in calendar runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LeadSource {
    /// A list: the territory's accounts (or an unlimited list), started as capacity allows.
    List,
    /// Leads arrive by themselves, `per_week` on average (Poisson).
    Inbound,
    /// Inbound arrivals first, and the list fills the time they leave.
    Both,
}

impl LeadSource {
    /// The source's name as written in scenario files.
    pub fn name(self) -> &'static str {
        match self {
            LeadSource::List => "list",
            LeadSource::Inbound => "inbound",
            LeadSource::Both => "both",
        }
    }

    /// Whether leads arrive by themselves.
    pub fn has_arrivals(self) -> bool {
        matches!(self, LeadSource::Inbound | LeadSource::Both)
    }

    /// Whether a list fills spare time.
    pub fn has_list(self) -> bool {
        matches!(self, LeadSource::List | LeadSource::Both)
    }
}

/// `[cadence]`: the touches planned for each lead, either explicit or as the
/// `attempts`/`days` shorthand (calls spread evenly over the days). Without `touches`, a
/// missing half of the shorthand keeps its default. `[cadence.restart]` runs the cadence
/// again for leads it did not reach.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "CadenceInput")]
pub struct Cadence {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub touches: Option<Vec<Touch>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attempts: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restart: Option<Restart>,
}

/// `[cadence.restart]`: the Bloodhound restart. A lead that ends a cycle of the cadence
/// without a conversation starts it again after a pause, up to `cycles` cycles in all. A lead
/// its rep gave up on is not restarted: giving up counts touches over every cycle.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Restart {
    /// Cycles in all, the first one included.
    pub cycles: u32,
    /// Days from a cycle's last touch to the next cycle's first.
    pub pause_days: u32,
    /// Multiplier on the lead's reachability in every cycle after the first (0 to 1).
    pub response: f64,
}

impl Default for Restart {
    fn default() -> Self {
        // The practice the tool tests ("16 touches over 28 days; if a prospect does not
        // respond, begin again next quarter"): a year of quarterly cycles. No published figure
        // says how a restarted cycle responds, so by default as the first.
        Restart {
            cycles: 4,
            pause_days: 90,
            response: 1.0,
        }
    }
}

// HubSpot (Roberge, 30,000 leads): value to acquisition cost peaks near 10 call attempts;
// 28 days is the common length of an outbound cadence.
const DEFAULT_ATTEMPTS: u32 = 10;
const DEFAULT_DAYS: u32 = 28;

impl Default for Cadence {
    fn default() -> Self {
        Cadence {
            touches: None,
            attempts: Some(DEFAULT_ATTEMPTS),
            days: Some(DEFAULT_DAYS),
            restart: None,
        }
    }
}

/// `[cadence]` as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CadenceInput {
    #[serde(default)]
    touches: Option<Vec<Touch>>,
    #[serde(default)]
    attempts: Option<u32>,
    #[serde(default)]
    days: Option<u32>,
    #[serde(default)]
    restart: Option<Restart>,
}

impl From<CadenceInput> for Cadence {
    fn from(input: CadenceInput) -> Self {
        match input.touches {
            // Both forms at once stay as written, for validation to reject.
            Some(_) => Cadence {
                touches: input.touches,
                attempts: input.attempts,
                days: input.days,
                restart: input.restart,
            },
            None => Cadence {
                touches: None,
                attempts: Some(input.attempts.unwrap_or(DEFAULT_ATTEMPTS)),
                days: Some(input.days.unwrap_or(DEFAULT_DAYS)),
                restart: input.restart,
            },
        }
    }
}

impl Cadence {
    /// The touches of one cycle in order. Validation guarantees exactly one form is given; the
    /// shorthand places call k (k = 0, 1, …) on day ⌊k · days / attempts⌋, so every touch
    /// falls inside the `days`-day window.
    pub fn one_cycle(&self) -> Vec<Touch> {
        match (&self.touches, self.attempts) {
            (Some(touches), _) => touches.clone(),
            (None, Some(attempts)) => {
                let days = u64::from(self.days.unwrap_or(0));
                (0..attempts)
                    .map(|k| Touch {
                        day: (u64::from(k) * days / u64::from(attempts)) as u32,
                        channel: Channel::Call,
                        response: no_touch_factor(),
                    })
                    .collect()
            }
            (None, None) => Vec::new(),
        }
    }

    /// Cycles of the cadence a lead may be worked: 1 without a restart.
    pub fn cycles(&self) -> u32 {
        self.restart.map_or(1, |r| r.cycles)
    }

    /// Days from the start of one cycle to the start of the next: the cycle's last touch and
    /// the pause after it.
    pub fn cycle_days(&self) -> u64 {
        let last = self.one_cycle().last().map_or(0, |t| t.day);
        u64::from(last) + u64::from(self.restart.map_or(0, |r| r.pause_days))
    }

    /// Every planned touch in order, the restarted cycles after the first (days count from the
    /// lead's first touch). Validation keeps every day within `u32`.
    pub fn expand(&self) -> Vec<Touch> {
        let cycle = self.one_cycle();
        let every = self.cycle_days();
        (0..u64::from(self.cycles()))
            .flat_map(|c| {
                cycle.iter().map(move |t| Touch {
                    day: (c * every + u64::from(t.day)).min(u64::from(u32::MAX)) as u32,
                    ..*t
                })
            })
            .collect()
    }

    /// Each planned touch's multiplier on a lead's reachability, in the order of [`Self::expand`]:
    /// its channel's response × its own response × `decay`^(k within its cycle) × the restart's
    /// response in cycles after the first. Prospects tire (or warm) within a cycle; a restarted
    /// cycle, months later, starts afresh at its own response.
    pub fn multipliers(&self, channels: &Channels, decay: f64) -> Vec<f64> {
        let per_cycle = self.one_cycle().len().max(1);
        let restarted = self.restart.map_or(1.0, |r| r.response);
        self.expand()
            .iter()
            .enumerate()
            .map(|(k, touch)| {
                let cycle_factor = if k < per_cycle { 1.0 } else { restarted };
                channels.settings(touch.channel).response
                    * touch.response
                    * decay.powi((k % per_cycle) as i32)
                    * cycle_factor
            })
            .collect()
    }
}

/// One planned touch: a day offset from the lead's first touch, a channel, and the touch's own
/// response factor.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Touch {
    pub day: u32,
    pub channel: Channel,
    /// Multiplier on the lead's reachability for this touch alone, on top of its channel's
    /// response (above 1: more likely to reach than the channel alone, e.g. a call after a
    /// voicemail). Default 1.
    #[serde(default = "no_touch_factor")]
    pub response: f64,
}

/// No published figure: a touch responds as its channel does unless the scenario says so.
fn no_touch_factor() -> f64 {
    1.0
}

/// The channels a touch can use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Channel {
    Call,
    Voicemail,
    Email,
    Inmail,
}

impl Channel {
    /// Every channel, in a fixed order (the engine indexes arrays by it).
    pub const ALL: [Channel; 4] = [
        Channel::Call,
        Channel::Voicemail,
        Channel::Email,
        Channel::Inmail,
    ];

    /// The channel's name as written in scenario files.
    pub fn name(self) -> &'static str {
        match self {
            Channel::Call => "call",
            Channel::Voicemail => "voicemail",
            Channel::Email => "email",
            Channel::Inmail => "inmail",
        }
    }

    /// Position in [`Channel::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// Whether a touch on the channel is a dial: a call, or a voicemail (a dial that leaves a
    /// message). `dials` counts these touches, `touches` those on every channel.
    pub fn is_dial(self) -> bool {
        matches!(self, Channel::Call | Channel::Voicemail)
    }
}

/// `[reps]`: how reps really work the cadence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct Reps {
    /// Stopping points: a share of leads is dropped after `after` touches; the rest run the
    /// whole cadence. Empty by default: the often quoted "80% give up after the third call"
    /// has no primary source (docs/model.md), so a scenario states its own.
    pub give_up: Vec<GiveUp>,
}

/// One stopping point of the give-up mixture.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GiveUp {
    pub after: u32,
    pub share: f64,
}

/// `[channels.*]`: time and response of each channel. A key a channel's table leaves out keeps
/// that channel's default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "ChannelsInput")]
pub struct Channels {
    pub call: ChannelSettings,
    pub voicemail: ChannelSettings,
    pub email: ChannelSettings,
    pub inmail: ChannelSettings,
}

impl Default for Channels {
    fn default() -> Self {
        Channels {
            // Dialing by hand and logging each call: 18–20 dials an hour (blitz studies), about
            // 3 min per unanswered dial. Click-to-call from a sequence tool takes about 1 min,
            // a parallel dialer far less (ConnectAndSell: ~150 dials an hour). Conversations
            // 1.5 min (Chorus.ai 2019: connected cold calls average 80 s).
            call: ChannelSettings {
                minutes: 3.0,
                conversation_minutes: 1.5,
                response: 1.0,
            },
            // A dial that reaches voicemail (3 min by hand, as a call) plus half a minute for
            // the message. Callbacks run at about 4.8% of voicemails (InsideSales), close to
            // the ~5% of dials that reach someone, hence a response near that of a live call.
            voicemail: ChannelSettings {
                minutes: 3.5,
                conversation_minutes: 1.5,
                response: 0.95,
            },
            // Cold email replies run at 3.4% on average (Instantly 2026), but only a part of
            // replies become conversations with the decision maker.
            email: ChannelSettings {
                minutes: 3.0,
                conversation_minutes: 1.5,
                response: 0.2,
            },
            // No published primary figure: a personalised message, answered somewhat more
            // often than email. Calibrate it from your own logs.
            inmail: ChannelSettings {
                minutes: 4.0,
                conversation_minutes: 1.5,
                response: 0.3,
            },
        }
    }
}

impl Channels {
    /// The time and response of `channel`.
    pub fn settings(&self, channel: Channel) -> &ChannelSettings {
        match channel {
            Channel::Call => &self.call,
            Channel::Voicemail => &self.voicemail,
            Channel::Email => &self.email,
            Channel::Inmail => &self.inmail,
        }
    }

    /// The time and response of `channel`, to change.
    pub fn settings_mut(&mut self, channel: Channel) -> &mut ChannelSettings {
        match channel {
            Channel::Call => &mut self.call,
            Channel::Voicemail => &mut self.voicemail,
            Channel::Email => &mut self.email,
            Channel::Inmail => &mut self.inmail,
        }
    }
}

/// `[channels]` as written: every key optional.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
struct ChannelsInput {
    call: ChannelInput,
    voicemail: ChannelInput,
    email: ChannelInput,
    inmail: ChannelInput,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
struct ChannelInput {
    minutes: Option<f64>,
    conversation_minutes: Option<f64>,
    response: Option<f64>,
}

impl ChannelInput {
    fn or(self, default: ChannelSettings) -> ChannelSettings {
        ChannelSettings {
            minutes: self.minutes.unwrap_or(default.minutes),
            conversation_minutes: self
                .conversation_minutes
                .unwrap_or(default.conversation_minutes),
            response: self.response.unwrap_or(default.response),
        }
    }
}

impl From<ChannelsInput> for Channels {
    fn from(input: ChannelsInput) -> Self {
        let default = Channels::default();
        Channels {
            call: input.call.or(default.call),
            voicemail: input.voicemail.or(default.voicemail),
            email: input.email.or(default.email),
            inmail: input.inmail.or(default.inmail),
        }
    }
}

/// Time and response of one channel.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChannelSettings {
    /// Minutes per touch that reaches nobody.
    pub minutes: f64,
    /// Extra minutes when the touch becomes a conversation.
    pub conversation_minutes: f64,
    /// Multiplier on the lead's reachability, relative to a live call (0 to 1).
    pub response: f64,
}

/// `[funnel]`: conversion down the funnel and its timing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Funnel {
    pub appointment_rate: f64,
    pub show_rate: f64,
    pub opportunity_rate: f64,
    pub win_rate: f64,
    pub deal_size: f64,
    /// Extra prospecting minutes when a conversation books an appointment.
    pub booking_minutes: f64,
    pub appointment_lag_days: f64,
    pub sales_cycle_days: SalesCycle,
}

impl Default for Funnel {
    fn default() -> Self {
        Funnel {
            // The cold-outbound default (docs/model.md, Sources). Vorsight via TOPO/Gartner
            // 2019: 3 conversations per appointment at best; Cognism 2024: about 5% of cold
            // conversations.
            appointment_rate: 0.12,
            // 25–35% no-shows on cold outbound meetings (vendor figures).
            show_rate: 0.75,
            // Gartner/TOPO 2019: 59% for top teams.
            opportunity_rate: 0.5,
            // HubSpot survey: about 21% overall.
            win_rate: 0.2,
            // Bridge Group 2017 reports cycles at $25K ACV.
            deal_size: 25_000.0,
            // Chorus.ai 2019: calls that book a meeting last 7.5 min; the default uses 6 min
            // against 1.5 min for other conversations.
            booking_minutes: 4.5,
            appointment_lag_days: 5.0,
            sales_cycle_days: SalesCycle::default(),
        }
    }
}

/// `funnel.sales_cycle_days`: days from opportunity to close, lognormal. Without `p90`, the
/// tail keeps the default's proportion to the median.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(from = "SalesCycleInput")]
pub struct SalesCycle {
    pub median: f64,
    pub p90: f64,
}

// Bridge Group 2017: median 60 days at $25K ACV. The P90 is an assumption (a long right tail
// of 2.5× the median); set your own.
const DEFAULT_CYCLE_MEDIAN: f64 = 60.0;
const DEFAULT_CYCLE_TAIL: f64 = 2.5;

impl Default for SalesCycle {
    fn default() -> Self {
        SalesCycle {
            median: DEFAULT_CYCLE_MEDIAN,
            p90: DEFAULT_CYCLE_MEDIAN * DEFAULT_CYCLE_TAIL,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SalesCycleInput {
    #[serde(default)]
    median: Option<f64>,
    #[serde(default)]
    p90: Option<f64>,
}

impl From<SalesCycleInput> for SalesCycle {
    fn from(input: SalesCycleInput) -> Self {
        let median = input.median.unwrap_or(DEFAULT_CYCLE_MEDIAN);
        SalesCycle {
            median,
            p90: input.p90.unwrap_or(median * DEFAULT_CYCLE_TAIL),
        }
    }
}

/// `[team]`: capacity for calendar runs. `reps` identical reps, or `[[team.members]]` each
/// with their own hours, pace, skill and give-up point (then `reps` is their number).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "TeamInput")]
pub struct Team {
    pub reps: u32,
    pub prospecting_hours_per_day: f64,
    pub ramp_weeks: f64,
    /// Hours in a working day: no plan asks a rep to prospect longer than this, and inbound
    /// leads arrive during it.
    pub workday_hours: f64,
    /// Blocks each rep's prospecting time comes in, spread evenly over the working day and
    /// staggered between reps. A new inbound lead waits for a block of a rep who can take it.
    pub sessions_per_day: u32,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<Member>,
}

impl Default for Team {
    fn default() -> Self {
        Team {
            reps: 1,
            // 45–52 dials a day (industry reports) at 18–20 dials an hour (blitz studies): about
            // 2.5 hours of dialing.
            prospecting_hours_per_day: 2.5,
            // Bridge Group: an SDR ramps in about 3 months.
            ramp_weeks: 12.0,
            workday_hours: 8.0,
            // No published figure: a block of calls every two hours of an eight-hour day.
            sessions_per_day: 4,
            members: Vec::new(),
        }
    }
}

/// `[team]` as written: without `reps`, the members are counted.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TeamInput {
    #[serde(default)]
    reps: Option<u32>,
    #[serde(default)]
    prospecting_hours_per_day: Option<f64>,
    #[serde(default)]
    ramp_weeks: Option<f64>,
    #[serde(default)]
    workday_hours: Option<f64>,
    #[serde(default)]
    sessions_per_day: Option<u32>,
    #[serde(default)]
    members: Vec<Member>,
}

impl From<TeamInput> for Team {
    fn from(input: TeamInput) -> Self {
        let default = Team::default();
        let counted = if input.members.is_empty() {
            default.reps
        } else {
            u32::try_from(input.members.len()).unwrap_or(u32::MAX)
        };
        Team {
            reps: input.reps.unwrap_or(counted),
            prospecting_hours_per_day: input
                .prospecting_hours_per_day
                .unwrap_or(default.prospecting_hours_per_day),
            ramp_weeks: input.ramp_weeks.unwrap_or(default.ramp_weeks),
            workday_hours: input.workday_hours.unwrap_or(default.workday_hours),
            sessions_per_day: input.sessions_per_day.unwrap_or(default.sessions_per_day),
            members: input.members,
        }
    }
}

/// One `[[team.members]]` entry. A key left out takes the team's value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Member {
    pub name: String,
    /// Prospecting hours a working day (default `team.prospecting_hours_per_day`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours_per_day: Option<f64>,
    /// Minutes this rep takes for a call that reaches nobody (default `channels.call.minutes`);
    /// the rep's other touches take longer or shorter in the same proportion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minutes_per_touch: Option<f64>,
    /// Multiplier on `funnel.appointment_rate` for this rep's conversations.
    #[serde(default = "one")]
    pub skill: f64,
    /// Touches after which this rep drops every lead they own (default: drawn for each lead
    /// from `reps.give_up`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub give_up: Option<u32>,
    /// Weeks this rep ramps from 0 to full capacity (default `team.ramp_weeks`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ramp_weeks: Option<f64>,
    /// The share of the team's goal the leader gives this rep (every member or none; they add
    /// up to 1). Absent: each rep carries their share of the deals the plan's years bring in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goal_share: Option<f64>,
}

fn one() -> f64 {
    1.0
}

/// `[routing]`: who works which lead in calendar runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Routing {
    pub mode: RoutingMode,
    /// The order of due follow-ups (new inbound leads always come first).
    pub priority: Priority,
    /// Round-robin: days after a rep drops a lead unconverted before it goes to the next rep,
    /// who works the rest of the cadence. Absent: dropped leads stay dropped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recycle_after_days: Option<u32>,
    /// Round-robin: the share of leads, lowest visible score first, that reps skip.
    pub cherry_pick: f64,
    /// Correlation between a lead's visible score and how reachable it really is.
    pub score_accuracy: f64,
    /// When a rep picks up a new inbound lead.
    pub pickup: Pickup,
}

impl Default for Routing {
    fn default() -> Self {
        Routing {
            mode: RoutingMode::RoundRobin,
            priority: Priority::Age,
            recycle_after_days: None,
            cherry_pick: 0.0,
            // No published figure: a lead score that ranks leads only loosely.
            score_accuracy: 0.5,
            // The engine's simplest reading: a rep in a block sees a new lead at once.
            pickup: Pickup::AtOnce,
        }
    }
}

/// `routing.pickup`: when a rep picks up a new inbound lead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Pickup {
    /// A rep in a prospecting block calls a new lead the moment it arrives.
    AtOnce,
    /// A rep picks up new leads only as a block starts, as a team that checks its CRM a few
    /// times a day does.
    BlockStart,
}

/// `routing.mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RoutingMode {
    /// Each new lead goes to the next rep in turn, who owns it and decides when to stop.
    RoundRobin,
    /// One queue: any rep with time takes the next due touch, and the whole cadence is worked.
    SharedPool,
}

impl RoutingMode {
    /// The mode's name as written in scenario files.
    pub fn name(self) -> &'static str {
        match self {
            RoutingMode::RoundRobin => "round-robin",
            RoutingMode::SharedPool => "shared-pool",
        }
    }
}

/// `routing.priority`: which due follow-ups are worked first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Priority {
    /// The longest overdue first.
    Age,
    /// The highest visible lead score first.
    Score,
}

/// `[speed_to_lead]`: what calling an inbound lead at once is worth. A lead that has just asked
/// to be called is at hand (by its phone, expecting the call) with chance `at_hand`, and that
/// chance halves every `half_life_minutes`. A first touch that finds a reachable lead at hand
/// reaches it with the channel's response; otherwise the lead answers with its own chance.
/// Leads that can never be reached are not reached at once either.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SpeedToLead {
    /// Chance a reachable lead is at hand the moment it asks (0: speed makes no difference).
    pub at_hand: f64,
    pub half_life_minutes: f64,
}

impl SpeedToLead {
    /// The chance a reachable lead is still at hand `delay` minutes after it asked.
    pub fn at_hand_after(&self, delay: f64) -> f64 {
        self.at_hand * (-delay.max(0.0) / self.half_life_minutes).exp2()
    }
}

impl Default for SpeedToLead {
    fn default() -> Self {
        // MIT/InsideSales Lead Response Management study (2007): first dials within 5 minutes
        // make 4 times the contacts of first dials at 5 to 10 minutes; a half-life of 2.5
        // minutes gives 2^(5/2.5) = 4 between the two bins. No figure says how many leads are
        // at hand at once: all of them (1), which with that half-life gives the study's 100×
        // odds of contact (5 against 30 minutes) in a population whose slow first dials reach
        // about 1%, as the study's did (docs/model.md, "Speed to lead").
        SpeedToLead {
            at_hand: 1.0,
            half_life_minutes: 2.5,
        }
    }
}

/// `[nurture]`: leads that end their cadence without a conversation get email and text
/// content from `after_days` after their last touch; each month a share of them responds, and
/// a response is a conversation with a rep.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Nurture {
    pub after_days: u32,
    /// Chance a nurtured lead responds within a month (0: no nurture).
    pub monthly_response_rate: f64,
}

impl Default for Nurture {
    fn default() -> Self {
        // No published primary figure: off unless a scenario states its own.
        Nurture {
            after_days: 14,
            monthly_response_rate: 0.0,
        }
    }
}

/// `[referrals]`: leads that conversations bring. Each conversation yields a referred lead with
/// chance `per_conversation`. Referred leads are a group of their own, "referrals", with the
/// scenario's numbers save those the table gives (as a segment's): in a cohort each is worked
/// through its cadence, in calendar runs it is started `lag_days` after the conversation by the
/// rep who had it, before the list's accounts. A referred lead brings no referral of its own.
/// In a blitz a referral counts as a positive response, as published blitz results count it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Referrals {
    /// Chance that a conversation yields a referred lead (0: no referrals).
    pub per_conversation: f64,
    /// Days from the conversation to the referred lead's first touch.
    pub lag_days: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unreachable: Option<f64>,
    /// Replaces `leads.reachability` whole for referred leads.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reachability: Option<Reachability>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub funnel: Option<FunnelOverrides>,
    /// Replaces `[cadence]` whole for referred leads.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cadence: Option<Cadence>,
}

/// The name of the group of referred leads in reports.
pub const REFERRALS: &str = "referrals";

impl Default for Referrals {
    fn default() -> Self {
        // No published figure for how often a cold conversation names someone else: off unless
        // a scenario states its own. Two days to look the referred person up and call.
        Referrals {
            per_conversation: 0.0,
            lag_days: 2,
            unreachable: None,
            reachability: None,
            funnel: None,
            cadence: None,
        }
    }
}

impl Referrals {
    /// Whether conversations bring referred leads.
    pub fn are_on(&self) -> bool {
        self.per_conversation > 0.0
    }

    /// The referred leads' own numbers, as a segment of them all.
    pub fn segment(&self) -> Segment {
        Segment {
            name: REFERRALS.to_string(),
            share: 1.0,
            source: None,
            unreachable: self.unreachable,
            reachability: self.reachability.clone(),
            funnel: self.funnel.clone(),
            cadence: self.cadence.clone(),
        }
    }
}

/// `[blitz]`: a calling blitz, a session in which a team dials together from a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Blitz {
    /// Length of the session in minutes, breaks included.
    pub minutes: f64,
    /// Reps dialing, when no `[[blitz.teams]]` are listed (8 when not given).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reps: Option<u32>,
    /// Coefficient of variation of a dial's minutes (0: every dial takes the same time).
    pub dial_spread: f64,
    /// Share of conversations that end in a positive response other than an appointment
    /// (say, "send me the details"); appointments follow `funnel.appointment_rate`.
    pub other_positive_rate: f64,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub breaks: Vec<Break>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub teams: Vec<BlitzTeam>,
}

/// Reps of a blitz without `[[blitz.teams]]` when `blitz.reps` is not given.
pub const DEFAULT_BLITZ_REPS: u32 = 8;

impl Default for Blitz {
    fn default() -> Self {
        Blitz {
            // A two-hour session of eight reps.
            minutes: 120.0,
            reps: None,
            // No published figure: dials vary in length (rings, voicemail greetings, IVRs).
            dial_spread: 0.5,
            other_positive_rate: 0.0,
            breaks: Vec::new(),
            teams: Vec::new(),
        }
    }
}

/// A pause in a blitz: nobody dials from `after` minutes in, for `minutes`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Break {
    pub after: f64,
    pub minutes: f64,
}

/// One `[[blitz.teams]]` entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlitzTeam {
    pub name: String,
    pub reps: u32,
    /// Multiplier on dials per minute (2: a dial takes half the minutes).
    #[serde(default = "one")]
    pub pace: f64,
    /// Multiplier on the chance a dial reaches the decision maker.
    #[serde(default = "one")]
    pub response: f64,
    /// Multiplier on the chance a conversation ends in an appointment or another positive
    /// response.
    #[serde(default = "one")]
    pub conversion: f64,
    /// The reps' names, as a call log's `rep` column writes them (optional).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<String>,
}

/// `[costs]`: what prospecting costs, in the goal's and deal size's currency. No published
/// figure fits every business, so every price is 0 (no cost) unless stated; with all of them 0
/// no command speaks of money.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Costs {
    /// One rep's loaded cost for a year: salary, taxes, benefits.
    pub rep_per_year: f64,
    /// The rep's own base pay for a year (part of `rep_per_year`), for a goal stated as the
    /// rep's income (`plan --income`).
    pub base_salary: f64,
    /// Each rep's tools for a year: dialer, data and CRM seats.
    pub tools_per_rep_per_year: f64,
    /// The price of one lead started (a bought list's account, an inbound lead's ad spend).
    pub per_lead: f64,
    /// Commission as a share of revenue won.
    pub commission_rate: f64,
    /// Commission per appointment held (appointment setters).
    pub per_appointment_held: f64,
    /// Commission per qualified opportunity.
    pub per_opportunity: f64,
}

impl Costs {
    /// Whether nothing costs anything: every price 0.
    pub fn is_empty(&self) -> bool {
        *self == Costs::default()
    }
}

/// The minutes `service.called_within_minutes` may take: the edges of the time-to-first-touch
/// bins a calendar run counts.
pub const FIRST_TOUCH_EDGES: [f64; 6] = [5.0, 30.0, 60.0, 240.0, 1440.0, 4320.0];

/// `[service]`: the service an inbound (or mixed) team's leader promises, in every simulated
/// year that counts as kept: `plan` finds the fewest reps, and then the fewest prospecting
/// hours a day, that keep every promise stated (and the year's `[goal]`) in at least
/// `goal.confidence` of the years. No promise is made unless stated: no published figure says
/// what a team should promise.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Service {
    /// The least penetration of the year, in percent: touches made over touches the cadence
    /// planned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub penetration: Option<f64>,
    /// With `called_within_share`: new leads first touched within this many minutes of
    /// arriving (one of the time-to-first-touch bins' edges: 5, 30, 60, 240, 1440, 4320).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub called_within_minutes: Option<f64>,
    /// The least share of the year's new leads first touched within `called_within_minutes`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub called_within_share: Option<f64>,
    /// The most touches left overdue at the year's end: a backlog that does not grow without
    /// end.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backlog: Option<f64>,
}

impl Service {
    /// Whether no promise is stated.
    pub fn is_empty(&self) -> bool {
        *self == Service::default()
    }
}

/// `[people]`: the team's seats as people fill them in calendar runs. A rep leaves at a
/// constant rate; a share of hires never reach productivity and are let go at the end of their
/// ramp; either way the seat stays empty for `hiring_weeks`, then a new hire starts the ramp
/// again. Both are 0 (nobody leaves) unless stated: teams differ too much for a default (the
/// published figure that 30–40% of sales hires never reach quota, David Skok, For
/// Entrepreneurs, is a figure to try, not a default).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct People {
    /// The share of reps who leave within a year (a constant hazard: -ln(1 − share) a year).
    pub attrition_per_year: f64,
    /// The share of hires who never reach productivity: let go when their ramp ends.
    pub never_ramp_share: f64,
    /// Weeks a seat stays empty before the next hire starts. No published figure fits every
    /// team, so it must be stated wherever a rep can leave.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hiring_weeks: Option<f64>,
}

impl People {
    /// Whether every hire stays the whole horizon: no attrition and no hire who never ramps.
    pub fn is_empty(&self) -> bool {
        self.attrition_per_year == 0.0 && self.never_ramp_share == 0.0
    }
}

/// `[goal]`: what a plan must reach (deals or revenue, one of them; 2 deals when neither is
/// given), and how surely.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "GoalInput")]
pub struct Goal {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deals: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revenue: Option<f64>,
    pub confidence: f64,
}

// No published figure: what one rep at the published defaults (one territory of 1,000 accounts,
// 2.5 hours a day) reaches with 80% confidence in a year, so that a new scenario's own plan
// succeeds. At these averages 40 deals need about twenty reps; state your own goal.
const DEFAULT_GOAL_DEALS: f64 = 2.0;
const DEFAULT_CONFIDENCE: f64 = 0.8;

impl Default for Goal {
    fn default() -> Self {
        Goal {
            deals: Some(DEFAULT_GOAL_DEALS),
            revenue: None,
            confidence: DEFAULT_CONFIDENCE,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GoalInput {
    #[serde(default)]
    deals: Option<f64>,
    #[serde(default)]
    revenue: Option<f64>,
    #[serde(default)]
    confidence: Option<f64>,
}

impl From<GoalInput> for Goal {
    fn from(input: GoalInput) -> Self {
        let neither = input.deals.is_none() && input.revenue.is_none();
        Goal {
            deals: if neither {
                Some(DEFAULT_GOAL_DEALS)
            } else {
                input.deals
            },
            revenue: input.revenue,
            confidence: input.confidence.unwrap_or(DEFAULT_CONFIDENCE),
        }
    }
}
