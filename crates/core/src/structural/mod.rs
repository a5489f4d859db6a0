//! Structural inputs drawn per replicate without rebuilding the population.
//!
//! The population is synthesised once from the dataset's central values. Under
//! `--uncertainty full` each replicate also draws the structural inputs from their
//! provenance ranges — mode shares, role mixes (the teleworkable share of private jobs
//! among them), public and BUMN/BUMD headcounts and where they work, formal shares,
//! employment rates and populations, distances (circuity, intra-zonal factor and cap) and
//! trips per working day — and turns the first ones into a weight per worker class: a
//! worker of cell `c` (home × work × mode) and class (employer, role) stands for
//! `weight(c, class)` workers in that replicate, the ratio of the drawn to the central
//! value of every input that placed them there. The engine's integer counts stay as they
//! are, kept per policy; a policy's count in a cell is multiplied by the mean weight of the
//! policy's eligible members of the cell, and the baseline by the weight of every member
//! (so orders with different schedules never share a blended weight). Distances and trips enter the accounting coefficients directly.
//!
//! Each drawn input is a row of the typed inputs ([`crate::data::Inputs`]: key and range,
//! declared once where the dataset is read); a sweep that fixes one fixes that row
//! ([`crate::data::Inputs::fix_structural`]), and the draw reads it from there. Draws are
//! keyed by the provenance key ([`crate::rng::triangular`]), so a replicate's structure is
//! the same in every scenario (common random numbers) and in every point of a sweep. Unit sizes are not sampled: they act through each unit's rounding, which would
//! need a new plan per replicate (docs/method.md §5).
//!
//! Must not import polars, plotters, clap or the filesystem.

use crate::data::{Dataset, EmployerKind, Inputs, Uncertain};
use crate::rng::{parameter_unit, triangular, triangular_mode_quantile, triangular_quantile};

/// Which inputs the replicates draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Uncertainty {
    /// Behavioural and accounting inputs (compliance, occupancy, emission factors,
    /// rebound, road inputs) and the structural inputs above.
    #[default]
    Full,
    /// Behavioural and accounting inputs only; the structure stays at its central values.
    Behavioural,
}

impl Uncertainty {
    pub const NAMES: [&'static str; 2] = ["full", "behavioural"];

    pub fn as_str(self) -> &'static str {
        match self {
            Uncertainty::Full => "full",
            Uncertainty::Behavioural => "behavioural",
        }
    }

    pub fn parse(s: &str) -> Option<Uncertainty> {
        match s {
            "full" => Some(Uncertainty::Full),
            "behavioural" | "behavioral" => Some(Uncertainty::Behavioural),
            _ => None,
        }
    }
}

/// Which replicate a structure is drawn for.
#[derive(Debug, Clone, Copy)]
struct Replicate {
    seed: u64,
    rep: u32,
    central_only: bool,
}

/// A row's (low, central, high) and the quantile it is drawn at.
type RangeAt = ((f64, f64, f64), f64);

/// A drawn number: its row in the typed inputs (which a sweep may have fixed) and the
/// central value the population was built with.
#[derive(Debug, Clone, Copy)]
struct Drawn<'a> {
    row: Option<&'a Uncertain>,
    central: f64,
}

impl<'a> Drawn<'a> {
    /// A required row (every region, side or model input has one).
    fn of(row: &'a Uncertain, central: f64) -> Drawn<'a> {
        Drawn {
            row: Some(row),
            central,
        }
    }

    /// The replicate's value: drawn from the row's range, keyed by its provenance key, or
    /// the central value when the inputs have no such row.
    fn value(self, at: Replicate) -> f64 {
        match self.row {
            Some(u) => triangular(u.range(), &u.key, at.seed, at.rep, at.central_only),
            None => self.central,
        }
    }

    /// The row's range and the quantile it is drawn at in this replicate (its mode's
    /// quantile when only central values are drawn); none for a row without a range.
    fn quantile(self, at: Replicate) -> Option<RangeAt> {
        let u = self.row.filter(|u| u.low < u.high)?;
        let q = if at.central_only {
            triangular_mode_quantile(u.range())
        } else {
            parameter_unit(&u.key, at.seed, at.rep)
        };
        Some((u.range(), q))
    }

    /// The drawn value over the central one (1 when the central value is 0).
    fn ratio(self, at: Replicate) -> f64 {
        if self.central > 0.0 {
            self.value(at) / self.central
        } else {
            1.0
        }
    }
}

/// A group's drawn shares: each central value with its row in `rows`.
fn group<'a>(centrals: &[Option<f64>], rows: &'a [Option<Uncertain>]) -> Vec<Option<Drawn<'a>>> {
    centrals
        .iter()
        .zip(rows)
        .map(|(c, row)| {
            c.map(|central| Drawn {
                row: row.as_ref(),
                central,
            })
        })
        .collect()
}

