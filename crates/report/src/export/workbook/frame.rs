//! Columns of the run's tables as plain vectors, and the `summary` rows by key: what the
//! sheets read. A missing column is an [`ExportError::Table`] naming the table.

use std::collections::BTreeMap;

use polars::prelude::{DataFrame, DataType};

use crate::export::{ExportError, table};
use crate::view::SummaryRecord;

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

/// The summary records by (scenario, region basis, region, metric, component).
pub(super) struct Summary {
    index: BTreeMap<(String, String, String, String, String), usize>,
    /// The first row of each (scenario, basis, metric, component), whatever its region.
    any_region: BTreeMap<(String, String, String, String), usize>,
    total: [Vec<f64>; 3],
    pct: [Vec<f64>; 3],
    working_days: Vec<f64>,
}

impl Summary {
    pub fn read(records: &[SummaryRecord]) -> Summary {
        let mut index = BTreeMap::new();
        let mut any_region = BTreeMap::new();
        for (i, r) in records.iter().enumerate() {
            let (scenario, basis) = (r.scenario.clone(), r.basis.as_str().to_string());
            let (metric, component) = (r.metric_name().to_string(), r.component.as_str());
            let key = (
                scenario,
                basis,
                r.region.clone(),
                metric,
                component.to_string(),
            );
            index.insert(key.clone(), i);
            let (scenario, basis, _, metric, component) = key;
            any_region
                .entry((scenario, basis, metric, component))
                .or_insert(i);
        }
        let bands = |band: fn(&SummaryRecord) -> [f64; 3]| -> [Vec<f64>; 3] {
            std::array::from_fn(|q| records.iter().map(|r| band(r)[q]).collect())
        };
        Summary {
            index,
            any_region,
            total: bands(|r| r.total.0),
            pct: bands(|r| r.pct_baseline.0),
            working_days: records
                .iter()
                .map(|r| r.window_working_days as f64)
                .collect(),
        }
    }

    /// The row of a key; `region` `None` takes the basis's first row (the DKI road
    /// bases have one region).
    pub fn row(
        &self,
        scenario: &str,
        basis: &str,
        region: Option<&str>,
        metric: &str,
        component: &str,
    ) -> Option<usize> {
        let k = |s: &str| s.to_string();
        match region {
            Some(r) => self
                .index
                .get(&(k(scenario), k(basis), k(r), k(metric), k(component)))
                .copied(),
            None => self
                .any_region
                .get(&(k(scenario), k(basis), k(metric), k(component)))
                .copied(),
        }
    }

    /// A row's value (NaN when the row is absent or has no working days).
    pub fn value(&self, row: Option<usize>, field: Field) -> f64 {
        let Some(i) = row else { return f64::NAN };
        match field {
            Field::Total(q, scale) => self.total[q][i] / scale,
            Field::PerDay(q) if self.working_days[i] > 0.0 => {
                self.total[q][i] / self.working_days[i]
            }
            Field::PerDay(_) => f64::NAN,
            Field::Share(q) => self.pct[q][i] / 100.0,
        }
    }

    pub fn working_days(&self, row: Option<usize>) -> f64 {
        row.map_or(f64::NAN, |i| self.working_days[i])
    }
}
