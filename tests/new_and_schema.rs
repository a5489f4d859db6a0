//! `wfhsim new` (a scenario file extending a base) and `wfhsim schema` (the JSON Schema
//! of scenario files), through the binary; the schema checked against the shipped
//! scenarios by a small walker written here, independent of the reader.

use crate::support::wfhsim;
use std::path::Path;

use predicates::prelude::*;
use serde_json::Value as Json;
use toml::Value;
use wfhsim_core::scenario::{Measure, MeasureKind};

fn stdout(args: &[&str]) -> String {
    let out = wfhsim().args(args).assert().success();
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

/// summary.csv of a tiny run of one scenario file, without its scenario and title columns.
fn summary_numbers(file: &Path, out: &Path, name: &str) -> Vec<String> {
    wfhsim()
        .args(["run", "--scale", "0.02", "--replicates", "2"])
        .arg(file)
        .arg("--out")
        .arg(out)
        .args(["--name", name])
        .assert()
        .success();
    let text = std::fs::read_to_string(out.join(name).join("summary.csv")).unwrap();
    text.lines()
        .skip(1)
        // scenario, then the title in quotes: keep what follows the title.
        .map(|l| l.split_once("\",").unwrap().1.to_string())
        .collect()
}

/// The commented `[[measure]]` tables of a new file: its blocks (between empty lines)
/// that begin with one.
fn measure_blocks(text: &str) -> Vec<&str> {
    text.split("\n\n")
        .filter(|b| b.starts_with("# [[measure]]\n"))
        .collect()
}

/// `block` with the leading `# ` of each line taken off.
fn uncomment(block: &str) -> String {
    let lines: Vec<&str> = block
        .lines()
        .map(|l| l.strip_prefix("# ").unwrap_or(l))
        .collect();
    lines.join("\n")
}

/// The scenario file `p`, read and validated.
fn load(p: &Path) -> wfhsim_core::scenario::Scenario {
    let ds = wfhsim_core::data::Dataset::builtin().unwrap();
    wfhsim_core::scenario::load_files(&[p.to_path_buf()], &ds)
        .unwrap_or_else(|e| panic!("{e}"))
        .remove(0)
}

/// `file` (holding `text`) with each measure block uncommented in turn passes `wfhsim
/// validate`: the one measure each block gives.
fn each_measure_block_alone(file: &Path, text: &str) -> Vec<Measure> {
    let mut out = Vec::new();
    for block in measure_blocks(text) {
        std::fs::write(file, text.replace(block, &uncomment(block))).unwrap();
        wfhsim().arg("validate").arg(file).assert().success();
        let s = load(file);
        assert_eq!(s.measures.len(), 1, "{block}");
        out.extend(s.measures);
    }
    std::fs::write(file, text).unwrap();
    out
}

#[test]
fn a_new_scenario_validates_and_runs_as_its_base() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("my-variant.toml");
    wfhsim()
        .args(["new", "my-variant", "--from", "dki-2023", "--out"])
        .arg(&file)
        .assert()
        .success();
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("\nextends = \"dki-2023\"\nname = \"my-variant\"\n"));
    assert!(text.contains("\ntitle_id = \"Varian dari dki-2023: ASN DKI 50%"));
    assert!(text.contains("\n# compliance = { central = 0.6, low = 0.25, high = 1.0, model = \"clustered\", rho = { central = 0.3, low = 0.1, high = 0.6 }, ramp_days = { central = 10.0, low = 5.0, high = 20.0 }, ramp_from = { central = 0.43, low = 0.25, high = 1.0 } }\n"), "{text}");
    // No schema in or above a temporary folder: no #:schema line.
    assert!(!text.contains("#:schema"));
    for l in text.lines().filter(|l| !l.contains(" = ")) {
        assert!(l.chars().count() <= 80, "longer than 80 columns: {l}");
    }
    // dki-2023 has no measures: an example of each kind, each valid uncommented.
    let kinds: Vec<&str> = each_measure_block_alone(&file, &text)
        .iter()
        .map(|m| m.kind.name())
        .collect();
    assert_eq!(kinds, MeasureKind::NAMES);
    wfhsim()
        .arg("validate")
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains("('my-variant', 1 policies)"));
    let variant = summary_numbers(&file, tmp.path(), "variant");
    let base = summary_numbers(Path::new("scenarios/dki-2023.toml"), tmp.path(), "base");
    assert_eq!(variant.len(), base.len());
    assert!(
        variant == base,
        "the variant's numbers differ from dki-2023's"
    );
    let info: Json = serde_json::from_str(
        &std::fs::read_to_string(tmp.path().join("variant/run.json")).unwrap(),
    )
    .unwrap();
    assert!(
        info["scenarios"][0]["title_id"]
            .as_str()
            .unwrap()
            .starts_with("Varian dari dki-2023")
    );
}