/// The group's largest share (the first of equals), which takes the rest.
fn largest(items: &[Option<Drawn>]) -> Option<usize> {
    items
        .iter()
        .enumerate()
        .filter_map(|(i, k)| k.map(|k| (i, k.central)))
        .fold(None, |best: Option<(usize, f64)>, (i, c)| match best {
            Some((_, b)) if b >= c => best,
            _ => Some((i, c)),
        })
        .map(|(i, _)| i)
}

/// Shares of one group (a mode split, a role mix, an employer's regions) after the draw,
/// as the ratio of each drawn share to its central share ([`balanced`]).
fn share_ratios(items: &[Option<Drawn>], at: Replicate) -> Vec<f64> {
    items
        .iter()
        .zip(balanced(items, at))
        .map(|(k, v)| match k {
            Some(k) if k.central > 0.0 => v / k.central,
            _ => 1.0,
        })
        .collect()
}

/// One group's shares in a replicate, summing to the group's central total with every
/// share inside its own range. Each share with a range is drawn at its keyed quantile;
/// then all those quantiles move by one common shift `d` (the group's sum rises with `d`,
/// so bisection finds it) until the group sums to its total. Shares without a range
/// (derived rows given as a point, rows a sweep fixed) keep their value. Only when the
/// ranges cannot make up the total (a sweep fixed rows far from their centrals) does the
/// largest share take the rest, as a residual ([`residual`]).
fn balanced(items: &[Option<Drawn>], at: Replicate) -> Vec<f64> {
    let total: f64 = items.iter().flatten().map(|k| k.central).sum();
    let ranged: Vec<Option<RangeAt>> = items
        .iter()
        .map(|k| k.and_then(|k| k.quantile(at)))
        .collect();
    let shifted = |d: f64| -> Vec<f64> {
        items
            .iter()
            .zip(&ranged)
            .map(|(k, r)| match (k, r) {
                (Some(_), Some((range, u))) if d != 0.0 => {
                    triangular_quantile(*range, (u + d).clamp(0.0, 1.0))
                }
                (Some(k), _) => k.value(at),
                (None, _) => 0.0,
            })
            .collect()
    };
    let sum = |d: f64| shifted(d).iter().sum::<f64>();
    let close = |x: f64| (x - total).abs() <= 1e-12 * total.max(1.0);
    if close(sum(0.0)) {
        return shifted(0.0);
    }
    if ranged.iter().flatten().next().is_none() || sum(-1.0) > total || sum(1.0) < total {
        return residual(items, at);
    }
    let (mut lo, mut hi) = (-1.0f64, 1.0f64);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if sum(mid) < total {
            lo = mid
        } else {
            hi = mid
        }
        if hi - lo < 1e-15 {
            break;
        }
    }
    shifted(0.5 * (lo + hi))
}

/// The residual rule, when the ranges cannot balance a group: every share drawn except
/// the group's largest, which takes the rest (its central value plus what the others gave
/// up); if the drawn shares exceed the total, they are scaled down to it and the largest
/// gets none.
fn residual(items: &[Option<Drawn>], at: Replicate) -> Vec<f64> {
    let rest = largest(items);
    let mut value: Vec<f64> = items
        .iter()
        .enumerate()
        .map(|(i, k)| match k {
            Some(k) if Some(i) != rest => k.value(at),
            Some(k) => k.central,
            None => 0.0,
        })
        .collect();
    if let Some(r) = rest {
        let given: f64 = items
            .iter()
            .zip(&value)
            .enumerate()
            .filter(|(i, _)| *i != r)
            .filter_map(|(_, (k, v))| k.map(|k| k.central - v))
            .sum();
        value[r] += given;
        if value[r] < 0.0 {
            let others = value.iter().sum::<f64>() - value[r];
            let total = others + value[r];
            value.iter_mut().for_each(|v| *v *= total / others);
            value[r] = 0.0;
        }
    }
    value
}

