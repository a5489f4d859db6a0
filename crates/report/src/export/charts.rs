//! The charts (PNG and SVG) of a run, drawn from its records and metadata by [`crate::plot`]
//! into memory, under `charts/`.

use super::run_info::run_label_parts;
use super::{ExportError, ExportFile, Exporter, RunView};
use crate::labels::{Labels, Langs, format};
use crate::plot::{self, ChartData, Event, ScenarioInfo};
use wfhsim_core::calendar::Date;

/// Folder of the charts inside a run folder.
pub const CHARTS_DIR: &str = "charts";

/// Every chart of a run, as PNG and SVG, labelled in the run's language(s).
#[derive(Debug, Clone, Copy)]
pub struct Charts {
    pub langs: Langs,
}

impl Charts {
    /// What the chart layer reads, from a run's records and metadata only.
    pub fn input<'a>(&self, run: &'a RunView) -> ChartData<'a> {
        ChartData {
            langs: self.langs,
            daily: &run.daily,
            replicates_daily: &run.replicates_daily,
            summary: &run.summary,
            windows: &run.windows,
            detectability: &run.detectability,
            decomposition: &run.decomposition,
            run_label: run_label_in(&run.info.label, self.langs),
            source_note: run.info.source_note.clone(),
            inventory_note: run.info.inventory_note.clone(),
            scenarios: run
                .info
                .scenarios
                .iter()
                .map(|s| ScenarioInfo {
                    name: s.name.clone(),
                    title: s.title_in(self.langs.first()).to_string(),
                })
                .collect(),
            events: run
                .info
                .events
                .iter()
                .filter_map(|e| {
                    Some(Event {
                        date: Date::parse(&e.date)?,
                        name: e.name.clone(),
                    })
                })
                .collect(),
            region_names: run
                .info
                .regions
                .iter()
                .map(|r| (r.code.clone(), r.name.clone()))
                .collect(),
        }
    }
}

/// The run's label in the first language shown (charts, the briefing's header) ("simulasi 'x' · seed 42 · 30 ulangan ·
/// skala 0,5"); a label of another shape is kept as it is.
pub(crate) fn run_label_in(label: &str, langs: Langs) -> String {
    let Some((name, seed, replicates, scale)) = run_label_parts(label) else {
        return label.to_string();
    };
    let lang = langs.first();
    let decimals = scale
        .to_string()
        .split_once('.')
        .map_or(0, |(_, f)| f.len());
    Labels::builtin().fill(
        "chart.run_label",
        lang,
        &[
            ("name", name),
            ("seed", seed.to_string()),
            ("replicates", format::int(replicates as f64, lang)),
            ("scale", format::number(scale, decimals, lang)),
        ],
    )
}

impl Exporter for Charts {
    fn export(&self, run: &RunView) -> Result<Vec<ExportFile>, ExportError> {
        Ok(plot::render_all(&self.input(run))?
            .into_iter()
            .map(|c| ExportFile {
                path: format!("{CHARTS_DIR}/{}", c.name),
                bytes: c.bytes,
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::run_label;

    #[test]
    fn the_subtitle_is_said_in_the_first_language() {
        let label = run_label("a · b's", 42, 1200, 0.25);
        assert_eq!(
            run_label_in(&label, Langs::Id),
            "simulasi 'a · b's' · seed 42 · 1.200 ulangan · skala 0,25"
        );
        assert_eq!(
            run_label_in(&label, Langs::En),
            "run 'a · b's' · seed 42 · 1,200 replicates · scale 0.25"
        );
        assert_eq!(
            run_label_in(&run_label("study", 42, 30, 1.0), Langs::En),
            run_label("study", 42, 30, 1.0)
        );
        assert_eq!(run_label_in("something else", Langs::Id), "something else");
    }
}
