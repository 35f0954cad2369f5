//! Reachability by maximum likelihood: the shifted-beta-geometric model of docs/model.md with
//! right-censoring and decay, optionally zero-inflated, with channel responses relative to
//! calls and bad numbers as evidence of unreachable leads.
//!
//! A lead's log is a chain of touches, each of which reaches the lead or not given the ones
//! before, so the likelihood is a product over [`RiskSet`]s of conditional chances. Touch k of
//! a lead, on channel c, reaches a reachable lead of chance p with chance p · r_c · d^(k−1), so
//! S, the chance of no conversation after a sequence of touches, is E[Π (1 − p r_c d^(k−1))]
//! over p ~ Beta(α, β), exact in the Bernstein form of [`crate::reach`]. With decay held at 1
//! the order of touches does not matter, only how many there were on each channel, and
//! sequences with the same counts are one node. Unreachable leads (a share π) are never
//! reached; a share b of them shows a bad number, which the fit reads at the lead's first
//! dial. Intervals are profile-likelihood intervals; the fit is checked by a Pearson test of
//! conversations by attempt, and a fit with decay held by a likelihood-ratio test of decay.

use std::collections::HashMap;

use argmin::core::{CostFunction, Executor, State};
use argmin::solver::neldermead::NelderMead;
use statrs::distribution::{ChiSquared, ContinuousCDF};

use super::evidence::RiskSet;
use crate::reach::{beta_binomial_pmf, times_miss};
use crate::scenario::Channel;

/// Fitted reachability: the Beta shapes of the reachable leads, the unreachable share, the
/// share of unreachable leads whose bad number the log shows, the decay per attempt and each
/// channel's response relative to calls.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FittedReach {
    pub alpha: f64,
    pub beta: f64,
    pub unreachable: f64,
    pub bad_number_share: f64,
    pub decay: f64,
    /// By [`Channel::index`]; calls are 1.
    pub response: [f64; 4],
}

impl FittedReach {
    pub fn mean(&self) -> f64 {
        self.alpha / (self.alpha + self.beta)
    }

    pub fn concentration(&self) -> f64 {
        self.alpha + self.beta
    }
}

/// A fitted number with an interval can be asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parameter {
    Alpha,
    Beta,
    Mean,
    Concentration,
    Unreachable,
    /// The share of unreachable leads whose log shows a bad number.
    BadNumberShare,
    Decay,
    Response(Channel),
}

/// What a fit frees and what it holds.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct FitOptions {
    /// Fit a share of leads that no touch reaches, besides those whose number is bad.
    pub unreachable: bool,
    /// Hold decay at this value (in (0, 1]); `None` fits it.
    pub decay: Option<f64>,
}

/// An interval; `hi` is `None` when the data put no upper limit on an unbounded quantity.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    pub lo: f64,
    pub hi: Option<f64>,
}

/// Observed and fitted conversations at one attempt (the k-th touch of a lead not yet reached).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AttemptFit {
    pub attempt: usize,
    /// Leads that had the attempt.
    pub leads: u64,
    pub conversations: u64,
    /// Expected conversations under the fit, and their variance.
    pub expected: f64,
    pub variance: f64,
}

/// Pearson's test of observed against fitted conversations by attempt, attempts with few
/// expected conversations (or misses) pooled with the next.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GoodnessOfFit {
    pub statistic: f64,
    pub df: u32,
    pub p_value: f64,
    /// The groups of attempts compared.
    pub groups: u32,
    /// The group whose observed conversations depart most from the fit, in standard errors:
    /// its first and last attempt, observed and fitted conversations per lead at risk.
    pub worst: Departure,
}

/// Where conversations by attempt depart most from a fit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Departure {
    pub first_attempt: usize,
    pub last_attempt: usize,
    pub observed: f64,
    pub fitted: f64,
}

