//! The evaluation's charts, one per site (its interrupted time series), PNG and SVG,
//! under `charts/` (drawn by [`crate::plot::evaluation`]).

use super::Evaluation;
use crate::export::{CHARTS_DIR, ExportError, ExportFile};
use crate::labels::Langs;

/// A site's name as a file name: lower-case ASCII letters and digits, every other run
/// of characters one `-` (`Jakarta Central` → `jakarta-central`); `site` when nothing is
/// left.
pub fn site_slug(site: &str) -> String {
    let mut out = String::new();
    for c in site.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() { "site".into() } else { out }
}

/// The chart stems of the sites, in order: `evaluation-<slug>`, with `-2`, `-3`, … after
/// a slug another site already has.
pub fn chart_stem(sites: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(sites.len());
    for s in sites {
        let base = format!("evaluation-{}", site_slug(s));
        let mut stem = base.clone();
        let mut k = 2;
        while out.contains(&stem) {
            stem = format!("{base}-{k}");
            k += 1;
        }
        out.push(stem);
    }
    out
}

/// Every chart file of the evaluation, `charts/<stem>.png` then `.svg` per site.
pub(super) fn files(ev: &Evaluation, langs: Langs) -> Result<Vec<ExportFile>, ExportError> {
    Ok(crate::plot::render_evaluation(ev, langs)?
        .into_iter()
        .map(|c| ExportFile {
            path: format!("{CHARTS_DIR}/{}", c.name),
            bytes: c.bytes,
        })
        .collect())
}
