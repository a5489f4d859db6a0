//! The run folder is self-contained and follows the one result schema: every metric and
//! component of the schema reaches every table, `wfhsim plot` redraws a moved run made
//! with `--data` without the dataset, and run options are refused before any work.

use crate::common;
use crate::support::{exported_dataset, set_source_note, wfhsim};

use std::path::Path;

use common::*;
use wfhsim_core::results::schema::MetricId;
use wfhsim_core::results::schema::{self, Component, QUANTILES, daily_column, daily_columns};
use wfhsim_core::simulate::RunOptions;
use wfhsim_report::export::RunView;

#[test]
fn every_metric_and_component_of_the_schema_reaches_every_table() {
    let ds = dataset();
    let sc = scenario(
        ds,
        &one_policy(
            r#"["dki"]"#,
            "[]",
            "rotation",
            "ceiling",
            "{ central = 0.9, low = 0.8, high = 1.0 }",
            "[{ from = 2023-08-21, to = 2023-08-25, share = 0.5 }]",
        ),
    );
    let opt = RunOptions {
        seed: 3,
        replicates: 3,
        scale: 0.005,
        threads: 2,
        uncertainty: wfhsim_core::structural::Uncertainty::Behavioural,
    };
    let scenarios = [sc];
    let r = common::simulate_in_pool(ds, &scenarios, opt);
    let view = RunView::from_results("t", ds, &scenarios, &r, &Default::default()).unwrap();
    // The tables as the Parquet and CSV exporters write them.
    let t = view.frames().unwrap();
    let daily: Vec<String> = t
        .daily
        .get_column_names()
        .iter()
        .map(|c| c.to_string())
        .collect();
    // Six key columns, then one per daily column and quantile level, nothing else.
    assert_eq!(daily.len(), 6 + daily_columns().len() * QUANTILES.len());
    for (m, c) in daily_columns() {
        for q in QUANTILES {
            let col = format!("{}_{}", daily_column(m, c), q.suffix);
            assert!(daily.contains(&col), "daily table lacks {col}");
        }
    }
    // Every pollutant reaches the daily table (its net at least).
    for p in wfhsim_core::data::POLLUTANTS {
        assert!(daily.contains(&format!("{p}_avoided_kg_p50")), "{p}");
    }
    // The summary has every metric × component for every region row.
    let metric = t.summary.column("metric").unwrap().str().unwrap().clone();
    let component = t
        .summary
        .column("component")
        .unwrap()
        .str()
        .unwrap()
        .clone();
    let basis = t
        .summary
        .column("region_basis")
        .unwrap()
        .str()
        .unwrap()
        .clone();
    let count = |b: &[&str], m: &str, c: &str| {
        metric
            .iter()
            .zip(component.iter())
            .zip(basis.iter())
            .filter(|((x, y), z)| {
                *x == Some(m) && *y == Some(c) && z.is_some_and(|z| b.contains(&z))
            })
            .count()
    };
    let regions = 1 + 2 * ds.n_regions();
    for (_, m) in schema::metrics() {
        for c in Component::ALL {
            let n = count(&["all", "home", "work"], m.name, c.as_str());
            assert_eq!(n, regions, "{} {}", m.name, c.as_str());
        }
    }
    // The road rows: every road amount × road component on each region's roads (all but
    // the count of vehicles) and on DKI's; vehicles, vehicle-km and -hours in DKI's peaks;
    // vehicles at the cordon, all day and in the peaks; the congestion level (a level) in
    // one row, its one component, on DKI's roads all day and in the peaks.
    let n_road = schema::road_metrics().filter(|m| !m.is_level()).count();
    for m in schema::road_metrics().filter(|m| m.is_level()) {
        let name = schema::metric(m).name;
        for c in Component::ROAD {
            let want = usize::from(c == schema::LEVEL_COMPONENT);
            assert_eq!(count(&["dki_roads"], name, c.as_str()), want, "{name}");
            assert_eq!(count(&["dki_roads_peak"], name, c.as_str()), want, "{name}");
            let others = [
                "roads",
                "dki_cordon",
                "dki_cordon_peak",
                "all",
                "home",
                "work",
            ];
            assert_eq!(count(&others, name, c.as_str()), 0, "{name}");
        }
    }
    for m in schema::road_metrics().filter(|m| !m.is_level()) {
        let name = schema::metric(m).name;
        for c in Component::ROAD {
            let per_region = if m == MetricId::VEHICLES {
                0
            } else {
                ds.n_regions()
            };
            assert_eq!(count(&["roads"], name, c.as_str()), per_region, "{name}");
            assert_eq!(count(&["dki_roads"], name, c.as_str()), 1, "{name}");
        }
    }
    let levels = 2;
    let road_rows =
        (ds.n_regions() * (n_road - 1) + n_road + 3 + 2) * Component::ROAD.len() + levels;
    assert_eq!(
        t.summary.height(),
        regions * schema::N_METRICS * Component::ALL.len() + road_rows
    );
}