/// Why a log cannot be fitted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FitError {
    #[error(
        "the log has no calls before the leads' first conversations: reachability is measured \
         per call, so the log needs call touches (map the log's labels with --channel-map)"
    )]
    NoCalls,
    #[error(
        "no lead in the log had a conversation: the share of leads that could be reached \
         cannot be estimated; check the outcome labels (--outcome-map \"Connected=conversation\")"
    )]
    NoConversations,
    #[error(
        "no call reached anyone before the leads' first conversations: reachability is measured \
         per call and other channels relative to calls, so the log needs calls that reached \
         someone; check the channel and outcome labels (--channel-map, --outcome-map)"
    )]
    NoCallConversations,
    #[error("the likelihood could not be maximised: {0}")]
    Optimiser(String),
    #[error("segment {}: {error}", crate::calllog::quoted(.name))]
    Segment { name: String, error: Box<FitError> },
}

/// A number fitted besides the Beta's two, in the order of θ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Free {
    Unreachable,
    BadNumberShare,
    Decay,
    Response(Channel),
}

/// A node of the tree of touch sequences the fit follows, in depth-first order (a node's
/// parent is the last node before it one level up).
#[derive(Debug, Clone, Copy)]
struct Node {
    /// Touches in the sequence (0 for the root).
    depth: usize,
    /// The last touch's channel index.
    channel: usize,
    /// Whether the sequence has a dial (so a bad number would have shown).
    dialed: bool,
}

/// One risk set, on the nodes of the model.
#[derive(Debug, Clone, Copy)]
struct Set {
    before: usize,
    after: usize,
    at_risk: f64,
    conversations: f64,
    bad_numbers: f64,
    attempt: usize,
}

/// The model a log is fitted to, with the log's risk sets.
#[derive(Debug, Clone)]
pub struct Model {
    nodes: Vec<Node>,
    sets: Vec<Set>,
    /// The numbers fitted besides the Beta's, in the order of θ.
    free: Vec<Free>,
    /// Channels other than calls with touches, whose response is fitted.
    channels: Vec<Channel>,
    /// The unreachable share is fitted (with --unreachable, or because numbers were bad).
    unreachable: bool,
    /// The share of unreachable leads that show a bad number, when not fitted: 1 when the only
    /// unreachable leads are those with a bad number, 0 when the log shows none.
    bad_number_share: f64,
    /// The decay, when held.
    decay: f64,
}

/// How θ, the vector the optimiser moves, maps to the model: the first two coordinates are
/// (logit mean, ln concentration) or (ln α, ln β); then each [`Free`] number, a share as its
/// logit and the decay and responses as their logarithms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scale {
    MeanConcentration,
    Shapes,
}

/// What the other parameters do while an interval's end is sought.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Others {
    /// Refitted at each value: the profile likelihood.
    Refitted,
    /// Held at the fit.
    AtFit,
}

/// The optimum of the likelihood (on the [`Scale::MeanConcentration`] scale).
#[derive(Debug, Clone)]
pub struct Fit {
    model: Model,
    pub log_likelihood: f64,
    pub reach: FittedReach,
}

