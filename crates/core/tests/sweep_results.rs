//! `SweepResults::analyse` on small designs whose answers are worked out by hand from
//! given experiments: the bands of each point, a tornado's base and bars (sorted by
//! swing), the response curves of a grid, and a target search's finding passed on.

use std::path::Path;

use super::common::dataset;
use wfhsim_core::sweep::{Design, Experiment, SweepResults, sample, search::search};

fn design(text: &str) -> Design {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/sweeps/test.toml");
    Design::parse(&path, text, dataset()).unwrap()
}

const OAT: &str = r#"
schema_version = 1
name = "t"
title = "t"
method = "oat"
scenarios = ["dki-2023"]
replicates = 3
outcomes = ["trips_per_day", "trips_pct"]

[[factor]]
key = "policy.1.compliance"
label = "Compliance"
range = [0.6, 1.0]
central = 0.8

[[factor]]
key = "policy.1.share"
label = "Share"
range = [0.4, 0.8]
central = 0.6
"#;

/// Three replicates of a point: `v − 1`, `v`, `v + 5` for the first outcome (median v,
/// p05 and p95 the extremes) and a constant `2v` for the second.
fn replicates(point: u32, v: f64) -> Vec<Experiment> {
    [(0, v - 1.0), (1, v), (2, v + 5.0)]
        .into_iter()
        .map(|(r, y)| Experiment {
            point,
            scenario: 0,
            replicate: r,
            outcomes: vec![y, 2.0 * v],
        })
        .collect()
}

#[test]
fn a_tornado_has_the_bars_worked_out_by_hand() {
    let d = design(OAT);
    let points = sample::points(&d);
    assert_eq!(points.len(), 5); // central, then each factor low and high
    // Medians: central 100; compliance 0.6 → 70, 1.0 → 120 (swing 50); share 0.4 →
    // 110, 0.8 → 90 (swing 20). Given in reverse order: the analysis sorts.
    let medians = [100.0, 70.0, 120.0, 110.0, 90.0];
    let mut rows: Vec<Experiment> = Vec::new();
    for (p, v) in medians.iter().enumerate().rev() {
        rows.extend(replicates(p as u32, *v));
    }
    let r = SweepResults::analyse(&d, points, rows, None);
    // Experiments sorted by point then replicate.
    let order: Vec<(u32, u32)> = r
        .experiments
        .iter()
        .map(|e| (e.point, e.replicate))
        .collect();
    assert_eq!(order[..4], [(0, 0), (0, 1), (0, 2), (1, 0)]);
    // Bands of three replicates: positions 0.05 × 4 and 0.95 × 4 fall outside 1..3, so
    // p05 = v − 1 and p95 = v + 5 (the extremes); p50 at position 2 = v.
    assert_eq!(r.bands.len(), 5);
    let b = &r.bands[1].bands[0];
    assert!(b[0] == 69.0 && b[1] == 70.0 && b[2] == 75.0, "{b:?}");
    // One tornado per outcome of the one scenario.
    assert_eq!(r.tornadoes.len(), 2);
    let t = r.tornado(0, 0).unwrap();
    assert_eq!(t.base, 100.0);
    let bars: Vec<(usize, f64, f64, f64)> = t
        .bars
        .iter()
        .map(|b| (b.factor, b.low, b.high, b.swing()))
        .collect();
    assert_eq!(bars, [(0, 70.0, 120.0, 50.0), (1, 110.0, 90.0, 20.0)]);
    // The second outcome is twice the median: the same order, twice the swings.
    let t2 = r.tornado(0, 1).unwrap();
    assert_eq!(t2.base, 200.0);
    assert_eq!(t2.bars[0].swing(), 100.0);
    // One at a time: no response curves, no Sobol indices, no target.
    assert!(r.responses.is_empty() && r.sobol.is_empty() && r.target_search().is_none());
    assert!(r.curves(0, 0).is_empty());
}

const GRID: &str = r#"
schema_version = 1
name = "g"
title = "g"
method = "grid"
scenarios = ["dki-2023"]
replicates = 3
outcomes = ["trips_per_day"]

