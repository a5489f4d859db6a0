//! The evaluation folder's own `briefing.html` and `briefing.xlsx`.

use super::Evaluation;
use crate::export::workbook::evaluation_workbook;
use crate::export::{BRIEFING_HTML, ExportError, ExportFile, evaluation_page};
use crate::labels::Langs;

/// `briefing.html` (the charts among `charts` inline) and `briefing.xlsx`.
pub(super) fn files(
    ev: &Evaluation,
    langs: Langs,
    charts: &[ExportFile],
) -> Result<Vec<ExportFile>, ExportError> {
    Ok(vec![
        ExportFile {
            path: BRIEFING_HTML.to_string(),
            bytes: evaluation_page(ev, langs, charts)?.into_bytes(),
        },
        ExportFile {
            path: crate::export::workbook::WORKBOOK.to_string(),
            bytes: evaluation_workbook(ev, langs)?,
        },
    ])
}
