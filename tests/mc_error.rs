//! Each published quantile's Monte Carlo error, recomputed here from the replicates'
//! totals with an independent binomial calculation, and the briefing's notes about it.

use crate::paired::replicate_trips;
use crate::support::wfhsim;
use wfhsim_report::view::{read_csv, read_parquet};

/// P(K ≤ k), k = 0..=n, K ~ Binomial(n, p), term by term (n = 100 stays in range).
fn binomial_cdf(n: usize, p: f64) -> Vec<f64> {
    let mut pmf = (1.0 - p).powi(n as i32);
    let mut acc = Vec::with_capacity(n + 1);
    let mut sum = 0.0;
    for k in 0..=n {
        sum += pmf;
        acc.push(sum);
        pmf *= (n - k) as f64 / (k + 1) as f64 * p / (1.0 - p);
    }
    acc
}

/// Half the distance between the order statistics X(l) and X(u), l the largest rank with
/// P(K < l) ≤ 2.5% and u the smallest with P(K < u) ≥ 97.5%.
fn expected_error(sorted: &[f64], p: f64) -> f64 {
    let cdf = binomial_cdf(sorted.len(), p);
    let l = (1..=sorted.len())
        .filter(|&l| cdf[l - 1] <= 0.025)
        .max()
        .unwrap();
    let u = (1..=sorted.len()).find(|&u| cdf[u - 1] >= 0.975).unwrap();
    (sorted[u - 1] - sorted[l - 1]) / 2.0
}

/// The quantile at position p(n + 1) among the sorted values, interpolated.
fn expected_quantile(sorted: &[f64], p: f64) -> f64 {
    let h = p * (sorted.len() + 1) as f64 - 1.0;
    let i = h.floor() as usize;
    sorted[i] + (h - i as f64) * (sorted[i + 1] - sorted[i])
}

#[test]
fn the_summary_gives_each_quantile_with_its_order_statistic_error() {
    let tmp = tempfile::tempdir().unwrap();
    wfhsim()
        .args(["run", "scenarios/dki-2023.toml", "--scale", "0.02"])
        .args([
            "--replicates",
            "100",
            "--lang",
            "en",
            "--name",
            "mc",
            "--out",
        ])
        .arg(tmp.path())
        .assert()
        .success();
    let run = tmp.path().join("mc");
    let mut v = replicate_trips(
        &read_parquet(&run.join("replicates.parquet")).unwrap(),
        "dki-2023",
    );
    assert_eq!(v.len(), 100);
    v.sort_by(f64::total_cmp);
    let summary = read_csv(&run.join("summary.csv")).unwrap();
    let text = |c: &str| summary.column(c).unwrap().str().unwrap().clone();
    let (basis, metric, component) = (text("region_basis"), text("metric"), text("component"));
    let row_of = |m: &str, c: &str| {
        (0..summary.height())
            .find(|&i| {
                basis.get(i) == Some("all")
                    && metric.get(i) == Some(m)
                    && component.get(i) == Some(c)
            })
            .unwrap()
    };
    let value = |row: usize, c: &str| summary.column(c).unwrap().f64().unwrap().get(row).unwrap();
    let row = row_of("trips", "net");
    let num = |c: &str| value(row, c);
    for (q, p) in [("p05", 0.05), ("p50", 0.5), ("p95", 0.95)] {
        let (want, got) = (expected_quantile(&v, p), num(&format!("total_{q}")));
        assert!((got - want).abs() <= 1e-3, "{q}: {got} against {want}");
        let (want, got) = (expected_error(&v, p), num(&format!("total_{q}_mc")));
        assert!(
            (got - want).abs() <= 1e-3,
            "{q} error: {got} against {want}"
        );
    }
    let page = std::fs::read_to_string(run.join("briefing.html")).unwrap();
    assert!(page.contains("Monte Carlo error (95%) of the trips a day of"));
    // The headline band ends whose error exceeds 5% of them are named, and only those.
    let mut loose = Vec::new();
    for (m, c, name) in [
        ("trips", "gross", "Trips avoided"),
        ("pm25", "net", "PM2.5 avoided"),
        ("co2", "net", "CO₂ avoided"),
    ] {
        let row = row_of(m, c);
        for (q, end) in [("p05", "lower end"), ("p95", "upper end")] {
            let rel =
                value(row, &format!("total_{q}_mc")) / value(row, &format!("total_{q}")).abs();
            if rel > 0.05 {
                loose.push(format!("{name}, {end} ±"));
            }
        }
    }
    let note = "Range ends whose Monte Carlo error exceeds 5%: ";
    assert_eq!(page.contains(note), !loose.is_empty(), "{loose:?}");
    for item in &loose {
        assert!(page.contains(item.as_str()), "{item} not in the note");
    }
}
