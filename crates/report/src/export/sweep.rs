//! A sweep's files: `design.parquet` (one row per point), `experiments.parquet` (one row
//! per point × scenario × replicate: factor columns then outcome columns — the table SALib
//! and the EMA Workbench read), `points.parquet` (per point and scenario: p05/p50/p95 of
//! each outcome), `tornado.csv` and `sobol.csv` when the method makes them, and the charts.
//! Built from the design and the experiments alone, so a merge of shards writes the same
//! bytes as an unsharded sweep; and the experiments table read back from a shard.

use std::path::Path;

use polars::prelude::*;

use super::{CHARTS_DIR, ExportError, ExportFile, table};
use crate::plot::{self, SweepCharts};
use wfhsim_core::sweep::analyse::{self, PointBand};
use wfhsim_core::sweep::search::Found;
use wfhsim_core::sweep::{Design, Experiment, Point, TargetSpec};

fn parquet(path: &str, df: &mut DataFrame) -> Result<ExportFile, ExportError> {
    let mut bytes = Vec::new();
    ParquetWriter::new(&mut bytes)
        .with_compression(ParquetCompression::Snappy)
        .finish(df)
        .map_err(table(path))?;
    Ok(ExportFile {
        path: path.to_string(),
        bytes,
    })
}

fn csv(path: &str, df: &mut DataFrame) -> Result<ExportFile, ExportError> {
    let mut bytes = Vec::new();
    CsvWriter::new(&mut bytes)
        .include_header(true)
        .finish(df)
        .map_err(table(path))?;
    Ok(ExportFile {
        path: path.to_string(),
        bytes,
    })
}

/// A row of `tornado.csv`: scenario, outcome, factor, low and high setting; the median
/// at the central values, at the low and the high setting, and the swing.
struct TornadoRow {
    text: [String; 5],
    num: [f64; 4],
}

/// A factor's value as a column cell: its number, or its TOML text.
fn factor_columns(d: &Design, points: &[&Point]) -> Vec<Column> {
    d.factors
        .iter()
        .enumerate()
        .map(|(i, f)| {
            if f.is_numeric() {
                let v: Vec<f64> = points
                    .iter()
                    .map(|p| {
                        wfhsim_core::sweep::factor::as_number(&p.values[i]).unwrap_or(f64::NAN)
                    })
                    .collect();
                Column::new(f.key.as_str().into(), v)
            } else {
                let v: Vec<String> = points.iter().map(|p| p.values[i].to_string()).collect();
                Column::new(f.key.as_str().into(), v)
            }
        })
        .collect()
}

/// One row per point.
pub fn design_frame(d: &Design, points: &[Point]) -> PolarsResult<DataFrame> {
    let refs: Vec<&Point> = points.iter().collect();
    let mut cols = vec![Column::new(
        "point".into(),
        points.iter().map(|p| p.id as u32).collect::<Vec<u32>>(),
    )];
    cols.extend(factor_columns(d, &refs));
    DataFrame::new(points.len(), cols)
}

/// One row per experiment, sorted by point, scenario and replicate.
pub fn experiments_frame(
    d: &Design,
    points: &[Point],
    rows: &[Experiment],
) -> PolarsResult<DataFrame> {
    let mut rows: Vec<&Experiment> = rows.iter().collect();
    rows.sort_by_key(|e| (e.point, e.scenario, e.replicate));
    let pts: Vec<&Point> = rows.iter().map(|e| &points[e.point as usize]).collect();
    let mut cols = vec![
        Column::new(
            "point".into(),
            rows.iter().map(|e| e.point).collect::<Vec<u32>>(),
        ),
        Column::new(
            "scenario".into(),
            rows.iter()
                .map(|e| d.scenarios[e.scenario as usize].name.clone())
                .collect::<Vec<String>>(),
        ),
        Column::new(
            "replicate".into(),
            rows.iter().map(|e| e.replicate).collect::<Vec<u32>>(),
        ),
    ];
    cols.extend(factor_columns(d, &pts));
    for (o, out) in d.outcomes.iter().enumerate() {
        cols.push(Column::new(
            out.name.into(),
            rows.iter().map(|e| e.outcomes[o]).collect::<Vec<f64>>(),
        ));
    }
    DataFrame::new(rows.len(), cols)
}

