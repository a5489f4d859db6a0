//! Structural uncertainty (`--uncertainty full`): the population stays the one built from
//! central values and each replicate weighs its workers by the drawn structure. Checked
//! against closed forms: a structure fixed at its central values changes nothing, a fixed
//! teleworkable share scales a private-only policy by its ratio, and drawing the structure
//! widens the bands.

use crate::common;

use common::*;
use wfhsim_core::data::Dataset;
use wfhsim_core::results::{Basis, Component, MetricId, Results};
use wfhsim_core::scenario::Scenario;
use wfhsim_core::simulate::RunOptions;
use wfhsim_core::structural::{Reference, Uncertainty};
use wfhsim_core::sweep::points::dataset_with;

fn opts(replicates: u32, uncertainty: Uncertainty) -> RunOptions {
    RunOptions {
        seed: 42,
        replicates,
        scale: 0.02,
        threads: 2,
        uncertainty,
    }
}

fn run(ds: &Dataset, sc: &Scenario, o: RunOptions) -> Results {
    common::simulate_in_pool(ds, std::slice::from_ref(sc), o)
}

/// Window total of net trips avoided over every region: (p05, p50, p95).
fn trips(r: &Results) -> (f64, f64, f64) {
    let row = r.scenarios[0]
        .row(Basis::All, MetricId::TRIPS, Component::Net)
        .unwrap();
    let t = row.total.0;
    (t[0], t[1], t[2])
}

/// The same summary and daily rows, to the bit (Debug prints every f64 exactly).
fn same(a: &Results, b: &Results) {
    let (x, y) = (&a.scenarios[0], &b.scenarios[0]);
    assert_eq!(format!("{:?}", x.summary), format!("{:?}", y.summary));
    assert_eq!(format!("{:?}", x.daily), format!("{:?}", y.daily));
}

/// Every structural key fixed at its central value (`extra` then fixed on top), as a
/// sweep point fixes rows.
fn central_structure(ds: &Dataset, extra: &[(&str, f64)]) -> Dataset {
    let mut fixes: Vec<(String, f64)> = Reference::new(ds)
        .keys()
        .into_iter()
        .filter_map(|k| ds.params.row(k).map(|p| (k.to_string(), p.value)))
        .collect();
    fixes.extend(extra.iter().map(|(k, v)| (k.to_string(), *v)));
    dataset_with(ds, &fixes).unwrap()
}

/// Private formal teleworkable staff with a workplace in DKI at 50%, nobody else.
fn private_only() -> String {
    one_policy(
        r#"["private_formal"]"#,
        r#"["onsite"]"#,
        "rotation",
        "ceiling",
        "{ central = 0.6, low = 0.3, high = 0.9 }",
        "[{ from = 2023-08-21, to = 2023-10-20, share = 0.5 }]",
    )
    .replace(
        "exempt_roles",
        "work_regions = [\"jakarta_pusat\", \"jakarta_selatan\"]\nexempt_roles",
    )
}

#[test]
fn one_replicate_is_the_central_structure_under_either_setting() {
    let ds = dataset();
    let sc = scenario(ds, &dki_at_half());
    let a = run(ds, &sc, opts(1, Uncertainty::Full));
    let b = run(ds, &sc, opts(1, Uncertainty::Behavioural));
    same(&a, &b);
    assert_eq!(
        format!("{:?}", a.scenarios[0].roads),
        format!("{:?}", b.scenarios[0].roads)
    );
}

#[test]
fn a_structure_fixed_at_its_central_values_changes_nothing() {
    // The weighting path with every weight 1 and the central distances and trips must give
    // the behavioural numbers exactly, in every replicate.
    let ds = dataset();
    let fixed = central_structure(ds, &[]);
    let sc = scenario(ds, &private_only());
    let a = run(&fixed, &sc, opts(4, Uncertainty::Full));
    let b = run(ds, &sc, opts(4, Uncertainty::Behavioural));
    same(&a, &b);
}

