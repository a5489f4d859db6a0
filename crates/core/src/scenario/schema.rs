//! The JSON Schema (draft-07) of scenario files, for editors (Taplo / Even Better TOML
//! read the `#:schema` line of a file): every key the reader accepts, with its type, its
//! allowed values where the format fixes them, a description, which keys are required and
//! that no other key is allowed. `wfhsim schema` prints it; `scenarios/scenario.schema.json`
//! is its committed copy (a test keeps the two equal).
//!
//! The key lists and choices come from the reader's own tables ([`sections`]), so a key
//! the reader learns without a description here makes [`schema`] panic (the tests run it).
//! Names of employers, regions, roles and parameters belong to the dataset (`--data` can
//! change them): they are listed in descriptions, not enforced.

use serde_json::{Value, json};

use super::parse::measures::{
    ACTIVITY_KEYS, ATTENDANCE_KEYS, CLOSURE_KEYS, MEASURE_KEYS, ODD_EVEN_KEYS, PERIOD_NAMES,
    TRANSIT_CAP_KEYS,
};
use super::parse::sections::{
    ACCOUNTING_KEYS, ASSIGNMENTS, COMPLIANCE_KEYS, COMPLIANCE_MODELS, EMISSION_MODEL,
    OVERRIDE_KEYS, PERIOD_KEYS, POLICY_KEYS, RANGE_KEYS, SHARE_BASES, SHARE_RULES, TOP_KEYS,
    TRANSIT, WINDOW_KEYS,
};
use super::{MeasureKind, OddEvenAction, Purpose, is_transit};
use crate::data::Dataset;
use crate::text::{MAX_NAME_BYTES, MAX_TEXT_CHARS, MAX_TITLE_CHARS};

/// The names of a choice table.
fn choices<T>(table: &[(&str, T)]) -> Vec<String> {
    table.iter().map(|(n, _)| n.to_string()).collect()
}

/// An object schema of `keys`, each described by `describe`, no other key allowed.
fn object(keys: &[&str], describe: impl Fn(&str) -> Value, description: &str) -> Value {
    let props: serde_json::Map<String, Value> =
        keys.iter().map(|k| (k.to_string(), describe(k))).collect();
    json!({
        "type": "object",
        "description": description,
        "properties": props,
        "additionalProperties": false,
    })
}

fn with_required(mut v: Value, required: &[&str]) -> Value {
    v["required"] = json!(required);
    v
}

fn string(description: &str) -> Value {
    json!({ "type": "string", "description": description })
}

/// A text of at most `max` characters (control characters other than newline and tab
/// are refused too, which a schema cannot say).
fn text(description: &str, max: usize) -> Value {
    json!({ "type": "string", "maxLength": max, "description": description })
}

fn date(description: &str) -> Value {
    json!({ "type": "string", "format": "date", "description": description })
}

fn share(description: &str) -> Value {
    json!({ "type": "number", "minimum": 0, "maximum": 1, "description": description })
}

fn names(what: &str, valid: Vec<&str>, empty: &str) -> Value {
    json!({
        "type": "array",
        "items": { "type": "string" },
        "description": format!(
            "{what} codes of the dataset ({empty}); the built-in dataset's: {}",
            valid.join(", ")
        ),
    })
}

fn choice(table: Vec<String>, description: &str) -> Value {
    json!({ "type": "string", "enum": table, "description": description })
}

fn unknown(key: &str) -> Value {
    panic!("the scenario schema has no description of the key '{key}'")
}

fn period() -> Value {
    object(
        &PERIOD_KEYS,
        |k| match k {
            "start" => date("First simulated day, YYYY-MM-DD (a TOML date, no quotes)"),
            "end" => date("Last simulated day, YYYY-MM-DD; inside the calendar's years"),
            _ => unknown(k),
        },
        "The simulated days; the baseline and the policy windows are counted inside it",
    )
}

fn accounting() -> Value {
    object(
        &ACCOUNTING_KEYS,
        |k| match k {
            "transit" => choice(
                choices(&TRANSIT),
                "marginal (default): a bus or train rider at home saves no vehicle-km; \
                 average: a per-passenger share of transit emissions is avoided",
            ),
            "rebound" => json!({
                "type": "boolean",
                "description": "Count the rebound (errands and home energy of workers at home); default true",
            }),
            "emission_model" => choice(
                choices(&EMISSION_MODEL),
                "speed (default): EMEP/EEA speed curves and a congestion component; \
                 fixed: one factor per mode",
            ),
            _ => unknown(k),
        },
        "How avoided travel is turned into emissions",
    )
}

