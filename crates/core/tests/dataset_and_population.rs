//! The dataset's typed inputs say what its provenance rows say, a missing row or a bad
//! `is_dki` is named where it is, the derived tables and the synthetic population
//! reproduce the published marginals they were built from.

use crate::common;

use std::path::{Path, PathBuf};

use common::*;
use wfhsim_core::data::{Dataset, Inputs, OD_CLASSES, Params, Uncertain};

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
    assert!((by_emp[central] as i64 - 192_592).abs() <= 3);
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
    common::export_dataset(ds, &d);
    let back = Dataset::from_dir(&d).unwrap();
    assert_eq!(back.hash(), ds.hash());
    // Derived tables are exported for reading, apart from the inputs, and say so.
    let matrix = std::fs::read_to_string(d.join("derived/commuter_matrix.csv")).unwrap();
    assert_eq!(matrix.lines().count(), 1 + ds.n_regions() * ds.n_regions());
    let note = std::fs::read_to_string(d.join("derived/README.txt")).unwrap();
    assert!(note.contains("wfhsim never reads this folder"), "{note}");
}

/// The built-in dataset exported to a temporary folder, with `file` edited.
fn edited(file: &str, edit: impl Fn(&str) -> String) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path().join("data");
    common::export_dataset(dataset(), &d);
    let p = d.join(file);
    let text = std::fs::read_to_string(&p).unwrap();
    let new = edit(&text);
    assert_ne!(new, text, "the edit changed {file}");
    std::fs::write(&p, new).unwrap();
    (tmp, d)
}

fn load_error(d: &Path) -> String {
    Dataset::from_dir(d).unwrap_err().to_string()
}

fn without_row(text: &str, key: &str) -> String {
    let prefix = format!("{key},");
    text.lines()
        .filter(|l| !l.starts_with(&prefix))
        .map(|l| format!("{l}\n"))
        .collect()
}

#[test]
fn typed_inputs_say_what_the_provenance_rows_say() {
    let ds = dataset();
    let p = &ds.inputs;
    let region = |c: &str| ds.region_index(c).unwrap();
    let employer = |c: &str| ds.employer_index(c).unwrap();
    let mode = |c: &str| ds.modes.iter().position(|m| m.code == c).unwrap();
    // Values as written in scenarios/data/parameters/*.csv.
    assert_eq!(
        p.regions[region("kota_depok")].population.central,
        2_056_335.0
    );
    assert_eq!(p.regions[region("jakarta_pusat")].area_km2, 48.13);
    assert_eq!(p.employment_rate.dki.central, 0.4612);
    assert_eq!(p.formal_share.bodetabek.central, 0.55);
    assert_eq!(p.distance.circuity.central, 1.3);
    assert_eq!(p.commuting.bodetabek_to_dki_2019, 1_260_000.0);
    let depok = p.commuting.to_dki_2014[region("kota_depok")]
        .as_ref()
        .unwrap();
    assert_eq!(
        (depok.key.as_str(), depok.value, depok.at.as_str()),
        (
            "commuters.to_dki_2014.kota_depok",
            284_093.0,
            "parameters/commuting.csv:9"
        )
    );
    assert_eq!(p.commuting.to_dki_2014[region("kab_bogor")], None);
    let selatan = p.commuting.destination[region("jakarta_selatan")].unwrap();
    assert_eq!((selatan.into_dki, selatan.dki_residents), (0.2898, 0.2165));
    assert_eq!(p.commuting.destination[region("kepulauan_seribu")], None);
    assert_eq!(p.commute.trips_per_commute_day.central, 2.0);
    assert_eq!(p.commute.commute_days_per_working_day.central, 1.0);
    assert_eq!(p.commute.trips_per_working_day(), 2.0);
    assert_eq!(p.beta_search_per_km, (1e-4, 2.0));
    let central = |u: &Option<Uncertain>| u.as_ref().map(|u| u.central);
    assert_eq!(
        central(&p.employers[employer("dki")].headcount),
        Some(58_109.0)
    );
    assert_eq!(p.employers[employer("private_formal")].headcount, None);
    assert_eq!(
        central(&p.employers[employer("central")].work_share[region("jakarta_pusat")]),
        Some(0.50)
    );
    let nr = ds.roles.len();
    let onsite = ds.role_index("onsite").unwrap();
    let shares = p.role_shares();
    assert_eq!(shares[employer("private_formal") * nr + onsite], 0.82);
    assert_eq!(shares[employer("dki") * nr + onsite], 0.0, "no row: zero");
    assert_eq!(p.role_share[employer("dki") * nr + onsite], None);
    assert_eq!(p.unit_size[ds.role_index("teacher").unwrap()], 30.0);
    let acc = &p.accounting;
    assert_eq!(
        acc.occupancy(mode("car")).unwrap(),
        &Uncertain {
            key: "occupancy.car".into(),
            low: 1.1,
            central: 1.3,
            high: 2.16
        }
    );
    assert_eq!(
        acc.ef(mode("motorcycle"), 0).unwrap().range(),
        (58.0, 75.0, 85.0)
    );
    assert_eq!(
        acc.modes[mode("krl")].occupancy,
        None,
        "rail has no occupancy"
    );
    assert!(acc.modes[mode("walk_bike")].ef.is_none());
    assert_eq!(
        acc.rebound_nonwork_trip_km.range(),
        (2.0, 4.0, 8.0),
        "rebound.nonwork_trip_km"
    );
    // DKI is the regions.csv column, not the province's name.
    let dki: Vec<&str> = ds
        .regions
        .iter()
        .filter(|r| r.is_dki)
        .map(|r| r.code.as_str())
        .collect();
    assert_eq!(
        dki,
        [
            "jakarta_pusat",
            "jakarta_utara",
            "jakarta_barat",
            "jakarta_selatan",
            "jakarta_timur",
            "kepulauan_seribu"
        ]
    );
}

