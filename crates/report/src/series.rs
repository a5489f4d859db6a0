//! An observed daily series from the user's CSV or Parquet file (`wfhsim evaluate`,
//! `run --observed`): a `date` column of `YYYY-MM-DD` days and one or more value columns
//! (sites) — or the long layout, a `site` column and one value column. Every cell is
//! checked and a problem names the file, the line (CSV, the header being line 1) or row
//! (Parquet) and the column: a date that does not parse, a date given twice for a site, a
//! value that is not a number or not finite. An empty cell is a missing day; a day absent
//! from the file is missing too. Missing days are kept as gaps (`None`), which the methods
//! span exactly; they are counted for the reader by [`gaps`].

use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::Path;

use polars::prelude::*;
use wfhsim_core::calendar::Date;
use wfhsim_core::evaluate::Daily;
use wfhsim_core::files::{self, SERIES_FILE};

/// A series file, read and checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Observed {
    /// The file's name as given on the command line.
    pub name: String,
    pub sha256: String,
    /// Sites in the file's column order (long layout: the order they first appear).
    pub sites: Vec<(String, Daily)>,
}

/// Why a series file was refused: the message names the file, line or row, and column.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct SeriesError(pub String);

/// Where a cell is, in the file's own terms.
#[derive(Clone, Copy)]
enum Kind {
    Csv,
    Parquet,
}

impl Kind {
    fn place(self, i: usize) -> String {
        match self {
            Kind::Csv => format!("line {}", i + 2),
            Kind::Parquet => format!("row {}", i + 1),
        }
    }
}

/// One column's cells.
enum Cells {
    Text(Vec<Option<String>>),
    Num(Vec<Option<f64>>),
    Day(Vec<Option<i32>>),
}

/// Reads `path`; `columns` picks value columns (wide layout) or names the value column
/// (long layout); empty = every column but `date` (wide) or the only one (long).
pub fn read(path: &Path, columns: &[String]) -> Result<Observed, SeriesError> {
    let name = path.display().to_string();
    let fail = |m: String| SeriesError(format!("{name}: {m}"));
    let bytes = files::read(path, SERIES_FILE).map_err(|e| fail(format!("cannot be read: {e}")))?;
    let kind = match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
    {
        Some(e) if e == "csv" => Kind::Csv,
        Some(e) if e == "parquet" => Kind::Parquet,
        _ => {
            return Err(fail(
                "is neither .csv nor .parquet (the series formats read)".into(),
            ));
        }
    };
    let df = frame(&bytes, kind).map_err(|e| fail(format!("does not read as a table: {e}")))?;
    let table = table(&df).map_err(|e| fail(format!("does not read as a table: {e}")))?;
    let sites = sites(&table, kind, columns).map_err(fail)?;
    Ok(Observed {
        name,
        sha256: sha256(&bytes),
        sites,
    })
}

fn sha256(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    format!("{:x}", Sha256::digest(bytes))
}

fn frame(bytes: &[u8], kind: Kind) -> PolarsResult<DataFrame> {
    match kind {
        // Every CSV cell as text: the checks below give their own messages.
        Kind::Csv => CsvReadOptions::default()
            .with_has_header(true)
            .with_infer_schema_length(Some(0))
            .into_reader_with_file_handle(Cursor::new(bytes))
            .finish(),
        Kind::Parquet => ParquetReader::new(Cursor::new(bytes)).finish(),
    }
}

/// The columns by name, in order.
fn table(df: &DataFrame) -> PolarsResult<Vec<(String, Cells)>> {
    df.columns()
        .iter()
        .map(|c| {
            let s = c.as_materialized_series();
            let cells = match s.dtype() {
                DataType::String => {
                    Cells::Text(s.str()?.iter().map(|v| v.map(str::to_string)).collect())
                }
                DataType::Date => Cells::Day(s.date()?.physical().iter().collect()),
                d if d.is_primitive_numeric() => {
                    Cells::Num(s.cast(&DataType::Float64)?.f64()?.iter().collect())
                }
                d => Cells::Text(vec![Some(format!("<{d}>")); s.len()]),
            };
            Ok((s.name().to_string(), cells))
        })
        .collect()
}

fn find<'a>(t: &'a [(String, Cells)], name: &str) -> Option<&'a Cells> {
    t.iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, c)| c)
}

