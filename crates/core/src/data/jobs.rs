//! Jobs by work region and by employer, derived once at load: the resident workers moved
//! by the published cross-boundary commuter flows (work trips only), then the public
//! employers' headcounts placed in their work regions and private and informal jobs as
//! what they leave. Method and sources: docs/method.md.

use super::*;

/// Jobs by work region, and the work commuters into DKI the commuter matrix must carry
/// (by Bodetabek origin and by DKI destination).
pub(super) struct WorkFlows {
    pub(super) jobs: Vec<f64>,
    pub(super) to_dki: Vec<f64>,
    pub(super) from_bodetabek: Vec<f64>,
}

/// Jobs by work region from the published cross-boundary flows (work trips only).
pub(super) fn jobs_by_work(
    p: &Inputs,
    rc: &[&str],
    is_dki: &[bool],
    workers: &[f64],
) -> Result<WorkFlows, DataError> {
    let c = &p.commuting;
    let mut jobs = workers.to_vec();
    let from_bodetabek = add_dki_kota_flows(c, workers, &mut jobs);
    let to_dki = add_bodetabek_flows(c, rc, is_dki, workers, &mut jobs)?;
    if let Some(j) = (0..rc.len()).find(|&j| jobs[j] <= 0.0) {
        return Err(DataError::Inconsistent(format!(
            "derived jobs in {} are not positive",
            rc[j]
        )));
    }
    Ok(WorkFlows {
        jobs,
        to_dki,
        from_bodetabek,
    })
}

/// DKI kota gain the commuters from Bodetabek and from other kota (by their destination
/// shares) and lose their residents who work in other kota or in Bodetabek. Returns the
/// commuters from Bodetabek by DKI destination.
fn add_dki_kota_flows(c: &inputs::Commuting, workers: &[f64], jobs: &mut [f64]) -> Vec<f64> {
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
    let mut from_bodetabek = vec![0.0; workers.len()];
    for &(i, share) in &dki_kota {
        let out = (between_dki + dki_out) * workers[i] / w_kota;
        from_bodetabek[i] = into_dki * share.into_dki;
        jobs[i] += from_bodetabek[i] + between_dki * share.dki_residents - out;
    }
    from_bodetabek
}

/// Bodetabek origins: 2014 BPS origin shares where published, the rest of the flow in
/// proportion to resident workers (assumption); scaled to the 2019 total. Each region
/// loses its commuters into DKI and gains its share of DKI residents working in
/// Bodetabek. Returns the commuters into DKI by origin.
fn add_bodetabek_flows(
    c: &inputs::Commuting,
    rc: &[&str],
    is_dki: &[bool],
    workers: &[f64],
    jobs: &mut [f64],
) -> Result<Vec<f64>, DataError> {
    let ws = c.work_purpose_share;
    let into_dki = c.bodetabek_to_dki_2019 * ws;
    let dki_out = c.dki_to_bodetabek_2014 * ws;
    let n = rc.len();
    let bdtk: Vec<usize> = (0..n).filter(|&i| !is_dki[i]).collect();
    let w_bdtk: f64 = bdtk.iter().map(|&i| workers[i]).sum();
    let known = known_origin_shares(c, &bdtk, rc, workers, into_dki)?;
    let known_share: f64 = known.iter().map(|k| k.1).sum();
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
    Ok(to_dki)
}

/// (region, share of the flow into DKI) of the Bodetabek origins with a published 2014
/// count; refuses one that would send more commuters than the workers living there.
fn known_origin_shares(
    c: &inputs::Commuting,
    bdtk: &[usize],
    rc: &[&str],
    workers: &[f64],
    into_dki: f64,
) -> Result<Vec<(usize, f64)>, DataError> {
    let total_2014 = c.bodetabek_to_dki_2014;
    let known: Vec<(usize, f64, &inputs::Located)> = bdtk
        .iter()
        .filter_map(|&i| {
            c.to_dki_2014[i]
                .as_ref()
                .map(|o| (i, o.value / total_2014, o))
        })
        .collect();
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
    Ok(known.into_iter().map(|(i, share, _)| (i, share)).collect())
}

/// Jobs per work region and employer (row-major work region × employer): each public
/// employer's staff spread over its work regions, then private and informal jobs as what
/// the public headcounts leave of the formal and informal jobs.
pub(super) fn jobs_by_employer(
    ds: &Dataset,
    rc: &[&str],
    is_dki: &[bool],
    jobs: &[f64],
) -> Result<Vec<f64>, DataError> {
    let p = &ds.inputs;
    let n = rc.len();
    let ne = ds.employers.len();
    let mut by_emp = vec![0.0; n * ne];
    let formal: Vec<f64> = (0..n).map(|j| p.formal_share.get(is_dki[j])).collect();
    for (e, emp) in ds.employers.iter().enumerate() {
        place_headcount(ds, e, emp, rc, jobs, &formal, &mut by_emp)?;
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
    Ok(by_emp)
}

/// Spreads employer `e`'s headcount over its work regions by its work shares or, without
/// them, by formal jobs.
fn place_headcount(
    ds: &Dataset,
    e: usize,
    emp: &Employer,
    rc: &[&str],
    jobs: &[f64],
    formal: &[f64],
    by_emp: &mut [f64],
) -> Result<(), DataError> {
    let p = &ds.inputs;
    let n = rc.len();
    let ne = ds.employers.len();
    let regions: Vec<usize> = if emp.work_regions.is_empty() {
        (0..n).collect()
    } else {
        emp.work_regions.clone()
    };
    // Private and informal jobs are what the public headcounts leave (see
    // `jobs_by_employer`); a headcount of 0 places no one.
    let Some(head) = p.employers[e]
        .headcount
        .as_ref()
        .map(|h| h.central)
        .filter(|h| *h > 0.0)
    else {
        return Ok(());
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
    Ok(())
}
