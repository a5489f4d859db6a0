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
//! are; a cell's count is multiplied by the mean weight of the cell's eligible members
//! (weighted by their policy's expected share at home), and the baseline by the weight of
//! every member. Distances and trips enter the accounting coefficients directly.
//!
//! Draws are keyed by the provenance key ([`crate::rng::triangular`]), so a replicate's
//! structure is the same in every scenario (common random numbers) and in every point of a
//! sweep. Unit sizes are not sampled: they act through each unit's rounding, which would
//! need a new plan per replicate (docs/method.md §5).
//!
//! Must not import polars, plotters, clap or the filesystem.

use crate::data::{Dataset, EmployerKind, OD_CLASSES, Params};
use crate::rng::triangular;

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

/// A drawn number: its provenance key and the central value the population was built with.
#[derive(Debug, Clone, PartialEq)]
struct Keyed {
    key: String,
    central: f64,
}

impl Keyed {
    fn new(key: String, central: f64) -> Keyed {
        Keyed { key, central }
    }

    /// The replicate's value: drawn from the row's range in `params` (which a sweep may
    /// have fixed), or the central value when the dataset has no such row.
    fn draw(&self, params: &Params, seed: u64, rep: u32, central_only: bool) -> f64 {
        match params.row(&self.key) {
            Some(p) => triangular(p.range(), &self.key, seed, rep, central_only),
            None => self.central,
        }
    }
}

/// Shares of one group (a mode split, a role mix, an employer's regions) after the draw,
/// as the ratio of each drawn share to its central share. Every share is drawn except the
/// group's largest, which takes the rest, so the group's total stays what it was and each
/// drawn share spans its own range (the teleworkable share of private jobs its full
/// 10–40%, the on-site share the rest); if the drawn shares exceed the total, they are
/// scaled down to it and the largest gets none.
fn share_ratios(
    items: &[Option<Keyed>],
    params: &Params,
    seed: u64,
    rep: u32,
    co: bool,
) -> Vec<f64> {
    let rest = items
        .iter()
        .enumerate()
        .filter_map(|(i, k)| k.as_ref().map(|k| (i, k.central)))
        .fold(None, |best: Option<(usize, f64)>, (i, c)| match best {
            Some((_, b)) if b >= c => best,
            _ => Some((i, c)),
        })
        .map(|(i, _)| i);
    let mut value: Vec<f64> = items
        .iter()
        .enumerate()
        .map(|(i, k)| match k {
            Some(k) if Some(i) != rest => k.draw(params, seed, rep, co),
            Some(k) => k.central,
            None => 0.0,
        })
        .collect();
    if let Some(r) = rest {
        // The largest takes what the others left: its central value plus what they gave
        // up (exactly its central value when they are at theirs).
        let given: f64 = items
            .iter()
            .zip(&value)
            .enumerate()
            .filter(|(i, _)| *i != r)
            .filter_map(|(_, (k, v))| k.as_ref().map(|k| k.central - v))
            .sum();
        value[r] += given;
        if value[r] < 0.0 {
            let others = value.iter().sum::<f64>() - value[r];
            let total = others + value[r];
            value.iter_mut().for_each(|v| *v *= total / others);
            value[r] = 0.0;
        }
    }
    items
        .iter()
        .zip(&value)
        .map(|(k, &v)| match k {
            Some(k) if k.central > 0.0 => v / k.central,
            _ => 1.0,
        })
        .collect()
}

/// The central values the population was built with, and the keys to draw. Built once
/// per population from the dataset it was synthesised from.
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
    /// Per OD class: its modes' shares.
    mode: Vec<Vec<Option<Keyed>>>,
    /// Per employer: its roles' shares.
    role: Vec<Vec<Option<Keyed>>>,
    headcount: Vec<Option<Keyed>>,
    /// Per employer: the shares of its regions, when the dataset gives them.
    work_share: Vec<Vec<Option<Keyed>>>,
    formal: [Keyed; 2],
    employment: [Keyed; 2],
    population: Vec<Keyed>,
    circuity: Keyed,
    intrazonal_factor: Keyed,
    intrazonal_cap: Keyed,
    trips_per_commute_day: Keyed,
    commute_days: Keyed,
    area_km2: Vec<f64>,
    distance_km: Vec<f64>,
}