impl Model {
    /// The model of the risk sets `risk` (a tree, see [`RiskSet`]) with `options`.
    pub fn new(risk: &[RiskSet], options: FitOptions) -> Result<Model, FitError> {
        if !risk.iter().any(|r| r.channel == Channel::Call) {
            return Err(FitError::NoCalls);
        }
        if risk.iter().all(|r| r.conversations == 0) {
            return Err(FitError::NoConversations);
        }
        if risk
            .iter()
            .all(|r| r.channel != Channel::Call || r.conversations == 0)
        {
            return Err(FitError::NoCallConversations);
        }
        // A log whose leads had one touch each says nothing of decay.
        let decay = match options.decay {
            None if risk.iter().all(|r| r.attempt == 1) => Some(1.0),
            held => held,
        };
        // Each risk set's node: its sequence, or with decay held at 1 its counts by channel.
        let merge = decay == Some(1.0);
        let mut counts: Vec<[u16; 4]> = vec![[0; 4]];
        let mut key_of: Vec<usize> = vec![0];
        let mut keys: HashMap<[u16; 4], usize> = HashMap::from([([0; 4], 0)]);
        let mut parent_key: Vec<(usize, usize)> = vec![(0, 0)];
        for r in risk {
            let mut after = counts[r.parent];
            after[r.channel.index()] += 1;
            counts.push(after);
            let key = if merge {
                let next = parent_key.len();
                let key = *keys.entry(after).or_insert(next);
                if key == next {
                    parent_key.push((key_of[r.parent], r.channel.index()));
                }
                key
            } else {
                parent_key.push((key_of[r.parent], r.channel.index()));
                parent_key.len() - 1
            };
            key_of.push(key);
        }
        // Depth-first order of the keys, so that survival is computed down one path at a time.
        let mut children: Vec<Vec<usize>> = vec![Vec::new(); parent_key.len()];
        for (key, &(parent, _)) in parent_key.iter().enumerate().skip(1) {
            children[parent].push(key);
        }
        let mut position = vec![0; parent_key.len()];
        let mut nodes = Vec::with_capacity(parent_key.len());
        let mut stack = vec![(0, 0, false)];
        while let Some((key, depth, dialed)) = stack.pop() {
            position[key] = nodes.len();
            let channel = parent_key[key].1;
            nodes.push(Node {
                depth,
                channel,
                dialed,
            });
            for &child in children[key].iter().rev() {
                let dial = Channel::ALL[parent_key[child].1].is_dial();
                stack.push((child, depth + 1, dialed || dial));
            }
        }
        let sets = risk
            .iter()
            .enumerate()
            .map(|(i, r)| Set {
                before: position[key_of[r.parent]],
                after: position[key_of[i + 1]],
                at_risk: r.at_risk as f64,
                conversations: r.conversations as f64,
                bad_numbers: r.bad_numbers as f64,
                attempt: r.attempt,
            })
            .collect();
        let channels: Vec<Channel> = Channel::ALL
            .into_iter()
            .filter(|&c| c != Channel::Call && risk.iter().any(|r| r.channel == c))
            .collect();
        let bad_numbers = risk.iter().any(|r| r.bad_numbers > 0);
        let unreachable = options.unreachable || bad_numbers;
        let mut free = Vec::new();
        if unreachable {
            free.push(Free::Unreachable);
        }
        if options.unreachable && bad_numbers {
            free.push(Free::BadNumberShare);
        }
        if decay.is_none() {
            free.push(Free::Decay);
        }
        free.extend(channels.iter().map(|&c| Free::Response(c)));
        Ok(Model {
            nodes,
            sets,
            free,
            channels,
            unreachable,
            bad_number_share: if bad_numbers { 1.0 } else { 0.0 },
            decay: decay.unwrap_or(1.0),
        })
    }

    /// Channels whose response is fitted.
    pub fn free_channels(&self) -> &[Channel] {
        &self.channels
    }

    /// Whether the unreachable share is fitted: with `unreachable`, or when numbers were bad.
    pub fn fits_unreachable(&self) -> bool {
        self.unreachable
    }

    /// Whether the share of unreachable leads that show a bad number is fitted.
    pub fn fits_bad_number_share(&self) -> bool {
        self.free.contains(&Free::BadNumberShare)
    }

    /// The decay, when held rather than fitted.
    pub fn held_decay(&self) -> Option<f64> {
        (!self.free.contains(&Free::Decay)).then_some(self.decay)
    }

    /// How many numbers the model fits to the conversations by attempt (the share of bad
    /// numbers is fitted to the bad numbers, which the test by attempt does not compare).
    pub fn parameters(&self) -> usize {
        2 + self
            .free
            .iter()
            .filter(|&&f| f != Free::BadNumberShare)
            .count()
    }

    /// θ's coordinate of a fitted number.
    fn coordinate(&self, number: Free) -> Option<usize> {
        self.free.iter().position(|&f| f == number).map(|i| i + 2)
    }

