//! Reachability by maximum likelihood: the shifted-beta-geometric model of docs/model.md with
//! right-censoring, optionally zero-inflated, with channel responses relative to calls.
//!
//! A lead's log is a chain of touches, each of which reaches the lead or not given the ones
//! before, so the likelihood is a product over [`RiskSet`]s of conditional chances
//! h = 1 − S(before + touch) / S(before), where S is the chance of no conversation after a set of
//! touches. With decay 1 the order of earlier touches does not matter, only how many there were
//! on each channel, and S = π + (1 − π) E[Π (1 − p r_c)] over p ~ Beta(α, β) is exact (the
//! Bernstein form of [`crate::reach`]). Intervals are profile-likelihood intervals; the fit is
//! checked by a Pearson test of conversations by attempt.

use std::collections::HashMap;

use argmin::core::{CostFunction, Executor, State};
use argmin::solver::neldermead::NelderMead;
use statrs::distribution::{ChiSquared, ContinuousCDF};

use super::evidence::{Counts, RiskSet};
use crate::reach::{beta_binomial_pmf, times_miss};
use crate::scenario::Channel;

/// Fitted reachability: the Beta shapes of the reachable leads, the unreachable share and each
/// channel's response relative to calls.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FittedReach {
    pub alpha: f64,
    pub beta: f64,
    pub unreachable: f64,
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
    Response(Channel),
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
}

/// The model a log is fitted to, with the log's risk sets.
#[derive(Debug, Clone)]
pub struct Model {
    /// Each distinct touch count the risk sets need, after its parent (one touch fewer, the
    /// last channel in [`Channel::ALL`] order taken off) and the channel that was added.
    nodes: Vec<(usize, usize)>,
    /// (before node, after node, at risk, conversations, attempt) for every risk set.
    sets: Vec<(usize, usize, f64, f64, usize)>,
    /// Channels other than calls with touches, whose response is fitted.
    free: Vec<Channel>,
    zero_inflated: bool,
}

