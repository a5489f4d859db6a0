//! Loading scenarios: one text, the shipped set, or a list of files (read, `extends`
//! resolved, read into a [`Scenario`], validated, names unique across the list), each
//! failure collected so that one pass reports every problem of every file.

use std::path::PathBuf;

use super::extends::{Origin, resolve};
use super::parse::read;
use super::spans::{Places, line_col};
use super::{Problem, Scenario, ScenarioError, ScenarioErrors};
use crate::data::Dataset;
use crate::files;

/// A loaded scenario and where its `name` is written, for the check across files.
struct Loaded {
    scenario: Scenario,
    name_at: Option<(usize, usize)>,
}

fn load(file: &str, text: &str, origin: Origin, ds: &Dataset) -> Result<Loaded, ScenarioError> {
    let err = |mut problems: Vec<Problem>| {
        for p in &mut problems {
            if p.file.as_deref() == Some(file) {
                p.file = None;
            }
        }
        // Problems in a base come after a line of this file saying where they are from.
        let in_bases = problems.iter().filter(|p| p.file.is_some()).count();
        if in_bases > 0 {
            let at = Places::of_text(0, text)
                .get("extends")
                .map(|p| line_col(text, p.span.start));
            problems.insert(
                problems.iter().take_while(|p| p.file.is_none()).count(),
                Problem {
                    key: "extends".into(),
                    at,
                    file: None,
                    message: format!(
                        "{in_bases} problem{} in the scenario this one extends, listed below",
                        if in_bases == 1 { " is" } else { "s are" }
                    ),
                },
            );
        }
        ScenarioError {
            file: file.to_string(),
            problems,
        }
    };
    let res = resolve(file, text, origin).map_err(err)?;
    let name_at = res
        .places
        .get("name")
        .filter(|p| p.src == res.root)
        .map(|p| line_col(text, p.span.start));
    let scenario = read(&res, ds).map_err(err)?;
    Ok(Loaded { scenario, name_at })
}

/// Reads an already resolved scenario (a sweep's variant) and validates it.
pub(super) fn read_resolved(
    res: &super::extends::Resolved,
    ds: &Dataset,
) -> Result<Scenario, Vec<Problem>> {
    read(res, ds)
}

/// Reads and validates one scenario text; `file` names it in every message. Its
/// `extends` may name a shipped scenario (a path needs a folder: use [`load_files`]).
pub fn parse_scenario(file: &str, text: &str, ds: &Dataset) -> Result<Scenario, ScenarioError> {
    load(file, text, Origin::Text, ds).map(|l| l.scenario)
}

/// Reads and validates `text` as if it were the file at `path` (not read): a path in its
/// `extends` is relative to that file's folder. `wfhsim new` checks a file before writing it.
pub fn parse_scenario_at(
    path: &std::path::Path,
    text: &str,
    ds: &Dataset,
) -> Result<Scenario, ScenarioError> {
    let file = path.display().to_string();
    load(&file, text, Origin::File(path.to_path_buf()), ds).map(|l| l.scenario)
}

/// One compiled-in scenario file (`file` as in `scenarios/`).
pub(super) fn load_builtin(
    file: &'static str,
    text: &str,
    ds: &Dataset,
) -> Result<Scenario, ScenarioError> {
    load(&format!("builtin:{file}"), text, Origin::Builtin(file), ds).map(|l| l.scenario)
}

/// Each file of `paths`, read and validated on its own, then their names checked across
/// the list (a later file reusing a name is refused): one result per path, in order.
pub fn check_files(paths: &[PathBuf], ds: &Dataset) -> Vec<Result<Scenario, ScenarioError>> {
    let mut out: Vec<Result<Loaded, ScenarioError>> = Vec::new();
    for path in paths {
        let file = path.display().to_string();
        let loaded = match files::read_text(path, files::SCENARIO_FILE) {
            Ok(text) => load(&file, &text, Origin::File(path.clone()), ds),
            Err(e) => Err(ScenarioError {
                file,
                problems: vec![Problem::at_key("", format!("cannot read: {e}"))],
            }),
        };
        let loaded = loaded.and_then(|l| {
            let prev = out
                .iter()
                .flatten()
                .find(|p| p.scenario.name == l.scenario.name);
            match prev {
                None => Ok(l),
                Some(p) => Err(ScenarioError {
                    file: l.scenario.origin.clone(),
                    problems: vec![Problem {
                        key: "name".into(),
                        at: l.name_at,
                        file: None,
                        message: format!(
                            "'{}' is also used by {}; scenario names must be unique in a run",
                            l.scenario.name, p.scenario.origin
                        ),
                    }],
                }),
            }
        });
        out.push(loaded);
    }
    out.into_iter().map(|r| r.map(|l| l.scenario)).collect()
}

/// The scenarios of `paths`, as [`check_files`] reads them, or every file's problems.
pub fn load_files(paths: &[PathBuf], ds: &Dataset) -> Result<Vec<Scenario>, ScenarioErrors> {
    let mut ok = Vec::new();
    let mut errors = Vec::new();
    for r in check_files(paths, ds) {
        match r {
            Ok(s) => ok.push(s),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(ok)
    } else {
        Err(ScenarioErrors(errors))
    }
}

/// The default study's scenarios, each resolved (`extends`) and validated.
pub fn builtin_scenarios(ds: &Dataset) -> Result<Vec<Scenario>, ScenarioError> {
    super::builtin::BUILTIN_SCENARIOS
        .iter()
        .map(|&(f, t)| load_builtin(f, t, ds))
        .collect()
}