    fn reach(&self, scale: Scale, theta: &[f64]) -> FittedReach {
        let (alpha, beta) = match scale {
            Scale::MeanConcentration => {
                let mean = logistic(theta[0]);
                let kappa = theta[1].exp();
                (mean * kappa, (1.0 - mean) * kappa)
            }
            Scale::Shapes => (theta[0].exp(), theta[1].exp()),
        };
        let mut reach = FittedReach {
            alpha,
            beta,
            unreachable: 0.0,
            bad_number_share: self.bad_number_share,
            decay: self.decay,
            response: [1.0; 4],
        };
        for (&number, &value) in self.free.iter().zip(&theta[2..]) {
            match number {
                Free::Unreachable => reach.unreachable = logistic(value),
                Free::BadNumberShare => reach.bad_number_share = logistic(value),
                Free::Decay => reach.decay = value.exp(),
                Free::Response(channel) => reach.response[channel.index()] = value.exp(),
            }
        }
        reach
    }

    fn theta(&self, scale: Scale, reach: &FittedReach) -> Vec<f64> {
        let mut theta = match scale {
            Scale::MeanConcentration => vec![logit(reach.mean()), reach.concentration().ln()],
            Scale::Shapes => vec![reach.alpha.ln(), reach.beta.ln()],
        };
        theta.extend(self.free.iter().map(|&number| match number {
            Free::Unreachable => logit(reach.unreachable),
            Free::BadNumberShare => logit(reach.bad_number_share),
            Free::Decay => reach.decay.ln(),
            Free::Response(channel) => reach.response[channel.index()].ln(),
        }));
        theta
    }

    /// The range each coordinate of θ is searched in. Wide: the edges stand for 0 or ∞.
    fn bounds(&self, scale: Scale, i: usize) -> (f64, f64) {
        match (scale, i) {
            (Scale::MeanConcentration, 0) => (-14.0, 14.0),
            (Scale::MeanConcentration, 1) => ((1e-3f64).ln(), (1e6f64).ln()),
            (Scale::Shapes, _) if i < 2 => ((1e-4f64).ln(), (1e6f64).ln()),
            _ => match self.free[i - 2] {
                Free::Unreachable | Free::BadNumberShare => (-16.0, 16.0),
                // Decay and responses are at most 1 (the Bernstein form needs every touch's
                // multiplier r · d^(k−1) at most 1): calls are the channel that reaches best,
                // and a later attempt reaches no better than the first.
                Free::Decay => ((1e-3f64).ln(), 0.0),
                Free::Response(_) => ((1e-6f64).ln(), 0.0),
            },
        }
    }

    /// S(sequence) for every node: the chance that a reachable lead has no conversation after
    /// the node's touches.
    fn survival(&self, reach: &FittedReach) -> Vec<f64> {
        let mut survival = Vec::with_capacity(self.nodes.len());
        survival.push(1.0);
        // The path from the root to the node at hand: its Bernstein weights by depth.
        let mut path: Vec<Vec<f64>> = vec![vec![1.0]];
        // The Beta-binomial probabilities depend only on the number of touches: computed once
        // per number, every node's S is then a dot product.
        let mut pmfs: Vec<Vec<f64>> = vec![vec![1.0]];
        for node in &self.nodes[1..] {
            let multiplier = reach.response[node.channel] * reach.decay.powi(node.depth as i32 - 1);
            let next = times_miss(&path[node.depth - 1], multiplier);
            while pmfs.len() <= node.depth {
                pmfs.push(beta_binomial_pmf(reach.alpha, reach.beta, pmfs.len()));
            }
            survival.push(next.iter().zip(&pmfs[node.depth]).map(|(w, p)| w * p).sum());
            path.truncate(node.depth);
            path.push(next);
        }
        survival
    }

    /// For every node, the chance that a lead has had no conversation after the node's
    /// touches and showed no bad number: the unreachable leads not known as such, and the
    /// reachable leads not yet reached.
    fn unknown(&self, reach: &FittedReach, survival: &[f64]) -> Vec<f64> {
        let u = reach.unreachable;
        self.nodes
            .iter()
            .zip(survival)
            .map(|(node, s)| {
                let hidden = if node.dialed {
                    u * (1.0 - reach.bad_number_share)
                } else {
                    u
                };
                hidden + (1.0 - u) * s
            })
            .collect()
    }

