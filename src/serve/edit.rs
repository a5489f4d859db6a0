//! `/api/scenario`: a scenario's text and edits of its keys → the edited scenario as a
//! self-contained TOML file (every base merged in, so `wfhsim run` reads it alone) and as
//! JSON, for a page's form. An edit names a key as a sweep does (docs/sweeps.md:
//! `policy.1.schedule.2.share`, `policy.1.share` for every entry, `measure.1.regions`);
//! the text and the edited scenario go through the scenario reader and validator, and a
//! problem comes back with the key of the field it is about.

use serde::{Deserialize, Serialize};
use serde_json::{Value as Json, json};
use toml::Value;

use super::limits::REQUEST_FILE;
use super::reply::ApiError;
use http::StatusCode;
use wfhsim_core::calendar::Date;
use wfhsim_core::data::Dataset;
use wfhsim_core::scenario::{self, Template};

/// The body: a scenario's TOML and the edits, applied in order.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EditRequest {
    toml: String,
    #[serde(default)]
    set: Vec<(String, Json)>,
}

/// The edited scenario.
#[derive(Serialize)]
pub struct Edited {
    pub name: String,
    /// A scenario file `wfhsim run` reads as this scenario.
    toml: String,
    /// The same file as JSON (dates as `YYYY-MM-DD` strings).
    scenario: Json,
}

/// Keys whose text value is a date.
const DATE_KEYS: [&str; 4] = ["from", "to", "start", "end"];

/// Reads the body, applies its edits and checks the result.
pub fn edit(body: &str, ds: &Dataset) -> Result<Edited, ApiError> {
    let req: EditRequest = serde_json::from_str(body).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("the body is not {{\"toml\": \"…\", \"set\": [[\"key\", value], …]}}: {e}"),
        )
    })?;
    check_edits(&req.set)?;
    let template =
        Template::from_text(REQUEST_FILE, &req.toml, ds).map_err(|e| ApiError::scenario(&e))?;
    let sets = req
        .set
        .iter()
        .map(|(key, v)| Ok((key.clone(), toml_of(key, v)?)))
        .collect::<Result<Vec<_>, ApiError>>()?;
    let (text, sc) = template
        .edited(REQUEST_FILE, &sets, ds)
        .map_err(|e| ApiError::scenario(&e))?;
    let table: toml::Table = toml::from_str(&text).map_err(|e| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("the edited scenario does not read back: {e}"),
        )
    })?;
    Ok(Edited {
        name: sc.name,
        toml: text,
        scenario: json_of(&Value::Table(table)),
    })
}

/// Edits a request may make: at most this many, each value at most [`MAX_LEAVES`] numbers
/// or texts, each key naming one place (no `*`), a share one value — so that no request
/// can make a scenario much larger than its 64 KiB body.
const MAX_EDITS: usize = 100;
const MAX_LEAVES: usize = 100;

fn check_edits(set: &[(String, Json)]) -> Result<(), ApiError> {
    if set.len() > MAX_EDITS {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("{} edits; at most {MAX_EDITS} are taken at once", set.len()),
        ));
    }
    for (key, v) in set {
        if key.split('.').any(|s| s == "*") {
            return Err(bad_edit(
                key,
                "'*' (every element) is for sweeps; name one element",
            ));
        }
        let n = leaves(v);
        if n > MAX_LEAVES {
            return Err(bad_edit(
                key,
                &format!("a value of {n} items; at most {MAX_LEAVES}"),
            ));
        }
        if key.ends_with(".share") && (v.is_array() || v.is_object()) {
            return Err(bad_edit(key, "a share is one number"));
        }
    }
    Ok(())
}

fn leaves(v: &Json) -> usize {
    match v {
        Json::Array(a) => a.iter().map(leaves).sum(),
        Json::Object(o) => o.values().map(leaves).sum(),
        _ => 1,
    }
}

fn bad_edit(key: &str, what: &str) -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        format!(
            "edit of '{}': {what}",
            wfhsim_core::text::escape_controls(key)
        ),
    )
}