/// A variant of a bundle: written, it runs as its base; its commented measures are the
/// base's, each valid alone, and uncommented together they are exactly the base's.
#[test]
fn a_new_variant_of_a_bundle_carries_its_measures_as_comments() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("summit.toml");
    let bundle = Path::new("scenarios/bundles/asean-summit-2023-bundle.toml");
    wfhsim()
        .args(["new", "summit", "--from"])
        .arg(bundle)
        .arg("--out")
        .arg(&file)
        .assert()
        .success();
    let text = std::fs::read_to_string(&file).unwrap();
    let base = load(bundle);
    assert_eq!(load(&file).measures, base.measures);
    assert_eq!(each_measure_block_alone(&file, &text), base.measures);
    for l in measure_blocks(&text).iter().flat_map(|b| b.lines()) {
        assert!(l.chars().count() <= 80, "longer than 80 columns: {l}");
    }
    let variant = summary_numbers(&file, tmp.path(), "variant");
    assert!(variant == summary_numbers(bundle, tmp.path(), "base"));
    // Uncommented together, the tables replace the base's measures with equal ones.
    let mut all = text.clone();
    for block in measure_blocks(&text) {
        all = all.replace(block, &uncomment(block));
    }
    std::fs::write(&file, &all).unwrap();
    let copy = load(&file);
    assert_eq!(copy.measures, base.measures);
    assert_eq!(copy.policies, base.policies);
}

/// The printed next step pastes as it reads: a folder with a space or `$(...)` is quoted.
#[test]
fn the_printed_validate_command_is_shell_quoted() {
    let tmp = tempfile::tempdir().unwrap();
    let odd = tmp.path().join("a b $(touch pwned)");
    std::fs::create_dir(&odd).unwrap();
    let file = odd.join("v.toml");
    let printed = stdout(&[
        "new",
        "v",
        "--from",
        "dki-2023",
        "--out",
        file.to_str().unwrap(),
    ]);
    let quoted = format!("'{}'", file.display());
    assert_eq!(
        printed.trim_end(),
        format!(
            "Wrote {} (extends dki-2023); edit it, then: wfhsim validate {quoted}",
            file.display()
        )
    );
}

#[test]
fn new_refuses_bad_names_unknown_bases_and_existing_files() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("x.toml");
    let new = |args: &[&str]| {
        let mut c = wfhsim();
        c.arg("new").args(args).arg("--out").arg(&file);
        c.assert()
    };
    new(&["Bad Name"]).code(2).stderr(
        "Error: scenario name 'Bad Name' must be non-empty, use only a-z, 0-9 and '-', not begin with '-', and have at most 200 characters\n",
    );
    new(&["x", "--from", "dki-2032"])
        .code(2)
        .stderr(predicate::str::starts_with(
            "Error: no shipped scenario is named 'dki-2032'; did you mean 'dki-2023'? (shipped: dki-2023,",
        ));
    assert!(!file.exists(), "nothing is written for bad input");
    new(&["x"]).success();
    new(&["x"]).code(2).stderr(format!(
        "Error: {} already exists; pass --force to replace it, or --out another file\n",
        file.display()
    ));
    new(&["x", "--force", "--from", "narrow-exemptions"]).success();
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("extends = \"narrow-exemptions\""));
}

