//! Typed tables from CSV, and everything computed from the parameters once at load:
//! workers by home, jobs by work region, distances, the fitted commuter matrix, jobs per
//! employer, role and mode shares. Method and sources: docs/method.md.

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

pub fn regions(t: &Table) -> Result<Vec<Region>, DataError> {
    Ok(cells(t, &["code", "name", "province"])?
        .into_iter()
        .map(|(_, c)| Region {
            code: c[0].into(),
            name: c[1].into(),
            province: c[2].into(),
            is_dki: c[2] == "DKI Jakarta",
        })
        .collect())
}

pub fn roles(t: &Table) -> Result<Vec<Role>, DataError> {
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
    cells(t, &["code", "name", "kind"])?
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
            Ok(Mode {
                code: c[0].into(),
                name: c[1].into(),
                kind,
            })
        })
        .collect()
}

pub fn employers(t: &Table, regions: &[Region]) -> Result<Vec<Employer>, DataError> {
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

fn shares_sum_to_one(what: &str, v: &[f64]) -> Result<(), DataError> {
    let s: f64 = v.iter().sum();
    if (s - 1.0).abs() > 1e-6 || v.iter().any(|x| *x < 0.0) {
        return Err(DataError::Inconsistent(format!(
            "the shares {what} sum to {s:.6}; they must be >= 0 and sum to 1"
        )));
    }
    Ok(())
}

pub fn derive_all(ds: &mut Dataset) -> Result<(), DataError> {
    let p = &ds.params;
    let n = ds.regions.len();
    // Agents store home×work in one byte and employer, role and mode in a byte each; an
    // output cell (home × work × mode) is a u16.
    if n == 0
        || n > 15
        || ds.employers.len() > 255
        || ds.roles.len() > 255
        || ds.modes.len() > 255
        || n * n * ds.modes.len() > 65_535
    {
        return Err(DataError::Inconsistent(format!(
            "{} regions, {} employers, {} roles and {} modes: at most 15 regions and 255 of each of the others are supported",
            n,
            ds.employers.len(),
            ds.roles.len(),
            ds.modes.len()
        )));
    }
    let rc: Vec<&str> = ds.regions.iter().map(|r| r.code.as_str()).collect();
    let is_dki: Vec<bool> = ds.regions.iter().map(|r| r.is_dki).collect();

    // Workers by home region: population × employment-to-population ratio.
    let mut workers = vec![0.0; n];
    for i in 0..n {
        let pop = p.get(&format!("population.{}", rc[i]))?;
        let rate = p.get(if is_dki[i] {
            "employment_rate.dki"
        } else {
            "employment_rate.bodetabek"
        })?;
        if pop < 0.0 {
            return Err(DataError::Inconsistent(format!(
                "population.{} is negative",
                rc[i]
            )));
        }
        workers[i] = pop * rate;
    }

    // Distances: great-circle between centres × circuity; within a region a fraction of
    // √area, capped.
    let circuity = p.get("distance.circuity")?;
    let intra = p.get("distance.intrazonal_factor")?;
    let cap = p.get("distance.intrazonal_cap_km")?;
    let mut dist = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..n {
            dist[i * n + j] = if i == j {
                (intra * p.get(&format!("area_km2.{}", rc[i]))?.sqrt()).min(cap) * circuity
            } else {
                let g = |k: &str, r: usize| p.get(&format!("{k}.{}", rc[r]));
                haversine_km(g("lat", i)?, g("lon", i)?, g("lat", j)?, g("lon", j)?) * circuity
            };
        }
    }

    // Jobs by work region from the published cross-boundary flows (work trips only).
    let ws = p.get("commute.work_purpose_share")?;
    let into_dki = p.get("commuters.bodetabek_to_dki_2019")? * ws;
    let between_dki = p.get("commuters.between_dki_kota_2019")? * ws;
    let dki_out = p.get("commuters.dki_to_bodetabek_2014")? * ws;
    let has = |k: String| p.contains(&k);
    let dki_kota: Vec<usize> = (0..n)
        .filter(|&i| has(format!("dest_share.into_dki.{}", rc[i])))
        .collect();
    let norm = |prefix: &str| -> Result<Vec<f64>, DataError> {
        let v: Vec<f64> = dki_kota
            .iter()
            .map(|&i| p.get(&format!("{prefix}.{}", rc[i])))
            .collect::<Result<_, _>>()?;
        shares_sum_to_one(prefix, &v)?;
        Ok(v)
    };
    let dest_in = norm("dest_share.into_dki")?;
    let dest_res = norm("dest_share.dki_residents")?;
    let w_kota: f64 = dki_kota.iter().map(|&i| workers[i]).sum();
    let mut jobs = workers.clone();
    let mut from_bodetabek = vec![0.0; n];
    for (k, &i) in dki_kota.iter().enumerate() {
        let out = (between_dki + dki_out) * workers[i] / w_kota;
        from_bodetabek[i] = into_dki * dest_in[k];
        jobs[i] += from_bodetabek[i] + between_dki * dest_res[k] - out;
    }
    // Bodetabek origins: 2014 BPS origin shares where published, the rest of the flow in
    // proportion to resident workers (assumption); scaled to the 2019 total.
    let bdtk: Vec<usize> = (0..n).filter(|&i| !is_dki[i]).collect();
    let w_bdtk: f64 = bdtk.iter().map(|&i| workers[i]).sum();
    let total_2014 = p.get("commuters.bodetabek_to_dki_2014")?;
    let known: Vec<(usize, f64)> = bdtk
        .iter()
        .filter_map(|&i| {
            p.get(&format!("commuters.to_dki_2014.{}", rc[i]))
                .ok()
                .map(|v| (i, v / total_2014))
        })
        .collect();
    let origin_prefix = "commuters.to_dki_2014.";
    for q in p.iter().filter(|q| q.key.starts_with(origin_prefix)) {
        let r = &q.key[origin_prefix.len()..];
        if !bdtk.iter().any(|&i| rc[i] == r) {
            let valid: Vec<&str> = bdtk.iter().map(|&i| rc[i]).collect();
            return Err(DataError::Invalid {
                at: q.origin.clone(),
                message: format!(
                    "column 'key': '{}' names no Bodetabek region of regions.csv (valid: {})",
                    q.key,
                    valid.join(", ")
                ),
            });
        }
    }
    let known_share: f64 = known.iter().map(|k| k.1).sum();
    if known_share > 1.0 {
        let total = p.param("commuters.bodetabek_to_dki_2014")?;
        return Err(DataError::Invalid {
            at: total.origin.clone(),
            message: format!(
                "column 'value': commuters.bodetabek_to_dki_2014 = {} is less than the sum of the origin counts commuters.to_dki_2014.* ({:.0}); the counts by origin must not add up to more than the total",
                total.value,
                known_share * total_2014
            ),
        });
    }
    for &(i, share) in &known {
        if into_dki * share > workers[i] {
            let q = p.param(&format!("{origin_prefix}{}", rc[i]))?;
            return Err(DataError::Invalid {
                at: q.origin.clone(),
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
        cross_boundary_target: p.get("commuters.cross_boundary_2019")? * ws,
    });

    // Jobs per employer and work region.
    let ne = ds.employers.len();
    let mut by_emp = vec![0.0; n * ne];
    let formal: Vec<f64> = (0..n)
        .map(|j| {
            p.get(if is_dki[j] {
                "formal_share.dki"
            } else {
                "formal_share.bodetabek"
            })
        })
        .collect::<Result<_, _>>()?;
    for (e, emp) in ds.employers.iter().enumerate() {
        let regions: Vec<usize> = if emp.work_regions.is_empty() {
            (0..n).collect()
        } else {
            emp.work_regions.clone()
        };
        match emp.kind {
            EmployerKind::Private | EmployerKind::Informal => continue,
            _ => {}
        }
        let head = p.get(&format!("headcount.{}", emp.code))?;
        let weights: Vec<f64> = regions
            .iter()
            .map(
                |&j| match p.get(&format!("work_share.{}.{}", emp.code, rc[j])) {
                    Ok(v) => v,
                    Err(_) => jobs[j] * formal[j],
                },
            )
            .collect();
        let wsum: f64 = weights.iter().sum();
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

    // Role shares per employer, mode shares per OD class, unit sizes per role.
    let nr = ds.roles.len();
    let mut role_share = vec![0.0; ne * nr];
    for (e, emp) in ds.employers.iter().enumerate() {
        for (r, role) in ds.roles.iter().enumerate() {
            role_share[e * nr + r] = p
                .get(&format!("role_share.{}.{}", emp.role_mix, role.code))
                .unwrap_or(0.0);
        }
        shares_sum_to_one(
            &format!("role_share.{}.*", emp.role_mix),
            &role_share[e * nr..(e + 1) * nr],
        )?;
    }
    let nm = ds.modes.len();
    let mut mode_share = vec![0.0; OD_CLASSES.len() * nm];
    for (c, class) in OD_CLASSES.iter().enumerate() {
        for (m, mode) in ds.modes.iter().enumerate() {
            mode_share[c * nm + m] = p
                .get(&format!("mode_share.{class}.{}", mode.code))
                .unwrap_or(0.0);
        }
        shares_sum_to_one(
            &format!("mode_share.{class}.*"),
            &mode_share[c * nm..(c + 1) * nm],
        )?;
    }
    let unit_size_mean = ds
        .roles
        .iter()
        .map(|r| p.get(&format!("unit_size.{}", r.family)))
        .collect::<Result<Vec<_>, _>>()?;
    // Accounting parameters must all be present before any run starts.
    for m in &ds.modes {
        if m.kind != ModeKind::Active {
            let missing: Vec<&str> = POLLUTANTS
                .iter()
                .filter(|pol| !p.contains(&format!("ef.{}.{pol}", m.code)))
                .copied()
                .collect();
            if !missing.is_empty() {
                return Err(DataError::Invalid {
                    at: "parameters/emissions.csv".into(),
                    message: format!(
                        "mode '{}' has no emission factor for {} (add rows {}); every mode of modes.csv except kind 'active' needs one row per pollutant: {}",
                        m.code,
                        missing.join(", "),
                        missing
                            .iter()
                            .map(|pol| format!("ef.{}.{pol}", m.code))
                            .collect::<Vec<_>>()
                            .join(", "),
                        POLLUTANTS.join(", ")
                    ),
                });
            }
        }
        if matches!(
            m.kind,
            ModeKind::Private | ModeKind::RoadTransit | ModeKind::RideHail
        ) {
            p.get(&format!("occupancy.{}", m.code))?;
        }
    }
    for k in [
        "ridehail.empty_return",
        "grid.co2_kg_per_kwh",
        "rebound.nonwork_trips_per_wfh_day",
        "rebound.nonwork_trip_km",
        "rebound.home_kwh_per_wfh_day",
    ] {
        p.get(k)?;
    }

    if fit.margin_error > 1e-6 {
        return Err(DataError::Inconsistent(format!(
            "the commuter matrix did not fit its margins (largest error {:.2e}); check that the flows in parameters/commuting.csv are consistent with the workers and jobs from parameters/population.csv",
            fit.margin_error
        )));
    }
    ds.workers_by_home = workers;
    ds.jobs_by_work = jobs;
    ds.distance_km = dist;
    ds.gravity = fit;
    ds.jobs = by_emp;
    ds.role_share = role_share;
    ds.mode_share = mode_share;
    ds.unit_size_mean = unit_size_mean;
    Ok(())
}
