use super::*;
use crate::data::Dataset;
use crate::data::OD_CLASSES;
use crate::sweep::points::dataset_with;

fn ds() -> Dataset {
    Dataset::builtin().unwrap()
}

/// The teleworkable share of private formal jobs at its central value.
fn admin_central(ds: &Dataset) -> f64 {
    ds.params
        .row("role_share.private.administrative")
        .unwrap()
        .value
}

fn class(ds: &Dataset, employer: &str, role: &str) -> usize {
    ds.employer_index(employer).unwrap() * ds.roles.len() + ds.role_index(role).unwrap()
}

fn cell(ds: &Dataset, home: &str, work: &str, mode: &str) -> usize {
    let n = ds.n_regions();
    let m = ds.modes.iter().position(|x| x.code == mode).unwrap();
    (ds.region_index(home).unwrap() * n + ds.region_index(work).unwrap()) * ds.modes.len() + m
}

#[test]
fn the_central_structure_weighs_every_worker_one() {
    let ds = ds();
    let r = Reference::new(&ds);
    let s = r.draw(&ds.inputs, 7, 3, true);
    let cells = ds.n_regions() * ds.n_regions() * ds.modes.len();
    for c in (0..cells).step_by(7) {
        for k in 0..r.n_classes() {
            assert_eq!(s.weights.weight(c, k), 1.0, "cell {c} class {k}");
        }
    }
    assert_eq!(s.distance_km, ds.distance_km);
    assert_eq!(
        s.trips_per_working_day,
        ds.inputs.commute.trips_per_working_day()
    );
}

#[test]
fn a_fixed_teleworkable_share_scales_private_office_workers_by_its_ratio() {
    // role_share.private.administrative (10-40%); on-site takes the rest.
    let ds = ds();
    let r = Reference::new(&ds);
    let mut inputs = ds.inputs.clone();
    assert!(inputs.fix_structural("role_share.private.administrative", 0.40));
    // Everything else central: fix each drawn key at its central value.
    for k in r.keys() {
        if k != "role_share.private.administrative" {
            let v = ds.params.row(k).map(|p| p.value);
            if let Some(v) = v {
                assert!(inputs.fix_structural(k, v), "{k}");
            }
        }
    }
    let s = r.draw(&inputs, 1, 0, false);
    let c = cell(&ds, "kota_depok", "jakarta_selatan", "motorcycle");
    let admin = s
        .weights
        .weight(c, class(&ds, "private_formal", "administrative"));
    let onsite = s.weights.weight(c, class(&ds, "private_formal", "onsite"));
    assert!((admin - 0.40 / admin_central(&ds)).abs() < 1e-12, "{admin}");
    assert!(
        (onsite - 0.60 / (1.0 - admin_central(&ds))).abs() < 1e-12,
        "{onsite}"
    );
    // Civil servants are not private jobs.
    assert_eq!(
        s.weights.weight(c, class(&ds, "dki", "administrative")),
        1.0
    );
}

#[test]
fn drawn_groups_keep_their_totals_and_stay_in_range() {
    let ds = ds();
    let r = Reference::new(&ds);
    let nm = ds.modes.len();
    for rep in 0..20 {
        let s = r.draw(&ds.inputs, 42, rep, false);
        // Mode shares of each OD class: Σ central share × ratio = 1.
        for (c, _) in OD_CLASSES.iter().enumerate() {
            let t: f64 = (0..nm)
                .map(|m| ds.mode_share[c * nm + m] * s.weights.mode[c * nm + m])
                .sum();
            assert!((t - 1.0).abs() < 1e-12, "class {c} rep {rep}: {t}");
        }
        // The teleworkable share of private jobs stays within its provenance range.
        let e = ds.employer_index("private_formal").unwrap();
        let a = ds.role_index("administrative").unwrap();
        let share = admin_central(&ds) * s.weights.role[e * ds.roles.len() + a];
        assert!((0.10 - 1e-12..=0.40 + 1e-12).contains(&share), "{share}");
        // Headcount ratios within low/central .. high/central.
        let b = ds.employer_index("bumn_bumd").unwrap();
        let h = s.weights.employer[b];
        assert!((0.5 - 1e-12..=1.5 + 1e-12).contains(&h), "{h}");
        assert!(s.distance_km.iter().all(|d| d.is_finite() && *d > 0.0));
        let t = s.trips_per_working_day;
        assert!((1.8 * 0.9 - 1e-12..=2.4 + 1e-12).contains(&t), "{t}");
    }
}

