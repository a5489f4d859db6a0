//! The Regions sheet: per scenario, region basis (home, work) and region, the commuter
//! trips avoided per working day (p50 and the p05–p95 band) and the share of the
//! region's commuter trips — the `summary` table's `home` and `work` rows, in the order
//! of the run's regions.

use rust_xlsxwriter::{Table, TableColumn, Worksheet};

use super::frame::{Field, Summary};
use super::style::{self, COUNT, SHARE_SMALL, Style};
use crate::export::{ExportError, RunView};
use crate::plot::measures::TRIPS;
use wfhsim_core::results::grid::Basis;

/// The region bases shown, in order.
pub(super) const BASES: [Basis; 2] = [Basis::Home, Basis::Work];

pub(super) fn write(
    ws: &mut Worksheet,
    s: &Style,
    run: &RunView,
    summary: &Summary,
) -> Result<(), ExportError> {
    let mut headers: Vec<TableColumn> = ["common.scenario", "xlsx.basis", "common.region"]
        .iter()
        .map(|k| TableColumn::new().set_header(s.t(k)))
        .collect();
    headers
        .extend((0..3).map(|q| TableColumn::new().set_header(s.banded("xlsx.trips_per_day", q))));
    headers.push(TableColumn::new().set_header(s.banded("xlsx.region_share", 1)));

    let (count, share) = (Style::num(COUNT), Style::num(SHARE_SMALL));
    let mut row = 0;
    for sc in &run.info.scenarios {
        for basis in BASES {
            let basis_name = s.t(&format!("basis.{}", basis.as_str()));
            for region in &run.info.regions {
                let Some(r) = summary.row(&sc.name, basis, &region.code, TRIPS) else {
                    continue;
                };
                row += 1;
                ws.write_string_with_format(row, 0, &sc.name, &s.text)?;
                ws.write_string_with_format(row, 1, &basis_name, &s.text)?;
                ws.write_string_with_format(row, 2, &region.name, &s.text)?;
                for q in 0..3 {
                    let x = summary.value(Some(r), Field::PerDay(q));
                    style::number(ws, row, 3 + q as u16, x, &count)?;
                }
                style::number(ws, row, 6, summary.value(Some(r), Field::Share(1)), &share)?;
            }
        }
    }
    let last_col = headers.len() as u16 - 1;
    ws.add_table(
        0,
        0,
        row.max(1),
        last_col,
        &Table::new().set_columns(&headers),
    )?;
    ws.set_freeze_panes(1, 0)?;
    for (c, width) in [(0, 30.0), (1, 30.0), (2, 24.0)] {
        ws.set_column_width(c, width)?;
    }
    for c in 3..=last_col {
        ws.set_column_width(c, 16.0)?;
    }
    ws.set_row_height(0, 60.0)?;
    Ok(())
}