    /// The log-likelihood of the risk sets under `reach` (−∞ where a chance leaves (0, 1)).
    fn log_likelihood(&self, reach: &FittedReach) -> f64 {
        let survival = self.survival(reach);
        let unknown = self.unknown(reach, &survival);
        let reachable = 1.0 - reach.unreachable;
        let shown_bad = reach.unreachable * reach.bad_number_share;
        let mut total = 0.0;
        for set in &self.sets {
            let (t0, t1) = (unknown[set.before], unknown[set.after]);
            let reached = reachable * (survival[set.before] - survival[set.after]);
            if t0.is_nan() || t1.is_nan() || t1 < 0.0 || (set.conversations > 0.0 && reached <= 0.0)
            {
                return f64::NEG_INFINITY;
            }
            let missed = set.at_risk - set.conversations - set.bad_numbers;
            if missed > 0.0 {
                total += missed * t1.ln();
            }
            total -= set.at_risk * t0.ln();
            if set.conversations > 0.0 {
                total += set.conversations * reached.ln();
            }
            if set.bad_numbers > 0.0 {
                total += set.bad_numbers * shown_bad.ln();
            }
        }
        if total.is_nan() {
            f64::NEG_INFINITY
        } else {
            total
        }
    }

    /// Maximises the likelihood on `scale` from `start`, holding coordinate `fixed.0` at
    /// `fixed.1` if given. Returns the whole θ and its log-likelihood.
    fn maximise(
        &self,
        scale: Scale,
        start: &[f64],
        fixed: Option<(usize, f64)>,
    ) -> Result<(Vec<f64>, f64), FitError> {
        let objective = Objective {
            model: self,
            scale,
            fixed,
        };
        let free_of = |theta: &[f64]| -> Vec<f64> {
            (0..theta.len())
                .filter(|&i| fixed.is_none_or(|(f, _)| f != i))
                .map(|i| theta[i])
                .collect()
        };
        // The unreachable share trades off against decay and the spread along a ridge with an
        // optimum near each end, and a search from one end seldom crosses to the other: with
        // the share free, the search also starts from the other end.
        let mut starts = vec![(free_of(start), fixed.is_some())];
        if let Some(i) = self.coordinate(Free::Unreachable)
            && fixed.is_none_or(|(f, _)| f != i)
        {
            let mut other = start.to_vec();
            other[i] = logit(if logistic(start[i]) < 0.2 { 0.4 } else { 0.02 });
            starts.push((free_of(&other), false));
        }
        let mut best = starts[0].0.clone();
        let mut best_cost = objective.cost(&best).map_err(optimiser)?;
        for (start, near) in starts {
            // A search from the other end that is still far below the best after its first,
            // coarse stage is left there: it found the other optimum, and it is the lower.
            let (theta, cost) = objective.descend(start, near, best_cost + 2.0)?;
            if cost < best_cost {
                (best, best_cost) = (theta, cost);
            }
        }
        if !best_cost.is_finite() {
            return Err(FitError::Optimiser(
                "no parameters give the log a positive chance".into(),
            ));
        }
        Ok((objective.full(&best), -best_cost))
    }
}

impl Fit {
    /// Fits `model` by maximum likelihood, from a start near `mean` (the first dials'
    /// conversation rate).
    pub fn new(model: Model, start_mean: f64) -> Result<Fit, FitError> {
        let start = FittedReach {
            alpha: start_mean.clamp(1e-3, 0.9) * 5.0,
            beta: (1.0 - start_mean.clamp(1e-3, 0.9)) * 5.0,
            unreachable: 0.1,
            bad_number_share: 0.5,
            decay: 0.95,
            response: [0.5; 4],
        };
        let scale = Scale::MeanConcentration;
        let theta = model.theta(scale, &start);
        let theta = clamp_into(&model, scale, theta);
        let (theta, log_likelihood) = model.maximise(scale, &theta, None)?;
        let reach = model.reach(scale, &theta);
        Ok(Fit {
            model,
            log_likelihood,
            reach,
        })
    }

