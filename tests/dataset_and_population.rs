//! The dataset's derived tables and the synthetic population reproduce the published
//! marginals they were built from.

mod common;

use common::*;
use wfhsim::data::{Dataset, OD_CLASSES};

fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs().max(1e-12)
}

#[test]
fn commuter_matrix_reproduces_margins_and_bps_totals() {
    let ds = dataset();
    let n = ds.n_regions();
    let f = &ds.gravity.flows;
    for i in 0..n {
        let row: f64 = (0..n).map(|j| f[i * n + j]).sum();
        let col: f64 = (0..n).map(|j| f[j * n + i]).sum();
        assert!(rel(row, ds.workers_by_home[i]) < 1e-6, "row {i}");
        assert!(rel(col, ds.jobs_by_work[i]) < 1e-6, "column {i}");
    }
    let p = &ds.params;
    let ws = p.get("commute.work_purpose_share").unwrap();
    let cross: f64 = (0..n * n)
        .filter(|ij| ij / n != ij % n)
        .map(|ij| f[ij])
        .sum();
    let into: f64 = (0..n * n)
        .filter(|ij| !ds.regions[ij / n].is_dki && ds.regions[ij % n].is_dki)
        .map(|ij| f[ij])
        .sum();
    assert!(
        rel(cross, p.get("commuters.cross_boundary_2019").unwrap() * ws) < 1e-3,
        "cross {cross}"
    );
    assert!(
        rel(into, p.get("commuters.bodetabek_to_dki_2019").unwrap() * ws) < 1e-6,
        "into {into}"
    );
    // Published origins (BPS 2014 shares of the flow into DKI) and destinations.
    let total_2014 = p.get("commuters.bodetabek_to_dki_2014").unwrap();
    for code in ["kota_bekasi", "kota_depok", "kota_tangsel"] {
        let i = ds.region_index(code).unwrap();
        let got: f64 = (0..n)
            .filter(|&j| ds.regions[j].is_dki)
            .map(|j| f[i * n + j])
            .sum();
        let share = p.get(&format!("commuters.to_dki_2014.{code}")).unwrap() / total_2014;
        assert!(rel(got, into * share) < 1e-6, "{code}");
    }
    for code in ["jakarta_selatan", "jakarta_pusat", "jakarta_timur"] {
        let j = ds.region_index(code).unwrap();
        let got: f64 = (0..n)
            .filter(|&i| !ds.regions[i].is_dki)
            .map(|i| f[i * n + j])
            .sum();
        let share = p.get(&format!("dest_share.into_dki.{code}")).unwrap();
        assert!(rel(got, into * share) < 1e-6, "{code}");
    }
    // Every Bodetabek origin sends someone to Jakarta (the KRL corridors exist).
    for i in (0..n).filter(|&i| !ds.regions[i].is_dki) {
        let got: f64 = (0..n)
            .filter(|&j| ds.regions[j].is_dki)
            .map(|j| f[i * n + j])
            .sum();
        assert!(got > 10_000.0, "{}: {got}", ds.regions[i].code);
    }
}

#[test]
fn workers_and_jobs_follow_their_closed_forms() {
    let ds = dataset();
    let p = &ds.params;
    let ws = p.get("commute.work_purpose_share").unwrap();
    let mut w_dki = 0.0;
    for (i, r) in ds.regions.iter().enumerate() {
        let rate = p
            .get(if r.is_dki {
                "employment_rate.dki"
            } else {
                "employment_rate.bodetabek"
            })
            .unwrap();
        let w = p.get(&format!("population.{}", r.code)).unwrap() * rate;
        assert!(rel(ds.workers_by_home[i], w) < 1e-12);
        if r.is_dki {
            w_dki += w;
        }
    }
    // Jobs in DKI = resident workers − out-commuters to Bodetabek + in-commuters.
    let jobs_dki: f64 = ds
        .regions
        .iter()
        .zip(&ds.jobs_by_work)
        .filter(|(r, _)| r.is_dki)
        .map(|(_, j)| j)
        .sum();
    let expect = w_dki - p.get("commuters.dki_to_bodetabek_2014").unwrap() * ws
        + p.get("commuters.bodetabek_to_dki_2019").unwrap() * ws;
    assert!(rel(jobs_dki, expect) < 1e-9, "{jobs_dki} vs {expect}");
    let total_w: f64 = ds.workers_by_home.iter().sum();
    let total_j: f64 = ds.jobs_by_work.iter().sum();
    assert!(rel(total_w, total_j) < 1e-12);
    assert!(
        (13.0e6..16.0e6).contains(&total_w),
        "every worker of Jabodetabek: {total_w}"
    );
}

