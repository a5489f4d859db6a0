//! `extends`: a scenario file written as a base scenario plus overrides. The base is a
//! shipped scenario's name (`extends = "dki-2023"`) or a path relative to the extending
//! file's folder (`extends = "../my-base.toml"`); chains are allowed, cycles refused.
//!
//! Merge rules (docs/scenarios.md): a top-level key replaces the base's; [period],
//! [accounting] and [parameters] merge key by key; a [[policy]] whose `name` is a base
//! policy's overrides the fields it gives, each whole; a new name is appended. The merged
//! table keeps, for each value, the file and key path it was written at, so a problem is
//! reported in the file that holds the bad value.
//!
//! Owns base lookup, cycle detection, the merge and the chain's hash. Reads only the
//! files that `extends` names.

use std::path::{Path, PathBuf};

use toml::{Table, Value};

use super::Problem;
use super::builtin::{BENCHMARK_SCENARIO, BUILTIN_SCENARIOS};
use super::spans::{Places, Source, join, line_col, parse_toml};
use crate::files;

/// A scenario table with every base merged in, ready for the reader.
pub(super) struct Resolved {
    pub table: Table,
    pub places: Places,
    /// The files of the chain, bases first; `root` is the one being loaded.
    pub sources: Vec<Source>,
    pub root: usize,
    /// See [`super::Scenario::hash`].
    pub hash: String,
    /// Problems found while resolving (a file's own `name`, an ambiguous policy override),
    /// already located.
    pub problems: Vec<Problem>,
}

/// Where a scenario's text came from: decides how its `extends` is looked up.
#[derive(Debug, Clone)]
pub(super) enum Origin {
    /// A file shipped in `scenarios/` and compiled in (its file name).
    Builtin(&'static str),
    /// A file on disk: a path base is relative to its folder.
    File(PathBuf),
    /// Text handed over by code: only shipped names can be extended.
    Text,
}

/// Tables of a scenario that merge key by key; any other key replaces the base's.
const MERGED_TABLES: [&str; 3] = ["period", "accounting", "parameters"];

/// SHA-256 of the parts one after the other, as lowercase hex (scenario hashes, and a
/// sweep's design and program hashes).
pub fn sha256_hex(parts: &[&[u8]]) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for p in parts {
        h.update(p);
    }
    format!("{:x}", h.finalize())
}

/// Reads `text` (named `name` in messages) and every base it extends into one table. An
/// error is a syntax error or a base that cannot be found, each at its place; problems
/// that do not stop the reading are in [`Resolved::problems`].
pub(super) fn resolve(name: &str, text: &str, origin: Origin) -> Result<Resolved, Vec<Problem>> {
    let mut res = resolve_chain(name, text, origin, &mut Vec::new())?;
    // The file being loaded is the error's own file: its problems name no other.
    for p in &mut res.problems {
        if p.file.as_deref() == Some(name) {
            p.file = None;
        }
    }
    Ok(res)
}

/// Whether a syntax error may quote the line it is on: only for a scenario file (its
/// name ends in `.toml`) or text handed over as one, never for another file a user named
/// by mistake, whose lines may be secrets a published log would show.
fn quotes_lines(origin: &Origin) -> bool {
    match origin {
        Origin::File(p) => is_toml(&p.to_string_lossy()),
        Origin::Builtin(_) | Origin::Text => true,
    }
}

/// The rule for a scenario file's path that `extends` or `wfhsim new --from` names: it
/// ends in `.toml`.
pub fn is_toml(path: &str) -> bool {
    path.ends_with(".toml")
}

/// Who a file is, for cycle detection: the same file reached by two paths is one file.
fn identity(origin: &Origin, name: &str) -> String {
    match origin {
        Origin::Builtin(f) => format!("builtin:{f}"),
        Origin::File(p) => p
            .canonicalize()
            .map_or_else(|_| p.display().to_string(), |c| c.display().to_string()),
        Origin::Text => name.to_string(),
    }
}

/// Where a key is in the file being read (line, column), if it is there.
type At<'a> = dyn Fn(&str) -> Option<(usize, usize)> + 'a;

/// A problem of file `name`.
fn in_file(name: &str, key: &str, at: Option<(usize, usize)>, message: String) -> Problem {
    Problem {
        key: key.to_string(),
        at,
        file: Some(name.to_string()),
        message,
    }
}