fn names(t: &[(String, Cells)]) -> String {
    t.iter()
        .map(|(n, _)| n.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A site's days read so far: day number → (row index, value).
type Days = BTreeMap<i32, (usize, Option<f64>)>;

/// The sites of the table, each a [`Daily`] over the file's whole span.
fn sites(
    t: &[(String, Cells)],
    kind: Kind,
    columns: &[String],
) -> Result<Vec<(String, Daily)>, String> {
    let dates = find(t, "date").ok_or_else(|| {
        format!(
            "has no column 'date' (its columns: {}); a series needs a date column of YYYY-MM-DD days",
            names(t)
        )
    })?;
    let dates = parse_dates(dates, kind)?;
    if dates.is_empty() {
        return Err("has no rows".into());
    }
    let mut by_site: Vec<(String, Days)> = Vec::new();
    let long = find(t, "site");
    let picked = value_columns(t, columns, long.is_some())?;
    for (col, cells) in &picked {
        for (i, &d) in dates.iter().enumerate() {
            let site = match long {
                Some(s) => site_name(s, i, kind)?,
                None => col.clone(),
            };
            let v = value(cells, i, kind, col)?;
            let slot = match by_site.iter().position(|(n, _)| *n == site) {
                Some(p) => p,
                None => {
                    by_site.push((site.clone(), BTreeMap::new()));
                    by_site.len() - 1
                }
            };
            if let Some((first, _)) = by_site[slot].1.insert(d, (i, v)) {
                let day = Date(d);
                let whose = if long.is_some() {
                    format!(" for site '{site}'")
                } else {
                    String::new()
                };
                return Err(format!(
                    "{} and {}: the date {day} appears twice{whose}; give each day once",
                    kind.place(first),
                    kind.place(i)
                ));
            }
        }
    }
    let lo = *dates.iter().min().expect("rows");
    let hi = *dates.iter().max().expect("rows");
    by_site
        .into_iter()
        .map(|(site, days)| {
            let values: Vec<Option<f64>> = (lo..=hi)
                .map(|d| days.get(&d).and_then(|&(_, v)| v))
                .collect();
            if values.iter().all(Option::is_none) {
                return Err(format!("column '{site}' has no value"));
            }
            Ok((
                site,
                Daily {
                    start: Date(lo),
                    values,
                },
            ))
        })
        .collect()
}

fn parse_dates(c: &Cells, kind: Kind) -> Result<Vec<i32>, String> {
    let bad = |i: usize, v: &str| {
        format!(
            "{} column 'date': '{v}' is not a date (YYYY-MM-DD)",
            kind.place(i)
        )
    };
    match c {
        Cells::Day(v) => v
            .iter()
            .enumerate()
            .map(|(i, d)| d.ok_or_else(|| bad(i, "")))
            .collect(),
        Cells::Text(v) => v
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let s = s.as_deref().unwrap_or("");
                Date::parse(s.trim()).map(|d| d.0).ok_or_else(|| bad(i, s))
            })
            .collect(),
        Cells::Num(_) => Err("column 'date' holds numbers, not YYYY-MM-DD dates".into()),
    }
}

fn site_name(c: &Cells, i: usize, kind: Kind) -> Result<String, String> {
    match c {
        Cells::Text(v) => match v[i].as_deref().map(str::trim) {
            Some(s) if !s.is_empty() => Ok(s.to_string()),
            _ => Err(format!(
                "{} column 'site': the site is empty",
                kind.place(i)
            )),
        },
        Cells::Num(v) => Ok(v[i].map_or_else(String::new, |x| x.to_string())),
        Cells::Day(_) => Err("column 'site' holds dates, not site names".into()),
    }
}

/// The value columns: those named (each must exist), or every one but `date` (wide); in
/// the long layout exactly one besides `date` and `site`.
fn value_columns<'a>(
    t: &'a [(String, Cells)],
    columns: &[String],
    long: bool,
) -> Result<Vec<(String, &'a Cells)>, String> {
    let reserved =
        |n: &str| n.eq_ignore_ascii_case("date") || (long && n.eq_ignore_ascii_case("site"));
    let candidates: Vec<&(String, Cells)> = t.iter().filter(|(n, _)| !reserved(n)).collect();
    let list = || {
        candidates
            .iter()
            .map(|(n, _)| n.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let picked: Vec<(String, &Cells)> = if columns.is_empty() {
        candidates.iter().map(|(n, c)| (n.clone(), c)).collect()
    } else {
        columns
            .iter()
            .map(|want| {
                candidates
                    .iter()
                    .find(|(n, _)| n == want)
                    .map(|(n, c)| (n.clone(), c))
                    .ok_or_else(|| {
                        format!(
                            "has no value column '{want}' (its value columns: {})",
                            list()
                        )
                    })
            })
            .collect::<Result<_, _>>()?
    };
    if picked.is_empty() {
        return Err("has no value column besides 'date'".into());
    }
    if long && picked.len() > 1 {
        return Err(format!(
            "has a 'site' column and {} value columns ({}); name the one to read with --column",
            picked.len(),
            list()
        ));
    }
    Ok(picked)
}

fn value(c: &Cells, i: usize, kind: Kind, col: &str) -> Result<Option<f64>, String> {
    let v =
        match c {
            Cells::Num(v) => v[i],
            Cells::Text(v) => match v[i].as_deref().map(str::trim) {
                None | Some("") | Some("NA") => None,
                Some(s) => Some(s.parse::<f64>().map_err(|_| {
                    format!("{} column '{col}': '{s}' is not a number", kind.place(i))
                })?),
            },
            Cells::Day(_) => {
                return Err(format!("column '{col}' holds dates, not numbers"));
            }
        };
    match v {
        Some(x) if !x.is_finite() => Err(format!(
            "{} column '{col}': '{x}' is not a finite number",
            kind.place(i)
        )),
        v => Ok(v),
    }
}

/// Missing days of a series between `first` and `last` (inclusive): how many, and the
/// longest run of them.
pub fn gaps(s: &Daily, first: Date, last: Date) -> (u32, u32) {
    let (mut missing, mut run, mut longest) = (0u32, 0u32, 0u32);
    for d in first.0..=last.0 {
        let v = s.index(Date(d)).and_then(|i| s.values[i]);
        if v.is_none() {
            missing += 1;
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    (missing, longest)
}