/// Per (point, scenario): each outcome's p05, p50, p95.
pub fn points_frame(d: &Design, points: &[Point], bands: &[PointBand]) -> PolarsResult<DataFrame> {
    let pts: Vec<&Point> = bands.iter().map(|b| &points[b.point as usize]).collect();
    let mut cols = vec![
        Column::new(
            "point".into(),
            bands.iter().map(|b| b.point).collect::<Vec<u32>>(),
        ),
        Column::new(
            "scenario".into(),
            bands
                .iter()
                .map(|b| d.scenarios[b.scenario as usize].name.clone())
                .collect::<Vec<String>>(),
        ),
    ];
    cols.extend(factor_columns(d, &pts));
    for (o, out) in d.outcomes.iter().enumerate() {
        for (q, suffix) in ["p05", "p50", "p95"].iter().enumerate() {
            cols.push(Column::new(
                format!("{}_{suffix}", out.name).into(),
                bands.iter().map(|b| b.bands[o][q]).collect::<Vec<f64>>(),
            ));
        }
    }
    DataFrame::new(bands.len(), cols)
}

/// Reads the experiments of a shard back (the columns this module wrote).
pub fn read_experiments(path: &Path, d: &Design) -> Result<Vec<Experiment>, ExportError> {
    let bad = |m: String| ExportError::Unreadable {
        path: path.display().to_string(),
        message: m,
    };
    let file = std::fs::File::open(path).map_err(|e| bad(e.to_string()))?;
    let df = ParquetReader::new(file)
        .finish()
        .map_err(|e| bad(e.to_string()))?;
    let col = |name: &str| df.column(name).map_err(|e| bad(e.to_string()));
    let point = col("point")?.u32().map_err(|e| bad(e.to_string()))?.clone();
    let rep = col("replicate")?
        .u32()
        .map_err(|e| bad(e.to_string()))?
        .clone();
    let scen = col("scenario")?
        .str()
        .map_err(|e| bad(e.to_string()))?
        .clone();
    let outs: Vec<Float64Chunked> = d
        .outcomes
        .iter()
        .map(|o| Ok(col(o.name)?.f64().map_err(|e| bad(e.to_string()))?.clone()))
        .collect::<Result<_, ExportError>>()?;
    (0..df.height())
        .map(|i| {
            let name = scen.get(i).unwrap_or_default();
            let scenario = d
                .scenarios
                .iter()
                .position(|s| s.name == name)
                .ok_or_else(|| bad(format!("row {i}: scenario '{name}' is not in the design")))?;
            Ok(Experiment {
                point: point
                    .get(i)
                    .ok_or_else(|| bad(format!("row {i}: no point")))?,
                scenario: scenario as u32,
                replicate: rep
                    .get(i)
                    .ok_or_else(|| bad(format!("row {i}: no replicate")))?,
                outcomes: outs.iter().map(|c| c.get(i).unwrap_or(f64::NAN)).collect(),
            })
        })
        .collect()
}

/// The experiments of a shard as a file.
pub fn shard_files(
    d: &Design,
    points: &[Point],
    rows: &[Experiment],
) -> Result<Vec<ExportFile>, ExportError> {
    Ok(vec![parquet(
        "experiments.parquet",
        &mut experiments_frame(d, points, rows).map_err(table("experiments.parquet"))?,
    )?])
}

