//! Columns of the sweep's tables as plain vectors, and the summary records by key: what
//! the sheets read. A missing column is an [`ExportError::Table`] naming the table.

use polars::prelude::{DataFrame, DataType};

use crate::export::{ExportError, table};
use crate::plot::measures::{Measure, SummaryIndex};
use crate::view::SummaryRecord;
use wfhsim_core::results::grid::Basis;

/// One table of the run, read on behalf of the workbook.
pub(super) struct Frame<'a> {
    df: &'a DataFrame,
    what: &'static str,
}

impl<'a> Frame<'a> {
    pub fn new(df: &'a DataFrame, what: &'static str) -> Self {
        Frame { df, what }
    }

    pub fn height(&self) -> usize {
        self.df.height()
    }

    /// Text column; nulls become "".
    pub fn strs(&self, name: &str) -> Result<Vec<&'a str>, ExportError> {
        let ca = self
            .df
            .column(name)
            .and_then(|c| c.str())
            .map_err(table(self.what))?;
        Ok(ca.iter().map(|v| v.unwrap_or("")).collect())
    }

    /// Numeric column as f64; nulls become NaN.
    pub fn f64s(&self, name: &str) -> Result<Vec<f64>, ExportError> {
        let cast = self
            .df
            .column(name)
            .and_then(|c| c.cast(&DataType::Float64))
            .map_err(table(self.what))?;
        let ca = cast.f64().map_err(table(self.what))?;
        Ok(ca.iter().map(|v| v.unwrap_or(f64::NAN)).collect())
    }

    /// A cell of a column that may hold numbers or text (a sweep factor's setting).
    pub fn cells(&self, name: &str) -> Result<Vec<Cell>, ExportError> {
        let col = self.df.column(name).map_err(table(self.what))?;
        if col.dtype() == &DataType::String {
            return Ok(self.strs(name)?.into_iter().map(Cell::parse).collect());
        }
        Ok(self.f64s(name)?.into_iter().map(Cell::Number).collect())
    }
}

/// A value that is a number when it reads as one.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Cell {
    Number(f64),
    Text(String),
}

impl Cell {
    pub fn parse(s: &str) -> Cell {
        match s.trim().parse::<f64>() {
            Ok(x) if x.is_finite() => Cell::Number(x),
            _ => Cell::Text(s.to_string()),
        }
    }
}

/// Which value of a `summary` row a cell shows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Field {
    /// `total_{q}` divided by `scale` (1000 for tonnes from kg).
    Total(usize, f64),
    /// `total_{q}` / `window_working_days`: per working day of the window.
    PerDay(usize),
    /// `pct_baseline_{q}` / 100: a fraction, shown with a percent format.
    Share(usize),
}

/// The summary records by key (the charts' and the briefing's [`SummaryIndex`]), and
/// what a cell shows of one.
pub(super) struct Summary<'a> {
    index: SummaryIndex<'a>,
}

impl<'a> Summary<'a> {
    pub fn read(records: &'a [SummaryRecord]) -> Summary<'a> {
        Summary {
            index: SummaryIndex::new(records),
        }
    }

    /// The row of a key (a net measure of a metric without rebound: its gross row).
    pub fn row(
        &self,
        scenario: &str,
        basis: Basis,
        region: &str,
        m: Measure,
    ) -> Option<&'a SummaryRecord> {
        self.index.get(scenario, basis, region, m)
    }

    /// A row's value (NaN when the row is absent or has no working days).
    pub fn value(&self, row: Option<&SummaryRecord>, field: Field) -> f64 {
        let Some(r) = row else { return f64::NAN };
        let days = r.window_working_days as f64;
        match field {
            Field::Total(q, scale) => r.total.0[q] / scale,
            Field::PerDay(q) if days > 0.0 => r.total.0[q] / days,
            Field::PerDay(_) => f64::NAN,
            Field::Share(q) => r.pct_baseline.0[q] / 100.0,
        }
    }

    pub fn working_days(&self, row: Option<&SummaryRecord>) -> f64 {
        row.map_or(f64::NAN, |r| r.window_working_days as f64)
    }
}