/// The central values the population was built with, of the drawn shares: a share of 0
/// (or none) is not drawn.
fn positive<'a>(
    p: &Inputs,
    rows: impl IntoIterator<Item = &'a Option<Uncertain>>,
) -> Vec<Option<f64>> {
    rows.into_iter()
        .map(|u| u.as_ref().map(|u| p.built_central(u)).filter(|&c| c > 0.0))
        .collect()
}

/// The central values the population was built with, per drawn input, and the keys of
/// the rows drawn. Built once per population from the dataset it was synthesised from;
/// each replicate draws from the rows of the typed inputs it is given (the same dataset,
/// or one a sweep fixed some rows of), matched by position, never by a key string.
#[derive(Debug, Clone)]
pub struct Reference {
    n: usize,
    nm: usize,
    ne: usize,
    nr: usize,
    /// Per region pair: its OD class.
    od_class: Vec<usize>,
    is_dki: Vec<bool>,
    kind: Vec<EmployerKind>,
    /// Row-major OD class × mode, as [`Inputs::mode_share`].
    mode: Vec<Option<f64>>,
    /// Row-major employer × role, as [`Inputs::role_share`].
    role: Vec<Option<f64>>,
    headcount: Vec<Option<f64>>,
    /// Per employer: the shares of its regions, when the dataset gives them.
    work_share: Vec<Vec<Option<f64>>>,
    /// `[dki, bodetabek]`.
    formal: [f64; 2],
    employment: [f64; 2],
    population: Vec<f64>,
    circuity: f64,
    intrazonal_factor: f64,
    intrazonal_cap: f64,
    trips_per_commute_day: f64,
    commute_days: f64,
    area_km2: Vec<f64>,
    distance_km: Vec<f64>,
    /// The provenance keys drawn, in [`Reference::keys`] order.
    keys: Vec<String>,
}

impl Reference {
    /// The reference of a population synthesised from `ds` (its central values as the
    /// derived tables were built, even where a sweep has fixed rows since).
    pub fn new(ds: &Dataset) -> Reference {
        let n = ds.n_regions();
        let p = &ds.inputs;
        let (d, c) = (&p.distance, &p.commute);
        let built = |u: &Uncertain| p.built_central(u);
        Reference {
            n,
            nm: ds.modes.len(),
            ne: ds.employers.len(),
            nr: ds.roles.len(),
            od_class: (0..n * n).map(|od| ds.od_class(od / n, od % n)).collect(),
            is_dki: ds.regions.iter().map(|r| r.is_dki).collect(),
            kind: ds.employers.iter().map(|e| e.kind).collect(),
            mode: positive(p, &p.mode_share),
            role: positive(p, &p.role_share),
            headcount: positive(p, p.employers.iter().map(|e| &e.headcount)),
            work_share: p
                .employers
                .iter()
                .map(|e| positive(p, &e.work_share))
                .collect(),
            formal: [built(&p.formal_share.dki), built(&p.formal_share.bodetabek)],
            employment: [
                built(&p.employment_rate.dki),
                built(&p.employment_rate.bodetabek),
            ],
            population: p.regions.iter().map(|r| built(&r.population)).collect(),
            circuity: built(&d.circuity),
            intrazonal_factor: built(&d.intrazonal_factor),
            intrazonal_cap: built(&d.intrazonal_cap_km),
            trips_per_commute_day: built(&c.trips_per_commute_day),
            commute_days: built(&c.commute_days_per_working_day),
            area_km2: p.regions.iter().map(|r| r.area_km2).collect(),
            distance_km: ds.distance_km.clone(),
            keys: drawn_keys(p),
        }
    }

    /// Worker classes: employer × roles + role.
    pub fn n_classes(&self) -> usize {
        self.ne * self.nr
    }

    /// The provenance keys the structure draws, in a fixed order (for documentation and
    /// for a sweep's list of what it may fix).
    pub fn keys(&self) -> Vec<&str> {
        self.keys.iter().map(String::as_str).collect()
    }

    /// One replicate's structure, drawn from `inputs` (the dataset's typed inputs,
    /// possibly with some rows fixed by a sweep).
    pub fn draw(&self, inputs: &Inputs, seed: u64, rep: u32, central_only: bool) -> Structure {
        let at = Replicate {
            seed,
            rep,
            central_only,
        };
        let one = Drawn::of;
        let d = &inputs.distance;
        let (circuity, factor, cap) = (
            one(&d.circuity, self.circuity).value(at),
            one(&d.intrazonal_factor, self.intrazonal_factor).value(at),
            one(&d.intrazonal_cap_km, self.intrazonal_cap).value(at),
        );
        let c = &inputs.commute;
        Structure {
            trips_per_working_day: one(&c.trips_per_commute_day, self.trips_per_commute_day)
                .value(at)
                * one(&c.commute_days_per_working_day, self.commute_days).value(at),
            distance_km: self.distances(circuity, factor, cap),
            weights: self.weights(inputs, at),
        }
    }

