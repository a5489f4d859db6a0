//! Detectability through the binary: with the day-to-day noise of a count fixed (σ = 2%,
//! AR(1) ρ = 0.5) the whole window's MDE is the closed form for correlated days, and the
//! table reports the expected power of the comparison.

use std::path::Path;

use crate::support::{QUICK_RUN, exported_dataset, wfhsim};

/// Sets a row of the dataset's traffic parameters to `value`, its range collapsed.
fn fix_row(data: &Path, key: &str, unit: &str, value: f64) {
    let file = data.join("parameters").join("traffic.csv");
    let text = std::fs::read_to_string(&file).unwrap();
    let old = text
        .lines()
        .find(|l| l.starts_with(&format!("{key},")))
        .unwrap();
    let new = format!("{key},{value},{unit},,,,cited,L,test,test");
    std::fs::write(&file, text.replace(old, &new)).unwrap();
}

/// √(wᵀRw): the standard error, in units of σ, of the difference of two adjacent n-day
/// means of an AR(1) series, summed over its covariance matrix ρ^|i−j|.
fn se_adjacent(n: usize, rho: f64) -> f64 {
    let w = |i: usize| {
        if i < n {
            -1.0 / n as f64
        } else {
            1.0 / n as f64
        }
    };
    let mut v = 0.0;
    for i in 0..2 * n {
        for j in 0..2 * n {
            v += w(i) * w(j) * rho.powi((i as i32 - j as i32).abs());
        }
    }
    v.sqrt()
}

#[test]
fn the_detectability_table_reports_power_at_correlated_days() {
    let tmp = tempfile::tempdir().unwrap();
    let data = exported_dataset(tmp.path());
    fix_row(&data, "detect.sigma_city", "share", 0.02);
    fix_row(&data, "detect.daily_count_ar1", "lag-1 correlation", 0.5);
    wfhsim()
        .args(QUICK_RUN)
        .arg("--data")
        .arg(&data)
        .arg("--out")
        .arg(tmp.path())
        .args(["--name", "r"])
        .assert()
        .success();
    let text = std::fs::read_to_string(tmp.path().join("r/detectability.csv")).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(header.last(), Some(&"power_city"), "{header:?}");
    assert!(!header.contains(&"p_visible_city"));
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let whole: Vec<&str> = lines
        .find(|l| l.starts_with("dki-2023,whole_window,"))
        .unwrap()
        .split(',')
        .collect();
    // The DKI order's window has 44 working days; at σ = 2% and ρ = 0.5 the MDE is 2.02%
    // (1.19% if the days were independent), in every replicate alike.
    assert_eq!(whole[col("days_each_side")], "44");
    let mde = 100.0 * (1.96 + 0.84) * 0.02 * se_adjacent(44, 0.5);
    assert_eq!(format!("{mde:.3}"), "2.020");
    for c in ["mde_city_pct", "mde_city_pct_low", "mde_city_pct_high"] {
        assert_eq!(whole[col(c)], "2.020", "{c}");
    }
    // An effect twenty times below the MDE is seen as often as no change at all: the
    // test's size, 5%.
    assert!(whole[col("effect_pct_p95")].parse::<f64>().unwrap() < 0.1);
    assert_eq!(whole[col("power_city")], "0.050");
    assert_eq!(whole[col("visible_city")], "false");
}