/// Every file of a finished sweep (all points' experiments), manifest aside.
pub fn sweep_files(
    d: &Design,
    points: &[Point],
    rows: &[Experiment],
    note: &str,
) -> Result<Vec<ExportFile>, ExportError> {
    let bands = analyse::point_bands(d, rows);
    let mut files = vec![
        parquet(
            "design.parquet",
            &mut design_frame(d, points).map_err(table("design.parquet"))?,
        )?,
        parquet(
            "experiments.parquet",
            &mut experiments_frame(d, points, rows).map_err(table("experiments.parquet"))?,
        )?,
        parquet(
            "points.parquet",
            &mut points_frame(d, points, &bands).map_err(table("points.parquet"))?,
        )?,
    ];
    // Tornado and Sobol tables: every scenario × outcome.
    let mut tornado_rows: Vec<TornadoRow> = Vec::new();
    let mut sobol_rows: Vec<(String, String, String, [f64; 6])> = Vec::new();
    for (s, sc) in d.scenarios.iter().enumerate() {
        for (o, out) in d.outcomes.iter().enumerate() {
            if let Some((base, bars)) = analyse::tornado(d, &bands, s as u32, o) {
                for b in bars {
                    let f = &d.factors[b.factor];
                    let (lo, hi) = f.low_high();
                    tornado_rows.push(TornadoRow {
                        text: [
                            sc.name.clone(),
                            out.name.to_string(),
                            f.key.clone(),
                            level_text(&lo),
                            level_text(&hi),
                        ],
                        num: [base, b.low, b.high, b.swing()],
                    });
                }
            }
            if let Some(ix) = analyse::sobol(d, &bands, s as u32, o) {
                for (f, i) in d.factors.iter().zip(ix) {
                    sobol_rows.push((
                        sc.name.clone(),
                        out.name.to_string(),
                        f.key.clone(),
                        [i.s1, i.s1_lo, i.s1_hi, i.st, i.st_lo, i.st_hi],
                    ));
                }
            }
        }
    }
    if !tornado_rows.is_empty() {
        let mut cols: Vec<Column> = [
            "scenario",
            "outcome",
            "factor",
            "low_setting",
            "high_setting",
        ]
        .iter()
        .enumerate()
        .map(|(j, name)| {
            Column::new(
                (*name).into(),
                tornado_rows
                    .iter()
                    .map(|r| r.text[j].clone())
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
        for (j, name) in ["central_p50", "at_low_p50", "at_high_p50", "swing"]
            .iter()
            .enumerate()
        {
            cols.push(Column::new(
                (*name).into(),
                tornado_rows.iter().map(|r| r.num[j]).collect::<Vec<f64>>(),
            ));
        }
        let mut df = DataFrame::new(tornado_rows.len(), cols).map_err(table("tornado.csv"))?;
        files.push(csv("tornado.csv", &mut df)?);
    }
    if !sobol_rows.is_empty() {
        let t = &sobol_rows;
        let mut cols = vec![
            Column::new(
                "scenario".into(),
                t.iter().map(|r| r.0.clone()).collect::<Vec<_>>(),
            ),
            Column::new(
                "outcome".into(),
                t.iter().map(|r| r.1.clone()).collect::<Vec<_>>(),
            ),
            Column::new(
                "factor".into(),
                t.iter().map(|r| r.2.clone()).collect::<Vec<_>>(),
            ),
        ];
        for (j, name) in ["s1", "s1_lo", "s1_hi", "st", "st_lo", "st_hi"]
            .iter()
            .enumerate()
        {
            cols.push(Column::new(
                (*name).into(),
                t.iter().map(|r| r.3[j]).collect::<Vec<f64>>(),
            ));
        }
        let mut df = DataFrame::new(t.len(), cols).map_err(table("sobol.csv"))?;
        files.push(csv("sobol.csv", &mut df)?);
    }
    files.extend(charts(d, points, &bands, None, note)?);
    Ok(files)
}

/// The charts of each base scenario for the design's first outcome, under
/// `charts/<scenario>/`.
pub fn charts(
    d: &Design,
    points: &[Point],
    bands: &[PointBand],
    target: Option<&Found>,
    note: &str,
) -> Result<Vec<ExportFile>, ExportError> {
    let o = 0;
    let out = &d.outcomes[o];
    let mut files = Vec::new();
    for (s, sc) in d.scenarios.iter().enumerate() {
        let s = s as u32;
        let tornado = analyse::tornado(d, bands, s, o).map(|(base, bars)| plot::Tornado {
            base_value: base,
            base_label: "central values".into(),
            bars: bars
                .iter()
                .map(|b| {
                    let f = &d.factors[b.factor];
                    let (lo, hi) = f.low_high();
                    plot::TornadoBar {
                        factor: f.label.clone(),
                        low_level: level_text(&lo),
                        high_level: level_text(&hi),
                        outcome_at_low: b.low,
                        outcome_at_high: b.high,
                    }
                })
                .collect(),
        });
        let responses = analyse::responses(d, points, bands, s, o)
            .into_iter()
            .filter(|c| c.x.len() >= 2)
            .map(|c| plot::Response {
                factor: response_label(d, c.factor),
                p05: c.bands.iter().map(|b| b[0]).collect(),
                p50: c.bands.iter().map(|b| b[1]).collect(),
                p95: c.bands.iter().map(|b| b[2]).collect(),
                x: c.x,
                target: target
                    .filter(|_| d.target.as_ref().is_some_and(|t| t.factor == c.factor))
                    .map(|f| plot::Target {
                        value: d.target.as_ref().map_or(f64::NAN, |t| t.value),
                        x_median: f.median,
                        x_p90: f.probable,
                    }),
            })
            .collect();
        let sobol = analyse::sobol(d, bands, s, o).map(|ix| plot::Sobol {
            samples: d.samples,
            factors: d
                .factors
                .iter()
                .zip(ix)
                .map(|(f, i)| plot::SobolFactor {
                    factor: f.label.clone(),
                    s1: i.s1,
                    s1_lo: i.s1_lo,
                    s1_hi: i.s1_hi,
                    st: i.st,
                    st_lo: i.st_lo,
                    st_hi: i.st_hi,
                })
                .collect(),
        });
        let input = SweepCharts {
            title: format!("{} — {}", d.title, sc.name),
            outcome_label: out.label.to_string(),
            outcome_unit: out.unit.to_string(),
            source_note: note.to_string(),
            tornado,
            responses,
            sobol,
        };
        for c in plot::render_sweep(&input)? {
            files.push(ExportFile {
                path: format!("{CHARTS_DIR}/{}/{}", sc.name, c.name),
                bytes: c.bytes,
            });
        }
    }
    Ok(files)
}

/// A response's x-axis label: the factor, and what the other factors do meanwhile.
fn response_label(d: &Design, i: usize) -> String {
    let label = d.factors[i].label.clone();
    if d.factors.len() == 1 {
        return label;
    }
    let held = analyse::held(d);
    let others: Vec<String> = d
        .factors
        .iter()
        .enumerate()
        .filter(|(j, _)| *j != i)
        .map(|(j, f)| match &held[j] {
            Some(v) => format!("{} = {}", f.label, level_text(v)),
            None => format!("{} varies", f.label),
        })
        .collect();
    format!("{label} (others: {})", others.join("; "))
}

fn level_text(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => s.clone(),
        toml::Value::Float(f) => {
            let s = format!("{f:.4}");
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        }
        other => other.to_string(),
    }
}

/// `target.csv`: the setting found for the median and for the design's share of
/// replicates, with the factor's range and the search's tolerance.
pub fn target_table(
    d: &Design,
    spec: &TargetSpec,
    found: &Found,
    (lo, hi): (f64, f64),
) -> Result<ExportFile, ExportError> {
    let f = &d.factors[spec.factor];
    let mut df = DataFrame::new(
        2,
        vec![
            Column::new("scenario".into(), vec![d.scenarios[0].name.clone(); 2]),
            Column::new("factor".into(), vec![f.key.clone(); 2]),
            Column::new("outcome".into(), vec![spec.outcome.name.to_string(); 2]),
            Column::new("target".into(), vec![spec.value; 2]),
            Column::new(
                "criterion".into(),
                vec![
                    "median".to_string(),
                    format!("{:.0}% of replicates", 100.0 * spec.probability),
                ],
            ),
            Column::new("setting".into(), vec![found.median, found.probable]),
            Column::new(
                "reached_in_range".into(),
                vec![found.median.is_some(), found.probable.is_some()],
            ),
            Column::new("range_low".into(), vec![lo; 2]),
            Column::new("range_high".into(), vec![hi; 2]),
            Column::new("tolerance".into(), vec![spec.tolerance; 2]),
        ],
    )
    .map_err(|source| ExportError::Table {
        what: "target.csv".into(),
        source,
    })?;
    let mut bytes = Vec::new();
    CsvWriter::new(&mut bytes)
        .include_header(true)
        .finish(&mut df)
        .map_err(|source| ExportError::Table {
            what: "target.csv".into(),
            source,
        })?;
    Ok(ExportFile {
        path: "target.csv".into(),
        bytes,
    })
}
