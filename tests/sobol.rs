//! A Sobol design through the binary: its base samples are a Sobol′ sequence (the first
//! 2^m of them put one setting in each of 2^m equal cells of every factor's range),
//! `sobol.csv` carries the indices and the split of the variance between the factors and
//! everything else, and a `sampling` key the design cannot use is refused word for word.

use crate::sweep::{HEAD, column, refused, sweep};

const DESIGN: &str = "schema_version = 1\nname = \"s\"\ntitle = \"s\"\nmethod = \"sobol\"\nscenarios = [\"dki-2023\"]\nsamples = 16\nreplicates = 2\noutcomes = [\"trips_per_day\", \"trips_pct\"]\n[[factor]]\nkey = \"policy.1.compliance\"\nrange = [0.5, 0.9]\n[[factor]]\nkey = \"policy.1.share\"\nrange = [0.4, 0.8]\n";

#[test]
fn a_sobol_sweep_stratifies_its_base_samples_and_splits_the_variance() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("d.toml");
    std::fs::write(&path, DESIGN).unwrap();
    sweep(tmp.path(), "s", &path, &["--scale", "0.02"]).success();
    let dir = tmp.path().join("s");
    // 16 base samples × (2 factors + 2) points; A_j is point 4j, B_j point 4j + 1.
    for (f, (lo, hi)) in [
        ("policy.1.compliance", (0.5, 0.9)),
        ("policy.1.share", (0.4, 0.8)),
    ] {
        let v = column(&dir.join("design.parquet"), f);
        assert_eq!(v.len(), 64);
        for first in [0, 1] {
            let mut cells: Vec<usize> = (0..16)
                .map(|j| ((v[4 * j + first] - lo) / (hi - lo) * 16.0) as usize)
                .collect();
            cells.sort();
            assert_eq!(
                cells,
                (0..16).collect::<Vec<_>>(),
                "{f}, rows {first} mod 4"
            );
        }
    }
    let csv = std::fs::read_to_string(dir.join("sobol.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "scenario,outcome,factor,s1,s1_lo,s1_hi,st,st_lo,st_hi,factors_share,others_share,interactions_share"
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 4, "{csv}");
    for r in &rows {
        let share: Vec<f64> = r[9..12].iter().map(|v| v.parse().unwrap()).collect();
        assert!(share.iter().all(|s| (0.0..=1.0).contains(s)), "{r:?}");
        assert!((share.iter().sum::<f64>() - 1.0).abs() < 1e-9, "{r:?}");
    }
    // One split per scenario × outcome: the same on both factors' rows.
    assert_eq!(rows[0][9..12], rows[1][9..12]);
}

#[test]
fn a_sampling_the_design_cannot_use_is_refused() {
    let cases = [
        (
            DESIGN.replace("samples = 16", "samples = 16\nsampling = \"random\""),
            "sampling: \"random\" is not one of sobol, lhs",
        ),
        (
            format!(
                "{HEAD}sampling = \"lhs\"\n[[factor]]\nkey = \"policy.1.compliance\"\nrange = [0.3, 0.9]\n"
            ),
            "sampling: only a method = \"sobol\" design takes it; leave it out",
        ),
    ];
    for (design, want) in cases {
        let (e, path, _tmp) = refused(&design, &[]);
        let want = format!("Error: {}: {want}", path.display());
        assert!(e.starts_with(&want), "\n{e}\nwanted\n{want}");
    }
}