    /// Road km per pair: a pair's straight line × circuity (the central distances are
    /// scaled by the drawn circuity's ratio); within a region, a fraction of √area
    /// capped, × circuity.
    fn distances(&self, circuity: f64, factor: f64, cap: f64) -> Vec<f64> {
        let ratio = circuity / self.circuity;
        (0..self.n * self.n)
            .map(|od| {
                let (h, w) = (od / self.n, od % self.n);
                if h == w {
                    (factor * self.area_km2[h].sqrt()).min(cap) * circuity
                } else {
                    self.distance_km[od] * ratio
                }
            })
            .collect()
    }

    /// The weight factors of one replicate.
    fn weights(&self, inputs: &Inputs, at: Replicate) -> Weights {
        let chunks = |centrals: &[Option<f64>], rows: &[Option<Uncertain>], size: usize| {
            centrals
                .chunks(size)
                .zip(rows.chunks(size))
                .flat_map(|(c, r)| share_ratios(&group(c, r), at))
                .collect()
        };
        let employers = &inputs.employers;
        let employer = self
            .headcount
            .iter()
            .zip(employers)
            .map(|(h, e)| {
                h.map_or(1.0, |central| {
                    Drawn {
                        row: e.headcount.as_ref(),
                        central,
                    }
                    .ratio(at)
                })
            })
            .collect();
        let work = self
            .work_share
            .iter()
            .zip(employers)
            .flat_map(|(c, e)| share_ratios(&group(c, &e.work_share), at))
            .collect();
        let (formal, informal) = self.sectors(inputs, at);
        Weights {
            n: self.n,
            nm: self.nm,
            nr: self.nr,
            od_class: self.od_class.clone(),
            is_dki: self.is_dki.clone(),
            kind: self.kind.clone(),
            mode: chunks(&self.mode, &inputs.mode_share, self.nm),
            role: chunks(&self.role, &inputs.role_share, self.nr),
            employer,
            work,
            formal,
            informal,
            home: self.home(inputs, at),
        }
    }

    /// The ratios of private formal and of informal jobs, at a DKI and at a Bodetabek
    /// workplace: the drawn formal share over its central value, and the rest over its.
    fn sectors(&self, inputs: &Inputs, at: Replicate) -> ([f64; 2], [f64; 2]) {
        let rows = [&inputs.formal_share.dki, &inputs.formal_share.bodetabek];
        let f = [0, 1].map(|i| Drawn::of(rows[i], self.formal[i]).value(at));
        let fc = self.formal;
        let part = |x: f64, c: f64| if c > 0.0 { x / c } else { 1.0 };
        (
            [part(f[0], fc[0]), part(f[1], fc[1])],
            [part(1.0 - f[0], 1.0 - fc[0]), part(1.0 - f[1], 1.0 - fc[1])],
        )
    }

    /// Per home region: its residents' ratio × the employment rate's ratio of its side.
    fn home(&self, inputs: &Inputs, at: Replicate) -> Vec<f64> {
        let rows = [
            &inputs.employment_rate.dki,
            &inputs.employment_rate.bodetabek,
        ];
        let employment = [0, 1].map(|i| Drawn::of(rows[i], self.employment[i]).ratio(at));
        (0..self.n)
            .map(|h| {
                let residents = Drawn::of(&inputs.regions[h].population, self.population[h]);
                residents.ratio(at) * employment[if self.is_dki[h] { 0 } else { 1 }]
            })
            .collect()
    }
}