/// How θ, the vector the optimiser moves, maps to the model: the first two coordinates are
/// (logit mean, ln concentration) or (ln α, ln β); then logit π when zero-inflated; then
/// ln r for each free channel.
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
    /// The model of `risk`; `zero_inflated` also fits an unreachable share.
    pub fn new(risk: &[RiskSet], zero_inflated: bool) -> Result<Model, FitError> {
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
        let mut index: HashMap<Counts, usize> = HashMap::from([([0; 4], 0)]);
        let mut nodes = vec![(0, 0)];
        let mut node_of = |counts: Counts| -> usize {
            // Walk down to a known ancestor, then add the missing nodes upwards.
            let mut chain = Vec::new();
            let mut at = counts;
            while !index.contains_key(&at) {
                let channel = (0..4).rev().find(|&c| at[c] > 0).expect("non-zero counts");
                chain.push((at, channel));
                at[channel] -= 1;
            }
            let mut parent = index[&at];
            for (counts, channel) in chain.into_iter().rev() {
                nodes.push((parent, channel));
                parent = nodes.len() - 1;
                index.insert(counts, parent);
            }
            parent
        };
        let sets = risk
            .iter()
            .map(|r| {
                let before = node_of(r.before);
                let mut after = r.before;
                after[r.channel.index()] += 1;
                (
                    before,
                    node_of(after),
                    r.at_risk as f64,
                    r.conversations as f64,
                    r.attempt(),
                )
            })
            .collect();
        let free = Channel::ALL
            .into_iter()
            .filter(|&c| c != Channel::Call && risk.iter().any(|r| r.channel == c))
            .collect();
        Ok(Model {
            nodes,
            sets,
            free,
            zero_inflated,
        })
    }

    /// Channels whose response is fitted.
    pub fn free_channels(&self) -> &[Channel] {
        &self.free
    }

    /// How many numbers the model fits.
    pub fn parameters(&self) -> usize {
        2 + usize::from(self.zero_inflated) + self.free.len()
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
        let mut next = 2;
        let unreachable = if self.zero_inflated {
            next += 1;
            logistic(theta[2])
        } else {
            0.0
        };
        let mut response = [1.0; 4];
        for (channel, value) in self.free.iter().zip(&theta[next..]) {
            response[channel.index()] = value.exp();
        }
        FittedReach {
            alpha,
            beta,
            unreachable,
            response,
        }
    }

    fn theta(&self, scale: Scale, reach: &FittedReach) -> Vec<f64> {
        let mut theta = match scale {
            Scale::MeanConcentration => vec![logit(reach.mean()), reach.concentration().ln()],
            Scale::Shapes => vec![reach.alpha.ln(), reach.beta.ln()],
        };
        if self.zero_inflated {
            theta.push(logit(reach.unreachable));
        }
        theta.extend(self.free.iter().map(|c| reach.response[c.index()].ln()));
        theta
    }

    /// The range each coordinate of θ is searched in. Wide: the edges stand for 0 or ∞.
    fn bounds(&self, scale: Scale, i: usize) -> (f64, f64) {
        match (scale, i) {
            (Scale::MeanConcentration, 0) => (-14.0, 14.0),
            (Scale::MeanConcentration, 1) => ((1e-3f64).ln(), (1e6f64).ln()),
            (Scale::Shapes, 0 | 1) => ((1e-4f64).ln(), (1e6f64).ln()),
            (_, 2) if self.zero_inflated => (-16.0, 16.0),
            // Responses are at most 1 (docs/model.md: a touch's chance is min(1, p · response),
            // and the Bernstein form needs 1 − r ≥ 0): calls are the channel that reaches best.
            _ => ((1e-6f64).ln(), 0.0),
        }
    }

    /// S(touches) for every node: the chance of no conversation after them.
    fn survival(&self, reach: &FittedReach) -> Vec<f64> {
        let mut weights: Vec<Vec<f64>> = Vec::with_capacity(self.nodes.len());
        weights.push(vec![1.0]);
        let mut survival = Vec::with_capacity(self.nodes.len());
        survival.push(1.0);
        // The Beta-binomial probabilities depend only on the number of touches: computed once
        // per number, every node's S is then a dot product.
        let mut pmfs: Vec<Vec<f64>> = Vec::new();
        for &(parent, channel) in &self.nodes[1..] {
            let next = times_miss(&weights[parent], reach.response[channel]);
            let touches = next.len() - 1;
            while pmfs.len() <= touches {
                pmfs.push(beta_binomial_pmf(reach.alpha, reach.beta, pmfs.len()));
            }
            let s: f64 = next.iter().zip(&pmfs[touches]).map(|(w, p)| w * p).sum();
            survival.push(reach.unreachable + (1.0 - reach.unreachable) * s);
            weights.push(next);
        }
        survival
    }

    /// The log-likelihood of the risk sets under `reach` (−∞ where a chance leaves (0, 1)).
    fn log_likelihood(&self, reach: &FittedReach) -> f64 {
        let survival = self.survival(reach);
        let mut total = 0.0;
        for &(before, after, at_risk, conversations, _) in &self.sets {
            let (s0, s1) = (survival[before], survival[after]);
            let reached = s0 - s1;
            if s0.is_nan() || s1.is_nan() || s1 < 0.0 || (conversations > 0.0 && reached <= 0.0) {
                return f64::NEG_INFINITY;
            }
            total += (at_risk - conversations) * (s1.ln() - s0.ln());
            if conversations > 0.0 {
                total += conversations * (reached.ln() - s0.ln());
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
        let free_start: Vec<f64> = (0..start.len())
            .filter(|&i| fixed.is_none_or(|(f, _)| f != i))
            .map(|i| start[i])
            .collect();
        let mut best = free_start;
        let mut best_cost = objective.cost(&best).map_err(optimiser)?;
        // Nelder–Mead run three times, each from the last answer with a smaller simplex: a
        // collapsed simplex can stop short of the optimum. The tolerance is on the spread of
        // the simplex's log-likelihoods, far below what the profile intervals need.
        // A profile point starts from its neighbour's optimum, near its own: smaller simplices.
        let steps: &[f64] = if fixed.is_some() {
            &[0.1, 0.02]
        } else {
            &[0.5, 0.1, 0.02]
        };
        for &step in steps {
            let simplex = objective.simplex(&best, step);
            let solver = NelderMead::new(simplex)
                .with_sd_tolerance(1e-8)
                .map_err(optimiser)?;
            let result = Executor::new(objective.clone(), solver)
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
            Parameter::Unreachable => {
                assert!(self.model.zero_inflated, "no unreachable share was fitted");
                (Scale::MeanConcentration, 2, logistic, Some(1.0))
            }
            Parameter::Response(channel) => {
                let at = self
                    .model
                    .free
                    .iter()
                    .position(|&c| c == channel)
                    .expect("a channel whose response was fitted");
                let offset = 2 + usize::from(self.model.zero_inflated);
                (Scale::MeanConcentration, offset + at, f64::exp, Some(1.0))
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
        let survival = self.model.survival(&self.reach);
        let mut by_attempt: Vec<AttemptFit> = Vec::new();
        for &(before, after, at_risk, conversations, attempt) in &self.model.sets {
            if by_attempt.len() < attempt {
                by_attempt.extend((by_attempt.len() + 1..=attempt).map(|a| AttemptFit {
                    attempt: a,
                    leads: 0,
                    conversations: 0,
                    expected: 0.0,
                    variance: 0.0,
                }));
            }
            let h = 1.0 - survival[after] / survival[before];
            let row = &mut by_attempt[attempt - 1];
            row.leads += at_risk as u64;
            row.conversations += conversations as u64;
            row.expected += at_risk * h;
            row.variance += at_risk * h * (1.0 - h);
        }
        by_attempt
    }

    /// Pearson's χ² of conversations by attempt, pooling attempts until each group expects at
    /// least five conversations and five misses; `None` when too few groups remain to test.
    pub fn goodness_of_fit(&self) -> Option<GoodnessOfFit> {
        let mut groups: Vec<(f64, f64, f64)> = Vec::new();
        let mut open = (0.0, 0.0, 0.0, 0.0);
        for row in self.attempts() {
            open.0 += row.conversations as f64;
            open.1 += row.expected;
            open.2 += row.variance;
            open.3 += row.leads as f64 - row.expected;
            if open.1 >= 5.0 && open.3 >= 5.0 {
                groups.push((open.0, open.1, open.2));
                open = (0.0, 0.0, 0.0, 0.0);
            }
        }
        if open.2 > 0.0 {
            match groups.last_mut() {
                Some(last) => {
                    last.0 += open.0;
                    last.1 += open.1;
                    last.2 += open.2;
                }
                None => groups.push((open.0, open.1, open.2)),
            }
        }
        let df = groups.len().checked_sub(self.model.parameters())?;
        if df == 0 {
            return None;
        }
        let statistic: f64 = groups
            .iter()
            .filter(|g| g.2 > 0.0)
            .map(|&(observed, expected, variance)| (observed - expected).powi(2) / variance)
            .sum();
        let p_value = ChiSquared::new(df as f64)
            .map(|c| c.sf(statistic))
            .unwrap_or(f64::NAN);
        Some(GoodnessOfFit {
            statistic,
            df: df as u32,
            p_value,
            groups: groups.len() as u32,
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