#[test]
fn overrides_apply_to_accounting_inputs_within_their_bounds() {
    let p = &dataset().inputs;
    assert_eq!(p.override_bounds("occupancy.car"), Some((0.01, 10_000.0)));
    assert_eq!(p.override_bounds("ef.car.co2"), Some((0.0, 1e6)));
    assert_eq!(
        p.override_bounds("rebound.nonwork_trip_km"),
        Some((0.0, 1e6))
    );
    assert_eq!(p.override_bounds("population.kota_depok"), None);
    assert_eq!(p.override_bounds("occupancy.krl"), None, "no such input");
    let keys = p.overridable_keys();
    assert_eq!(
        keys.len(),
        6 + 8 * 7 + 5,
        "occupancies, factors, five scalars"
    );
    assert!(keys.windows(2).all(|w| w[0] < w[1]), "sorted, unique");
    assert!(keys.contains(&"grid.co2_kg_per_kwh") && keys.contains(&"ef.krl.co2"));

    let o = p
        .with_override("ef.car.co2", 100.0, Some(90.0), None)
        .unwrap();
    assert_eq!(
        o.uncertain("ef.car.co2").unwrap().range(),
        (90.0, 100.0, 100.0)
    );
    let mut back = o.clone();
    let u = back
        .accounting
        .modes
        .iter_mut()
        .find(|m| m.mode == "car")
        .and_then(|m| m.ef.as_mut())
        .unwrap();
    u[0] = p.uncertain("ef.car.co2").unwrap().clone();
    assert_eq!(&back, p, "nothing else changed");

    assert_eq!(
        p.with_override("occupancy.car", 0.0, None, None)
            .unwrap_err()
            .to_string(),
        "parameter 'occupancy.car': value 0 (low 0, high 0) must be between 0.01 and 10000, with low <= value <= high"
    );
    assert_eq!(
        p.with_override("ef.car.co2", 5.0, Some(6.0), None)
            .unwrap_err()
            .to_string(),
        "parameter 'ef.car.co2': value 5 (low 6, high 5) must be between 0 and 1000000, with low <= value <= high"
    );
    assert!(
        p.with_override("grid.co2_kg_per_kwh", f64::NAN, None, None)
            .is_err()
    );
    assert_eq!(
        p.with_override("headcount.dki", 1.0, None, None)
            .unwrap_err()
            .to_string(),
        "parameter 'headcount.dki' cannot be overridden by a scenario: only the accounting inputs can (ef.*, grid.*, occupancy.*, rebound.*, ridehail.*)"
    );
}