/// The keys of the rows the structure draws, in a fixed order: mode shares, role shares
/// (once per employer of a role mix), work shares, headcounts, formal shares, employment
/// rates, populations, distance and trip inputs. A share of 0 is not drawn.
fn drawn_keys(p: &Inputs) -> Vec<String> {
    let drawn = |u: &&Uncertain| p.built_central(u) > 0.0;
    let shares = p.mode_share.iter().chain(&p.role_share).flatten();
    let work = p
        .employers
        .iter()
        .flat_map(|e| e.work_share.iter().flatten());
    let headcount = p.employers.iter().flat_map(|e| &e.headcount);
    let (d, c) = (&p.distance, &p.commute);
    let fixed = [
        &p.formal_share.dki,
        &p.formal_share.bodetabek,
        &p.employment_rate.dki,
        &p.employment_rate.bodetabek,
    ];
    let model = [
        &d.circuity,
        &d.intrazonal_factor,
        &d.intrazonal_cap_km,
        &c.trips_per_commute_day,
        &c.commute_days_per_working_day,
    ];
    shares
        .chain(work)
        .chain(headcount)
        .filter(drawn)
        .chain(fixed)
        .chain(p.regions.iter().map(|r| &r.population))
        .chain(model)
        .map(|u| u.key.clone())
        .collect()
}

/// One replicate's structure.
#[derive(Debug, Clone)]
pub struct Structure {
    /// Commuter trips a worker makes per working day.
    pub trips_per_working_day: f64,
    /// Road km per home → work pair.
    pub distance_km: Vec<f64>,
    pub weights: Weights,
}

/// Per worker class and cell: how many workers one simulated worker stands for, relative
/// to the central structure.
#[derive(Debug, Clone)]
pub struct Weights {
    n: usize,
    nm: usize,
    nr: usize,
    od_class: Vec<usize>,
    is_dki: Vec<bool>,
    kind: Vec<EmployerKind>,
    /// OD class × mode.
    mode: Vec<f64>,
    /// Employer × role.
    role: Vec<f64>,
    /// Per employer (headcount).
    employer: Vec<f64>,
    /// Employer × work region.
    work: Vec<f64>,
    /// Private formal and informal jobs, at a DKI and a Bodetabek workplace.
    formal: [f64; 2],
    informal: [f64; 2],
    /// Per home region: residents × employment rate (private and informal jobs only).
    home: Vec<f64>,
}

impl Weights {
    /// The weight of a worker in `cell` (od × modes + mode) of `class` (employer × roles +
    /// role).
    pub fn weight(&self, cell: usize, class: usize) -> f64 {
        let (od, m) = (cell / self.nm, cell % self.nm);
        let (h, w) = (od / self.n, od % self.n);
        let e = class / self.nr;
        let dk = if self.is_dki[w] { 0 } else { 1 };
        let sector = match self.kind[e] {
            EmployerKind::Private => self.formal[dk] * self.home[h],
            EmployerKind::Informal => self.informal[dk] * self.home[h],
            _ => 1.0,
        };
        self.mode[self.od_class[od] * self.nm + m]
            * self.role[class]
            * self.employer[e]
            * self.work[e * self.n + w]
            * sector
    }

    /// Per group (a policy) and cell: Σ mass × weight / Σ mass over `entries`
    /// (group × n_cells + cell, class, mass), the mean weight of the group's members in
    /// the cell; cells without entries get 1.
    pub fn cell_means(
        &self,
        groups: usize,
        n_cells: usize,
        entries: &[(u32, u32, f64)],
    ) -> Vec<f64> {
        let mut num = vec![0.0; groups * n_cells];
        let mut den = vec![0.0; groups * n_cells];
        for &(c, k, m) in entries {
            num[c as usize] += m * self.weight(c as usize % n_cells, k as usize);
            den[c as usize] += m;
        }
        num.iter()
            .zip(&den)
            .map(|(&a, &b)| if b > 0.0 { a / b } else { 1.0 })
            .collect()
    }

    /// Per cell: Σ count × weight over `entries` (cell, class, count).
    pub fn weighted_totals(&self, n_cells: usize, entries: &[(u32, u32, f64)]) -> Vec<f64> {
        let mut out = vec![0.0; n_cells];
        for &(c, k, m) in entries {
            out[c as usize] += m * self.weight(c as usize, k as usize);
        }
        out
    }
}

/// A sparse (cell, class, mass) table: workers, or eligible members weighted by their
/// expected share at home, per cell and class.
pub type Entries = Vec<(u32, u32, f64)>;

/// Sparse (cell, class, mass) entries of a dense `cell × n_classes` table, in cell then
/// class order.
pub fn sparse(dense: &[f64], n_classes: usize) -> Entries {
    dense
        .iter()
        .enumerate()
        .filter(|(_, m)| **m != 0.0)
        .map(|(i, &m)| ((i / n_classes) as u32, (i % n_classes) as u32, m))
        .collect()
}

#[cfg(test)]
mod tests;
