//! Column extraction from the input DataFrames, with chart-named errors. Dates are days
//! since 1970-01-01, read and formatted with [`wfhsim_core::calendar::Date`].

use polars::prelude::{DataFrame, DataType};

use super::PlotError;
use wfhsim_core::calendar::Date;

/// Accessor for one input table on behalf of one chart.
pub(crate) struct Table<'a> {
    pub df: &'a DataFrame,
    pub table: &'static str,
    pub chart: &'static str,
}

impl<'a> Table<'a> {
    pub fn new(df: &'a DataFrame, table: &'static str, chart: &'static str) -> Self {
        Self { df, table, chart }
    }

    fn polars_err(&self, column: &str, e: impl std::fmt::Display) -> PlotError {
        PlotError::Polars {
            chart: self.chart.to_string(),
            message: format!("table `{}` column `{column}`: {e}", self.table),
        }
    }

    /// Fails with [`PlotError::MissingColumn`] for the first absent column.
    pub fn require(&self, columns: &[&str]) -> Result<(), PlotError> {
        for c in columns {
            if self.df.column(c).is_err() {
                return Err(PlotError::MissingColumn {
                    chart: self.chart.to_string(),
                    table: self.table.to_string(),
                    column: (*c).to_string(),
                });
            }
        }
        Ok(())
    }

    fn column(&self, name: &str) -> Result<&'a polars::prelude::Column, PlotError> {
        self.df.column(name).map_err(|_| PlotError::MissingColumn {
            chart: self.chart.to_string(),
            table: self.table.to_string(),
            column: name.to_string(),
        })
    }

    /// String column; nulls become "".
    pub fn strs(&self, name: &str) -> Result<Vec<&'a str>, PlotError> {
        let ca = self
            .column(name)?
            .str()
            .map_err(|e| self.polars_err(name, e))?;
        Ok(ca.iter().map(|v| v.unwrap_or("")).collect())
    }

    /// Numeric column as f64; nulls become NaN.
    pub fn f64s(&self, name: &str) -> Result<Vec<f64>, PlotError> {
        let col = self.column(name)?;
        let cast = col
            .cast(&DataType::Float64)
            .map_err(|e| self.polars_err(name, e))?;
        let ca = cast.f64().map_err(|e| self.polars_err(name, e))?;
        Ok(ca.iter().map(|v| v.unwrap_or(f64::NAN)).collect())
    }

    /// Dates as days since 1970-01-01, from a date (or integer) column or from text in
    /// `YYYY-MM-DD` (how the `windows` table writes them); a null or a text that is not
    /// such a date is `None`.
    pub fn dates(&self, name: &str) -> Result<Vec<Option<i32>>, PlotError> {
        if self.column(name)?.dtype() == &DataType::String {
            let text = self.strs(name)?;
            return Ok(text.iter().map(|s| Date::parse(s).map(|d| d.0)).collect());
        }
        Ok(self
            .days(name)?
            .into_iter()
            .map(|d| (d != i32::MIN).then_some(d))
            .collect())
    }

    /// Date column as days since 1970-01-01 (also accepts integer columns).
    /// Nulls become `i32::MIN`.
    pub fn days(&self, name: &str) -> Result<Vec<i32>, PlotError> {
        let col = self.column(name)?;
        let cast = col
            .cast(&DataType::Int32)
            .map_err(|e| self.polars_err(name, e))?;
        let ca = cast.i32().map_err(|e| self.polars_err(name, e))?;
        Ok(ca.iter().map(|v| v.unwrap_or(i32::MIN)).collect())
    }
}

/// Scenario names in order of first appearance.
pub(super) fn unique_in_order<'a>(values: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for v in values {
        if seen.insert(v) {
            out.push(v.to_string());
        }
    }
    out
}
