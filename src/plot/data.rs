//! Column extraction from the input DataFrames, with chart-named errors.

use polars::prelude::{DataFrame, DataType};

use super::PlotError;

/// Accessor for one input table on behalf of one chart.
pub(super) struct Table<'a> {
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

/// Days since 1970-01-01 for a proleptic Gregorian date (H. Hinnant's algorithm).
pub(super) fn days_from_civil(y: i32, m: u32, d: u32) -> i32 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = m as i32;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i32 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// (year, month 1..=12, day 1..=31) from days since 1970-01-01.
pub(super) fn civil_from_days(z: i32) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Parses "YYYY-MM-DD" into days since 1970-01-01.
pub(super) fn parse_ymd(s: &str) -> Option<i32> {
    let mut it = s.trim().splitn(3, '-');
    let y: i32 = it.next()?.parse().ok()?;
    let m: u32 = it.next()?.parse().ok()?;
    let d_str = it.next()?;
    let d: u32 = d_str
        .get(..2)
        .unwrap_or(d_str)
        .trim_end_matches('T')
        .parse()
        .ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    Some(days_from_civil(y, m, d))
}

/// Day of week, 0 = Monday … 6 = Sunday.
pub(super) fn weekday(days: i32) -> u32 {
    // 1970-01-01 was a Thursday (index 3).
    (days + 3).rem_euclid(7) as u32
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