#[test]
fn a_fixed_teleworkable_share_scales_a_private_policy_by_its_ratio() {
    // Fixed at 0.40 every teleworkable worker stands for 0.40 / the central share.
    let ds = dataset();
    let ratio = 0.40
        / ds.params
            .row("role_share.private.administrative")
            .unwrap()
            .value;
    let sc = scenario(ds, &private_only());
    let at40 = central_structure(ds, &[("role_share.private.administrative", 0.40)]);
    let base = trips(&run(
        &central_structure(ds, &[]),
        &sc,
        opts(3, Uncertainty::Full),
    ));
    let more = trips(&run(&at40, &sc, opts(3, Uncertainty::Full)));
    for (b, m) in [(base.0, more.0), (base.1, more.1), (base.2, more.2)] {
        assert!(b > 0.0);
        assert!((m / b - ratio).abs() < 1e-9, "{m} / {b}");
    }
}

#[test]
fn drawing_the_structure_widens_the_band_of_the_private_sector_scenario() {
    let ds = dataset();
    let sc = scenario(ds, &private_only());
    let full = trips(&run(ds, &sc, opts(40, Uncertainty::Full)));
    let behav = trips(&run(ds, &sc, opts(40, Uncertainty::Behavioural)));
    let width = |t: (f64, f64, f64)| (t.2 - t.0) / t.1;
    // The teleworkable share alone spans 10-40% around 18%.
    assert!(width(full) > 1.3 * width(behav), "{full:?} vs {behav:?}");
}

/// Three orders on disjoint employers with different schedules (as in Jabodetabek 2023:
/// DKI's two months with a summit week at 75%, the central agencies' two weeks, Banten's
/// month), each a `[[policy]]` block.
const DISJOINT_ORDERS: [&str; 3] = [
    r#"[[policy]]
name = "dki"
employers = ["dki"]
exempt_roles = ["teacher", "health"]
assignment = "rotation"
share_rule = "ceiling"
compliance = { central = 0.85, low = 0.60, high = 1.00 }
schedule = [
  { from = 2023-08-21, to = 2023-09-03, share = 0.50 },
  { from = 2023-09-04, to = 2023-09-07, share = 0.75 },
  { from = 2023-09-08, to = 2023-10-21, share = 0.50 },
]
"#,
    r#"[[policy]]
name = "central"
employers = ["central"]
exempt_roles = ["teacher", "health"]
assignment = "rotation"
share_rule = "ceiling"
compliance = { central = 0.85, low = 0.60, high = 1.00 }
schedule = [{ from = 2023-08-28, to = 2023-09-07, share = 0.50 }]
"#,
    r#"[[policy]]
name = "banten"
employers = ["banten_prov"]
exempt_roles = []
assignment = "random_daily"
share_rule = "ceiling"
compliance = { central = 0.85, low = 0.60, high = 1.00 }
schedule = [{ from = 2023-08-28, to = 2023-09-28, share = 0.50 }]
"#,
];

fn orders(blocks: &[&str]) -> String {
    let head = "schema_version = 1\nname = \"t\"\ntitle = \"t\"\n[period]\nstart = 2023-08-01\nend = 2023-10-31\n";
    format!("{head}{}", blocks.concat())
}

/// Under full uncertainty a scenario of orders on disjoint employers avoids, replicate by
/// replicate and day by day, exactly what its orders avoid run one at a time: each order's
/// workers carry their own structural weight on the days it is in force (one weight per
/// cell blended over orders with different schedules made the whole 6% smaller than its
/// parts on average).
#[test]
fn disjoint_orders_together_avoid_the_sum_of_what_each_avoids_alone() {
    use wfhsim_core::simulate::{Baseline, build_population, replicates};
    let ds = dataset();
    let o = opts(6, Uncertainty::Full);
    let pop = build_population(ds, o, &|_| {});
    let base = Baseline::new(ds, &pop, Uncertainty::Full, false);
    let sums = |blocks: &[&str]| {
        let sc = scenario(ds, &orders(blocks));
        replicates(ds, &pop, &base, &sc, o, &|_| {}).unwrap().sums
    };
    let whole = sums(&DISJOINT_ORDERS);
    let parts: Vec<_> = DISJOINT_ORDERS.iter().map(|b| sums(&[b])).collect();
    for (rep, w) in whole.iter().enumerate() {
        let mut worst = 0.0f64;
        for d in 0..w.daily.len() {
            for (i, &x) in w.daily.get(d).iter().enumerate() {
                let sum: f64 = parts.iter().map(|p| p[rep].daily.get(d)[i]).sum();
                worst = worst.max((x - sum).abs() / sum.abs().max(1.0));
            }
        }
        assert!(
            worst < 1e-9,
            "replicate {rep}: a daily value is {worst:e} off the sum of its parts"
        );
    }
}