#[test]
fn new_points_to_a_schema_it_finds_and_extends_files_by_relative_path() {
    let tmp = tempfile::tempdir().unwrap();
    let scen = tmp.path().join("scenarios");
    let sub = tmp.path().join("studies/mine");
    std::fs::create_dir_all(&scen).unwrap();
    std::fs::create_dir_all(&sub).unwrap();
    std::fs::write(scen.join("scenario.schema.json"), "{}").unwrap();
    std::fs::copy("scenarios/dki-2023.toml", scen.join("base.toml")).unwrap();
    wfhsim()
        .args(["new", "a", "--out"])
        .arg(&scen)
        .assert()
        .success();
    let a = std::fs::read_to_string(scen.join("a.toml")).unwrap();
    assert!(a.starts_with("#:schema ./scenario.schema.json\n"), "{a}");
    wfhsim()
        .args(["new", "b", "--from"])
        .arg(scen.join("base.toml"))
        .arg("--out")
        .arg(&sub)
        .assert()
        .success();
    let b = std::fs::read_to_string(sub.join("b.toml")).unwrap();
    assert!(
        b.starts_with("#:schema ../../scenarios/scenario.schema.json\n"),
        "{b}"
    );
    assert!(
        b.contains("\nextends = \"../../scenarios/base.toml\"\n"),
        "{b}"
    );
    wfhsim()
        .arg("validate")
        .arg(sub.join("b.toml"))
        .assert()
        .success();
}

#[test]
fn the_committed_schema_is_the_programs() {
    let printed = stdout(&["schema"]);
    let committed = std::fs::read_to_string("scenarios/scenario.schema.json").unwrap();
    assert!(
        printed == committed,
        "scenarios/scenario.schema.json differs from `wfhsim schema`: run `wfhsim schema --out scenarios/scenario.schema.json`"
    );
    assert!(printed.ends_with("}\n"));
    let v: Json = serde_json::from_str(&printed).unwrap();
    assert_eq!(v["$schema"], "http://json-schema.org/draft-07/schema#");
}

/// The problems of `v` against `schema`: the draft-07 keywords the scenario schema uses
/// (type, enum, const, minimum, maximum, properties, additionalProperties, required,
/// items, minItems, anyOf, not, if/then).
fn check(v: &Value, schema: &Json, path: &str) -> Vec<String> {
    let mut bad = Vec::new();
    if let Some(t) = schema.get("type").and_then(Json::as_str) {
        let ok = match (t, v) {
            ("string", Value::String(_)) => true,
            // TOML dates stand for strings of format date.
            ("string", Value::Datetime(_)) => schema["format"] == "date",
            ("number", Value::Integer(_) | Value::Float(_)) => true,
            ("integer", Value::Integer(_)) => true,
            ("boolean", Value::Boolean(_)) => true,
            ("array", Value::Array(_)) => true,
            ("object", Value::Table(_)) => true,
            _ => false,
        };
        if !ok {
            bad.push(format!("{path}: not a {t}"));
            return bad;
        }
    }
    if let (Some(e), Value::String(s)) = (schema.get("enum"), v)
        && !e.as_array().unwrap().iter().any(|x| x == s.as_str())
    {
        bad.push(format!("{path}: '{s}' not in {e}"));
    }
    if let (Some(c), Value::Integer(i)) = (schema.get("const"), v)
        && c.as_i64() != Some(*i)
    {
        bad.push(format!("{path}: {i} is not {c}"));
    }
    let x = match v {
        Value::Integer(i) => Some(*i as f64),
        Value::Float(f) => Some(*f),
        _ => None,
    };
    if let Some(x) = x
        && (schema
            .get("minimum")
            .is_some_and(|m| x < m.as_f64().unwrap())
            || schema
                .get("maximum")
                .is_some_and(|m| x > m.as_f64().unwrap()))
    {
        bad.push(format!("{path}: {x} out of range"));
    }
    if let Value::Table(t) = v {
        let props = schema.get("properties");
        for (k, x) in t {
            let p = format!("{path}.{k}");
            match (
                props.and_then(|p| p.get(k)),
                schema.get("additionalProperties"),
            ) {
                (Some(s), _) => bad.extend(check(x, s, &p)),
                (None, Some(Json::Bool(false))) => bad.push(format!("{p}: key not allowed")),
                (None, Some(s @ Json::Object(_))) => bad.extend(check(x, s, &p)),
                _ => {}
            }
        }
        for r in schema
            .get("required")
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
        {
            if !t.contains_key(r.as_str().unwrap()) {
                bad.push(format!("{path}: {r} missing"));
            }
        }
    }
    if let Value::Array(items) = v {
        if let Some(s) = schema.get("items") {
            for (i, x) in items.iter().enumerate() {
                bad.extend(check(x, s, &format!("{path}[{i}]")));
            }
        }
        if let Some(m) = schema.get("minItems").and_then(Json::as_u64)
            && (items.len() as u64) < m
        {
            bad.push(format!("{path}: fewer than {m} items"));
        }
    }
    if let Some(any) = schema.get("anyOf").and_then(Json::as_array)
        && !any.iter().any(|s| check(v, s, path).is_empty())
    {
        bad.push(format!("{path}: matches none of anyOf"));
    }
    if let Some(n) = schema.get("not")
        && check(v, n, path).is_empty()
    {
        bad.push(format!("{path}: matches 'not'"));
    }
    if let (Some(i), Some(then)) = (schema.get("if"), schema.get("then"))
        && check(v, i, path).is_empty()
    {
        bad.extend(check(v, then, path));
    }
    bad
}