fn resolve_chain(
    name: &str,
    text: &str,
    origin: Origin,
    chain: &mut Vec<(String, String)>,
) -> Result<Resolved, Vec<Problem>> {
    let table = parse_toml(text, quotes_lines(&origin)).map_err(|mut p| {
        p.file = Some(name.to_string());
        vec![p]
    })?;
    let own = Source {
        name: name.to_string(),
        text: text.to_string(),
    };
    let Some(base_ref) = table.get("extends") else {
        return Ok(Resolved {
            table,
            places: Places::of_text(0, text),
            sources: vec![own],
            root: 0,
            hash: sha256_hex(&[text.as_bytes()]),
            problems: Vec::new(),
        });
    };
    // Positions in this file, before its source index in the chain is known.
    let mine = Places::of_text(0, text);
    let at = |path: &str| mine.get(path).map(|p| line_col(text, p.span.start));
    let (base, base_name) = resolve_base(base_ref, name, &origin, chain, &at)?;
    let mut problems = base.problems;
    check_own_keys(&mut problems, &table, &base.table, &base_name, name, &at);

    let src = base.sources.len();
    let own_places = Places::of_text(src, text);
    let mut m = Merge {
        table: base.table,
        places: base.places,
        own: &own_places,
        problems: Vec::new(),
        at: &at,
        name,
    };
    for (k, v) in &table {
        if k != "extends" {
            m.key(k, v);
        }
    }
    problems.append(&mut m.problems);
    let mut sources = base.sources;
    sources.push(own);
    Ok(Resolved {
        table: m.table,
        places: m.places,
        sources,
        root: src,
        hash: sha256_hex(&[text.as_bytes(), &[0], base.hash.as_bytes()]),
        problems,
    })
}

/// Finds and resolves the base that the `extends` value `base_ref` of file `name` names,
/// with the name messages give it; refuses a base that leads back to a file of `chain`.
fn resolve_base(
    base_ref: &Value,
    name: &str,
    origin: &Origin,
    chain: &mut Vec<(String, String)>,
    at: &At,
) -> Result<(Resolved, String), Vec<Problem>> {
    let Value::String(base_ref) = base_ref else {
        return Err(vec![in_file(
            name,
            "extends",
            at("extends"),
            "expected the name of a shipped scenario or a path ending in .toml, in quotes"
                .to_string(),
        )]);
    };
    let (base_origin, base_name, base_text) = find_base(base_ref, origin)
        .map_err(|m| vec![in_file(name, "extends", at("extends"), m)])?;
    let me = identity(origin, name);
    let base_id = identity(&base_origin, &base_name);
    chain.push((me, name.to_string()));
    if let Some(i) = chain.iter().position(|(id, _)| *id == base_id) {
        let names: Vec<&str> = chain[i..].iter().map(|(_, n)| n.as_str()).collect();
        return Err(vec![in_file(
            name,
            "extends",
            at("extends"),
            format!(
                "'{base_ref}' leads back to {} ({} -> {}); a scenario cannot extend itself, directly or through its bases",
                chain[i].1,
                names.join(" -> "),
                chain[i].1
            ),
        )]);
    }
    let base = resolve_chain(&base_name, &base_text, base_origin, chain)?;
    chain.pop();
    Ok((base, base_name))
}

/// A file that extends another gives its own schema version and a name of its own.
fn check_own_keys(
    problems: &mut Vec<Problem>,
    table: &Table,
    base_table: &Table,
    base_name: &str,
    name: &str,
    at: &At,
) {
    for (key, hint) in [
        ("schema_version", "add schema_version = 1"),
        (
            "name",
            "a scenario that extends another needs its own name = \"my-variant\" (a-z, 0-9, '-')",
        ),
    ] {
        if !table.contains_key(key) {
            problems.push(in_file(name, key, None, format!("missing; {hint}")));
        }
    }
    let base_name_value = base_table.get("name").and_then(Value::as_str);
    if let (Some(Value::String(n)), Some(b)) = (table.get("name"), base_name_value)
        && n == b
    {
        problems.push(in_file(
            name,
            "name",
            at("name"),
            format!("'{n}' is the name of its base {base_name}; give the variant its own name"),
        ));
    }
}

/// The base `extends` names, looked up from a file of `origin`: its origin, the name
/// messages give it, its text. An error says why it cannot be found.
fn find_base(base: &str, origin: &Origin) -> Result<(Origin, String, String), String> {
    let shipped: Vec<(&'static str, &'static str)> = BUILTIN_SCENARIOS
        .into_iter()
        .chain([BENCHMARK_SCENARIO])
        .collect();
    let is_path = base.ends_with(".toml") || base.contains('/') || base.contains('\\');
    if !is_path {
        let found = shipped
            .iter()
            .find(|(f, _)| f.strip_suffix(".toml") == Some(base));
        return match found {
            Some(&(f, t)) => Ok((Origin::Builtin(f), format!("builtin:{f}"), t.to_string())),
            None => {
                let names: Vec<&str> = shipped
                    .iter()
                    .filter_map(|(f, _)| f.strip_suffix(".toml"))
                    .collect();
                Err(format!(
                    "no shipped scenario is named '{base}' (shipped: {}); to extend a file, give its path ending in .toml, relative to this file's folder",
                    names.join(", ")
                ))
            }
        };
    }
    if !is_toml(base) {
        return Err(format!(
            "'{base}' is not a scenario file: extends names a shipped scenario (e.g. dki-2023) or a file whose name ends in .toml"
        ));
    }
    match origin {
        Origin::File(p) => {
            let path = p.parent().unwrap_or(Path::new("")).join(base);
            match files::read_text(&path, files::SCENARIO_FILE) {
                Ok(t) => Ok((Origin::File(path.clone()), path.display().to_string(), t)),
                Err(e) => Err(format!(
                    "cannot read the base '{base}' ({}): {e}",
                    path.display()
                )),
            }
        }
        Origin::Builtin(_) | Origin::Text => Err(format!(
            "'{base}' is a path, but this scenario was not read from a folder; extend a shipped scenario by its name, or load the file from disk"
        )),
    }
}

