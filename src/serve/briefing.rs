//! A job's briefing as a download: the run's `briefing.html` or `briefing.xlsx`, made in
//! memory by the report crate's own exporters from the job's results, exactly as
//! `wfhsim run` makes them for a run folder of this one scenario. Nothing is written.

use super::Engine;
use super::limits::Format;
use wfhsim_core::results::Results;
use wfhsim_core::scenario::Scenario;
use wfhsim_report::export::{self, ExportError, ExportOptions, RunOrigin};
use wfhsim_report::labels::{Lang, Langs};
use wfhsim_report::view::RunView;

/// The file of `format` for scenario `sc`'s results, in `lang`, and the name to save it
/// as (`SCENARIO-briefing.html`).
pub fn file(
    engine: &Engine,
    sc: &Scenario,
    results: &Results,
    lang: Lang,
    format: Format,
) -> Result<(String, Vec<u8>), ExportError> {
    let origin = RunOrigin {
        dataset: engine.dataset_origin.clone(),
        command: command(engine, sc, results),
    };
    let scenarios = std::slice::from_ref(sc);
    let view = RunView::from_results(&sc.name, &engine.ds, scenarios, results, &origin)?;
    let opt = ExportOptions {
        langs: match lang {
            Lang::Id => Langs::Id,
            Lang::En => Langs::En,
        },
        ..ExportOptions::default()
    };
    let exporter = match format {
        Format::Html => export::briefing_exporter(&opt),
        Format::Xlsx => export::workbook_exporter(&opt),
    };
    let files = export::export_all(&[exporter], &view)?;
    let bytes = files
        .into_iter()
        .find(|f| f.path == format.file())
        .map(|f| f.bytes)
        .ok_or_else(|| ExportError::Json {
            what: format.file().into(),
            message: "the report made no such file".into(),
        })?;
    Ok((format!("{}-{}", sc.name, format.file()), bytes))
}

/// The command that makes the same numbers from the page's scenario file.
fn command(engine: &Engine, sc: &Scenario, results: &Results) -> String {
    let o = &engine.opt;
    format!(
        "wfhsim run {}.toml --scale {} --seed {} --replicates {} --uncertainty {}",
        sc.name,
        o.scale,
        o.seed,
        results.replicates,
        o.uncertainty.as_str()
    )
}
