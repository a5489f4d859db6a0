//! The Daily sheet: the `daily` table's whole-area rows only (region basis, region and
//! mode all `all`: one row per scenario × working day, not the long table by region and
//! mode) as an Excel table with a frozen header, dates as dates.

use std::collections::{BTreeMap, BTreeSet};

use rust_xlsxwriter::{Table, TableColumn, Worksheet};

use super::style::{self, COUNT, KG1, KG2, Style};
use crate::export::ExportError;
use crate::plot::measures::{
    CO_NET, CO2_NET, Measure, NOX_NET, PM25_NET, PM25_TOTAL_NET, TRIPS, whole_area,
};
use crate::view::DailyRecord;

/// What a numeric column of the sheet shows of a daily record.
#[derive(Debug, Clone, Copy)]
enum Value {
    BaselineTrips,
    /// A measure's quantile (an index into the result schema's quantiles).
    Band(Measure, usize),
}

impl Value {
    fn of(self, r: &DailyRecord) -> f64 {
        match self {
            Value::BaselineTrips => r.baseline_trips,
            Value::Band(m, q) => m.on_day(r).map_or(f64::NAN, |b| b.0[q]),
        }
    }
}

/// The numeric columns after date and scenario: (value, header, format).
fn value_columns(s: &Style) -> Vec<(Value, String, &'static str)> {
    let mut out = vec![(Value::BaselineTrips, s.t("xlsx.baseline_trips"), COUNT)];
    // (measure, header key, its metric, quantiles shown, format)
    let metrics: [(Measure, &str, &str, &[usize], &'static str); 6] = [
        (TRIPS, "xlsx.trips_avoided", "", &[0, 1, 2], COUNT),
        (CO2_NET, "xlsx.avoided_kg", "metric.co2", &[0, 1, 2], KG1),
        (PM25_NET, "xlsx.avoided_kg", "metric.pm25", &[0, 1, 2], KG2),
        (
            PM25_TOTAL_NET,
            "xlsx.avoided_kg",
            "metric.pm25_total",
            &[0, 1, 2],
            KG2,
        ),
        (NOX_NET, "xlsx.avoided_kg", "metric.nox", &[1], KG1),
        (CO_NET, "xlsx.avoided_kg", "metric.co", &[1], KG1),
    ];
    for (measure, key, metric, quantiles, format) in metrics {
        for &q in quantiles {
            let header = s.banded_filled(key, &[("metric", metric)], q);
            out.push((Value::Band(measure, q), header, format));
        }
    }
    out
}

/// The whole-area daily records, in table order.
pub(super) struct WholeArea {
    pub scenario: Vec<String>,
    pub day: Vec<i32>,
    /// Per value column of the sheet, its values on the rows.
    values: Vec<Vec<f64>>,
    columns: Vec<(Value, String, &'static str)>,
    /// (scenario, day) → position, for the event table.
    index: BTreeMap<(String, i32), usize>,
}

impl WholeArea {
    pub fn read(daily: &[DailyRecord], s: &Style) -> WholeArea {
        let rows: Vec<&DailyRecord> = daily.iter().filter(|r| whole_area(r)).collect();
        let columns = value_columns(s);
        let values = columns
            .iter()
            .map(|(v, ..)| rows.iter().map(|r| v.of(r)).collect())
            .collect();
        let scenario: Vec<String> = rows.iter().map(|r| r.scenario.to_string()).collect();
        let day: Vec<i32> = rows.iter().map(|r| r.date.0).collect();
        let index = (0..rows.len())
            .map(|k| ((scenario[k].clone(), day[k]), k))
            .collect();
        WholeArea {
            scenario,
            day,
            values,
            columns,
            index,
        }
    }

    /// Days with a row.
    pub fn days(&self) -> BTreeSet<i32> {
        self.day.iter().copied().collect()
    }

    /// A scenario's trips avoided (p50) on a day; NaN without a row.
    pub fn trips_p50(&self, scenario: &str, day: i32) -> f64 {
        let col =
            (self.columns.iter()).position(|c| matches!(c.0, Value::Band(m, 1) if m == TRIPS));
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
            style::date(ws, r, 0, Some(self.day[k]), &s.date)?;
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