fn parameters() -> Value {
    let range = with_required(
        object(
            &OVERRIDE_KEYS,
            |k| match k {
                "value" => json!({ "type": "number", "description": "The central value" }),
                "low" => {
                    json!({ "type": "number", "description": "Low end of the range replicates draw from" })
                }
                "high" => {
                    json!({ "type": "number", "description": "High end of the range replicates draw from" })
                }
                _ => unknown(k),
            },
            "A value with an optional range",
        ),
        &["value"],
    );
    json!({
        "type": "object",
        "description": "Dataset parameters overridden for this scenario (groups ef., grid., \
                        occupancy., rebound., ridehail.; `wfhsim data` lists the keys): a number, \
                        or { value, low, high }",
        "additionalProperties": { "anyOf": [{ "type": "number" }, range] },
    })
}

/// A number, or a range { central, low, high } of numbers described by `part`.
fn number_or_range(part: impl Fn(&str) -> Value, description: &str) -> Value {
    let range = with_required(
        object(
            &RANGE_KEYS,
            |k| match k {
                "central" => part("The central value"),
                "low" => part("Low end of the range replicates draw from (default: central)"),
                "high" => part("High end of the range replicates draw from (default: central)"),
                _ => unknown(k),
            },
            "A central value with the range replicates draw from",
        ),
        &["central"],
    );
    json!({ "description": description, "anyOf": [part(description), range] })
}

fn compliance() -> Value {
    let days = |d: &str| json!({ "type": "number", "minimum": 0, "maximum": super::validate::MAX_RAMP_DAYS, "description": d });
    with_required(
        object(
            &COMPLIANCE_KEYS,
            |k| match k {
                "central" => share("Share of assigned staff who really stay home, 0..1"),
                "low" => share("Low end of the range replicates draw from (default: central)"),
                "high" => share("High end of the range replicates draw from (default: central)"),
                "model" => choice(
                    choices(&COMPLIANCE_MODELS),
                    "iid (default): each assigned worker complies each day independently; \
                     persistent: each worker is a complier or not for the whole order; \
                     clustered: each work unit draws its own compliance from a Beta around \
                     the policy's, with intra-unit correlation rho",
                ),
                "rho" => number_or_range(
                    share,
                    "Intra-unit correlation of compliance, 0..1 (model = \"clustered\", which \
                     requires it; other models ignore it)",
                ),
                "ramp_days" => number_or_range(
                    days,
                    "Working days from the order's first day over which compliance ramps up \
                     linearly to its full level (0 = no ramp; needs ramp_from)",
                ),
                "ramp_from" => number_or_range(
                    share,
                    "Compliance on the order's first working day as a fraction of the full \
                     level, 0..1 (needs ramp_days)",
                ),
                _ => unknown(k),
            },
            "Compliance: { central, low, high }, each 0..1, low <= central <= high; \
             optionally model, rho, ramp_days and ramp_from",
        ),
        &["central"],
    )
}

/// A schedule's window { from, to, share }, its share described as `share_means`.
fn window(share_means: &str, description: &str) -> Value {
    with_required(
        object(
            &WINDOW_KEYS,
            |k| match k {
                "from" => date("First day of the window, YYYY-MM-DD"),
                "to" => date("Last day of the window, YYYY-MM-DD"),
                "share" => share(share_means),
                _ => unknown(k),
            },
            description,
        ),
        &["from", "to", "share"],
    )
}

fn policy(ds: &Dataset) -> Value {
    let emp: Vec<&str> = ds.employers.iter().map(|e| e.code.as_str()).collect();
    let reg: Vec<&str> = ds.regions.iter().map(|e| e.code.as_str()).collect();
    let rol: Vec<&str> = ds.roles.iter().map(|e| e.code.as_str()).collect();
    let compliance = compliance();
    let window = window(
        "Share of eligible staff at home, 0..1 (0.5 means 50%)",
        "A date window and the share in force on it",
    );
    let describe = |k: &str| match k {
        "name" => text(
            "What the order is; a name of a base policy (extends) overrides that policy's \
             keys given here, a new name adds a policy",
            MAX_TITLE_CHARS,
        ),
        "employers" => names("Employer", emp.clone(), "at least one"),
        "work_regions" => names(
            "Workplace region",
            reg.clone(),
            "empty or absent = every region",
        ),
        "home_regions" => names("Home region", reg.clone(), "empty or absent = every region"),
        "exempt_roles" => names("Role", rol.clone(), "roles always at the workplace"),
        "assignment" => choice(
            choices(&ASSIGNMENTS),
            "rotation: staff of each work unit take turns; random_daily: each eligible \
             worker stays home with probability share each day",
        ),
        "share_rule" => choice(
            choices(&SHARE_RULES),
            "ceiling: at most the share (a unit's count rounded down); target: at least \
             (rounded up)",
        ),
        "share_base" => choice(
            choices(&SHARE_BASES),
            "unit (default): the share counts all staff of a unit, exempt ones included; \
             eligible: only the staff allowed to work from home",
        ),
        "compliance" => compliance.clone(),
        "schedule" => json!({
            "type": "array",
            "items": window.clone(),
            "description": "The share in force per date window; windows of one policy do not overlap",
        }),
        "source" => string("Where the order comes from (a note; not used)"),
        _ => unknown(k),
    };
    with_required(
        object(
            &POLICY_KEYS,
            describe,
            "One order: who is covered, the share at home by date, exemptions, how staff \
             are picked and compliance. Without extends every policy needs name, employers, \
             assignment, share_rule, compliance and schedule",
        ),
        &["name"],
    )
}

