//! The Sources sheet: where the numbers come from and which run made them, one text per
//! row (a label in column A, the text in column B).

use rust_xlsxwriter::Worksheet;

use super::style::Style;
use crate::export::{ExportError, RunView};

pub(super) fn write(ws: &mut Worksheet, s: &Style, run: &RunView) -> Result<(), ExportError> {
    ws.write_string_with_format(0, 0, s.t("xlsx.sources_title"), &s.title)?;
    let rows = [
        ("xlsx.data_sources", run.info.source_note.clone()),
        ("xlsx.inventory", run.info.inventory_note.clone()),
        (
            "xlsx.run",
            crate::export::charts::run_label_in(&run.info.label, s.langs),
        ),
    ];
    for (i, (key, text)) in rows.iter().enumerate() {
        let r = 2 + i as u32;
        ws.write_string_with_format(r, 0, s.t(key), &s.header)?;
        ws.write_string_with_format(r, 1, text, &s.wrap)?;
    }
    let below = 3 + rows.len() as u32;
    ws.write_string_with_format(below, 0, s.t("xlsx.numbers_note"), &s.note)?;
    ws.set_column_width(0, 34.0)?;
    ws.set_column_width(1, 100.0)?;
    Ok(())
}
