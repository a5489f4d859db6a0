//! A table as JSON rows: one object per row, its keys the table's column names in their
//! order, each cell at full precision (text, number, or null for a missing or non-finite
//! value). The summary table comes from the same records and frame the Parquet and CSV
//! exporters write ([`super::build`], [`super::frames`]), so its rows are `summary.csv`'s
//! rows with `summary.parquet`'s precision. A server answers with it, and with the whole
//! area's daily rows and the detectability table made the same way.

use polars::prelude::*;
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

use super::{build, frames, table};
use crate::export::{ExportError, RunInfo};
use wfhsim_core::results::{Basis, Results};

/// One column's cells.
#[derive(Debug, Clone, PartialEq)]
enum Cells {
    Text(Vec<Option<String>>),
    Number(Vec<Option<f64>>),
    Integer(Vec<Option<i64>>),
    Flag(Vec<Option<bool>>),
}

/// A table whose rows serialise as JSON objects, keys in column order.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonTable {
    columns: Vec<(String, Cells)>,
    height: usize,
}

impl JsonTable {
    /// The column names, in order.
    pub fn columns(&self) -> Vec<&str> {
        self.columns.iter().map(|(n, _)| n.as_str()).collect()
    }

    pub fn len(&self) -> usize {
        self.height
    }

    pub fn is_empty(&self) -> bool {
        self.height == 0
    }

    /// A frame's text, float, integer and boolean columns; any other type is refused.
    pub fn from_frame(df: &DataFrame) -> PolarsResult<JsonTable> {
        let columns = df
            .columns()
            .iter()
            .map(|c| Ok((c.name().to_string(), cells(c)?)))
            .collect::<PolarsResult<_>>()?;
        Ok(JsonTable {
            columns,
            height: df.height(),
        })
    }
}

fn cells(c: &Column) -> PolarsResult<Cells> {
    Ok(match c.dtype() {
        DataType::String => Cells::Text(c.str()?.iter().map(|v| v.map(String::from)).collect()),
        DataType::Float64 => Cells::Number(c.f64()?.iter().collect()),
        DataType::Int64 => Cells::Integer(c.i64()?.iter().collect()),
        DataType::Boolean => Cells::Flag(c.bool()?.iter().collect()),
        // A date as the CSV writes it: YYYY-MM-DD.
        DataType::Date => {
            let text = c.cast(&DataType::String)?;
            Cells::Text(text.str()?.iter().map(|v| v.map(String::from)).collect())
        }
        other => {
            return Err(PolarsError::ComputeError(
                format!("column `{}`: type {other} has no JSON form here", c.name()).into(),
            ));
        }
    })
}

/// The summary table of a simulation (its `summary.csv` rows), as JSON rows.
pub fn summary_table(results: &Results, info: &RunInfo) -> Result<JsonTable, ExportError> {
    let records = build::summary(results, info);
    let df = frames::summary(&records).map_err(table("summary table"))?;
    JsonTable::from_frame(&df).map_err(table("summary table"))
}

/// The whole area's rows of the daily table (`daily.csv`'s columns: every region, every
/// mode), one per working day, as JSON rows.
pub fn area_daily_table(results: &Results, info: &RunInfo) -> Result<JsonTable, ExportError> {
    let records: Vec<_> = build::daily(results, info)
        .into_iter()
        .filter(|r| r.basis == Basis::All && &*r.region == super::ALL && &*r.mode == super::ALL)
        .collect();
    let df = frames::daily(&records).map_err(table("daily table"))?;
    JsonTable::from_frame(&df).map_err(table("daily table"))
}

/// The detectability table (`detectability.csv`'s rows), as JSON rows.
pub fn detectability_table(results: &Results) -> Result<JsonTable, ExportError> {
    let records = build::detectability(results).map_err(table("detectability table"))?;
    let df = frames::detectability(&records).map_err(table("detectability table"))?;
    JsonTable::from_frame(&df).map_err(table("detectability table"))
}

impl Serialize for JsonTable {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.height))?;
        for row in 0..self.height {
            seq.serialize_element(&Row { table: self, row })?;
        }
        seq.end()
    }
}

struct Row<'a> {
    table: &'a JsonTable,
    row: usize,
}

impl Serialize for Row<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.table.columns.len()))?;
        for (name, cells) in &self.table.columns {
            let i = self.row;
            match cells {
                Cells::Text(v) => map.serialize_entry(name, &v[i])?,
                Cells::Number(v) => map.serialize_entry(name, &v[i].filter(|x| x.is_finite()))?,
                Cells::Integer(v) => map.serialize_entry(name, &v[i])?,
                Cells::Flag(v) => map.serialize_entry(name, &v[i])?,
            }
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_keep_the_column_order_and_full_precision_with_nulls_for_missing_values() {
        let df = DataFrame::new(
            3,
            vec![
                Column::new("zeta".into(), ["a", "=b", "c"]),
                Column::new("alpha".into(), [0.1 + 0.2, f64::NAN, -1.0e-12]),
                Column::new("n".into(), [Some(44_i64), None, Some(-1)]),
                Column::new("ok".into(), [true, false, true]),
            ],
        )
        .unwrap();
        let t = JsonTable::from_frame(&df).unwrap();
        assert_eq!(t.columns(), ["zeta", "alpha", "n", "ok"]);
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            r#"[{"zeta":"a","alpha":0.30000000000000004,"n":44,"ok":true},{"zeta":"=b","alpha":null,"n":null,"ok":false},{"zeta":"c","alpha":-1e-12,"n":-1,"ok":true}]"#
        );
    }

    #[test]
    fn a_column_of_another_type_is_refused_naming_it() {
        let df = DataFrame::new(1, vec![Column::new("d".into(), [1_i32])]).unwrap();
        let e = JsonTable::from_frame(&df).unwrap_err();
        assert!(
            e.to_string()
                .contains("column `d`: type i32 has no JSON form here"),
            "{e}"
        );
    }
}