#[test]
fn the_draw_depends_on_the_replicate_not_on_anything_else() {
    let ds = ds();
    let r = Reference::new(&ds);
    let a = r.draw(&ds.inputs, 42, 5, false);
    let b = r.draw(&ds.inputs, 42, 5, false);
    let c = r.draw(&ds.inputs, 42, 6, false);
    assert_eq!(a.weights.role, b.weights.role);
    assert_eq!(a.distance_km, b.distance_km);
    assert_ne!(a.weights.role, c.weights.role);
}

#[test]
fn cell_means_weigh_members_by_mass() {
    let ds = ds();
    let r = Reference::new(&ds);
    let mut inputs = ds.inputs.clone();
    inputs.fix_structural("role_share.private.administrative", 0.40);
    let s = r.draw(&inputs, 1, 0, false);
    let c = cell(&ds, "kota_depok", "jakarta_selatan", "motorcycle");
    let (pa, dk) = (
        class(&ds, "private_formal", "administrative") as u32,
        class(&ds, "dki", "administrative") as u32,
    );
    let wp = s.weights.weight(c, pa as usize);
    let wd = s.weights.weight(c, dk as usize);
    let entries = [(c as u32, dk, 3.0), (c as u32, pa, 1.0)];
    let n = ds.n_regions() * ds.n_regions() * ds.modes.len();
    let m = s.weights.cell_means(1, n, &entries);
    assert!((m[c] - (3.0 * wd + wp) / 4.0).abs() < 1e-12);
    assert_eq!(m[c + 1], 1.0);
    // A second policy's members of the same cell have their own mean.
    let two = [entries[0], entries[1], ((n + c) as u32, pa, 2.0)];
    let m = s.weights.cell_means(2, n, &two);
    assert!((m[c] - (3.0 * wd + wp) / 4.0).abs() < 1e-12);
    assert!((m[n + c] - wp).abs() < 1e-12);
    assert_eq!((m.len(), m[n + c + 1]), (2 * n, 1.0));
    let t = s.weights.weighted_totals(c + 1, &entries);
    assert!((t[c] - (3.0 * wd + wp)).abs() < 1e-12);
}

