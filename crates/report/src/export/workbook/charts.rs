//! The Summary sheet's native Excel charts, drawn from its own cells so that an analyst
//! who edits a number sees the chart follow: the event week's trips avoided per day per
//! compared scenario (clustered columns, the rule of the PNG event-week chart) and the
//! trips avoided over the window per scenario (bars).

use rust_xlsxwriter::{Chart, Worksheet};

use super::style::Style;
use super::summary::Placed;
use crate::export::ExportError;
use crate::labels::Labels;
use crate::plot::EventWeek;

/// Width and height of each chart, in pixels.
const SIZE: (u32, u32) = (760, 380);

/// The event-week chart: one column series per compared scenario, days as categories.
pub(super) fn event_week(sheet: &str, s: &Style, at: &Placed, e: &EventWeek) -> Option<Chart> {
    let (header, first, last, n) = at.event?;
    let mut chart = Chart::new_column();
    for j in 0..n {
        let col = 1 + j;
        chart
            .add_series()
            .set_name((sheet, header, col))
            .set_categories((sheet, first, 0, last, 0))
            .set_values((sheet, first, col, last, col));
    }
    let title =
        s.each(|l| Labels::builtin().fill("xlsx.event_table", l, &[("event", e.name.clone())]));
    chart.title().set_name(&title);
    chart
        .x_axis()
        .set_name(&s.t("common.date"))
        .set_num_format("d mmm");
    chart.x_axis().set_text_axis(true);
    chart
        .y_axis()
        .set_name(&s.t("xlsx.event_axis"))
        .set_num_format("#,##0");
    chart.set_width(SIZE.0).set_height(SIZE.1);
    Some(chart)
}

/// Trips avoided over the window (p50) per scenario, as horizontal bars.
pub(super) fn totals(sheet: &str, s: &Style, at: &Placed) -> Chart {
    let (first, last) = at.scenario_rows;
    let mut chart = Chart::new_bar();
    chart
        .add_series()
        .set_name(&s.t("xlsx.trips_window"))
        .set_categories((sheet, first, at.name_col, last, at.name_col))
        .set_values((sheet, first, at.total_p50_col, last, at.total_p50_col));
    chart.title().set_name(&s.t("xlsx.totals_chart"));
    chart
        .x_axis()
        .set_name(&s.t("common.scenario"))
        .set_reverse();
    chart
        .y_axis()
        .set_name(&s.t("unit.trips"))
        .set_num_format("#,##0");
    chart.legend().set_hidden();
    chart.set_width(SIZE.0).set_height(SIZE.1);
    chart
}

/// Both charts below the Summary sheet's tables, side by side.
pub(super) fn insert(
    ws: &mut Worksheet,
    sheet: &str,
    s: &Style,
    at: &Placed,
    event: Option<&EventWeek>,
) -> Result<(), ExportError> {
    let row = at.next_row + 1;
    let mut col = 0;
    if let Some(chart) = event.and_then(|e| event_week(sheet, s, at, e)) {
        ws.insert_chart(row, col, &chart)?;
        col = 8;
    }
    ws.insert_chart(row, col, &totals(sheet, s, at))?;
    Ok(())
}