fn schema() -> Json {
    serde_json::from_str(&std::fs::read_to_string("scenarios/scenario.schema.json").unwrap())
        .unwrap()
}

/// The scenario files shipped in `scenarios/`, its bundles' and natural experiments' folders.
fn shipped() -> Vec<(String, String)> {
    let mut files: Vec<_> = [
        "scenarios",
        "scenarios/bundles",
        "scenarios/natural-experiments",
    ]
    .iter()
    .flat_map(|d| std::fs::read_dir(d).unwrap())
    .map(|e| e.unwrap().path())
    .filter(|p| p.extension().is_some_and(|e| e == "toml"))
    .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            (
                p.display().to_string(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect()
}

#[test]
fn every_shipped_scenario_fits_the_schema_and_names_it() {
    let schema = schema();
    let files = shipped();
    assert!(files.len() >= 10);
    for (name, text) in files {
        let line = if name.starts_with("scenarios/bundles/")
            || name.starts_with("scenarios/natural-experiments/")
        {
            "#:schema ../scenario.schema.json\n"
        } else {
            "#:schema ./scenario.schema.json\n"
        };
        assert!(
            text.starts_with(line),
            "{name} does not start with the #:schema line"
        );
        let v: Value = text.parse::<toml::Table>().map(Value::Table).unwrap();
        let bad = check(&v, &schema, "");
        assert!(bad.is_empty(), "{name}: {bad:?}");
        assert!(
            v.get("title_id").is_some_and(Value::is_str),
            "{name}: no title_id"
        );
    }
}

#[test]
fn keys_the_reader_rejects_the_schema_rejects() {
    let schema = schema();
    let base = std::fs::read_to_string("scenarios/dki-2023.toml").unwrap();
    for (from, to, key) in [
        ("title_id =", "titel = \"x\"\ntitle_id =", ".titel"),
        (
            "assignment =",
            "assignmnt = \"rotation\"\nassignment =",
            ".policy[0].assignmnt",
        ),
        (
            "share = 0.75 }",
            "share = 0.75, shares = 1 }",
            ".policy[0].schedule[1].shares",
        ),
        (
            "end = 2023-10-31",
            "end = 2023-10-31\nstop = 2023-10-31",
            ".period.stop",
        ),
        (
            "central = 0.60,",
            "central = 0.60, mid = 0.8,",
            ".policy[0].compliance.mid",
        ),
    ] {
        let text = base.replacen(from, to, 1);
        assert_ne!(text, base, "{from}");
        let ds = wfhsim_core::data::Dataset::builtin().unwrap();
        let err = wfhsim_core::scenario::parse_scenario("f.toml", &text, &ds).unwrap_err();
        assert!(err.to_string().contains("unknown key"), "{err}");
        let v = Value::Table(text.parse::<toml::Table>().unwrap());
        let bad = check(&v, &schema, "");
        assert_eq!(bad, vec![format!("{key}: key not allowed")]);
    }
    // A file without extends must give everything; with it, little.
    let bare = Value::Table("schema_version = 1\nname = \"x\"".parse().unwrap());
    assert_eq!(check(&bare, &schema, "").len(), 3);
    let variant = Value::Table(
        "schema_version = 1\nname = \"x\"\nextends = \"dki-2023\""
            .parse()
            .unwrap(),
    );
    assert!(check(&variant, &schema, "").is_empty());
}