/// `[dki, bodetabek]` of a number given for each.
fn by_dki(name: &str, dki: f64, bodetabek: f64) -> [Keyed; 2] {
    [
        Keyed::new(format!("{name}.dki"), dki),
        Keyed::new(format!("{name}.bodetabek"), bodetabek),
    ]
}

impl Reference {
    pub fn new(ds: &Dataset) -> Reference {
        let n = ds.n_regions();
        let (nm, ne, nr) = (ds.modes.len(), ds.employers.len(), ds.roles.len());
        let p = &ds.inputs;
        let positive = |key: String, v: f64| (v > 0.0).then(|| Keyed::new(key, v));
        let mode = OD_CLASSES
            .iter()
            .enumerate()
            .map(|(c, class)| {
                (0..nm)
                    .map(|m| {
                        positive(
                            format!("mode_share.{class}.{}", ds.modes[m].code),
                            ds.mode_share[c * nm + m],
                        )
                    })
                    .collect()
            })
            .collect();
        let role = ds
            .employers
            .iter()
            .enumerate()
            .map(|(e, emp)| {
                (0..nr)
                    .map(|r| {
                        positive(
                            format!("role_share.{}.{}", emp.role_mix, ds.roles[r].code),
                            ds.role_share[e * nr + r],
                        )
                    })
                    .collect()
            })
            .collect();
        let headcount = ds
            .employers
            .iter()
            .zip(&p.employers)
            .map(|(emp, ei)| {
                ei.headcount
                    .and_then(|h| positive(format!("headcount.{}", emp.code), h))
            })
            .collect();
        let work_share = ds
            .employers
            .iter()
            .zip(&p.employers)
            .map(|(emp, ei)| {
                ei.work_share
                    .iter()
                    .zip(&ds.regions)
                    .map(|(s, reg)| {
                        s.and_then(|s| positive(format!("work_share.{}.{}", emp.code, reg.code), s))
                    })
                    .collect()
            })
            .collect();
        let d = &p.distance;
        let c = &p.commute;
        Reference {
            n,
            nm,
            ne,
            nr,
            od_class: (0..n * n).map(|od| ds.od_class(od / n, od % n)).collect(),
            is_dki: ds.regions.iter().map(|r| r.is_dki).collect(),
            kind: ds.employers.iter().map(|e| e.kind).collect(),
            mode,
            role,
            headcount,
            work_share,
            formal: by_dki("formal_share", p.formal_share.dki, p.formal_share.bodetabek),
            employment: by_dki(
                "employment_rate",
                p.employment_rate.dki,
                p.employment_rate.bodetabek,
            ),
            population: ds
                .regions
                .iter()
                .zip(&p.regions)
                .map(|(reg, ri)| Keyed::new(format!("population.{}", reg.code), ri.population))
                .collect(),
            circuity: Keyed::new("distance.circuity".into(), d.circuity),
            intrazonal_factor: Keyed::new("distance.intrazonal_factor".into(), d.intrazonal_factor),
            intrazonal_cap: Keyed::new("distance.intrazonal_cap_km".into(), d.intrazonal_cap_km),
            trips_per_commute_day: Keyed::new(
                "commute.trips_per_commute_day".into(),
                c.trips_per_commute_day,
            ),
            commute_days: Keyed::new(
                "commute.commute_days_per_working_day".into(),
                c.commute_days_per_working_day,
            ),
            area_km2: p.regions.iter().map(|r| r.area_km2).collect(),
            distance_km: ds.distance_km.clone(),
        }
    }

    /// Worker classes: employer × roles + role.
    pub fn n_classes(&self) -> usize {
        self.ne * self.nr
    }

