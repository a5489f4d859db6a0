//! `wfhsim new` (a scenario file extending a base) and `wfhsim schema` (the JSON Schema
//! of scenario files): the commands that write scenario-format files for people to edit.

use std::path::{Component, Path, PathBuf};

use anyhow::anyhow;

use super::args::NewArgs;
use super::failure::{Failure, bad_input, failed};
use super::inputs::load_data;
use wfhsim_core::data::Dataset;
use wfhsim_core::scenario::{
    self, BENCHMARK_SCENARIO, BUILTIN_SCENARIOS, NewScenario, Scenario, is_valid_name, name_rule,
    nearest_name,
};

/// The committed schema's file name.
const SCHEMA_FILE: &str = "scenario.schema.json";

pub(super) fn schema(out: Option<&Path>) -> Result<(), Failure> {
    let ds = Dataset::builtin().map_err(failed)?;
    let text = scenario::schema_text(&ds);
    match out {
        None => print!("{text}"),
        Some(p) => {
            std::fs::write(p, text)
                .map_err(|e| failed(anyhow!("cannot write {}: {e}", p.display())))?;
            println!("Wrote the scenario schema to {}", p.display());
        }
    }
    Ok(())
}

/// `from` is a file rather than a shipped name.
fn is_path(from: &str) -> bool {
    from.ends_with(".toml") || from.contains('/') || from.contains('\\')
}

/// The shipped scenario `name`, read and validated.
fn shipped(name: &str, ds: &Dataset) -> Result<Scenario, Failure> {
    let all: Vec<(&str, &str)> = BUILTIN_SCENARIOS
        .into_iter()
        .chain([BENCHMARK_SCENARIO])
        .collect();
    let names: Vec<&str> = all
        .iter()
        .filter_map(|(f, _)| f.strip_suffix(".toml"))
        .collect();
    let Some((f, text)) = all
        .iter()
        .find(|(f, _)| f.strip_suffix(".toml") == Some(name))
    else {
        let hint =
            nearest_name(name, &names).map_or(String::new(), |n| format!("; did you mean '{n}'?"));
        return Err(bad_input(anyhow!(
            "no shipped scenario is named '{name}'{hint} (shipped: {}); to extend a file, give its path ending in .toml",
            names.join(", ")
        )));
    };
    scenario::parse_scenario(&format!("builtin:{f}"), text, ds).map_err(failed)
}

/// `to` relative to the folder `from` (both absolute), with `/` separators.
fn relative(from: &Path, to: &Path) -> String {
    let a: Vec<Component> = from.components().collect();
    let b: Vec<Component> = to.components().collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = vec!["..".to_string(); a.len() - common];
    parts.extend(
        b[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

/// The `#:schema` path for a file in `folder` (absolute): a schema in the folder, or
/// `scenarios/scenario.schema.json` in it or a folder above.
fn schema_path(folder: &Path) -> Option<String> {
    if folder.join(SCHEMA_FILE).is_file() {
        return Some(format!("./{SCHEMA_FILE}"));
    }
    folder.ancestors().enumerate().find_map(|(up, dir)| {
        let p = dir.join("scenarios").join(SCHEMA_FILE);
        p.is_file().then(|| {
            let prefix = if up == 0 {
                "./".to_string()
            } else {
                "../".repeat(up)
            };
            format!("{prefix}scenarios/{SCHEMA_FILE}")
        })
    })
}

pub(super) fn new(a: NewArgs) -> Result<(), Failure> {
    if !is_valid_name(&a.name) {
        return Err(bad_input(anyhow!("scenario name {}", name_rule(&a.name))));
    }
    let file = format!("{}.toml", a.name);
    let out = match a.out {
        Some(p) if p.is_dir() => p.join(file),
        Some(p) => p,
        None => PathBuf::from(file),
    };
    if out.exists() && !a.force {
        return Err(bad_input(anyhow!(
            "{} already exists; pass --force to replace it, or --out another file",
            out.display()
        )));
    }
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let folder = parent.canonicalize().map_err(|e| {
        bad_input(anyhow!(
            "cannot write into {}: {e}; create the folder first",
            parent.display()
        ))
    })?;
    let ds = load_data(&a.data)?;
    let (extends, base) = if is_path(&a.from) {
        if !scenario::is_toml(&a.from) {
            return Err(bad_input(anyhow!(
                "--from '{}' is not a scenario file: give a shipped scenario's name (e.g. dki-2023) or a file whose name ends in .toml",
                a.from
            )));
        }
        let from = PathBuf::from(&a.from);
        let base = scenario::load_files(std::slice::from_ref(&from), &ds)
            .map_err(bad_input)?
            .remove(0);
        let abs = from
            .canonicalize()
            .map_err(|e| bad_input(anyhow!("{}: {e}", from.display())))?;
        (relative(&folder, &abs), base)
    } else {
        (a.from.clone(), shipped(&a.from, &ds)?)
    };
    let schema = schema_path(&folder);
    let text = NewScenario {
        name: &a.name,
        extends: &extends,
        base: &base,
        schema: schema.as_deref(),
    }
    .text(&ds);
    // The file as written must validate; a failure here is the program's fault.
    scenario::parse_scenario_at(&out, &text, &ds).map_err(failed)?;
    std::fs::write(&out, text)
        .map_err(|e| failed(anyhow!("cannot write {}: {e}", out.display())))?;
    // The path is quoted for pasting (a space or `$(...)` in a folder name).
    println!(
        "Wrote {} (extends {extends}); edit it, then: wfhsim validate {}",
        out.display(),
        crate::jobs::command::shell_word(&out.display().to_string())
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    #[test]
    fn relative_paths_climb_to_the_common_folder() {
        let r = super::relative;
        assert_eq!(r(Path::new("/a/b"), Path::new("/a/b/c.toml")), "c.toml");
        assert_eq!(
            r(Path::new("/a/b"), Path::new("/a/c/d.toml")),
            "../c/d.toml"
        );
        assert_eq!(
            r(Path::new("/a/b/c"), Path::new("/a/x.toml")),
            "../../x.toml"
        );
    }
}