fn svg_text(dir: &Path) -> String {
    let mut all = String::new();
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "svg"))
        .collect();
    files.sort();
    for f in files {
        all.push_str(&std::fs::read_to_string(f).unwrap());
    }
    all
}

#[test]
fn plot_redraws_a_moved_run_made_with_another_dataset_without_it() {
    let tmp = tempfile::tempdir().unwrap();
    let data = exported_dataset(tmp.path());
    // A dataset whose region has another name than the built-in one.
    let regions = data.join("regions.csv");
    let text = std::fs::read_to_string(&regions).unwrap();
    assert!(text.contains("Jakarta Selatan"));
    std::fs::write(&regions, text.replace("Jakarta Selatan", "Jaksel Uji")).unwrap();
    // …and its own source note.
    set_source_note(&data, "source_note,Data: a test dataset");
    wfhsim()
        .args([
            "run",
            "--scale",
            "0.003",
            "--replicates",
            "2",
            "--name",
            "r",
        ])
        .arg("--out")
        .arg(tmp.path().join("out"))
        .arg("--data")
        .arg(&data)
        .arg("scenarios/dki-2023.toml")
        .assert()
        .success();
    let charts_before = svg_text(&tmp.path().join("out/r/charts"));
    assert!(charts_before.contains("Jaksel Uji"));
    assert!(charts_before.contains("Data: a test dataset"));
    assert!(
        !charts_before.contains("SP2020"),
        "the built-in note is not used"
    );
    // Move the run elsewhere and remove the dataset: the folder stands on its own.
    let moved = tmp.path().join("elsewhere/r");
    std::fs::create_dir_all(moved.parent().unwrap()).unwrap();
    std::fs::rename(tmp.path().join("out/r"), &moved).unwrap();
    std::fs::remove_dir_all(&data).unwrap();
    std::fs::remove_dir_all(moved.join("charts")).unwrap();
    wfhsim().arg("plot").arg(&moved).assert().success();
    assert_eq!(svg_text(&moved.join("charts")), charts_before);
}

#[test]
fn plot_of_a_folder_that_is_not_a_run_names_the_missing_file() {
    let tmp = tempfile::tempdir().unwrap();
    wfhsim()
        .arg("plot")
        .arg(tmp.path())
        .assert()
        .code(2)
        .stderr(format!(
            "Error: {} is not a finished run: run.json is missing\n",
            tmp.path().display()
        ));
}

#[test]
fn absurd_thread_counts_are_refused_before_any_work() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    for t in ["0", "100000"] {
        wfhsim()
            .args(["run", "--threads", t, "--out"])
            .arg(&out)
            .assert()
            .code(2)
            .stderr(format!(
                "Error: --threads {t} is outside 1..{} (4 per core, {cores} cores here): results do not depend on it; leave it out to use one thread per core\n",
                4 * cores
            ));
    }
    assert!(!out.exists(), "nothing is written for a refused option");
}