/// Applies one file's keys over its base's merged table.
struct Merge<'a> {
    table: Table,
    places: Places,
    /// Where the file's own values are (key paths as in the file).
    own: &'a Places,
    problems: Vec<Problem>,
    at: &'a At<'a>,
    name: &'a str,
}

impl Merge<'_> {
    /// Replaces the merged value at `to` with the file's value at `from`, and its places.
    fn replace(&mut self, from: &str, to: &str) {
        self.places.remove(to);
        self.places.graft(self.own, from, to);
    }

    fn key(&mut self, k: &str, v: &Value) {
        let base = self.table.get(k);
        let tables = matches!((base, v), (Some(Value::Table(_)), Value::Table(_)));
        let lists = matches!((base, v), (Some(Value::Array(_)), Value::Array(_)));
        if tables && MERGED_TABLES.contains(&k) {
            if let (Value::Table(mine), Some(Value::Table(base))) = (v, self.table.get_mut(k)) {
                for (sk, sv) in mine {
                    base.insert(sk.clone(), sv.clone());
                    self.places.remove(&join(k, sk));
                }
            }
            // The table's own place, and every key the file gives, are the file's.
            self.places.graft(self.own, k, k);
        } else if let (true, Value::Array(mine)) = (lists && k == "policy", v) {
            self.policies(mine);
        } else {
            self.table.insert(k.to_string(), v.clone());
            self.replace(k, k);
        }
    }

    /// A [[policy]] named as one of the base's overrides the fields it gives; any other
    /// is appended.
    fn policies(&mut self, mine: &[Value]) {
        let Some(Value::Array(merged)) = self.table.get_mut("policy") else {
            return;
        };
        let base_len = merged.len();
        let name_of = |v: &Value| v.as_table()?.get("name")?.as_str().map(str::to_string);
        let base_names: Vec<Option<String>> = merged.iter().map(name_of).collect();
        let mut overridden: Vec<usize> = Vec::new();
        let mut grafts: Vec<(String, String)> = Vec::new();
        for (ci, c) in mine.iter().enumerate() {
            let from = format!("policy[{ci}]");
            let matches: Vec<usize> = match name_of(c) {
                Some(n) => (0..base_len)
                    .filter(|&i| base_names[i].as_deref() == Some(n.as_str()))
                    .collect(),
                None => Vec::new(),
            };
            let (Some(&bi), Value::Table(fields)) = (matches.first(), c) else {
                grafts.push((from, format!("policy[{}]", merged.len())));
                merged.push(c.clone());
                continue;
            };
            let name_at = join(&from, "name");
            let pname = base_names[bi].clone().unwrap_or_default();
            if matches.len() > 1 {
                let ix: Vec<String> = matches.iter().map(|i| format!("policy[{i}]")).collect();
                self.problems.push(Problem {
                    key: name_at,
                    at: (self.at)(&join(&from, "name")),
                    file: Some(self.name.to_string()),
                    message: format!(
                        "'{pname}' names {} policies of the base ({}); a policy override needs a base policy of its own name",
                        matches.len(),
                        ix.join(", ")
                    ),
                });
                continue;
            }
            if overridden.contains(&bi) {
                self.problems.push(Problem {
                    key: name_at.clone(),
                    at: (self.at)(&name_at),
                    file: Some(self.name.to_string()),
                    message: format!("'{pname}' is overridden twice in this file; give its changes in one [[policy]]"),
                });
                continue;
            }
            overridden.push(bi);
            let to = format!("policy[{bi}]");
            if let Some(Value::Table(base)) = merged.get_mut(bi) {
                for (f, fv) in fields {
                    base.insert(f.clone(), fv.clone());
                    grafts.push((join(&from, f), join(&to, f)));
                }
            }
            // The policy's own place (its [[policy]] line) is the override's.
            if let Some(p) = self.own.get(&from) {
                self.places.put(&to, p.clone());
            }
        }
        for (from, to) in grafts {
            self.replace(&from, &to);
        }
    }
}
