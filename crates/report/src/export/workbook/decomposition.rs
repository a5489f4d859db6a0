//! The Decomposition sheet, only for a run with a bundle of measures: the run's
//! `decomposition` table, one row per bundle scenario × part × summary row without a
//! region — the part (the WFH orders in the catalogue's words, a measure by its name),
//! the row's key and unit, the band of the part's contribution over the window, the
//! window's working days (from the scenario's summary row) and the band per working day
//! (a level's contribution, in percentage points, is one per working day already), and
//! the replicates — then what a part's number is (Shapley). Numbers stay numbers, in
//! the row's unit.

use rust_xlsxwriter::Worksheet;

use super::style::{self, Style};
use crate::export::{ExportError, RunView};
use crate::plot::decomposition::part_key;
use crate::plot::measures::{Measure, SummaryIndex};

pub(super) fn write(ws: &mut Worksheet, s: &Style, run: &RunView) -> Result<(), ExportError> {
    ws.write_string_with_format(0, 0, s.t("briefing.section.decomposition"), &s.title)?;
    let mut headers: Vec<String> = [
        "common.scenario",
        "briefing.decomposition.col.part",
        "xlsx.decomposition.basis",
        "common.region",
        "xlsx.decomposition.metric",
        "xlsx.decomposition.component",
        "xlsx.calibration.unit",
    ]
    .iter()
    .map(|k| s.t(k))
    .collect();
    headers.extend((0..3).map(|q| s.banded("xlsx.decomposition.contribution", q)));
    headers.push(s.t("briefing.col.working_days"));
    headers.extend((0..3).map(|q| s.banded("xlsx.decomposition.per_day", q)));
    headers.push(s.t("xlsx.decomposition.replicates"));
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(2, c as u16, h, &s.header)?;
    }
    let general = style::Style::num("General");
    let summary = SummaryIndex::new(&run.summary);
    for (i, r) in run.decomposition.iter().enumerate() {
        let row = 3 + i as u32;
        let part = part_key(&r.part).map_or_else(|| r.part.to_string(), |k| s.t(k));
        let texts = [
            r.scenario.to_string(),
            part,
            r.basis.as_str().to_string(),
            r.region.to_string(),
            r.metric_name().to_string(),
            r.component.as_str().to_string(),
            r.unit().to_string(),
        ];
        for (c, t) in texts.into_iter().enumerate() {
            ws.write_string(row, c as u16, t)?;
        }
        let measure = Measure {
            metric: r.metric,
            component: r.component,
        };
        let days = summary
            .get(&r.scenario, r.basis, &r.region, measure)
            .map_or(f64::NAN, |x| x.window_working_days as f64);
        let [p05, p50, p95] = r.contribution.0;
        // A level's contribution (percentage points) is already one per working day.
        let per = if r.metric.is_level() { 1.0 } else { days };
        let numbers = [p05, p50, p95, days, p05 / per, p50 / per, p95 / per];
        for (j, x) in numbers.into_iter().enumerate() {
            style::number(ws, row, 7 + j as u16, x, &general)?;
        }
        ws.write_number(row, 14, r.replicates as f64)?;
    }
    let below = 4 + run.decomposition.len() as u32;
    ws.write_string_with_format(below, 0, s.t("briefing.decomposition.note"), &s.note)?;
    ws.set_column_width(0, 26.0)?;
    ws.set_column_width(1, 34.0)?;
    for c in 7..14 {
        ws.set_column_width(c, 16.0)?;
    }
    ws.set_freeze_panes(3, 2)?;
    Ok(())
}