#[test]
fn every_required_row_is_declared_in_the_file_that_holds_it_and_named_when_missing() {
    let ds = dataset();
    // What a dataset must have, as the typed reader declares it: read from nothing.
    let required = match Inputs::from_params(
        &Params::default(),
        &ds.regions,
        &ds.employers,
        &ds.roles,
        &ds.modes,
    ) {
        Err(wfhsim_core::data::DataError::MissingParameters { rows }) => rows,
        other => panic!("{other:?}"),
    };
    // 14 regions × (population, area, lat, lon) + 2 employment rates + 2 formal shares
    // + 3 distance inputs + 6 commuter counts + 2 commute rows + 2 β bounds + 13 headcounts
    // (15 employers less private and informal) + 6 unit-size families + 6 occupancies
    // (private, ride-hail, road transit) + 8 modes × 7 factors + 5 accounting scalars
    // + 5 groups × 2 override bounds
    // + the road layer (traffic.csv): gasoline sales, 2 fuel totals, petrol density, heavy
    //   per car, bus share, remainder weight, 14 fuel-area flags, 3 peak shares, 3 speeds,
    //   2 speed elasticities, the induced-traffic elasticity, 4 PCU, 2 counts, 2 σ, the
    //   AR(1) ρ, 7 inventory rows, 4 fuel-curve factors = 50; and the purposes measures
    //   act on: 3 purposes × 2 periods = 6; what odd-even acts through: covered, barred
    //   and 7 responses = 9; a transit cap: 2 load factors, drive, motorcycle = 4
    // + the speed curves (speed_emissions.csv): per class 2 Euro classes × 5 curves × the
    //   first coefficient (and, heavy-duty, the function id) = 10 + 10 + 20 + 20, 4 × 2
    //   speed bounds, 4 fleet shares, CO2 per fuel and sulphur for petrol and diesel = 76,
    //   and non-exhaust PM: 4 classes × 3 sources (tyre, brake, road) × 2 sizes = 24.
    //   (The totals pm25_total and pm10_total have no rows of their own: no ef rows, and
    //   their inventory rows are the exhaust ones.)
    // + the calibration targets (calibration.csv) = 4 (the inventory rows and the petrol
    //   density it also reads are counted above).
    assert_eq!(
        required.len(),
        56 + 2 + 2 + 3 + 6 + 2 + 2 + 13 + 6 + 6 + 56 + 5 + 10 + 50 + 6 + 9 + 4 + 76 + 24 + 4
    );
    let keys: Vec<&str> = required.iter().map(|r| r.key.as_str()).collect();
    for k in [
        "population.kab_bekasi",
        "lat.kota_bogor",
        "employment_rate.bodetabek",
        "commute.trips_per_commute_day",
        "commute.commute_days_per_working_day",
        "gravity.beta_max_per_km",
        "headcount.kota_depok",
        "unit_size.site",
        "occupancy.angkot",
        "ef.mrt_lrt.so2",
        "nonexhaust.truck.road.pm10",
        "inventory.dki.pm25",
        "override.ef.max",
        "override.occupancy.min",
    ] {
        assert!(keys.contains(&k), "{k} is required");
    }
    for k in [
        "headcount.private_formal",
        "occupancy.krl",
        "ef.walk_bike.co2",
        "ef.car.pm25_total",
        "inventory.dki.pm25_total",
    ] {
        assert!(!keys.contains(&k), "{k} is not required");
    }

    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path().join("data");
    common::export_dataset(ds, &d);
    for row in &required {
        let p = d.join(&row.file);
        let text = std::fs::read_to_string(&p).unwrap();
        let without = without_row(&text, &row.key);
        assert!(without != text, "{} holds {}", row.file, row.key);
        std::fs::write(&p, without).unwrap();
        assert_eq!(
            load_error(&d),
            format!(
                "{}: the dataset has no parameter '{}' ({}); add a row for it",
                row.file, row.key, row.what
            )
        );
        std::fs::write(&p, text).unwrap();
    }
}

#[test]
fn all_missing_rows_are_reported_at_once_by_file() {
    let (_tmp, d) = edited("parameters/role_mix.csv", |t| {
        without_row(&without_row(t, "unit_size.office"), "unit_size.site")
    });
    let p = d.join("parameters/rebound.csv");
    let t = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, without_row(&t, "grid.co2_kg_per_kwh")).unwrap();
    assert_eq!(
        load_error(&d),
        "parameters/role_mix.csv: the dataset has no parameters 'unit_size.office', 'unit_size.site' (every work-unit family of roles.csv needs its mean unit size); add a row for each\n\
         parameters/rebound.csv: the dataset has no parameter 'grid.co2_kg_per_kwh' (the accounting of home electricity); add a row for it"
    );
}

