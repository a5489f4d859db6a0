//! Typed tables from CSV, and everything computed from the typed inputs once at load:
//! workers by home, jobs by work region, distances, the fitted commuter matrix, jobs per
//! employer (the jobs are worked out in `jobs`). Method and sources: docs/method.md.

use super::csv::Table;
use super::gravity::{self, GravityInput};
use super::jobs::{jobs_by_employer, jobs_by_work};
use super::*;

fn cells<'a>(t: &'a Table, cols: &[&str]) -> Result<Vec<(usize, Vec<&'a str>)>, DataError> {
    let idx = t.columns(cols)?;
    Ok(t.rows
        .iter()
        .map(|r| (r.line, idx.iter().map(|&i| r.fields[i].as_str()).collect()))
        .collect())
}

fn bad(t: &Table, line: usize, column: &str, message: String) -> DataError {
    DataError::BadValue {
        file: t.file.clone(),
        line,
        column: column.into(),
        message,
    }
}

/// Regions, each marked DKI or not by its `is_dki` column: that decides the origin–
/// destination classes, which employment and formal shares apply, and the DKI margins of
/// the commuter matrix.
pub fn regions(t: &Table) -> Result<Vec<Region>, DataError> {
    t.unique("code")?;
    cells(t, &["code", "name", "province", "is_dki"])?
        .into_iter()
        .map(|(line, c)| {
            let is_dki = match c[3] {
                "true" => true,
                "false" => false,
                s => {
                    return Err(bad(
                        t,
                        line,
                        "is_dki",
                        format!("'{s}' is not one of true, false"),
                    ));
                }
            };
            Ok(Region {
                code: c[0].into(),
                name: c[1].into(),
                province: c[2].into(),
                is_dki,
            })
        })
        .collect()
}

pub fn roles(t: &Table) -> Result<Vec<Role>, DataError> {
    t.unique("code")?;
    Ok(cells(t, &["code", "name", "family"])?
        .into_iter()
        .map(|(_, c)| Role {
            code: c[0].into(),
            name: c[1].into(),
            family: c[2].into(),
        })
        .collect())
}

pub fn modes(t: &Table) -> Result<Vec<Mode>, DataError> {
    t.unique("code")?;
    cells(t, &["code", "name", "kind", "vehicle_class"])?
        .into_iter()
        .map(|(line, c)| {
            let kind = match c[2] {
                "private" => ModeKind::Private,
                "ridehail" => ModeKind::RideHail,
                "road_transit" => ModeKind::RoadTransit,
                "rail" => ModeKind::Rail,
                "active" => ModeKind::Active,
                s => {
                    return Err(bad(
                        t,
                        line,
                        "kind",
                        format!(
                            "'{s}' is not one of private, ridehail, road_transit, rail, active"
                        ),
                    ));
                }
            };
            let road = matches!(
                kind,
                ModeKind::Private | ModeKind::RideHail | ModeKind::RoadTransit
            );
            let vehicle = match (c[3], road) {
                ("none", false) => None,
                (s, true) => Some(
                    VehicleClass::ALL
                        .into_iter()
                        .find(|v| v.as_str() == s)
                        .ok_or_else(|| {
                            bad(
                                t,
                                line,
                                "vehicle_class",
                                format!(
                                    "'{s}' is not one of motorcycle, car, bus, truck (a {} mode puts a road vehicle on the road)",
                                    c[2]
                                ),
                            )
                        })?,
                ),
                (s, false) => {
                    return Err(bad(
                        t,
                        line,
                        "vehicle_class",
                        format!("'{s}' must be 'none' for a {} mode (it puts no road vehicle on the road)", c[2]),
                    ));
                }
            };
            Ok(Mode {
                code: c[0].into(),
                name: c[1].into(),
                kind,
                vehicle,
            })
        })
        .collect()
}

pub fn employers(t: &Table, regions: &[Region]) -> Result<Vec<Employer>, DataError> {
    t.unique("code")?;
    cells(t, &["code", "name", "kind", "role_mix", "work_regions"])?
        .into_iter()
        .map(|(line, c)| {
            let kind = match c[2] {
                "central" => EmployerKind::Central,
                "provincial" => EmployerKind::Provincial,
                "local" => EmployerKind::Local,
                "enterprise" => EmployerKind::Enterprise,
                "private" => EmployerKind::Private,
                "informal" => EmployerKind::Informal,
                s => {
                    return Err(bad(t, line, "kind", format!(
                        "'{s}' is not one of central, provincial, local, enterprise, private, informal"
                    )));
                }
            };
            let work_regions = match c[4] {
                "" | "*" => vec![],
                s => s
                    .split(';')
                    .map(|r| {
                        regions.iter().position(|x| x.code == r.trim()).ok_or_else(|| {
                            bad(t, line, "work_regions", format!("unknown region '{r}'"))
                        })
                    })
                    .collect::<Result<_, _>>()?,
            };
            Ok(Employer { code: c[0].into(), name: c[1].into(), kind, role_mix: c[3].into(), work_regions })
        })
        .collect()
}

fn haversine_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let r = 6371.0088; // mean Earth radius, km (IUGG)
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * r * a.sqrt().asin()
}