    /// The fitted model.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// The profile-likelihood interval of `quantity` at `level` (e.g. 0.95): the values whose
    /// best likelihood, the other parameters refitted, is within χ²₁(level) / 2 of the maximum.
    pub fn interval(&self, quantity: Parameter, level: f64) -> Result<Interval, FitError> {
        self.interval_with(quantity, level, Others::Refitted)
    }

    /// The likelihood-ratio interval of `quantity` at `level` with every other parameter held
    /// at its fit: what the log says of this number were the others known. Narrower than
    /// [`Fit::interval`] where the parameters trade off against each other (a higher mean with
    /// a larger unreachable share), it is the spread along the direction the log pins down.
    pub fn conditional_interval(
        &self,
        quantity: Parameter,
        level: f64,
    ) -> Result<Interval, FitError> {
        self.interval_with(quantity, level, Others::AtFit)
    }

    fn interval_with(
        &self,
        quantity: Parameter,
        level: f64,
        others: Others,
    ) -> Result<Interval, FitError> {
        // Each quantity's coordinate, its value from the coordinate, and its largest value
        // (None: unbounded), which an interval reaching the search range's edge extends to.
        type Coordinate = (Scale, usize, fn(f64) -> f64, Option<f64>);
        let (scale, index, value, limit): Coordinate = match quantity {
            Parameter::Mean => (Scale::MeanConcentration, 0, logistic, Some(1.0)),
            Parameter::Concentration => (Scale::MeanConcentration, 1, f64::exp, None),
            Parameter::Alpha => (Scale::Shapes, 0, f64::exp, None),
            Parameter::Beta => (Scale::Shapes, 1, f64::exp, None),
            Parameter::Unreachable | Parameter::BadNumberShare | Parameter::Decay => {
                let (number, value): (Free, fn(f64) -> f64) = match quantity {
                    Parameter::Unreachable => (Free::Unreachable, logistic),
                    Parameter::BadNumberShare => (Free::BadNumberShare, logistic),
                    _ => (Free::Decay, f64::exp),
                };
                let index = self.model.coordinate(number).expect("a fitted number");
                (Scale::MeanConcentration, index, value, Some(1.0))
            }
            Parameter::Response(channel) => {
                let index = self
                    .model
                    .coordinate(Free::Response(channel))
                    .expect("a channel whose response was fitted");
                (Scale::MeanConcentration, index, f64::exp, Some(1.0))
            }
        };
        let threshold = ChiSquared::new(1.0)
            .expect("one degree of freedom")
            .inverse_cdf(level)
            / 2.0;
        let theta = clamp_into(&self.model, scale, self.model.theta(scale, &self.reach));
        let (lo_bound, hi_bound) = self.model.bounds(scale, index);
        let lo = self.profile_end(scale, &theta, (index, others), lo_bound, threshold)?;
        let hi = self.profile_end(scale, &theta, (index, others), hi_bound, threshold)?;
        Ok(Interval {
            // An end at the search range's edge means the data allow anything beyond it.
            lo: if lo == lo_bound { 0.0 } else { value(lo) },
            hi: if hi == hi_bound {
                limit
            } else {
                Some(value(hi))
            },
        })
    }

    /// Where the profile log-likelihood of coordinate `index` (the `others` refitted or held)
    /// falls `threshold` below the maximum, going from the optimum towards `edge`; `edge`
    /// itself when it never does.
    fn profile_end(
        &self,
        scale: Scale,
        theta: &[f64],
        (index, others): (usize, Others),
        edge: f64,
        threshold: f64,
    ) -> Result<f64, FitError> {
        let centre = theta[index];
        let direction = (edge - centre).signum();
        let mut warm = theta.to_vec();
        let drop_at = |psi: f64, warm: &mut Vec<f64>| -> Result<f64, FitError> {
            let mut start = warm.clone();
            start[index] = psi;
            let (best, ll) = match others {
                Others::Refitted => self.model.maximise(scale, &start, Some((index, psi)))?,
                Others::AtFit => {
                    let ll = self.model.log_likelihood(&self.model.reach(scale, &start));
                    (start, ll)
                }
            };
            *warm = best;
            Ok(self.log_likelihood - ll)
        };
        // Step out, doubling, until the likelihood has dropped enough or the edge is reached.
        let mut inside = centre;
        let mut step = 0.05;
        let outside = loop {
            let psi = centre + direction * step;
            if (psi - edge) * direction >= 0.0 {
                if drop_at(edge, &mut warm)? < threshold {
                    return Ok(edge);
                }
                break edge;
            }
            if drop_at(psi, &mut warm)? >= threshold {
                break psi;
            }
            inside = psi;
            step *= 2.0;
        };
        // Bisect between the last value inside and the first outside.
        let (mut a, mut b) = (inside, outside);
        while (b - a).abs() > 2.5e-4 {
            let mid = 0.5 * (a + b);
            if drop_at(mid, &mut warm)? < threshold {
                a = mid;
            } else {
                b = mid;
            }
        }
        Ok(0.5 * (a + b))
    }

