//! A finished sweep's (or target search's) results as one typed value: the design, its
//! points and experiments, each point's bands, the tornadoes, the Sobol indices and the
//! share of the variance their factors explain, the response curves and what a target
//! search found. [`SweepResults::analyse`] computes them once, with the reductions of
//! [`super::analyse`]; the exporters (tables, charts) only serialise this value, so a
//! merge of shards and an unsharded sweep, which analyse the same experiments, write the
//! same bytes.
//!
//! Owns no file format and no wording: names and labels stay in the [`Design`].

use super::analyse::{self, Bar, Curve, PointBand};
use super::design::{Design, TargetSpec};
use super::factor::Settings;
use super::points::Experiment;
use super::sample::Point;
use super::search::Found;
use super::sobol::Indices;
use super::variance::VarianceShare;

/// The tornado of one (scenario, outcome) of a one-at-a-time design.
#[derive(Debug, Clone, PartialEq)]
pub struct TornadoOf {
    /// Index into [`Design::scenarios`].
    pub scenario: u32,
    /// Index into [`Design::outcomes`].
    pub outcome: usize,
    /// The median with every factor central (point 0).
    pub base: f64,
    /// One bar per factor, largest swing first (ties in factor order).
    pub bars: Vec<Bar>,
}

/// The Sobol indices of one (scenario, outcome) of a Saltelli design.
#[derive(Debug, Clone, PartialEq)]
pub struct SobolOf {
    pub scenario: u32,
    pub outcome: usize,
    /// One per factor, in the design's factor order; on each point's replicate mean.
    pub indices: Vec<Indices>,
    /// How the outcome's variance splits between the factors, the other inputs and their
    /// interactions (None with one replicate: nothing else is drawn).
    pub variance: Option<VarianceShare>,
}

/// The response curves of one (scenario, outcome): one per numeric factor.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponsesOf {
    pub scenario: u32,
    pub outcome: usize,
    pub curves: Vec<Curve>,
}

/// Everything a sweep's files show, computed once from the design and its experiments.
#[derive(Debug, Clone)]
pub struct SweepResults {
    pub design: Design,
    /// Every point of the design (a target search: every setting evaluated), by id.
    pub points: Vec<Point>,
    /// Sorted by point, scenario and replicate.
    pub experiments: Vec<Experiment>,
    /// p05/p50/p95 per (point, scenario), in point then scenario order.
    pub bands: Vec<PointBand>,
    /// Per scenario then outcome; empty unless the design is one at a time.
    pub tornadoes: Vec<TornadoOf>,
    /// Per scenario then outcome; empty unless the design is a Saltelli one.
    pub sobol: Vec<SobolOf>,
    /// Per scenario then outcome; empty for a one-at-a-time design.
    pub responses: Vec<ResponsesOf>,
    /// Per factor, the level it is held at while another's response is drawn (a grid
    /// only; `None`: it varies).
    pub held: Vec<Option<toml::Value>>,
    /// What a target search found (`wfhsim target` only).
    pub target: Option<Found>,
}

impl SweepResults {
    /// Reduces `experiments` (in any order) of `design`'s `points` to every result the
    /// files show; `target` is what a target search found, passed through.
    pub fn analyse(
        design: &Design,
        points: Vec<Point>,
        mut experiments: Vec<Experiment>,
        target: Option<Found>,
    ) -> SweepResults {
        experiments.sort_by_key(|e| (e.point, e.scenario, e.replicate));
        let bands = analyse::point_bands(design, &experiments);
        let mut tornadoes = Vec::new();
        let mut sobol = Vec::new();
        let mut responses = Vec::new();
        for s in 0..design.scenarios.len() as u32 {
            for o in 0..design.outcomes.len() {
                if let Some((base, bars)) = analyse::tornado(design, &bands, s, o) {
                    tornadoes.push(TornadoOf {
                        scenario: s,
                        outcome: o,
                        base,
                        bars,
                    });
                }
                if let Some((indices, variance)) = analyse::sobol(design, &experiments, s, o) {
                    sobol.push(SobolOf {
                        scenario: s,
                        outcome: o,
                        indices,
                        variance,
                    });
                }
                let curves = analyse::responses(design, &points, &bands, s, o);
                if !curves.is_empty() {
                    responses.push(ResponsesOf {
                        scenario: s,
                        outcome: o,
                        curves,
                    });
                }
            }
        }
        SweepResults {
            design: design.clone(),
            held: analyse::held(design),
            points,
            experiments,
            bands,
            tornadoes,
            sobol,
            responses,
            target,
        }
    }

    /// The tornado of scenario `s` and outcome `o`, if the design makes one.
    pub fn tornado(&self, s: u32, o: usize) -> Option<&TornadoOf> {
        self.tornadoes
            .iter()
            .find(|t| t.scenario == s && t.outcome == o)
    }

    /// The Sobol indices of scenario `s` and outcome `o`, if the design makes them.
    pub fn sobol_of(&self, s: u32, o: usize) -> Option<&SobolOf> {
        self.sobol
            .iter()
            .find(|t| t.scenario == s && t.outcome == o)
    }

    /// The response curves of scenario `s` and outcome `o` (none for one at a time).
    pub fn curves(&self, s: u32, o: usize) -> &[Curve] {
        self.responses
            .iter()
            .find(|r| r.scenario == s && r.outcome == o)
            .map_or(&[], |r| r.curves.as_slice())
    }
}

impl SweepResults {
    /// A target search's question and answer: its spec, the searched factor's range and
    /// what it found; `None` for a sweep.
    pub fn target_search(&self) -> Option<(&TargetSpec, (f64, f64), &Found)> {
        let spec = self.design.target.as_ref()?;
        let found = self.target.as_ref()?;
        match self.design.factors.get(spec.factor)?.settings {
            Settings::Range(lo, hi) => Some((spec, (lo, hi), found)),
            Settings::Levels(_) => None,
        }
    }
}
