//! `[[leads.segments]]`: named groups of leads (KARE categories, lead sources), each with its
//! share of a source's leads and any of its own reachability, unreachable share, funnel and
//! cadence; the rest comes from the scenario.
//!
//! Each segment's numbers are those of an effective scenario, the scenario with the segment's
//! keys written over it ([`Scenario::with_segment`]), so a segment is validated and modelled by
//! the very rules of the top-level keys. [`Scenario::lead_groups`] lists the populations the
//! engine works: the segments, plus one for a source that has none of its own.

use serde::{Deserialize, Serialize};

use super::{
    Cadence, Funnel, LeadSource, REFERRALS, Reachability, SalesCycle, Scenario, Uncertain,
};

/// The most segments a scenario may list: each is a population of its own to model and report.
pub const MAX_SEGMENTS: usize = 32;

/// One `[[leads.segments]]` entry. A key left out takes the scenario's value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Segment {
    pub name: String,
    /// Share of its source's leads (of the territory's accounts, or of inbound arrivals).
    pub share: f64,
    /// The lead source it belongs to, "list" or "inbound" (default: the scenario's own, when it
    /// has one source).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<LeadSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unreachable: Option<f64>,
    /// Replaces `leads.reachability` whole, read as that table is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reachability: Option<Reachability>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub funnel: Option<FunnelOverrides>,
    /// Replaces `[cadence]` whole, read as that table is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cadence: Option<Cadence>,
}

impl Segment {
    /// The lead source the segment belongs to: its own, or the scenario's.
    pub fn source_in(&self, scenario_source: LeadSource) -> LeadSource {
        self.source.unwrap_or(scenario_source)
    }

    /// Whether the segment gives its own value of the number `[uncertainty]` names by `p`, so
    /// that its leads never read the scenario's: its `reachability` replaces the mean, the
    /// concentration and the decay together, its `funnel` only the keys it gives.
    pub fn gives_own(&self, p: Uncertain) -> bool {
        let funnel = self.funnel.as_ref();
        let given = |key: fn(&FunnelOverrides) -> Option<f64>| funnel.and_then(key).is_some();
        match p {
            Uncertain::Mean | Uncertain::Concentration | Uncertain::Decay => {
                self.reachability.is_some()
            }
            Uncertain::Unreachable => self.unreachable.is_some(),
            Uncertain::AppointmentRate => given(|f| f.appointment_rate),
            Uncertain::ShowRate => given(|f| f.show_rate),
            Uncertain::OpportunityRate => given(|f| f.opportunity_rate),
            Uncertain::WinRate => given(|f| f.win_rate),
            Uncertain::DealSize => given(|f| f.deal_size),
            // Channels are the scenario's for every group.
            Uncertain::Response(_) => false,
        }
    }
}

/// A segment's `funnel` table: any `[funnel]` key, each replacing the scenario's.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FunnelOverrides {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appointment_rate: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_rate: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opportunity_rate: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub win_rate: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deal_size: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub booking_minutes: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appointment_lag_days: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sales_cycle_days: Option<SalesCycle>,
}

impl FunnelOverrides {
    /// Writes the keys given over `funnel`.
    fn apply(&self, funnel: &mut Funnel) {
        let set = |to: &mut f64, from: Option<f64>| {
            if let Some(value) = from {
                *to = value;
            }
        };
        set(&mut funnel.appointment_rate, self.appointment_rate);
        set(&mut funnel.show_rate, self.show_rate);
        set(&mut funnel.opportunity_rate, self.opportunity_rate);
        set(&mut funnel.win_rate, self.win_rate);
        set(&mut funnel.deal_size, self.deal_size);
        set(&mut funnel.booking_minutes, self.booking_minutes);
        set(&mut funnel.appointment_lag_days, self.appointment_lag_days);
        if let Some(cycle) = self.sales_cycle_days {
            funnel.sales_cycle_days = cycle;
        }
    }
}

/// A group's shares of each source's leads (0: none of that source's leads are in it).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shares {
    /// Of the list's accounts (and of a cohort's leads).
    pub list: f64,
    /// Of inbound arrivals.
    pub inbound: f64,
    /// Of referred leads.
    pub referred: f64,
}

/// One population of leads the engine works: a segment, or the scenario's own leads of a
/// source without segments.
#[derive(Debug, Clone, PartialEq)]
pub struct LeadGroup {
    /// The segment's name; the source's name for a source without segments.
    pub name: String,
    pub shares: Shares,
    /// The scenario with the group's own numbers: the engine models the group from it.
    pub scenario: Scenario,
}

impl Scenario {
    /// The scenario as one segment's leads see it: the segment's keys over the scenario's, and
    /// no segments.
    pub fn with_segment(&self, segment: &Segment) -> Scenario {
        let mut own = Scenario {
            variants: Vec::new(),
            ..self.clone()
        };
        own.leads.segments.clear();
        // A group's own scenario describes its leads alone: referred leads are a group apart.
        own.referrals.per_conversation = 0.0;
        if let Some(unreachable) = segment.unreachable {
            own.leads.unreachable = unreachable;
        }
        if let Some(reachability) = &segment.reachability {
            own.leads.reachability = reachability.clone();
        }
        if let Some(funnel) = &segment.funnel {
            funnel.apply(&mut own.funnel);
        }
        if let Some(cadence) = &segment.cadence {
            own.cadence = cadence.clone();
        }
        own
    }