/// An edit's JSON value as TOML: a whole number stays whole, a `YYYY-MM-DD` text under a
/// date key is a date.
fn toml_of(key: &str, v: &Json) -> Result<Value, ApiError> {
    let last = key.rsplit('.').next().unwrap_or(key);
    Ok(match v {
        Json::Bool(b) => Value::Boolean(*b),
        Json::Number(n) => match n.as_i64() {
            Some(i) => Value::Integer(i),
            None => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Json::String(s) if DATE_KEYS.contains(&last) && Date::parse(s).is_some() => {
            Value::Datetime(s.parse().map_err(|e| bad_value(key, &format!("{e}")))?)
        }
        Json::String(s) => Value::String(s.clone()),
        Json::Array(a) => Value::Array(
            a.iter()
                .map(|x| toml_of(key, x))
                .collect::<Result<_, _>>()?,
        ),
        Json::Object(o) => Value::Table(
            o.iter()
                .map(|(k, x)| Ok((k.clone(), toml_of(&format!("{key}.{k}"), x)?)))
                .collect::<Result<_, ApiError>>()?,
        ),
        Json::Null => return Err(bad_value(key, "null is not a value")),
    })
}

fn bad_value(key: &str, what: &str) -> ApiError {
    bad_edit(
        key,
        &format!("{what}; give a number, text, true/false, a list or a table"),
    )
}

/// A TOML value as JSON; a date as its text.
fn json_of(v: &Value) -> Json {
    match v {
        Value::String(s) => Json::from(s.as_str()),
        Value::Integer(i) => Json::from(*i),
        Value::Float(f) => Json::from(*f),
        Value::Boolean(b) => Json::from(*b),
        Value::Datetime(d) => Json::from(d.to_string()),
        Value::Array(a) => Json::Array(a.iter().map(json_of).collect()),
        Value::Table(t) => Json::Object(t.iter().map(|(k, x)| (k.clone(), json_of(x))).collect()),
    }
}

/// What a form may offer: the dataset's employers, roles and regions (code and name) and
/// the scenario reader's choices.
pub fn choices(ds: &Dataset) -> Json {
    let named = |items: Vec<(&str, &str)>| {
        items
            .into_iter()
            .map(|(code, name)| json!({ "code": code, "name": name }))
            .collect::<Vec<_>>()
    };
    json!({
        "employers": named(ds.employers.iter().map(|e| (e.code.as_str(), e.name.as_str())).collect()),
        "roles": named(ds.roles.iter().map(|r| (r.code.as_str(), r.name.as_str())).collect()),
        "regions": ds.regions.iter()
            .map(|r| json!({ "code": r.code, "name": r.name, "dki": r.is_dki }))
            .collect::<Vec<_>>(),
        "compliance_models": scenario::compliance_models(),
        "assignments": scenario::assignments(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edit_value_becomes_the_toml_value_a_file_would_hold() {
        let to = |k: &str, v: Json| toml_of(k, &v).unwrap();
        assert_eq!(to("policy.1.share", json!(0.3)), Value::Float(0.3));
        assert_eq!(to("policy.1.share", json!(1)), Value::Integer(1));
        assert_eq!(
            to("policy.1.schedule.1.to", json!("2023-09-03")),
            Value::Datetime("2023-09-03".parse().unwrap())
        );
        // A date-like text under another key stays text (the reader says what it wants).
        assert_eq!(
            to("name", json!("2023-09-03")),
            Value::String("2023-09-03".into())
        );
        assert_eq!(
            to("policy.1.employers", json!(["dki", "central"])),
            Value::Array(vec![Value::from("dki"), Value::from("central")])
        );
        let refused = |set: Json| {
            let set: Vec<(String, Json)> = serde_json::from_value(set).unwrap();
            check_edits(&set).unwrap_err().message
        };
        assert_eq!(
            refused(json!([["policy.*.share", 0.5]])),
            "edit of 'policy.*.share': '*' (every element) is for sweeps; name one element"
        );
        assert_eq!(
            refused(json!([["policy.1.share", [0.1, 0.2]]])),
            "edit of 'policy.1.share': a share is one number"
        );
        assert_eq!(
            refused(json!([["policy.1.employers", vec!["dki"; 101]]])),
            "edit of 'policy.1.employers': a value of 101 items; at most 100"
        );
        let many: Vec<Json> = (0..101).map(|i| json!([format!("k{i}"), 1])).collect();
        assert_eq!(
            refused(Json::Array(many)),
            "101 edits; at most 100 are taken at once"
        );
        assert!(check_edits(&[("policy.1.employers".into(), json!(vec!["dki"; 100]))]).is_ok());
        let e = toml_of("policy.1.share", &Json::Null).unwrap_err();
        assert_eq!(
            e.message,
            "edit of 'policy.1.share': null is not a value; give a number, text, true/false, a list or a table"
        );
    }
}