    /// Observed and fitted conversations at each attempt.
    pub fn attempts(&self) -> Vec<AttemptFit> {
        self.attempts_under(&self.reach)
    }

    /// Observed conversations at each attempt, and those expected under `reach` (e.g. the fit
    /// with decay taken out, to show what decay does).
    pub fn attempts_under(&self, reach: &FittedReach) -> Vec<AttemptFit> {
        let model = &self.model;
        let survival = model.survival(reach);
        let unknown = model.unknown(reach, &survival);
        let reachable = 1.0 - reach.unreachable;
        let mut by_attempt: Vec<AttemptFit> = Vec::new();
        for set in &model.sets {
            if by_attempt.len() < set.attempt {
                by_attempt.extend((by_attempt.len() + 1..=set.attempt).map(|a| AttemptFit {
                    attempt: a,
                    leads: 0,
                    conversations: 0,
                    expected: 0.0,
                    variance: 0.0,
                }));
            }
            let h = reachable * (survival[set.before] - survival[set.after]) / unknown[set.before];
            let row = &mut by_attempt[set.attempt - 1];
            row.leads += set.at_risk as u64;
            row.conversations += set.conversations as u64;
            row.expected += set.at_risk * h;
            row.variance += set.at_risk * h * (1.0 - h);
        }
        by_attempt
    }

    /// Pearson's χ² of conversations by attempt, pooling attempts until each group expects at
    /// least five conversations and five misses; `None` when too few groups remain to test.
    pub fn goodness_of_fit(&self) -> Option<GoodnessOfFit> {
        /// A group of attempts: first and last attempt, leads, observed, expected, variance.
        type Group = (usize, usize, f64, f64, f64, f64);
        let mut groups: Vec<Group> = Vec::new();
        let mut open: Option<Group> = None;
        for row in self.attempts() {
            let g = open.get_or_insert((row.attempt, row.attempt, 0.0, 0.0, 0.0, 0.0));
            g.1 = row.attempt;
            g.2 += row.leads as f64;
            g.3 += row.conversations as f64;
            g.4 += row.expected;
            g.5 += row.variance;
            if g.4 >= 5.0 && g.2 - g.4 >= 5.0 {
                groups.extend(open.take());
            }
        }
        if let Some(rest) = open.filter(|g| g.5 > 0.0) {
            match groups.last_mut() {
                Some(last) => {
                    last.1 = rest.1;
                    last.2 += rest.2;
                    last.3 += rest.3;
                    last.4 += rest.4;
                    last.5 += rest.5;
                }
                None => groups.push(rest),
            }
        }
        let df = groups.len().checked_sub(self.model.parameters())?;
        if df == 0 {
            return None;
        }
        let residual = |g: &Group| (g.3 - g.4) / g.5.sqrt();
        let tested: Vec<&Group> = groups.iter().filter(|g| g.5 > 0.0).collect();
        let statistic: f64 = tested.iter().map(|g| residual(g).powi(2)).sum();
        let p_value = ChiSquared::new(df as f64)
            .map(|c| c.sf(statistic))
            .unwrap_or(f64::NAN);
        let worst = tested
            .iter()
            .max_by(|a, b| residual(a).abs().total_cmp(&residual(b).abs()))
            .map(|g| Departure {
                first_attempt: g.0,
                last_attempt: g.1,
                observed: g.3 / g.2,
                fitted: g.4 / g.2,
            })?;
        Some(GoodnessOfFit {
            statistic,
            df: df as u32,
            p_value,
            groups: groups.len() as u32,
            worst,
        })
    }
}

