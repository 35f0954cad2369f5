//! What a call log says, reduced to the counts the fit and the rates need. The log is streamed;
//! each row is kept as 16 bytes (lead, rep, time, channel and outcome) until the rows are
//! sorted into each lead's order of touches and summarised.

use rustc_hash::FxHashMap;
use std::path::Path;

use crate::calllog::{self, Disposition, LogError, Options, Row, Skipped};
use crate::scenario::Channel;

/// One touch of the log's leads at the same point of their sequences: the leads whose touches
/// so far (before a first conversation) were the sequence of node `parent` and who then had a
/// touch on `channel`. The sets form a tree: set i is node i + 1, node 0 is no touch yet, and a
/// set's parent node always comes before it. How many of those touches reached the lead, and
/// how many dials showed a bad number, follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RiskSet {
    pub parent: usize,
    pub channel: Channel,
    /// The attempt the touch is, from 1.
    pub attempt: usize,
    pub at_risk: u64,
    pub conversations: u64,
    /// Leads this touch showed to have a bad number: the lead's first dial, for a lead never
    /// reached whose log shows a bad number on any dial.
    pub bad_numbers: u64,
}

/// One rep's touches and leads.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RepTally {
    pub name: String,
    /// Leads whose first touch was the rep's.
    pub leads: u64,
    /// Dials (call and voicemail touches) up to each lead's first conversation, and those
    /// that reached someone.
    pub dials: u64,
    pub dial_conversations: u64,
    /// The rep's leads that had a conversation, and those that set an appointment.
    pub reached: u64,
    pub appointments: u64,
    /// Touches made on the rep's leads that were never reached.
    pub unreached_touches: u64,
}

/// The counts a call log comes down to.
#[derive(Debug, Clone, Default)]
pub struct Evidence {
    /// The log's file, as given.
    pub file: String,
    pub leads: u64,
    pub touches: u64,
    /// The risk sets of every touch up to each lead's first conversation (for a lead with a
    /// bad number, up to its first dial), as a tree (see [`RiskSet`]).
    pub risk: Vec<RiskSet>,
    /// Leads never reached whose log shows a bad number on a dial: unreachable.
    pub bad_number_leads: u64,
    /// Leads whose log shows a bad number and then a conversation: the bad number is read as a
    /// miss.
    pub bad_then_reached: u64,
    /// Leads with a conversation, and those of them with an appointment.
    pub reached: u64,
    pub appointments: u64,
    /// Touches up to each lead's first conversation by channel, then by outcome
    /// ([`Disposition::ALL`] order).
    pub outcomes: [[u64; 6]; 4],
    /// Touches after a lead's first conversation (follow-ups, not prospecting).
    pub after_conversation: u64,
    /// ended[k]: (leads never reached whose last touch was touch k, leads first reached on
    /// touch k), k from 1; ended[0] is unused.
    pub ended: Vec<(u64, u64)>,
    /// Leads with more touches before a conversation than the fit follows (it censors them at
    /// [`MAX_ATTEMPTS`]; the rates and the give-up count all their touches).
    pub truncated: u64,
    pub reps: Vec<RepTally>,
    pub skipped: Skipped,
    /// With a segment column: each segment's name and its own evidence, in order of first
    /// appearance.
    pub segments: Vec<(String, Evidence)>,
}

/// The most segments a log's segment column may name.
pub const MAX_SEGMENTS: usize = 100;

/// The touches the fit follows per lead; a lead still unreached after them is censored there,
/// which [`Evidence::truncated`] reports.
pub const MAX_ATTEMPTS: usize = 200;

/// A row kept in memory: 16 bytes.
#[derive(Debug, Clone, Copy)]
struct Compact {
    millis: i64,
    lead: u32,
    rep: u16,
    channel: u8,
    outcome: u8,
}

/// Marks a row removed as a repeat (no channel has this index).
const REMOVED: u8 = u8::MAX;

impl Compact {
    /// What makes two rows the same touch.
    fn key(&self) -> (u32, i64, u8, u8, u16) {
        (self.lead, self.millis, self.channel, self.outcome, self.rep)
    }
}