#[test]
fn full_scale_population_reproduces_its_inputs() {
    let ds = dataset();
    let pop = population(ds, 1.0, 42);
    let n = ds.n_regions();
    let ne = ds.employers.len();
    // Workers by home region: random home draws, so a sampling tolerance (0.5%).
    let mut by_home = vec![0u64; n];
    let mut by_emp = vec![0u64; ne];
    for a in &pop.agents {
        by_home[a.od as usize / n] += 1;
        by_emp[a.employer as usize] += 1;
    }
    for ((got, want), r) in by_home.iter().zip(&ds.workers_by_home).zip(&ds.regions) {
        assert!(
            rel(*got as f64, *want) < 0.005,
            "{}: {got} vs {want}",
            r.code
        );
    }
    // Employer headcounts: blocks are rounded individually (≤ 0.5 per block).
    for (e, emp) in ds.employers.iter().enumerate() {
        let expect: f64 = (0..n).map(|j| ds.jobs[j * ne + e]).sum();
        assert!(
            (by_emp[e] as f64 - expect).abs() <= 0.5 * n as f64 + 1e-6,
            "{}: {} vs {expect}",
            emp.code,
            by_emp[e]
        );
    }
    let dki = ds.employer_index("dki").unwrap();
    let central = ds.employer_index("central").unwrap();
    assert!((by_emp[dki] as i64 - 58_109).abs() <= 3);
    assert!((by_emp[central] as i64 - 121_754).abs() <= 3);
    // DKI's role mix reproduces the BKD figure: 15,335 PNS in WFH-eligible roles.
    let office: Vec<usize> = [
        "administrative",
        "treasurer",
        "supervisor",
        "activity_leader",
    ]
    .iter()
    .map(|r| ds.role_index(r).unwrap())
    .collect();
    let eligible = pop
        .agents
        .iter()
        .filter(|a| a.employer as usize == dki && office.contains(&(a.role as usize)))
        .count() as i64;
    assert!(
        (eligible - 15_335).abs() <= 6,
        "eligible DKI staff {eligible}"
    );
    // Mode shares per origin-destination class, within 0.3 percentage points.
    let nm = ds.modes.len();
    let mut cls = vec![0u64; OD_CLASSES.len() * nm];
    for a in &pop.agents {
        let (h, w) = (a.od as usize / n, a.od as usize % n);
        cls[ds.od_class(h, w) * nm + a.mode as usize] += 1;
    }
    for c in 0..OD_CLASSES.len() {
        let tot: u64 = cls[c * nm..(c + 1) * nm].iter().sum();
        for m in 0..nm {
            let got = cls[c * nm + m] as f64 / tot as f64;
            assert!(
                (got - ds.mode_share[c * nm + m]).abs() < 0.003,
                "{} {}: {got}",
                OD_CLASSES[c],
                ds.modes[m].code
            );
        }
    }
    // Commuters: agents living and working in different kab/kota, and Bodetabek → DKI,
    // match the fitted matrix (and so the BPS totals) within sampling tolerance.
    let cross = pop
        .agents
        .iter()
        .filter(|a| a.od as usize / n != a.od as usize % n)
        .count() as f64;
    let into = pop
        .agents
        .iter()
        .filter(|a| !ds.regions[a.od as usize / n].is_dki && ds.regions[a.od as usize % n].is_dki)
        .count() as f64;
    assert!(
        rel(cross, ds.gravity.cross_boundary) < 0.005,
        "{cross} vs {}",
        ds.gravity.cross_boundary
    );
    assert!(
        rel(into, ds.gravity.into_dki) < 0.005,
        "{into} vs {}",
        ds.gravity.into_dki
    );
    // Role mixes of every employer: apportioned exactly per block (±1 per block).
    let nr = ds.roles.len();
    let mut roles = vec![0u64; ne * nr];
    for a in &pop.agents {
        roles[a.employer as usize * nr + a.role as usize] += 1;
    }
    for (e, emp) in ds.employers.iter().enumerate() {
        for r in 0..nr {
            let expect = by_emp[e] as f64 * ds.role_share[e * nr + r];
            assert!(
                (roles[e * nr + r] as f64 - expect).abs() <= n as f64 + 1.0,
                "{} {}",
                emp.code,
                ds.roles[r].code
            );
        }
    }
    // Compact records: at most 16 bytes per agent including the unit table.
    assert!(pop.memory_bytes() as f64 / pop.len() as f64 <= 16.0);
}