/// The negative log-likelihood over the coordinates of θ not held fixed; +∞ outside the
/// search range.
#[derive(Clone)]
struct Objective<'a> {
    model: &'a Model,
    scale: Scale,
    fixed: Option<(usize, f64)>,
}

impl Objective<'_> {
    /// Nelder–Mead run from `start` three times, each from the last answer with a smaller
    /// simplex: a collapsed simplex can stop short of the optimum. The tolerance is on the
    /// spread of the simplex's log-likelihoods, far below what the profile intervals need. A
    /// start `near` its optimum (a profile point from its neighbour's) takes smaller simplices.
    /// A search whose first stage ends above `give_up` (a negative log-likelihood) stops there.
    fn descend(
        &self,
        start: Vec<f64>,
        near: bool,
        give_up: f64,
    ) -> Result<(Vec<f64>, f64), FitError> {
        let mut best_cost = self.cost(&start).map_err(optimiser)?;
        let mut best = start;
        let steps: &[f64] = if near {
            &[0.1, 0.02]
        } else {
            &[0.5, 0.1, 0.02]
        };
        for &step in steps {
            let simplex = self.simplex(&best, step);
            let solver = NelderMead::new(simplex)
                .with_sd_tolerance(1e-8)
                .map_err(optimiser)?;
            let result = Executor::new(self.clone(), solver)
                .configure(|state| state.max_iters(4000))
                .run()
                .map_err(optimiser)?;
            let state = result.state();
            if let Some(param) = state.get_best_param()
                && state.get_best_cost() <= best_cost
            {
                best = param.clone();
                best_cost = state.get_best_cost();
            }
            if best_cost > give_up {
                break;
            }
        }
        Ok((best, best_cost))
    }

    fn full(&self, free: &[f64]) -> Vec<f64> {
        let mut theta = free.to_vec();
        if let Some((index, value)) = self.fixed {
            theta.insert(index, value);
        }
        theta
    }

    /// A starting simplex around `at`, each vertex a step along one coordinate (inwards at an
    /// edge of the search range).
    fn simplex(&self, at: &[f64], step: f64) -> Vec<Vec<f64>> {
        let mut simplex = vec![at.to_vec()];
        for i in 0..at.len() {
            let full_index = match self.fixed {
                Some((f, _)) if i >= f => i + 1,
                _ => i,
            };
            let (_, hi) = self.model.bounds(self.scale, full_index);
            let mut vertex = at.to_vec();
            vertex[i] += if at[i] + step <= hi { step } else { -step };
            simplex.push(vertex);
        }
        simplex
    }
}

impl CostFunction for Objective<'_> {
    type Param = Vec<f64>;
    type Output = f64;

    fn cost(&self, free: &Vec<f64>) -> Result<f64, argmin::core::Error> {
        let theta = self.full(free);
        let inside = theta.iter().enumerate().all(|(i, &t)| {
            let (lo, hi) = self.model.bounds(self.scale, i);
            (lo..=hi).contains(&t)
        });
        if !inside {
            return Ok(f64::INFINITY);
        }
        let ll = self
            .model
            .log_likelihood(&self.model.reach(self.scale, &theta));
        Ok(if ll.is_finite() { -ll } else { f64::INFINITY })
    }
}

/// θ moved inside the search range.
fn clamp_into(model: &Model, scale: Scale, theta: Vec<f64>) -> Vec<f64> {
    theta
        .into_iter()
        .enumerate()
        .map(|(i, t)| {
            let (lo, hi) = model.bounds(scale, i);
            t.clamp(lo, hi)
        })
        .collect()
}

fn optimiser(err: impl std::fmt::Display) -> FitError {
    FitError::Optimiser(err.to_string())
}

fn logistic(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

fn logit(p: f64) -> f64 {
    (p / (1.0 - p)).ln()
}