/// Numbers a log's leads and reps in the order they first appear, so that reading the same log
/// twice numbers them the same.
#[derive(Default)]
struct Numbering {
    // Fx hashing: lead ids are looked up once per row, and SipHash's resistance to chosen keys
    // buys nothing for a file the user gave.
    leads: FxHashMap<Box<str>, u32>,
    reps: FxHashMap<Box<str>, u16>,
    /// Rep names by number; 0 is "no rep".
    rep_names: Vec<String>,
    segments: FxHashMap<Box<str>, u16>,
    segment_names: Vec<String>,
    /// Each lead's segment, by lead number.
    lead_segment: Vec<u16>,
}

impl Numbering {
    fn new() -> Self {
        Numbering {
            rep_names: vec![String::new()],
            ..Numbering::default()
        }
    }

    /// Records the segment of a lead's first row, and refuses a later row that names another.
    fn check_segment(&mut self, lead: u32, name: &str) -> Result<(), String> {
        let segment = match self.segments.get(name) {
            Some(&id) => id,
            None if self.segment_names.len() == MAX_SEGMENTS => {
                return Err(format!(
                    "more than {MAX_SEGMENTS} different segments; --segment-col names a column \
                     with a few groups of leads (such as KARE categories or lead sources)"
                ));
            }
            None => {
                self.segment_names.push(name.to_string());
                let id = self.segment_names.len() as u16 - 1;
                self.segments.insert(name.into(), id);
                id
            }
        };
        let lead = lead as usize;
        if lead == self.lead_segment.len() {
            self.lead_segment.push(segment);
        } else if self.lead_segment[lead] != segment {
            return Err(format!(
                "this row puts its lead in segment {} and an earlier row in {}: a lead belongs \
                 to one segment; correct the segment column",
                calllog::quoted(name),
                calllog::quoted(&self.segment_names[usize::from(self.lead_segment[lead])])
            ));
        }
        Ok(())
    }

    /// The row as kept, or the message when it names one rep too many.
    fn compact(&mut self, row: &Row<'_>) -> Result<Compact, String> {
        let next = self.leads.len() as u32;
        let lead = match self.leads.get(row.lead_id) {
            Some(&id) => id,
            None => *self.leads.entry(row.lead_id.into()).or_insert(next),
        };
        if let Some(name) = row.segment {
            self.check_segment(lead, name)?;
        }
        let rep = match row.rep {
            None => 0,
            Some(name) => match self.reps.get(name) {
                Some(&id) => id,
                None if self.rep_names.len() > usize::from(u16::MAX) => {
                    return Err(format!(
                        "more than {} different reps; check that --rep-col names the column of \
                         reps",
                        u16::MAX
                    ));
                }
                None => {
                    self.rep_names.push(name.to_string());
                    *self
                        .reps
                        .entry(name.into())
                        .or_insert(self.rep_names.len() as u16 - 1)
                }
            },
        };
        Ok(Compact {
            millis: row.millis,
            lead,
            rep,
            channel: row.channel.index() as u8,
            outcome: row.outcome.index() as u8,
        })
    }
}

/// Removes the rows, sorted by lead and time, that repeat an earlier row (the same lead, time,
/// channel, outcome and rep), keeping the first of each in file order. Returns one row of each
/// that had repeats, sorted by [`Compact::key`], and how many rows were removed.
fn remove_repeats(rows: &mut Vec<Compact>) -> (Vec<Compact>, u64) {
    let mut repeated = Vec::new();
    let mut removed = 0;
    let mut same_time: Vec<(u8, u8, u16, usize)> = Vec::new();
    let mut start = 0;
    while start < rows.len() {
        let first = rows[start];
        let end = start
            + rows[start..]
                .iter()
                .take_while(|r| r.lead == first.lead && r.millis == first.millis)
                .count();
        if end - start > 1 {
            // The lead's touches at one instant, in file order (the sort is stable).
            same_time.clear();
            same_time.extend(
                rows[start..end]
                    .iter()
                    .enumerate()
                    .map(|(i, r)| (r.channel, r.outcome, r.rep, start + i)),
            );
            same_time.sort_unstable();
            for same in same_time.chunk_by(|a, b| (a.0, a.1, a.2) == (b.0, b.1, b.2)) {
                if let [kept, repeats @ ..] = same
                    && !repeats.is_empty()
                {
                    repeated.push(rows[kept.3]);
                    removed += repeats.len() as u64;
                    repeats.iter().for_each(|r| rows[r.3].channel = REMOVED);
                }
            }
        }
        start = end;
    }
    if removed > 0 {
        rows.retain(|r| r.channel != REMOVED);
    }
    (repeated, removed)
}