#[test]
fn regions_csv_says_which_regions_are_dki() {
    let (_tmp, d) = edited("regions.csv", |t| {
        t.replace("code,name,province,is_dki", "code,name,province")
            .replace(",true\n", "\n")
            .replace(",false\n", "\n")
    });
    assert_eq!(
        load_error(&d),
        "regions.csv:1: missing column 'is_dki' (the header must have code,name,province,is_dki; it has code,name,province)"
    );
    let (_tmp, d) = edited("regions.csv", |t| {
        t.replace(
            "Jakarta Utara,DKI Jakarta,true",
            "Jakarta Utara,DKI Jakarta,yes",
        )
    });
    assert_eq!(
        load_error(&d),
        "regions.csv:3: column 'is_dki': 'yes' is not one of true, false"
    );
    // The province's name no longer decides: a DKI region whose flag is false is
    // Bodetabek, and its destination-share rows now name no DKI region.
    let (_tmp, d) = edited("regions.csv", |t| {
        t.replace(
            "Jakarta Utara,DKI Jakarta,true",
            "Jakarta Utara,DKI Jakarta,false",
        )
    });
    assert_eq!(
        load_error(&d),
        "parameters/commuting.csv:15: column 'key': 'dest_share.into_dki.jakarta_utara' names no DKI region of regions.csv (valid: jakarta_pusat, jakarta_barat, jakarta_selatan, jakarta_timur, kepulauan_seribu)"
    );
}

#[test]
fn trips_per_commute_day_reach_the_accounting() {
    let (_tmp, d) = edited("parameters/commuting.csv", |t| {
        t.replace(
            "commute.trips_per_commute_day,2,trips/commute day,1.8,2.4,",
            "commute.trips_per_commute_day,3,trips/commute day,1.8,3,",
        )
    });
    let ds = Dataset::from_dir(&d).unwrap();
    let sc = scenario(&ds, &dki_at_half());
    let p = wfhsim_core::accounting::scenario_params(&ds, &sc).unwrap();
    let c = wfhsim_core::accounting::coefficients(&ds, &p, &sc, 1, 0, true, None, None).unwrap();
    let n = ds.n_regions();
    let nm = ds.modes.len();
    let od =
        ds.region_index("kota_depok").unwrap() * n + ds.region_index("jakarta_selatan").unwrap();
    let cell = od * nm + ds.modes.iter().position(|m| m.code == "car").unwrap();
    use wfhsim_core::results::{MetricId, schema};
    let w = &c.wfh[cell * schema::N_SLOTS..];
    assert_eq!(w[schema::slot(MetricId::TRIPS, false)], 3.0);
    assert_eq!(
        w[schema::slot(MetricId::PERSON_KM, false)],
        3.0 * ds.distance_km[od]
    );
    let b = &c.base[cell * schema::N_METRICS..];
    assert_eq!(b[MetricId::TRIPS.0], 3.0);
}

#[test]
fn a_beta_bracket_that_cannot_reach_the_cross_boundary_total_is_refused() {
    // The fitted β is 0.35 per km: a bracket ending at 0.01 cannot reach it.
    let (_tmp, d) = edited("parameters/commuting.csv", |t| {
        t.replace(
            "gravity.beta_max_per_km,2,1/km,2,2,",
            "gravity.beta_max_per_km,0.01,1/km,0.01,0.01,",
        )
    });
    assert_eq!(
        load_error(&d),
        "inconsistent dataset: the commuter matrix's β reached the end of its search bracket gravity.beta_min_per_km .. gravity.beta_max_per_km = 0.0001 .. 0.01 per km (parameters/commuting.csv) without matching commuters.cross_boundary_2019; widen the bracket or check the commuter counts"
    );
    let (_tmp, d) = edited("parameters/commuting.csv", |t| {
        t.replace(
            "gravity.beta_max_per_km,2,1/km,2,2,",
            "gravity.beta_max_per_km,0.00001,1/km,0.00001,0.00001,",
        )
    });
    assert_eq!(
        load_error(&d),
        "parameters/commuting.csv:26: column 'value': the β search bracket gravity.beta_min_per_km .. gravity.beta_max_per_km is 0.0001 .. 0.00001; it must have 0 < min < max"
    );
}
