//! The charts (PNG and SVG) of a run, drawn from its tables and metadata by [`crate::plot`]
//! into memory, under `charts/`.

use super::{ExportError, ExportFile, Exporter, RunTables};
use crate::calendar::Date;
use crate::labels::Langs;
use crate::plot::{self, ChartData, Event, ScenarioInfo};

/// Folder of the charts inside a run folder.
pub const CHARTS_DIR: &str = "charts";

/// Every chart of a run, as PNG and SVG, labelled in the run's language(s).
#[derive(Debug, Clone, Copy)]
pub struct Charts {
    pub langs: Langs,
}

impl Charts {
    /// What the chart layer reads, from a run's tables and metadata only.
    pub fn input(&self, run: &RunTables) -> ChartData {
        ChartData {
            langs: self.langs,
            daily: run.daily.clone(),
            summary: run.summary.clone(),
            windows: run.windows.clone(),
            detectability: run.detectability.clone(),
            run_label: run.info.label.clone(),
            source_note: run.info.source_note.clone(),
            inventory_note: run.info.inventory_note.clone(),
            scenarios: run
                .info
                .scenarios
                .iter()
                .map(|s| ScenarioInfo {
                    name: s.name.clone(),
                    title: s.title.clone(),
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

impl Exporter for Charts {
    fn export(&self, run: &RunTables) -> Result<Vec<ExportFile>, ExportError> {
        Ok(plot::render_all(&self.input(run))?
            .into_iter()
            .map(|c| ExportFile {
                path: format!("{CHARTS_DIR}/{}", c.name),
                bytes: c.bytes,
            })
            .collect())
    }
}