    /// The provenance keys the structure draws, in a fixed order (for documentation and
    /// for a sweep's list of what it may fix).
    pub fn keys(&self) -> Vec<&str> {
        let mut k: Vec<&str> = Vec::new();
        let groups = self.mode.iter().chain(&self.role).chain(&self.work_share);
        k.extend(groups.flatten().flatten().map(|x| x.key.as_str()));
        k.extend(self.headcount.iter().flatten().map(|x| x.key.as_str()));
        k.extend(
            self.formal
                .iter()
                .chain(&self.employment)
                .map(|x| x.key.as_str()),
        );
        k.extend(self.population.iter().map(|x| x.key.as_str()));
        for x in [
            &self.circuity,
            &self.intrazonal_factor,
            &self.intrazonal_cap,
            &self.trips_per_commute_day,
            &self.commute_days,
        ] {
            k.push(&x.key);
        }
        k
    }

    /// One replicate's structure, drawn from `params` (the dataset's rows, possibly with
    /// some fixed by a sweep).
    pub fn draw(&self, params: &Params, seed: u64, rep: u32, central_only: bool) -> Structure {
        let co = central_only;
        let g = |k: &Keyed| k.draw(params, seed, rep, co);
        let ratio = |k: &Keyed| {
            if k.central > 0.0 {
                g(k) / k.central
            } else {
                1.0
            }
        };
        let mode = self
            .mode
            .iter()
            .flat_map(|m| share_ratios(m, params, seed, rep, co))
            .collect();
        let role = self
            .role
            .iter()
            .flat_map(|r| share_ratios(r, params, seed, rep, co))
            .collect();
        let employer: Vec<f64> = self
            .headcount
            .iter()
            .map(|h| h.as_ref().map_or(1.0, ratio))
            .collect();
        let work = self
            .work_share
            .iter()
            .flat_map(|w| share_ratios(w, params, seed, rep, co))
            .collect();
        let f = [g(&self.formal[0]), g(&self.formal[1])];
        let fc = [self.formal[0].central, self.formal[1].central];
        let part = |x: f64, c: f64| if c > 0.0 { x / c } else { 1.0 };
        let formal = [part(f[0], fc[0]), part(f[1], fc[1])];
        let informal = [part(1.0 - f[0], 1.0 - fc[0]), part(1.0 - f[1], 1.0 - fc[1])];
        let employment = [ratio(&self.employment[0]), ratio(&self.employment[1])];
        let home = (0..self.n)
            .map(|h| ratio(&self.population[h]) * employment[if self.is_dki[h] { 0 } else { 1 }])
            .collect();
        // Distances: a pair's road distance is its straight line × circuity; within a
        // region, a fraction of √area capped, × circuity.
        let c = g(&self.circuity) / self.circuity.central;
        let (fz, cap) = (g(&self.intrazonal_factor), g(&self.intrazonal_cap));
        let distance_km = (0..self.n * self.n)
            .map(|od| {
                let (h, w) = (od / self.n, od % self.n);
                if h == w {
                    (fz * self.area_km2[h].sqrt()).min(cap) * g(&self.circuity)
                } else {
                    self.distance_km[od] * c
                }
            })
            .collect();
        Structure {
            trips_per_working_day: g(&self.trips_per_commute_day) * g(&self.commute_days),
            distance_km,
            weights: Weights {
                n: self.n,
                nm: self.nm,
                nr: self.nr,
                od_class: self.od_class.clone(),
                is_dki: self.is_dki.clone(),
                kind: self.kind.clone(),
                mode,
                role,
                employer,
                work,
                formal,
                informal,
                home,
            },
        }
    }
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

    /// Per cell: Σ mass × weight / Σ mass over `entries` (cell, class, mass), the mean
    /// weight of the cell's members; cells without entries get 1.
    pub fn cell_means(&self, n_cells: usize, entries: &[(u32, u32, f64)]) -> Vec<f64> {
        let mut num = vec![0.0; n_cells];
        let mut den = vec![0.0; n_cells];
        for &(c, k, m) in entries {
            num[c as usize] += m * self.weight(c as usize, k as usize);
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