    /// The populations of leads the engine works, in order: every segment, then one for each
    /// source of the scenario without segments of its own, named after it. Without segments,
    /// one group of every lead, its shares 1.
    /// With referrals on, the group of referred leads comes last.
    pub fn lead_groups(&self) -> Vec<LeadGroup> {
        let mut groups = self.sourced_groups();
        if self.referrals.are_on() {
            groups.push(LeadGroup {
                name: REFERRALS.into(),
                shares: Shares {
                    list: 0.0,
                    inbound: 0.0,
                    referred: 1.0,
                },
                scenario: self.with_segment(&self.referrals.segment()),
            });
        }
        groups
    }

    /// The groups of leads with a share of the list's accounts (a cohort's leads), in order.
    pub fn list_groups(&self) -> Vec<LeadGroup> {
        self.lead_groups()
            .into_iter()
            .filter(|g| g.shares.list > 0.0)
            .collect()
    }

    /// The groups of leads that read the scenario's own value of `p` (those whose segment
    /// does not give its own), in the order of [`Scenario::lead_groups`]; empty when every
    /// group gives its own, so that drawing the scenario's value changes nothing.
    pub fn groups_reading(&self, p: Uncertain) -> Vec<LeadGroup> {
        let segments = self.leads.segments.len();
        let referred = self.referrals.are_on().then(|| self.referrals.segment());
        let groups = self.lead_groups();
        let last = groups.len() - 1;
        groups
            .into_iter()
            .enumerate()
            .filter(|&(i, _)| {
                // Segments come first, the referred leads last, sources without segments
                // (the scenario's own leads) between.
                let segment = if i < segments {
                    self.leads.segments.get(i)
                } else if i == last {
                    referred.as_ref()
                } else {
                    None
                };
                !segment.is_some_and(|segment| segment.gives_own(p))
            })
            .map(|(_, group)| group)
            .collect()
    }

    /// The groups of leads that come from the list or inbound.
    fn sourced_groups(&self) -> Vec<LeadGroup> {
        let leads = &self.leads;
        if leads.segments.is_empty() {
            // Beside the referred leads, the others are named after where they come from.
            let name = match (self.referrals.are_on(), leads.source) {
                (false, _) => "all leads",
                (true, LeadSource::Both) => "list and inbound",
                (true, source) => source.name(),
            };
            return vec![LeadGroup {
                name: name.into(),
                shares: Shares {
                    list: 1.0,
                    inbound: 1.0,
                    referred: 0.0,
                },
                scenario: self.clone(),
            }];
        }
        let mut groups: Vec<LeadGroup> = leads
            .segments
            .iter()
            .map(|segment| {
                let list = segment.source_in(leads.source) == LeadSource::List;
                LeadGroup {
                    name: segment.name.clone(),
                    shares: Shares {
                        list: if list { segment.share } else { 0.0 },
                        inbound: if list { 0.0 } else { segment.share },
                        referred: 0.0,
                    },
                    scenario: self.with_segment(segment),
                }
            })
            .collect();
        for source in self.sources_without_segments() {
            let mut own = self.clone();
            own.leads.segments.clear();
            let list = source == LeadSource::List;
            groups.push(LeadGroup {
                name: source.name().into(),
                shares: Shares {
                    list: f64::from(u8::from(list)),
                    inbound: f64::from(u8::from(!list)),
                    referred: 0.0,
                },
                scenario: own,
            });
        }
        groups
    }

    /// The scenario's lead sources (list, inbound) that no segment belongs to, when some
    /// segment belongs to another: their leads keep the scenario's own numbers.
    pub fn sources_without_segments(&self) -> Vec<LeadSource> {
        let leads = &self.leads;
        if leads.segments.is_empty() {
            return Vec::new();
        }
        [
            (leads.source.has_list(), LeadSource::List),
            (leads.source.has_arrivals(), LeadSource::Inbound),
        ]
        .into_iter()
        .filter(|&(has, source)| {
            has && !leads
                .segments
                .iter()
                .any(|s| s.source_in(leads.source) == source)
        })
        .map(|(_, source)| source)
        .collect()
    }
}

#[cfg(test)]
mod tests {
    use crate::scenario::load_str;

    #[test]
    fn a_segment_writes_its_keys_over_the_scenarios_and_keeps_the_rest() {
        let s = load_str(
            r#"
            [funnel]
            win_rate = 0.3
            [[leads.segments]]
            name = "expand"
            share = 1
            unreachable = 0.05
            funnel = { deal_size = 8000.0 }
            "#,
            "test.toml",
            &[],
        )
        .unwrap();
        let groups = s.lead_groups();
        assert_eq!(groups.len(), 1);
        let own = &groups[0].scenario;
        assert_eq!(own.leads.unreachable, 0.05);
        assert_eq!(own.funnel.deal_size, 8000.0);
        assert_eq!(own.funnel.win_rate, 0.3);
        assert_eq!(own.leads.reachability, s.leads.reachability);
        assert!(own.leads.segments.is_empty());
    }

    #[test]
    fn a_source_without_segments_keeps_the_scenarios_leads_as_a_group_of_its_own() {
        let s = load_str(
            r#"
            [leads]
            source = "both"
            per_week = 10
            [[leads.segments]]
            name = "attain"
            share = 1
            source = "list"
            "#,
            "test.toml",
            &[],
        )
        .unwrap();
        let groups = s.lead_groups();
        let names: Vec<&str> = groups.iter().map(|g| g.name.as_str()).collect();
        assert_eq!(names, ["attain", "inbound"]);
        assert_eq!(groups[1].shares.inbound, 1.0);
        assert_eq!(groups[1].shares.list, 0.0);
    }
}