/// Every table needs a row (an empty one would surface later as shares summing to 0).
/// Agents store home×work in one byte and employer, role and mode in a byte each; an
/// output cell (home × work × mode) is a u16.
pub fn check_sizes(
    regions: &[Region],
    employers: &[Employer],
    roles: &[Role],
    modes: &[Mode],
) -> Result<(), DataError> {
    for (file, rows) in [
        ("regions.csv", regions.len()),
        ("employers.csv", employers.len()),
        ("roles.csv", roles.len()),
        ("modes.csv", modes.len()),
    ] {
        if rows == 0 {
            return Err(DataError::Invalid {
                at: file.into(),
                message: "the table has no rows below its header; add at least one".into(),
            });
        }
    }
    let n = regions.len();
    if n == 0
        || n > 15
        || employers.len() > 255
        || roles.len() > 255
        || modes.len() > 255
        || n * n * modes.len() > 65_535
    {
        return Err(DataError::Inconsistent(format!(
            "{} regions, {} employers, {} roles and {} modes: at most 15 regions and 255 of each of the others are supported",
            n,
            employers.len(),
            roles.len(),
            modes.len()
        )));
    }
    Ok(())
}

/// Everything computed once from the typed inputs at load: workers by home, distances,
/// jobs by work region, the fitted commuter matrix and jobs per employer.
pub fn derive_all(ds: &mut Dataset) -> Result<(), DataError> {
    let p = &ds.inputs;
    let rc: Vec<&str> = ds.regions.iter().map(|r| r.code.as_str()).collect();
    let is_dki: Vec<bool> = ds.regions.iter().map(|r| r.is_dki).collect();
    let workers = workers_by_home(p, &rc, &is_dki)?;
    let dist = distances(p);
    let flows = jobs_by_work(p, &rc, &is_dki, &workers)?;
    let c = &p.commuting;
    let fit = gravity::fit(&GravityInput {
        workers: &workers,
        jobs: &flows.jobs,
        distance_km: &dist,
        is_dki: &is_dki,
        to_dki: &flows.to_dki,
        from_bodetabek: &flows.from_bodetabek,
        cross_boundary_target: c.cross_boundary_2019 * c.work_purpose_share,
        beta_search_per_km: p.beta_search_per_km,
    });
    let by_emp = jobs_by_employer(ds, &rc, &is_dki, &flows.jobs)?;
    check_fit(&fit, p.beta_search_per_km)?;
    ds.workers_by_home = workers;
    ds.jobs_by_work = flows.jobs;
    ds.distance_km = dist;
    ds.gravity = fit;
    ds.jobs = by_emp;
    ds.role_share = p.role_shares();
    ds.mode_share = p.mode_shares();
    ds.unit_size_mean = p.unit_size.clone();
    Ok(())
}

/// Workers by home region: population × employment-to-population ratio.
fn workers_by_home(p: &Inputs, rc: &[&str], is_dki: &[bool]) -> Result<Vec<f64>, DataError> {
    let n = rc.len();
    let mut workers = vec![0.0; n];
    for i in 0..n {
        let pop = p.regions[i].population.central;
        if pop < 0.0 {
            return Err(DataError::Inconsistent(format!(
                "population.{} is negative",
                rc[i]
            )));
        }
        workers[i] = pop * p.employment_rate.get(is_dki[i]);
    }
    Ok(workers)
}

/// Distances: great-circle between centres × circuity; within a region a fraction of
/// √area, capped. Row-major regions × regions.
fn distances(p: &Inputs) -> Vec<f64> {
    let n = p.regions.len();
    let d = &p.distance;
    let mut dist = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..n {
            let (a, b) = (&p.regions[i], &p.regions[j]);
            dist[i * n + j] = if i == j {
                (d.intrazonal_factor.central * a.area_km2.sqrt()).min(d.intrazonal_cap_km.central)
                    * d.circuity.central
            } else {
                haversine_km(a.lat, a.lon, b.lat, b.lon) * d.circuity.central
            };
        }
    }
    dist
}

/// Refuses a commuter matrix that missed its margins or whose β could not reach the
/// cross-boundary total.
fn check_fit(fit: &GravityFit, beta_search_per_km: (f64, f64)) -> Result<(), DataError> {
    if fit.margin_error > 1e-6 {
        return Err(DataError::Inconsistent(format!(
            "the commuter matrix did not fit its margins (largest error {:.2e}); check that the flows in parameters/commuting.csv are consistent with the workers and jobs from parameters/population.csv",
            fit.margin_error
        )));
    }
    // A β at an end of its bracket means no β inside reaches the cross-boundary total.
    let (lo, hi) = beta_search_per_km;
    let beta = fit.beta_per_km;
    if (beta / lo).ln() < 1e-9 || (hi / beta).ln() < 1e-9 {
        return Err(DataError::Inconsistent(format!(
            "the commuter matrix's β reached the end of its search bracket gravity.beta_min_per_km .. gravity.beta_max_per_km = {lo} .. {hi} per km (parameters/commuting.csv) without matching commuters.cross_boundary_2019; widen the bracket or check the commuter counts"
        )));
    }
    Ok(())
}
