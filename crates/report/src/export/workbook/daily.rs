//! The Daily sheet: the `daily` table's whole-area rows only (region basis, region and
//! mode all `all`: one row per scenario × working day, not the long table by region and
//! mode) as an Excel table with a frozen header, dates as dates.

use std::collections::{BTreeMap, BTreeSet};

use rust_xlsxwriter::{Table, TableColumn, Worksheet};

use super::frame::{Frame, Q};
use super::style::{self, COUNT, KG1, KG2, Style};
use crate::export::ExportError;

/// The key value of a row summed over every region, basis or mode.
const ALL: &str = "all";

/// The numeric columns after date and scenario: (daily column, header, format).
fn value_columns(s: &Style) -> Vec<(String, String, &'static str)> {
    let mut out = vec![(
        "baseline_trips".to_string(),
        s.t("xlsx.baseline_trips"),
        COUNT,
    )];
    // (column stem, header key, its metric, quantiles shown, format)
    let metrics: [(&str, &str, &str, &[usize], &'static str); 5] = [
        ("trips_avoided", "xlsx.trips_avoided", "", &[0, 1, 2], COUNT),
        (
            "co2_avoided_kg",
            "xlsx.avoided_kg",
            "metric.co2",
            &[0, 1, 2],
            KG1,
        ),
        (
            "pm25_avoided_kg",
            "xlsx.avoided_kg",
            "metric.pm25",
            &[0, 1, 2],
            KG2,
        ),
        ("nox_avoided_kg", "xlsx.avoided_kg", "metric.nox", &[1], KG1),
        ("co_avoided_kg", "xlsx.avoided_kg", "metric.co", &[1], KG1),
    ];
    for (stem, key, metric, quantiles, format) in metrics {
        for &q in quantiles {
            let header = s.banded_filled(key, &[("metric", metric)], q);
            out.push((format!("{stem}_{}", Q[q]), header, format));
        }
    }
    out
}

/// The rows of the Daily sheet: those whose region basis, region and mode are all `all`.
pub(super) fn whole_area_rows(basis: &[&str], region: &[&str], mode: &[&str]) -> Vec<usize> {
    (0..basis.len())
        .filter(|&i| basis[i] == ALL && region[i] == ALL && mode[i] == ALL)
        .collect()
}

/// The whole-area rows of the `daily` table, in table order.
pub(super) struct WholeArea {
    pub scenario: Vec<String>,
    pub day: Vec<Option<i32>>,
    /// Per value column of the sheet, its values on the rows.
    pub values: Vec<Vec<f64>>,
    pub columns: Vec<(String, String, &'static str)>,
    /// (scenario, day) → position, for the event table.
    index: BTreeMap<(String, i32), usize>,
}

impl WholeArea {
    pub fn read(df: &polars::prelude::DataFrame, s: &Style) -> Result<WholeArea, ExportError> {
        let f = Frame::new(df, "daily table");
        let rows = whole_area_rows(
            &f.strs("region_basis")?,
            &f.strs("region")?,
            &f.strs("mode")?,
        );
        let scen = f.strs("scenario")?;
        let days = f.days("date")?;
        let columns = value_columns(s);
        let mut values = Vec::with_capacity(columns.len());
        for (c, ..) in &columns {
            let v = f.f64s(c)?;
            values.push(rows.iter().map(|&i| v[i]).collect());
        }
        let scenario: Vec<String> = rows.iter().map(|&i| scen[i].to_string()).collect();
        let day: Vec<Option<i32>> = rows.iter().map(|&i| days[i]).collect();
        let index = (0..rows.len())
            .filter_map(|k| Some(((scenario[k].clone(), day[k]?), k)))
            .collect();
        Ok(WholeArea {
            scenario,
            day,
            values,
            columns,
            index,
        })
    }

    /// Days with a row.
    pub fn days(&self) -> BTreeSet<i32> {
        self.day.iter().flatten().copied().collect()
    }

    /// A scenario's trips avoided (p50) on a day; NaN without a row.
    pub fn trips_p50(&self, scenario: &str, day: i32) -> f64 {
        let col = self.columns.iter().position(|c| c.0 == "trips_avoided_p50");
        match (self.index.get(&(scenario.to_string(), day)), col) {
            (Some(&k), Some(c)) => self.values[c][k],
            _ => f64::NAN,
        }
    }

    pub fn write(&self, ws: &mut Worksheet, s: &Style) -> Result<(), ExportError> {
        let mut headers = vec![
            TableColumn::new().set_header(s.t("common.date")),
            TableColumn::new().set_header(s.t("common.scenario")),
        ];
        headers.extend(
            self.columns
                .iter()
                .map(|c| TableColumn::new().set_header(&c.1)),
        );
        let formats: Vec<_> = self.columns.iter().map(|c| Style::num(c.2)).collect();
        for (k, name) in self.scenario.iter().enumerate() {
            let r = 1 + k as u32;
            style::date(ws, r, 0, self.day[k], &s.date)?;
            ws.write_string_with_format(r, 1, name, &s.text)?;
            for (j, v) in self.values.iter().enumerate() {
                style::number(ws, r, 2 + j as u16, v[k], &formats[j])?;
            }
        }
        let last_row = self.scenario.len().max(1) as u32;
        let last_col = 1 + self.columns.len() as u16;
        ws.add_table(
            0,
            0,
            last_row,
            last_col,
            &Table::new().set_columns(&headers),
        )?;
        ws.set_freeze_panes(1, 0)?;
        ws.set_column_width(0, 12.0)?;
        ws.set_column_width(1, 30.0)?;
        for j in 0..self.columns.len() as u16 {
            ws.set_column_width(2 + j, 16.0)?;
        }
        ws.set_row_height(0, 60.0)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_whole_area_rows_go_to_the_daily_sheet() {
        let basis = ["all", "all", "home", "all", "work", "all"];
        let region = ["all", "all", "all", "jakarta_pusat", "all", "all"];
        let mode = ["all", "car", "all", "all", "all", "all"];
        assert_eq!(whole_area_rows(&basis, &region, &mode), vec![0, 5]);
    }
}