#[test]
fn population_is_deterministic_and_seed_dependent() {
    let ds = dataset();
    let a = population(ds, 0.01, 1);
    let b = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap()
        .install(|| population(ds, 0.01, 1));
    assert_eq!(a.agents, b.agents);
    assert_eq!(a.units, b.units);
    assert_ne!(a.agents, population(ds, 0.01, 2).agents);
}

#[test]
fn exported_dataset_round_trips_and_bad_folders_are_refused() {
    let ds = dataset();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("data");
    wfhsim::data::export(ds, &d).unwrap();
    let back = Dataset::from_dir(&d).unwrap();
    assert_eq!(back.hash(), ds.hash());
    // Derived tables are exported for reading, apart from the inputs, and say so.
    let matrix = std::fs::read_to_string(d.join("derived/commuter_matrix.csv")).unwrap();
    assert_eq!(matrix.lines().count(), 1 + ds.n_regions() * ds.n_regions());
    let note = std::fs::read_to_string(d.join("derived/README.txt")).unwrap();
    assert!(note.contains("wfhsim never reads this folder"), "{note}");

    let pop = d.join("parameters/population.csv");
    let text = std::fs::read_to_string(&pop).unwrap();
    std::fs::write(
        &pop,
        text.replace("population.kota_depok,2056335", "population.kota_depok,-5"),
    )
    .unwrap();
    let e = Dataset::from_dir(&d).unwrap_err().to_string();
    assert_eq!(
        e,
        "parameters/population.csv:10: column 'value': -5 for 'population.kota_depok' is not allowed: a value in persons must be >= 0 (a count)"
    );

    std::fs::write(&pop, text.replace("key,value,unit", "key,amount,unit")).unwrap();
    let e = Dataset::from_dir(&d).unwrap_err().to_string();
    assert!(
        e.starts_with("parameters/population.csv:1: missing column 'value'"),
        "{e}"
    );

    std::fs::write(&pop, &text).unwrap();
    let em = d.join("parameters/emissions.csv");
    let t = std::fs::read_to_string(&em).unwrap();
    std::fs::write(
        &em,
        t.lines()
            .filter(|l| !l.starts_with("ef.bus.nox"))
            .collect::<Vec<_>>()
            .join("\n"),
    )
    .unwrap();
    assert_eq!(
        Dataset::from_dir(&d).unwrap_err().to_string(),
        "parameters/emissions.csv: mode 'bus' has no emission factor for nox (add rows ef.bus.nox); every mode of modes.csv except kind 'active' needs one row per pollutant: co2, pm25, pm10, nox, co, hc, so2"
    );
}
