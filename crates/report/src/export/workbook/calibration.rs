//! The Calibration sheet: the baseline against observations made before the 2023 orders
//! (`calibration.csv`), one row per scenario and target: the target's name, source and
//! year, its unit, the observed value and the range counted as inside, the modelled p05,
//! p50 and p95, and whether the median is inside. Numbers stay numbers (in the target's
//! unit: a share as a fraction, km/h, L/day, t/yr).

use rust_xlsxwriter::Worksheet;

use super::style::{self, Style};
use crate::export::{ExportError, RunView};

pub(super) fn write(ws: &mut Worksheet, s: &Style, run: &RunView) -> Result<(), ExportError> {
    ws.write_string_with_format(0, 0, s.t("briefing.section.calibration"), &s.title)?;
    let mut headers: Vec<String> = [
        "common.scenario",
        "briefing.calibration.col.target",
        "common.source",
        "xlsx.calibration.year",
        "xlsx.calibration.unit",
        "xlsx.calibration.observed",
        "xlsx.calibration.low",
        "xlsx.calibration.high",
    ]
    .iter()
    .map(|k| s.t(k))
    .collect();
    headers.extend((0..3).map(|q| s.banded("xlsx.calibration.modelled", q)));
    headers.push(s.t("briefing.calibration.col.inside"));
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(2, c as u16, h, &s.header)?;
    }
    let general = Style::num("General");
    for (i, r) in run.calibration.iter().enumerate() {
        let row = 3 + i as u32;
        let label = format!("briefing.calibration.target.{}", r.target.replace('.', "_"));
        let name = if crate::labels::Labels::builtin().has(&label) {
            s.t(&label)
        } else {
            r.target.clone()
        };
        let yes = if r.inside { "common.yes" } else { "common.no" };
        let texts = [(0, r.scenario.clone()), (1, name), (2, r.source.clone())];
        for (c, t) in texts {
            ws.write_string_with_format(row, c, t, &s.wrap)?;
        }
        ws.write_number(row, 3, r.year as f64)?;
        ws.write_string(row, 4, &r.unit)?;
        let m = &r.modelled;
        let numbers = [r.value, r.low, r.high, m.low(), m.median(), m.high()];
        for (j, x) in numbers.into_iter().enumerate() {
            style::number(ws, row, 5 + j as u16, x, &general)?;
        }
        ws.write_string(row, 11, s.t(yes))?;
    }
    let below = 4 + run.calibration.len() as u32;
    ws.write_string_with_format(below, 0, s.t("briefing.calibration.caveat"), &s.note)?;
    ws.set_column_width(1, 40.0)?;
    ws.set_column_width(2, 50.0)?;
    for c in 5..11 {
        ws.set_column_width(c, 14.0)?;
    }
    Ok(())
}
