//! The evaluation folder's own `briefing.html` and `briefing.xlsx`.

use super::Evaluation;
use crate::export::{ExportError, ExportFile};
use crate::labels::Langs;

pub(super) fn files(
    ev: &Evaluation,
    langs: Langs,
    charts: &[ExportFile],
) -> Result<Vec<ExportFile>, ExportError> {
    let _ = (ev, langs, charts);
    Ok(Vec::new())
}