[[factor]]
key = "policy.1.compliance"
label = "Compliance"
levels = [0.6, 0.8, 1.0]
central = 0.8

[[factor]]
key = "policy.1.share"
label = "Share"
levels = [0.5, 0.75]
central = 0.75
"#;

#[test]
fn a_grid_response_holds_the_other_factor_at_its_central_level() {
    let d = design(GRID);
    let points = sample::points(&d);
    assert_eq!(points.len(), 6);
    // Outcome = 100 × compliance − 50 × share, the same in every replicate.
    let mut rows = Vec::new();
    for p in &points {
        let c = p.values[0].as_float().unwrap();
        let b = p.values[1].as_float().unwrap();
        for r in 0..3 {
            rows.push(Experiment {
                point: p.id as u32,
                scenario: 0,
                replicate: r,
                outcomes: vec![100.0 * c - 50.0 * b],
            });
        }
    }
    let r = SweepResults::analyse(&d, points, rows, None);
    assert!(r.tornadoes.is_empty());
    let curves = r.curves(0, 0);
    assert_eq!(curves.len(), 2);
    // Compliance with the share held at 0.75: 22.5, 42.5, 62.5.
    assert_eq!(curves[0].x, [0.6, 0.8, 1.0]);
    let p50: Vec<f64> = curves[0].bands.iter().map(|b| b[1]).collect();
    for (got, want) in p50.iter().zip([22.5, 42.5, 62.5]) {
        assert!((got - want).abs() < 1e-9, "{p50:?}");
    }
    // The share with compliance held at 0.8 (its middle level): 55, 42.5.
    let p50: Vec<f64> = curves[1].bands.iter().map(|b| b[1]).collect();
    assert_eq!(curves[1].x, [0.5, 0.75]);
    assert!(
        (p50[0] - 55.0).abs() < 1e-9 && (p50[1] - 42.5).abs() < 1e-9,
        "{p50:?}"
    );
    assert_eq!(r.held[1], Some(toml::Value::Float(0.75)));
}

#[test]
fn a_target_search_is_passed_on_with_its_range() {
    let text = format!(
        "{}\n[target]\nfactor = \"policy.1.compliance\"\noutcome = \"trips_per_day\"\nvalue = 100.0\n",
        OAT.replace("method = \"oat\"\n", "")
    );
    let d = design(&text);
    let mut eval = |x: f64| -> Result<Vec<f64>, ()> { Ok(vec![200.0 * x]) };
    let found = search(0.6, 1.0, 100.0, 0.9, 0.01, 3, &mut eval).unwrap();
    let r = SweepResults::analyse(&d, Vec::new(), Vec::new(), Some(found.clone()));
    let (spec, range, got) = r.target_search().unwrap();
    assert_eq!((spec.value, range, got), (100.0, (0.6, 1.0), &found));
    assert!(r.bands.is_empty() && r.tornadoes.is_empty());
}

const SOBOL: &str = r#"
schema_version = 1
name = "s"
title = "s"
method = "sobol"
scenarios = ["dki-2023"]
samples = 256
replicates = 4
outcomes = ["trips_per_day"]

[[factor]]
key = "policy.1.compliance"
label = "Compliance"
range = [0.6, 1.0]

[[factor]]
key = "policy.1.share"
label = "Share"
range = [0.4, 0.8]
"#;