#[test]
fn a_row_fixed_through_the_dataset_moves_the_typed_input_and_the_draw_together() {
    // As a sweep point does: fix a structural row of the dataset, then draw the point's
    // replicates from the population's reference.
    let ds = ds();
    let r = Reference::new(&ds);
    let circuity = ds.inputs.distance.circuity.central;
    let fixes = [
        ("distance.circuity".to_string(), 1.5),
        ("role_share.private.administrative".to_string(), 0.40),
    ];
    let d = dataset_with(&ds, &fixes).unwrap();
    // The row and the typed input agree: both held at the value in every replicate.
    for (k, v) in &fixes {
        assert_eq!(d.params.row(k).unwrap().range(), (*v, *v, *v), "{k}");
    }
    assert_eq!(d.inputs.distance.circuity.range(), (1.5, 1.5, 1.5));
    let e = ds.employer_index("private_formal").unwrap();
    let a = ds.role_index("administrative").unwrap();
    let nr = ds.roles.len();
    let admin = d.inputs.role_share[e * nr + a].as_ref().unwrap();
    assert_eq!(admin.range(), (0.40, 0.40, 0.40));
    // The population's tables stay those it was built from.
    assert_eq!(d.distance_km, ds.distance_km);
    // Every replicate's structure reads the fixed value: distances between regions scale
    // by 1.5 / central circuity; the teleworkable share's weight is 0.40 / admin_central(&ds).
    let od = ds.region_index("kota_depok").unwrap() * ds.n_regions()
        + ds.region_index("jakarta_selatan").unwrap();
    let c = cell(&ds, "kota_depok", "jakarta_selatan", "motorcycle");
    for rep in 0..5 {
        let s = r.draw(&d.inputs, 42, rep, false);
        let want = ds.distance_km[od] * 1.5 / circuity;
        assert!((s.distance_km[od] - want).abs() < 1e-9 * want, "rep {rep}");
        let w = s.weights.role[e * nr + a];
        assert!(
            (w - 0.40 / admin_central(&ds)).abs() < 1e-12,
            "rep {rep}: {w}"
        );
    }
    // With everything else central, the group's largest share takes the rest.
    let s = r.draw(&d.inputs, 42, 0, true);
    let onsite = s.weights.weight(c, class(&ds, "private_formal", "onsite"));
    assert!(
        (onsite - 0.60 / (1.0 - admin_central(&ds))).abs() < 1e-12,
        "{onsite}"
    );
    // The base dataset is untouched, and the fixed one still knows what the population
    // was built with: a reference made from it weighs alike.
    assert_eq!(ds.inputs.distance.circuity.central, circuity);
    assert_eq!(
        d.inputs.built_central(&d.inputs.distance.circuity),
        circuity
    );
    let (a, b) = (
        r.draw(&d.inputs, 42, 3, false),
        Reference::new(&d).draw(&d.inputs, 42, 3, false),
    );
    assert_eq!(a.weights.role, b.weights.role);
    assert_eq!(a.distance_km, b.distance_km);
    assert_eq!(Reference::new(&d).keys(), r.keys());
}

/// Every drawn share of a group (mode split, role mix, an employer's work regions) stays
/// inside its own row's range, and every group still sums to its central total — in each
/// of 300 replicates. (The old rule let the largest share take the rest, which pushed
/// DKI's teachers and East Jakarta's share of DKI staff outside their ranges.)
#[test]
fn every_drawn_share_stays_inside_its_range_and_groups_keep_their_total() {
    let ds = ds();
    let r = Reference::new(&ds);
    let p = &ds.inputs;
    let check = |what: &str,
                 centrals: &[Option<f64>],
                 rows: &[Option<Uncertain>],
                 ratios: &[f64],
                 size: usize| {
        for (g, ((c, row), ratio)) in centrals
            .chunks(size)
            .zip(rows.chunks(size))
            .zip(ratios.chunks(size))
            .enumerate()
        {
            let (mut total, mut drawn) = (0.0, 0.0);
            for ((c, row), ratio) in c.iter().zip(row).zip(ratio) {
                let (Some(c), Some(row)) = (c, row) else {
                    continue;
                };
                let v = c * ratio;
                assert!(
                    v >= row.low - 1e-12 && v <= row.high + 1e-12,
                    "{what} group {g}: {} = {v} outside {}..{}",
                    row.key,
                    row.low,
                    row.high
                );
                (total, drawn) = (total + c, drawn + v);
            }
            assert!(
                (drawn - total).abs() < 1e-9,
                "{what} group {g}: {drawn} ≠ {total}"
            );
        }
    };
    for rep in 0..300 {
        let w = r.draw(p, 42, rep, false).weights;
        check("mode", &r.mode, &p.mode_share, &w.mode, r.nm);
        check("role", &r.role, &p.role_share, &w.role, r.nr);
        for (e, emp) in p.employers.iter().enumerate() {
            let ratios = &w.work[e * r.n..(e + 1) * r.n];
            check("work", &r.work_share[e], &emp.work_share, ratios, r.n);
        }
    }
}
