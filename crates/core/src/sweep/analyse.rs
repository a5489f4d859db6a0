//! From the experiments table to what a planner reads: each point's median and 5–95% band
//! of every outcome, the tornado of a one-at-a-time design, Sobol indices of a Saltelli
//! design with the share of the variance its factors explain, and response curves (an outcome against one factor). Called only by
//! [`super::results::SweepResults::analyse`]: the exporters read its value, never these.

use super::design::{Design, Method};
use super::factor::{Settings, as_number};
use super::points::Experiment;
use super::sample::Point;
use super::sobol::{self, Indices};
use super::variance::{self, VarianceShare};
use crate::results::quantile::quantiles;
use crate::rng::{Stream, StreamKey};

/// Bootstrap resamples of the Sobol intervals.
pub const BOOTSTRAP: usize = 500;

/// One (point, scenario) of the points table: p05/p50/p95 per outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct PointBand {
    pub point: u32,
    pub scenario: u32,
    /// Per outcome: [p05, p50, p95].
    pub bands: Vec<[f64; 3]>,
}

/// Bands over replicates per (point, scenario), in point then scenario order. `rows` may
/// come in any order.
pub(crate) fn point_bands(d: &Design, rows: &[Experiment]) -> Vec<PointBand> {
    let mut rows: Vec<&Experiment> = rows.iter().collect();
    rows.sort_by_key(|e| (e.point, e.scenario, e.replicate));
    let mut out = Vec::new();
    for group in rows.chunk_by(|a, b| a.point == b.point && a.scenario == b.scenario) {
        let bands = (0..d.outcomes.len())
            .map(|o| {
                let mut v: Vec<f64> = group.iter().map(|e| e.outcomes[o]).collect();
                quantiles(&mut v).0
            })
            .collect();
        out.push(PointBand {
            point: group[0].point,
            scenario: group[0].scenario,
            bands,
        });
    }
    out
}

/// The median of outcome `o` at each point of scenario `s` (index = point id).
fn medians(d: &Design, bands: &[PointBand], s: u32, o: usize) -> Vec<f64> {
    let mut m = vec![f64::NAN; d.n_points()];
    for b in bands.iter().filter(|b| b.scenario == s) {
        m[b.point as usize] = b.bands[o][1];
    }
    m
}

/// One bar of a tornado: a factor at its low and high setting, the others central.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub factor: usize,
    pub low: f64,
    pub high: f64,
}

impl Bar {
    pub fn swing(&self) -> f64 {
        (self.high - self.low).abs()
    }
}

/// A one-at-a-time design's tornado for scenario `s` and outcome `o`: the base value
/// (point 0) and a bar per factor, sorted by swing, largest first.
pub(crate) fn tornado(
    d: &Design,
    bands: &[PointBand],
    s: u32,
    o: usize,
) -> Option<(f64, Vec<Bar>)> {
    if d.method != Some(Method::Oat) {
        return None;
    }
    let m = medians(d, bands, s, o);
    let mut bars: Vec<Bar> = (0..d.factors.len())
        .map(|i| Bar {
            factor: i,
            low: m[1 + 2 * i],
            high: m[2 + 2 * i],
        })
        .collect();
    bars.sort_by(|a, b| {
        b.swing()
            .total_cmp(&a.swing())
            .then(a.factor.cmp(&b.factor))
    });
    Some((m[0], bars))
}

/// A Saltelli design's indices for scenario `s` and outcome `o`, on each point's mean over
/// its replicates (common random numbers: replicate r of every point draws the same other
/// inputs, so their own effect is common to the means and drops out), and the split of
/// the outcome's variance between the factors and everything else, from the base
/// samples' points (A and B, the factors' distribution) × replicates. `rows` are sorted by
/// point, scenario and replicate.
pub(crate) fn sobol(
    d: &Design,
    rows: &[Experiment],
    s: u32,
    o: usize,
) -> Option<(Vec<Indices>, Option<VarianceShare>)> {
    if d.method != Some(Method::Sobol) {
        return None;
    }
    let y = replicates_of(d, rows, s, o);
    let means: Vec<f64> = y
        .iter()
        .map(|v| v.iter().sum::<f64>() / v.len() as f64)
        .collect();
    let mut rng = StreamKey::new(d.design_seed, 0, Stream::Design).rng(3);
    let indices = sobol::indices(&means, d.factors.len(), BOOTSTRAP, &mut rng);
    let per_sample = d.factors.len() + 2;
    let base: Vec<Vec<f64>> = y
        .into_iter()
        .enumerate()
        .filter(|(p, _)| p % per_sample < 2)
        .map(|(_, v)| v)
        .collect();
    Some((indices, variance::share(&base)))
}

/// Outcome `o` of scenario `s` at each point (index = point id), one value per replicate
/// in replicate order. `rows` are sorted by point, scenario and replicate.
fn replicates_of(d: &Design, rows: &[Experiment], s: u32, o: usize) -> Vec<Vec<f64>> {
    let mut y = vec![Vec::new(); d.n_points()];
    for e in rows.iter().filter(|e| e.scenario == s) {
        if let Some(v) = y.get_mut(e.point as usize) {
            v.push(e.outcomes[o]);
        }
    }
    y
}

/// On a grid, the level each factor is held at while another one's response is drawn:
/// its central level, or its middle level when the central one is not among the levels.
pub(crate) fn held(d: &Design) -> Vec<Option<toml::Value>> {
    d.factors
        .iter()
        .map(|f| match (&f.settings, d.method) {
            (Settings::Levels(l), Some(Method::Grid)) => Some(if l.contains(&f.central) {
                f.central.clone()
            } else {
                l[(l.len() - 1) / 2].clone()
            }),
            _ => None,
        })
        .collect()
}

/// A response curve: the outcome's band at each setting of one factor.
#[derive(Debug, Clone, PartialEq)]
pub struct Curve {
    pub factor: usize,
    pub x: Vec<f64>,
    pub bands: Vec<[f64; 3]>,
}

/// Response curves of scenario `s`, outcome `o`, one per numeric factor: on a grid, the
/// points where every other factor sits at its central level (or its middle level when
/// the central one is not among the levels); on a Latin hypercube or Sobol design, every
/// point (the other factors vary too: the band shows it). None for one-at-a-time designs.
pub(crate) fn responses(
    d: &Design,
    points: &[Point],
    bands: &[PointBand],
    s: u32,
    o: usize,
) -> Vec<Curve> {
    if d.method == Some(Method::Oat) {
        return Vec::new();
    }
    let by_point: Vec<Option<&PointBand>> = {
        let mut v = vec![None; d.n_points()];
        for b in bands.iter().filter(|b| b.scenario == s) {
            v[b.point as usize] = Some(b);
        }
        v
    };
    let held = held(d);
    (0..d.factors.len())
        .filter(|&i| d.factors[i].is_numeric())
        .map(|i| {
            let mut pts: Vec<(f64, [f64; 3])> = points
                .iter()
                .filter(|p| {
                    p.values
                        .iter()
                        .zip(&held)
                        .enumerate()
                        .all(|(j, (v, h))| j == i || h.as_ref().is_none_or(|h| h == v))
                })
                .filter_map(|p| Some((as_number(&p.values[i])?, by_point[p.id]?.bands[o])))
                .collect();
            pts.sort_by(|a, b| a.0.total_cmp(&b.0));
            Curve {
                factor: i,
                x: pts.iter().map(|p| p.0).collect(),
                bands: pts.iter().map(|p| p.1).collect(),
            }
        })
        .collect()
}