/// Outcome = 1000 + 100 × compliance + 50 × share + b_r, with b_r = −15, −5, 5, 15 the
/// same in replicate r of every point (common random numbers: the other inputs' effect).
/// Both factors are uniform on ranges 0.4 wide (variance 0.4²/12): V_compliance = 133.3,
/// V_share = 33.3, so S1 = ST = 0.8 and 0.2; the replicates' effect has (sample)
/// variance 500/3 = 166.7 = V_a, no interaction: factors and others half each.
#[test]
fn a_sobol_design_splits_an_additive_outcome_by_hand() {
    let d = design(SOBOL);
    let points = sample::points(&d);
    assert_eq!(points.len(), 256 * 4);
    let mut rows = Vec::new();
    for p in &points {
        let c = p.values[0].as_float().unwrap();
        let s = p.values[1].as_float().unwrap();
        for (r, b) in [-15.0, -5.0, 5.0, 15.0].into_iter().enumerate() {
            rows.push(Experiment {
                point: p.id as u32,
                scenario: 0,
                replicate: r as u32,
                outcomes: vec![1000.0 + 100.0 * c + 50.0 * s + b],
            });
        }
    }
    let r = SweepResults::analyse(&d, points, rows, None);
    let sobol = r.sobol_of(0, 0).unwrap();
    for (i, want) in [0.8, 0.2].into_iter().enumerate() {
        let ix = sobol.indices[i];
        assert!((ix.s1 - want).abs() < 0.02, "S1[{i}]: {ix:?}");
        assert!((ix.st - want).abs() < 0.02, "ST[{i}]: {ix:?}");
        assert!(ix.s1_lo <= ix.s1 && ix.s1 <= ix.s1_hi, "{ix:?}");
    }
    let v = sobol.variance.unwrap();
    assert!((v.factors - 0.5).abs() < 0.01, "{v:?}");
    assert!((v.others - 0.5).abs() < 0.01, "{v:?}");
    assert!(v.interactions < 1e-9, "{v:?}");
    assert!((v.total - 1000.0 / 3.0).abs() < 5.0, "{v:?}");
}

/// A design can vary the compliance model (categorical), rho and the ramp; each point's
/// scenario carries them, and the compliance shorthand keeps the model and ramp.
#[test]
fn a_sweep_varies_the_compliance_model_rho_and_ramp() {
    use wfhsim_core::scenario::{ComplianceModel, Range};
    let d = design(
        r#"
schema_version = 1
name = "t"
title = "t"
method = "grid"
scenarios = ["dki-2023"]
replicates = 1

[[factor]]
key = "policy.1.compliance.model"
levels = ["iid", "persistent", "clustered"]

[[factor]]
key = "policy.1.compliance.rho"
levels = [0.05, 0.5]

[[factor]]
key = "policy.1.compliance.ramp_days"
levels = [0, 15]

[[factor]]
key = "policy.1.compliance"
levels = [0.4, 0.9]
"#,
    );
    let points = sample::points(&d);
    assert_eq!(points.len(), 3 * 2 * 2 * 2);
    let prepared = wfhsim_core::sweep::points::prepare(&d, &points, dataset()).unwrap();
    let mut seen = std::collections::BTreeSet::new();
    for p in &prepared {
        let pol = &p.scenarios[0].policies[0];
        let u = pol.uptake;
        let v = &p.point.values;
        let model = match v[0].as_str().unwrap() {
            "iid" => ComplianceModel::Iid,
            "persistent" => ComplianceModel::Persistent,
            _ => ComplianceModel::Clustered,
        };
        assert_eq!(u.model, model, "point {}", p.point.id);
        assert_eq!(u.rho, Range::point(v[1].as_float().unwrap()));
        assert_eq!(u.ramp_days, Range::point(v[2].as_integer().unwrap() as f64));
        // The shorthand fixes the share only: dki-2023's ramp start stays.
        assert_eq!(pol.compliance, Range::point(v[3].as_float().unwrap()));
        assert_eq!(u.ramp_from.central, 0.43);
        seen.insert(format!("{model:?} {} {}", v[1], v[2]));
    }
    assert_eq!(seen.len(), 12);
    // A model the reader does not know is refused with the point and the allowed ones.
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/sweeps/test.toml");
    let bad = "schema_version = 1\nname = \"t\"\ntitle = \"t\"\nmethod = \"grid\"\nscenarios = [\"dki-2023\"]\nreplicates = 1\n[[factor]]\nkey = \"policy.1.compliance.model\"\nlevels = [\"iid\", \"by_unit\"]\n";
    let e = Design::parse(&path, bad, dataset())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("policy[0].compliance.model: 'by_unit' is not allowed; use one of 'iid', 'persistent', 'clustered'"),
        "{e}"
    );
}