/// The first `most` rows of the log in file order that repeat one of `repeated` (sorted by
/// [`Compact::key`]): each row's line, and the line of the row it repeats.
fn find_repeats(
    path: &Path,
    options: &Options,
    repeated: &[Compact],
    most: usize,
) -> Result<Vec<(u64, u64)>, LogError> {
    let mut numbering = Numbering::new();
    let mut first_line = vec![0; repeated.len()];
    let mut found = Vec::new();
    calllog::stream(path, options, |row| {
        if found.len() == most {
            return;
        }
        let Ok(row_kept) = numbering.compact(&row) else {
            return;
        };
        if let Ok(i) = repeated.binary_search_by_key(&row_kept.key(), Compact::key) {
            match first_line[i] {
                0 => first_line[i] = row.line,
                first => found.push((row.line, first)),
            }
        }
    })?;
    Ok(found)
}

impl Evidence {
    /// Reads the call log at `path`. A row that repeats an earlier one is refused, or with
    /// `skip_invalid` skipped.
    pub fn read(path: &Path, options: &Options) -> Result<Evidence, LogError> {
        let file = path.display().to_string();
        let mut numbering = Numbering::new();
        let mut rows: Vec<Compact> = Vec::new();
        let mut overflow: Option<LogError> = None;
        let skipped = calllog::stream(path, options, |row| {
            if overflow.is_some() {
                return;
            }
            match numbering.compact(&row) {
                Ok(kept) => rows.push(kept),
                Err(message) => {
                    overflow = Some(LogError {
                        file: file.clone(),
                        line: Some(row.line),
                        message,
                    })
                }
            }
        })?;
        if let Some(err) = overflow {
            return Err(err);
        }
        let Numbering {
            leads,
            rep_names,
            segment_names,
            lead_segment,
            ..
        } = numbering;
        drop(leads);
        // Each lead's touches in time order; a stable sort keeps same-time touches in file order.
        rows.sort_by_key(|r| (r.lead, r.millis));
        let (repeated, repeats) = remove_repeats(&mut rows);
        if repeats > 0 && !options.skip_invalid {
            drop(rows);
            let found = find_repeats(path, options, &repeated, 1)?;
            return Err(calllog::repeat_error(
                &file,
                found.first().copied(),
                repeats,
            ));
        }
        let empty = |file: String| Evidence {
            file,
            reps: rep_names
                .iter()
                .map(|name| RepTally {
                    name: name.clone(),
                    ..RepTally::default()
                })
                .collect(),
            ..Evidence::default()
        };
        let mut whole = Tally::new(empty(file.clone()));
        let mut segments: Vec<Tally> = segment_names
            .iter()
            .map(|name| Tally::new(empty(format!("{file} ({name})"))))
            .collect();
        for lead in rows.chunk_by(|a, b| a.lead == b.lead) {
            whole.add_lead(lead);
            if let Some(&segment) = lead_segment.get(lead[0].lead as usize) {
                segments[usize::from(segment)].add_lead(lead);
            }
        }
        drop(rows);
        let mut evidence = whole.finish();
        evidence.skipped = skipped;
        if repeats > 0 {
            let found = find_repeats(path, options, &repeated, Skipped::SHOWN)?;
            evidence
                .skipped
                .add_repeats(&evidence.file, repeats, &found);
        }
        evidence.segments = segment_names
            .into_iter()
            .zip(segments)
            .map(|(name, tally)| (name, tally.finish()))
            .collect();
        Ok(evidence)
    }
}

/// Evidence being added up, lead by lead, with the tree of its risk sets.
struct Tally {
    evidence: Evidence,
    /// The node after each (node, channel index) the log's sequences reached.
    children: FxHashMap<(u32, u8), u32>,
}

impl Tally {
    fn new(evidence: Evidence) -> Tally {
        Tally {
            evidence,
            children: FxHashMap::default(),
        }
    }

