//! Responses: a JSON body with its status, and [`ApiError`], the one shape of every error
//! (`{ "error": ..., "problems": [...] }`, the problems only for a scenario the reader
//! refused).

use std::convert::Infallible;

use bytes::Bytes;
use http::{Response, StatusCode, header};
use http_body_util::combinators::UnsyncBoxBody;
use http_body_util::{BodyExt, Full};
use serde::Serialize;

use wfhsim_core::scenario::ScenarioError;

/// Every response's body: whole (JSON) or streamed (events).
pub type Body = UnsyncBoxBody<Bytes, Infallible>;

/// One problem the scenario reader found: its key, where it is (1-based), and its message;
/// `file` names a shipped scenario the request extends when the value is written there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProblemJson {
    pub key: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// The key as an edit names it (`policy.1.schedule.2.share`: 1-based, dotted), so a
    /// page can show the message beside the field that sets it.
    pub field: String,
}

/// `policy[0].schedule[1].share` → `policy.1.schedule.2.share`.
pub fn field_of(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut rest = key;
    while let Some(open) = rest.find('[') {
        let Some(close) = rest[open..].find(']').map(|c| open + c) else {
            break;
        };
        out.push_str(&rest[..open]);
        match rest[open + 1..close]
            .parse::<usize>()
            .ok()
            .and_then(|i| i.checked_add(1))
        {
            Some(i) => out.push_str(&format!(".{i}")),
            None => out.push_str(&rest[open..=close]),
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

/// A request refused or a job that failed: the status and the JSON body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiError {
    #[serde(skip)]
    pub status: StatusCode,
    #[serde(rename = "error")]
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problems: Option<Vec<ProblemJson>>,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
            problems: None,
        }
    }

    /// A scenario the reader refused (422): its message as `wfhsim validate` prints it, and
    /// each problem with its position.
    pub fn scenario(e: &ScenarioError) -> ApiError {
        let problems = e
            .problems
            .iter()
            .map(|p| ProblemJson {
                key: p.key.clone(),
                line: p.at.map(|(l, _)| l),
                column: p.at.map(|(_, c)| c),
                message: p.message.clone(),
                file: p.file.clone(),
                field: field_of(&p.key),
            })
            .collect();
        ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            message: e.to_string(),
            problems: Some(problems),
        }
    }

    pub fn response(&self) -> Response<Body> {
        json(self.status, self)
    }
}

/// `value` as JSON with `status`.
pub fn json(status: StatusCode, value: &impl Serialize) -> Response<Body> {
    match serde_json::to_string(value) {
        Ok(text) => json_text(status, text),
        Err(e) => json_text(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!(
                "{{\"error\":{}}}",
                serde_json::Value::from(format!("cannot write the answer as JSON: {e}"))
            ),
        ),
    }
}

/// A JSON text already made, with `status`.
pub fn json_text(status: StatusCode, text: String) -> Response<Body> {
    let mut r = typed(whole(text), "application/json");
    *r.status_mut() = status;
    r
}

/// A 200 response of `body`, its content type `kind`, never cached.
pub fn typed(body: Body, kind: &'static str) -> Response<Body> {
    let mut r = Response::new(body);
    let headers = r.headers_mut();
    headers.insert(header::CONTENT_TYPE, header::HeaderValue::from_static(kind));
    headers.insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    r
}

/// A file of type `kind` as a download named `name`.
pub fn download(kind: &'static str, name: &str, bytes: Vec<u8>) -> Response<Body> {
    let mut r = typed(Full::new(Bytes::from(bytes)).boxed_unsync(), kind);
    // The name is made by the server from a checked scenario name: letters, digits, - and _.
    if let Ok(v) = header::HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    r
}

/// A whole body.
pub fn whole(text: String) -> Body {
    Full::new(Bytes::from(text)).boxed_unsync()
}

#[cfg(test)]
mod tests {
    use super::field_of;

    #[test]
    fn a_problem_key_becomes_the_key_an_edit_names() {
        assert_eq!(
            field_of("policy[0].schedule[1].share"),
            "policy.1.schedule.2.share"
        );
        assert_eq!(field_of("measure[2].regions"), "measure.3.regions");
        assert_eq!(field_of("period.start"), "period.start");
        assert_eq!(field_of(""), "");
        assert_eq!(field_of("policy.1.share"), "policy.1.share");
        // Not an index: kept as written.
        assert_eq!(field_of("a[x].b"), "a[x].b");
        assert_eq!(field_of("a[0"), "a[0");
        let huge = format!("a[{}]", usize::MAX);
        assert_eq!(field_of(&huge), huge);
    }
}
