//! Typed tables from CSV, and everything computed from the typed inputs once at load:
//! workers by home, jobs by work region, distances, the fitted commuter matrix, jobs per
//! employer. Method and sources: docs/method.md.

use super::csv::Table;
use super::gravity::{self, GravityInput};
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

pub fn calendar(t: &Table) -> Result<Vec<CalendarEntry>, DataError> {
    t.unique("date")?;
    cells(t, &["date", "kind", "name", "source"])?
        .into_iter()
        .map(|(line, c)| {
            let date = Date::parse(c[0])
                .ok_or_else(|| bad(t, line, "date", format!("'{}' is not YYYY-MM-DD", c[0])))?;
            let is_holiday = match c[1] {
                "holiday" => true,
                "event" => false,
                s => {
                    return Err(bad(
                        t,
                        line,
                        "kind",
                        format!("'{s}' is not one of holiday, event"),
                    ));
                }
            };
            Ok(CalendarEntry {
                date,
                is_holiday,
                name: c[2].into(),
                source: c[3].into(),
            })
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

pub fn derive_all(ds: &mut Dataset) -> Result<(), DataError> {
    let p = &ds.inputs;
    let n = ds.regions.len();
    let rc: Vec<&str> = ds.regions.iter().map(|r| r.code.as_str()).collect();
    let is_dki: Vec<bool> = ds.regions.iter().map(|r| r.is_dki).collect();

    // Workers by home region: population × employment-to-population ratio.
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

    // Distances: great-circle between centres × circuity; within a region a fraction of
    // √area, capped.
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

    // Jobs by work region from the published cross-boundary flows (work trips only).
    let c = &p.commuting;
    let ws = c.work_purpose_share;
    let into_dki = c.bodetabek_to_dki_2019 * ws;
    let between_dki = c.between_dki_kota_2019 * ws;
    let dki_out = c.dki_to_bodetabek_2014 * ws;
    let dki_kota: Vec<(usize, inputs::DestinationShare)> = c
        .destination
        .iter()
        .enumerate()
        .filter_map(|(i, s)| s.map(|s| (i, s)))
        .collect();
    let w_kota: f64 = dki_kota.iter().map(|&(i, _)| workers[i]).sum();
    let mut jobs = workers.clone();
    let mut from_bodetabek = vec![0.0; n];
    for &(i, share) in &dki_kota {
        let out = (between_dki + dki_out) * workers[i] / w_kota;
        from_bodetabek[i] = into_dki * share.into_dki;
        jobs[i] += from_bodetabek[i] + between_dki * share.dki_residents - out;
    }
    // Bodetabek origins: 2014 BPS origin shares where published, the rest of the flow in
    // proportion to resident workers (assumption); scaled to the 2019 total.
    let bdtk: Vec<usize> = (0..n).filter(|&i| !is_dki[i]).collect();
    let w_bdtk: f64 = bdtk.iter().map(|&i| workers[i]).sum();
    let total_2014 = c.bodetabek_to_dki_2014;
    let known: Vec<(usize, f64, &inputs::Located)> = bdtk
        .iter()
        .filter_map(|&i| {
            c.to_dki_2014[i]
                .as_ref()
                .map(|o| (i, o.value / total_2014, o))
        })
        .collect();
    let known_share: f64 = known.iter().map(|k| k.1).sum();
    for &(i, share, q) in &known {
        if into_dki * share > workers[i] {
            return Err(DataError::Invalid {
                at: q.at.clone(),
                message: format!(
                    "column 'value': {} = {} puts {:.0} work commuters from {} into DKI (scaled to the 2019 total), more than the {:.0} workers living there (population.{} × employment_rate.bodetabek); at most {:.0} is allowed",
                    q.key,
                    q.value,
                    into_dki * share,
                    rc[i],
                    workers[i],
                    rc[i],
                    (workers[i] / into_dki * total_2014).floor()
                ),
            });
        }
    }
    let w_rest: f64 = bdtk
        .iter()
        .filter(|i| !known.iter().any(|k| k.0 == **i))
        .map(|&i| workers[i])
        .sum();
    let mut to_dki = vec![0.0; n];
    for &j in &bdtk {
        let share = known
            .iter()
            .find(|k| k.0 == j)
            .map(|k| k.1)
            .unwrap_or((1.0 - known_share) * workers[j] / w_rest);
        to_dki[j] = into_dki * share;
        jobs[j] += dki_out * workers[j] / w_bdtk - to_dki[j];
    }
    if let Some(j) = (0..n).find(|&j| jobs[j] <= 0.0) {
        return Err(DataError::Inconsistent(format!(
            "derived jobs in {} are not positive",
            rc[j]
        )));
    }

    let fit = gravity::fit(&GravityInput {
        workers: &workers,
        jobs: &jobs,
        distance_km: &dist,
        is_dki: &is_dki,
        to_dki: &to_dki,
        from_bodetabek: &from_bodetabek,
        cross_boundary_target: c.cross_boundary_2019 * ws,
        beta_search_per_km: p.beta_search_per_km,
    });

    // Jobs per employer and work region.
    let ne = ds.employers.len();
    let mut by_emp = vec![0.0; n * ne];
    let formal: Vec<f64> = (0..n).map(|j| p.formal_share.get(is_dki[j])).collect();
    for (e, emp) in ds.employers.iter().enumerate() {
        let regions: Vec<usize> = if emp.work_regions.is_empty() {
            (0..n).collect()
        } else {
            emp.work_regions.clone()
        };
        // Private and informal jobs are what the public headcounts leave (below); a
        // headcount of 0 places no one.
        let Some(head) = p.employers[e]
            .headcount
            .as_ref()
            .map(|h| h.central)
            .filter(|h| *h > 0.0)
        else {
            continue;
        };
        let weights: Vec<f64> = regions
            .iter()
            .map(|&j| {
                p.employers[e].work_share[j]
                    .as_ref()
                    .map_or(jobs[j] * formal[j], |s| s.central)
            })
            .collect();
        let wsum: f64 = weights.iter().sum();
        // All weights 0 would spread the staff as 0/0: NaN jobs that the checks below
        // cannot see and the population would silently lose.
        if wsum.is_nan() || wsum <= 0.0 {
            let key = format!("headcount.{}", emp.code);
            return Err(DataError::Invalid {
                at: ds
                    .params
                    .row(&key)
                    .map_or(String::new(), |p| p.origin.clone()),
                message: format!(
                    "column 'value': {key} = {head} has nowhere to work: each of its regions ({}) has a work_share.{}.<region> of 0 or, without one, no formal jobs (formal_share.* of 0)",
                    regions
                        .iter()
                        .map(|&j| rc[j])
                        .collect::<Vec<_>>()
                        .join(", "),
                    emp.code
                ),
            });
        }
        for (k, &j) in regions.iter().enumerate() {
            by_emp[j * ne + e] = head * weights[k] / wsum;
        }
    }
    for j in 0..n {
        let public: f64 = (0..ne).map(|e| by_emp[j * ne + e]).sum();
        let formal_jobs = jobs[j] * formal[j];
        for (e, emp) in ds.employers.iter().enumerate() {
            match emp.kind {
                EmployerKind::Private => by_emp[j * ne + e] = formal_jobs - public,
                EmployerKind::Informal => by_emp[j * ne + e] = jobs[j] - formal_jobs,
                _ => {}
            }
        }
        if formal_jobs < public {
            return Err(DataError::Inconsistent(format!(
                "public-sector headcounts in {} ({public:.0}) exceed its formal jobs ({formal_jobs:.0})",
                rc[j]
            )));
        }
    }

    if fit.margin_error > 1e-6 {
        return Err(DataError::Inconsistent(format!(
            "the commuter matrix did not fit its margins (largest error {:.2e}); check that the flows in parameters/commuting.csv are consistent with the workers and jobs from parameters/population.csv",
            fit.margin_error
        )));
    }
    // A β at an end of its bracket means no β inside reaches the cross-boundary total.
    let (lo, hi) = p.beta_search_per_km;
    let beta = fit.beta_per_km;
    if (beta / lo).ln() < 1e-9 || (hi / beta).ln() < 1e-9 {
        return Err(DataError::Inconsistent(format!(
            "the commuter matrix's β reached the end of its search bracket gravity.beta_min_per_km .. gravity.beta_max_per_km = {lo} .. {hi} per km (parameters/commuting.csv) without matching commuters.cross_boundary_2019; widen the bracket or check the commuter counts"
        )));
    }
    ds.workers_by_home = workers;
    ds.jobs_by_work = jobs;
    ds.distance_km = dist;
    ds.gravity = fit;
    ds.jobs = by_emp;
    ds.role_share = p.role_shares();
    ds.mode_share = p.mode_shares();
    ds.unit_size_mean = p.unit_size.clone();
    Ok(())
}