    /// The risk set of a touch on `channel` after the sequence of `node`, made if new.
    fn risk_set(&mut self, node: usize, channel: usize) -> usize {
        let risk = &mut self.evidence.risk;
        let next = risk.len() as u32 + 1;
        let child = *self
            .children
            .entry((node as u32, channel as u8))
            .or_insert(next);
        if child == next {
            let attempt = match node {
                0 => 1,
                n => risk[n - 1].attempt + 1,
            };
            risk.push(RiskSet {
                parent: node,
                channel: Channel::ALL[channel],
                attempt,
                at_risk: 0,
                conversations: 0,
                bad_numbers: 0,
            });
        }
        child as usize
    }

    /// Adds one lead's touches, in time order.
    fn add_lead(&mut self, touches: &[Compact]) {
        let outcome = |t: &Compact| Disposition::ALL[usize::from(t.outcome)];
        let is_dial = |t: &Compact| Channel::ALL[usize::from(t.channel)].is_dial();
        let conversation = touches.iter().position(|t| outcome(t).is_conversation());
        let shows_bad_number = touches[..conversation.unwrap_or(touches.len())]
            .iter()
            .any(|t| is_dial(t) && outcome(t) == Disposition::BadNumber);
        // A lead never reached whose number shows as bad is unreachable: the fit reads it as
        // shown on its first dial, and follows it no further.
        let bad_number_at = match (shows_bad_number, conversation) {
            (true, None) => touches.iter().position(is_dial),
            _ => None,
        };
        let e = &mut self.evidence;
        e.leads += 1;
        e.touches += touches.len() as u64;
        let owner = usize::from(touches[0].rep);
        e.reps[owner].leads += 1;
        if shows_bad_number {
            match bad_number_at {
                Some(_) => e.bad_number_leads += 1,
                None => e.bad_then_reached += 1,
            }
        }
        let mut node = 0;
        let mut made = 0;
        let mut reached = false;
        for (i, touch) in touches.iter().enumerate() {
            if reached {
                self.evidence.after_conversation += 1;
                continue;
            }
            let channel = usize::from(touch.channel);
            let conversation = outcome(touch).is_conversation();
            // Past MAX_ATTEMPTS the fit sees the lead as censored; the rates see every touch.
            if made < MAX_ATTEMPTS && bad_number_at.is_none_or(|at| i <= at) {
                node = self.risk_set(node, channel);
                let set = &mut self.evidence.risk[node - 1];
                set.at_risk += 1;
                set.conversations += u64::from(conversation);
                set.bad_numbers += u64::from(bad_number_at == Some(i));
            } else if made == MAX_ATTEMPTS {
                self.evidence.truncated += 1;
            }
            let e = &mut self.evidence;
            e.outcomes[channel][usize::from(touch.outcome)] += 1;
            if is_dial(touch) {
                let rep = &mut e.reps[usize::from(touch.rep)];
                rep.dials += 1;
                rep.dial_conversations += u64::from(conversation);
            }
            made += 1;
            reached = conversation;
        }
        let appointment = touches
            .iter()
            .any(|t| outcome(t) == Disposition::Appointment);
        let e = &mut self.evidence;
        if e.ended.len() <= made {
            e.ended.resize(made + 1, (0, 0));
        }
        let rep = &mut e.reps[owner];
        if reached {
            e.reached += 1;
            e.ended[made].1 += 1;
            rep.reached += 1;
            if appointment {
                e.appointments += 1;
                rep.appointments += 1;
            }
        } else {
            // A bad number ends a lead's cadence for a reason other than giving up.
            if bad_number_at.is_none() {
                e.ended[made].0 += 1;
            }
            rep.unreached_touches += made as u64;
        }
    }

    fn finish(mut self) -> Evidence {
        // Reps with no touches (only the "no rep" slot when the log names them) are dropped.
        self.evidence.reps.retain(|r| r.leads > 0 || r.dials > 0);
        self.evidence
    }
}

impl Evidence {
    /// Dials (call and voicemail touches) up to each lead's first conversation, by outcome
    /// ([`Disposition::ALL`] order).
    pub fn dial_outcomes(&self) -> [u64; Disposition::ALL.len()] {
        let mut by_outcome = [0; Disposition::ALL.len()];
        for channel in Channel::ALL.into_iter().filter(|c| c.is_dial()) {
            for (total, n) in by_outcome.iter_mut().zip(self.outcomes[channel.index()]) {
                *total += n;
            }
        }
        by_outcome
    }

    /// The most touches any lead had up to its first conversation (or in all, unreached).
    pub fn longest(&self) -> usize {
        self.ended.len().saturating_sub(1)
    }
}