/// A `[[measure]]` table: the keys of every kind, each saying which kind takes it.
fn measure(ds: &Dataset) -> Value {
    let reg: Vec<&str> = ds.regions.iter().map(|e| e.code.as_str()).collect();
    let window = window(
        "The measure's strength on it, 0..1 (1 = as written, 0 = not in force)",
        "A date window and the measure's strength on it",
    );
    let describe = |k: &str| match k {
        "kind" => choice(
            MeasureKind::NAMES.iter().map(|n| n.to_string()).collect(),
            "school_closure: school and escort trips are not made; activity_limit: each \
             purpose's trips multiplied by a factor; road_closure: part of the regions' road \
             capacity closed in the chosen periods; attendance: an observed share of workers \
             at their workplace; odd_even: one plate parity barred from the covered roads \
             (impose) or the baseline's odd-even lifted (suspend); transit_cap: transit \
             carries only a share of its normal capacity",
        ),
        "name" => text("What the measure is", MAX_TITLE_CHARS),
        "regions" => names(
            "Region",
            reg.clone(),
            "where it acts; empty or absent = every region",
        ),
        "schedule" => json!({
            "type": "array",
            "items": window.clone(),
            "description": "Its strength per date window (working days); windows of one measure do not overlap",
        }),
        "source" => string("Where the measure comes from (a note; not used)"),
        _ => kind_key(k, ds),
    };
    let mut keys: Vec<&str> = Vec::new();
    for k in MEASURE_KEYS
        .iter()
        .chain(&ACTIVITY_KEYS)
        .chain(&CLOSURE_KEYS)
        .chain(&ATTENDANCE_KEYS)
        .chain(&ODD_EVEN_KEYS)
        .chain(&TRANSIT_CAP_KEYS)
    {
        // `periods` is a closure's and an odd-even measure's: listed once.
        if !keys.contains(k) {
            keys.push(k);
        }
    }
    with_required(
        object(
            &keys,
            describe,
            "One measure bundled with the policies, acting on the trips it touches on the \
             working days of its schedule (docs/scenarios.md, Measures)",
        ),
        &["kind", "name", "schedule"],
    )
}

/// A key one kind of measure takes, described with the kind that takes it.
fn kind_key(k: &str, ds: &Dataset) -> Value {
    match k {
        "purposes" => {
            let purposes: Vec<&str> = Purpose::ALL.iter().map(|p| p.as_str()).collect();
            let mut p = object(
                &purposes,
                |_| share("The factor on the purpose's trips, 0..1 (1 = unchanged, 0 = none)"),
                "activity_limit: a factor per purpose named (the others stay at 1)",
            );
            p["minProperties"] = json!(1);
            p
        }
        "periods" => json!({
            "type": "array",
            "items": { "type": "string", "enum": PERIOD_NAMES },
            "minItems": 1,
            "description": "road_closure: the periods it is closed in; odd_even: the periods it is in force in (default [\"peak\"]); peak = 06-10 and 16-20",
        }),
        "capacity" => json!({
            "type": "number", "exclusiveMinimum": 0, "maximum": 1,
            "description": "road_closure: the share of the regions' road capacity left open",
        }),
        "diversion" => share(
            "road_closure: the share of the closed roads' traffic that drives on divert_to's roads instead (default 0)",
        ),
        "divert_to" => names(
            "Region",
            ds.regions.iter().map(|e| e.code.as_str()).collect(),
            "road_closure: where diverted traffic drives; needed when diversion > 0",
        ),
        "employers" => names(
            "Employer",
            ds.employers.iter().map(|e| e.code.as_str()).collect(),
            "attendance: whose workers; absent = every employer",
        ),
        "exempt_roles" => names(
            "Role",
            ds.roles.iter().map(|e| e.code.as_str()).collect(),
            "attendance: roles that keep attending",
        ),
        "attendance" => json!({
            "oneOf": [
                { "type": "number", "minimum": 0, "maximum": 1 },
                { "type": "object", "required": ["central"], "additionalProperties": false,
                  "properties": {
                      "central": { "type": "number", "minimum": 0, "maximum": 1 },
                      "low": { "type": "number", "minimum": 0, "maximum": 1 },
                      "high": { "type": "number", "minimum": 0, "maximum": 1 } } }
            ],
            "description": "attendance: the share of workers at their workplace against normal (e.g. Google's workplaces -52.5% is 0.475), a number or { central, low, high }",
        }),
        "action" => choice(
            OddEvenAction::NAMES.iter().map(|n| n.to_string()).collect(),
            "odd_even: suspend lifts the baseline's odd-even (DKI's regions, the peaks); impose bars one parity where the baseline does not",
        ),
        "cap" => json!({
            "type": "number", "exclusiveMinimum": 0, "maximum": 1,
            "description": "transit_cap: the share of transit's normal capacity allowed aboard",
        }),
        "modes" => names(
            "Mode",
            ds.modes
                .iter()
                .filter(|m| is_transit(m))
                .map(|m| m.code.as_str())
                .collect(),
            "transit_cap: the modes capped; absent = every rail and bus mode",
        ),
        _ => unknown(k),
    }
}

/// The schema of scenario files.
pub fn schema(ds: &Dataset) -> Value {
    let policy = policy(ds);
    let measure = measure(ds);
    let describe = |k: &str| match k {
        "schema_version" => json!({
            "type": "integer",
            "const": super::SCHEMA_VERSION,
            "description": "Version of the scenario format: 1",
        }),
        "extends" => string(
            "A base scenario: a shipped scenario's name (e.g. dki-2023) or a path ending in \
             .toml, relative to this file's folder. Keys given here replace the base's; \
             [period], [accounting] and [parameters] merge key by key",
        ),
        "name" => json!({
            "type": "string",
            "pattern": format!("^[a-z0-9][a-z0-9-]{{0,{}}}$", MAX_NAME_BYTES - 1),
            "description": "The scenario's name in tables and charts: a-z, 0-9 and '-', not beginning with '-', unique in a run",
        }),
        "title" => text("Shown on charts (English)", MAX_TITLE_CHARS),
        "title_id" => text(
            "The title in Indonesian, for bilingual briefings (optional)",
            MAX_TITLE_CHARS,
        ),
        "description" => text(
            "What the scenario is and where its numbers come from",
            MAX_TEXT_CHARS,
        ),
        "period" => period(),
        "accounting" => accounting(),
        "parameters" => parameters(),
        "policy" => json!({
            "type": "array",
            "items": policy.clone(),
            "description": "The orders ([[policy]] tables); at least one",
        }),
        "measure" => json!({
            "type": "array",
            "items": measure.clone(),
            "description": "Measures bundled with the orders ([[measure]] tables; optional); a file that extends another and gives them replaces the base's",
        }),
        _ => unknown(k),
    };
    let mut root = object(
        &TOP_KEYS,
        describe,
        "A wfhsim scenario: WFH policies over a period (docs/scenarios.md)",
    );
    let full_policy = &[
        "name",
        "employers",
        "assignment",
        "share_rule",
        "compliance",
        "schedule",
    ];
    let mut s = json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "wfhsim scenario file",
    });
    if let (Value::Object(m), Value::Object(r)) = (&mut s, root.take()) {
        m.extend(r);
    }
    s["required"] = json!(["schema_version", "name"]);
    // Without a base, the file gives everything itself.
    s["if"] = json!({ "not": { "required": ["extends"] } });
    s["then"] = json!({
        "required": ["schema_version", "name", "title", "period"],
        "anyOf": [{ "required": ["policy"] }, { "required": ["measure"] }],
        "properties": {
            "period": { "required": ["start", "end"] },
            "policy": { "minItems": 1, "items": { "required": full_policy } },
        },
    });
    s
}

/// The schema as `wfhsim schema` prints it: pretty JSON with a final newline.
pub fn schema_text(ds: &Dataset) -> String {
    let mut t = serde_json::to_string_pretty(&schema(ds)).expect("a JSON value serializes");
    t.push('\n');
    t
}
