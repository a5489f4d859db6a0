//! What a request may ask, each limit with the error that says it: the body's size, type
//! and encoding, the query (replicates, language), and how many jobs may run and wait.

use std::net::SocketAddr;

use http::{HeaderMap, StatusCode, header};

use super::reply::ApiError;
use wfhsim_report::labels::Lang;

/// The file name the scenario reader gives a request's body in its messages.
pub const REQUEST_FILE: &str = "request.toml";

/// The largest scenario body accepted, in bytes (64 KiB; the shipped scenarios are under 6).
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Replicates a request may ask for, and what it gets when it does not say.
pub const MIN_REPLICATES: u32 = 1;
pub const MAX_REPLICATES: u32 = 100;
pub const DEFAULT_REPLICATES: u32 = 30;

/// Jobs that may run at once (the engine uses every worker thread) and wait behind it.
pub const MAX_RUNNING: usize = 1;
pub const MAX_WAITING: usize = 4;

/// The body's media type: a page of another site cannot send it without asking first (a
/// CORS preflight this server does not answer), so other sites cannot start jobs here.
pub const BODY_TYPE: &str = "application/toml";

/// What `/api/run` and `/api/run/stream` were asked, checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunQuery {
    pub replicates: u32,
    pub lang: Lang,
}

fn bad(message: String) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, message)
}

/// The query string's `replicates` and `lang`, each once; any other key is refused.
pub fn run_query(query: Option<&str>, default_lang: Lang) -> Result<RunQuery, ApiError> {
    parse_query(query, default_lang, false).map(|(q, _)| q)
}

/// `/api/briefing`'s query: [`run_query`]'s keys and a required `format`.
pub fn briefing_query(
    query: Option<&str>,
    default_lang: Lang,
) -> Result<(RunQuery, Format), ApiError> {
    let (q, format) = parse_query(query, default_lang, true)?;
    let format = format.ok_or_else(|| {
        bad(format!(
            "query parameter 'format' is required: {}",
            Format::ALLOWED
        ))
    })?;
    Ok((q, format))
}

fn parse_query(
    query: Option<&str>,
    default_lang: Lang,
    with_format: bool,
) -> Result<(RunQuery, Option<Format>), ApiError> {
    let mut q = RunQuery {
        replicates: DEFAULT_REPLICATES,
        lang: default_lang,
    };
    let mut format = None;
    let mut seen: Vec<String> = Vec::new();
    for (key, value) in form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
        if seen.iter().any(|k| *k == key) {
            return Err(bad(format!("query parameter '{key}' is given twice")));
        }
        seen.push(key.to_string());
        match key.as_ref() {
            "replicates" => q.replicates = replicates(&value)?,
            "lang" => q.lang = lang(&value)?,
            "format" if with_format => format = Some(Format::parse(&value)?),
            other => {
                let allowed = match with_format {
                    true => "replicates, lang, format",
                    false => "replicates, lang",
                };
                return Err(bad(format!(
                    "unknown query parameter '{}' (allowed: {allowed})",
                    wfhsim_core::text::escape_controls(other)
                )));
            }
        }
    }
    Ok((q, format))
}

/// What `/api/briefing` answers with: the briefing page or its workbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Html,
    Xlsx,
}

impl Format {
    pub const ALLOWED: &'static str = "html (briefing.html) or xlsx (briefing.xlsx)";

    fn parse(value: &str) -> Result<Format, ApiError> {
        match value {
            "html" => Ok(Format::Html),
            "xlsx" => Ok(Format::Xlsx),
            other => Err(bad(format!(
                "format '{}' is not {}",
                wfhsim_core::text::escape_controls(other),
                Format::ALLOWED
            ))),
        }
    }

    /// The run folder's file of this format.
    pub fn file(self) -> &'static str {
        match self {
            Format::Html => "briefing.html",
            Format::Xlsx => "briefing.xlsx",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Html => "text/html; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
}

fn replicates(value: &str) -> Result<u32, ApiError> {
    let range = format!("the allowed range {MIN_REPLICATES} to {MAX_REPLICATES}");
    let shown = wfhsim_core::text::escape_controls(value);
    let n: u32 = value.parse().map_err(|_| {
        bad(format!(
            "replicates '{shown}' is not a whole number in {range}"
        ))
    })?;
    if !(MIN_REPLICATES..=MAX_REPLICATES).contains(&n) {
        return Err(bad(format!("replicates {n} is outside {range}")));
    }
    Ok(n)
}

/// `id` or `en`.
pub fn lang(value: &str) -> Result<Lang, ApiError> {
    match value {
        "id" => Ok(Lang::Id),
        "en" => Ok(Lang::En),
        other => Err(bad(format!(
            "lang '{}' is not one of id, en",
            wfhsim_core::text::escape_controls(other)
        ))),
    }
}

/// The `Host` values a server on a loopback address answers: its address by number or
/// as `localhost`. `None` on any other address (any host may name it there). A page of
/// another site that reaches a loopback server through DNS rebinding names its own host,
/// and is refused.
pub fn allowed_hosts(addr: SocketAddr) -> Option<Vec<String>> {
    addr.ip().is_loopback().then(|| {
        let p = addr.port();
        let mut hosts: Vec<String> = Vec::new();
        for h in [
            addr.to_string(),
            format!("localhost:{p}"),
            format!("127.0.0.1:{p}"),
            format!("[::1]:{p}"),
        ] {
            if !hosts.contains(&h) {
                hosts.push(h);
            }
        }
        hosts
    })
}

/// Refuses a request whose `Host` is not one of `allowed` (421), or has none.
pub fn check_host(headers: &HeaderMap, allowed: Option<&[String]>) -> Result<(), ApiError> {
    let Some(allowed) = allowed else {
        return Ok(());
    };
    let given = headers
        .get(header::HOST)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).to_ascii_lowercase());
    if given.as_ref().is_some_and(|h| allowed.contains(h)) {
        return Ok(());
    }
    let shown = given.map_or("missing".to_string(), |h| {
        format!("'{}'", wfhsim_core::text::escape_controls(&h))
    });
    Err(ApiError::new(
        StatusCode::MISDIRECTED_REQUEST,
        format!(
            "the request's Host is {shown}; this server on a loopback address answers only {} (a page of another site cannot reach it)",
            allowed.join(", ")
        ),
    ))
}

/// Refuses a body that says it is too large, or is not a TOML scenario, before reading it.
pub fn check_headers(headers: &HeaderMap) -> Result<(), ApiError> {
    check_body(
        headers,
        BODY_TYPE,
        &format!(
            "send the scenario as {BODY_TYPE} (e.g. curl -H 'Content-Type: {BODY_TYPE}' --data-binary @FILE.toml)"
        ),
    )
}

/// [`check_headers`] for `/api/scenario`'s JSON body.
pub fn check_json_headers(headers: &HeaderMap) -> Result<(), ApiError> {
    check_body(
        headers,
        JSON_TYPE,
        &format!("send {{\"toml\": …, \"set\": [[key, value], …]}} as {JSON_TYPE}"),
    )
}

/// `/api/scenario`'s body type (like [`BODY_TYPE`], one a page of another site cannot send
/// without asking first).
pub const JSON_TYPE: &str = "application/json";

fn check_body(headers: &HeaderMap, expected: &str, how: &str) -> Result<(), ApiError> {
    let length = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if let Some(n) = length.filter(|&n| n > MAX_BODY_BYTES as u64) {
        return Err(too_large(&format!("{n} bytes")));
    }
    let given = headers
        .get(header::CONTENT_TYPE)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let essence = given.as_deref().map(|t| {
        t.split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase()
    });
    if essence.as_deref() != Some(expected) {
        let shown = given.map_or("missing".to_string(), |t| {
            format!("'{}'", wfhsim_core::text::escape_controls(&t))
        });
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!("the body's Content-Type is {shown}; {how}"),
        ));
    }
    Ok(())
}

/// The 413 error for a body of `size`.
pub fn too_large(size: &str) -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        format!(
            "the body is {size}; at most {MAX_BODY_BYTES} bytes (64 KiB) are accepted: a scenario file is a few KiB"
        ),
    )
}

/// The body as text, or where it stops being UTF-8.
pub fn body_text(bytes: Vec<u8>) -> Result<String, ApiError> {
    String::from_utf8(bytes).map_err(|e| {
        bad(format!(
            "the body is not UTF-8 text (invalid byte at offset {}); send the scenario's TOML as UTF-8",
            e.utf8_error().valid_up_to()
        ))
    })
}

/// The 503 error of a full queue.
pub fn busy(waiting: usize) -> ApiError {
    ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        format!("busy: {waiting} jobs waiting; try again"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(e: ApiError) -> (u16, String) {
        (e.status.as_u16(), e.message)
    }

    #[test]
    fn replicates_and_lang_default_and_are_checked() {
        let q = run_query(None, Lang::Id).unwrap();
        assert_eq!((q.replicates, q.lang), (DEFAULT_REPLICATES, Lang::Id));
        let q = run_query(Some("replicates=100&lang=en"), Lang::Id).unwrap();
        assert_eq!((q.replicates, q.lang), (100, Lang::En));
        let range = "the allowed range 1 to 100";
        for (query, want) in [
            ("replicates=0", format!("replicates 0 is outside {range}")),
            (
                "replicates=101",
                format!("replicates 101 is outside {range}"),
            ),
            (
                "replicates=x",
                format!("replicates 'x' is not a whole number in {range}"),
            ),
            (
                "replicates=-1",
                format!("replicates '-1' is not a whole number in {range}"),
            ),
            ("lang=fr", "lang 'fr' is not one of id, en".to_string()),
            (
                "lang=id&lang=en",
                "query parameter 'lang' is given twice".into(),
            ),
            (
                "replicate=3",
                "unknown query parameter 'replicate' (allowed: replicates, lang)".into(),
            ),
        ] {
            let e = run_query(Some(query), Lang::En).unwrap_err();
            assert_eq!(message(e), (400, want), "{query}");
        }
    }

    #[test]
    fn a_body_must_be_toml_within_the_limit_and_utf8() {
        let mut h = HeaderMap::new();
        h.insert(
            header::CONTENT_TYPE,
            "application/toml; charset=utf-8".parse().unwrap(),
        );
        assert!(check_headers(&h).is_ok());
        h.insert(header::CONTENT_LENGTH, "65537".parse().unwrap());
        assert_eq!(
            message(check_headers(&h).unwrap_err()),
            (
                413,
                "the body is 65537 bytes; at most 65536 bytes (64 KiB) are accepted: a scenario file is a few KiB".into()
            )
        );
        h.insert(header::CONTENT_LENGTH, "65536".parse().unwrap());
        h.insert(header::CONTENT_TYPE, "text/plain".parse().unwrap());
        let (status, text) = message(check_headers(&h).unwrap_err());
        assert_eq!(status, 415);
        assert!(
            text.starts_with(
                "the body's Content-Type is 'text/plain'; send the scenario as application/toml"
            ),
            "{text}"
        );
        let e = body_text(vec![b'a', b'=', 0xff]).unwrap_err();
        assert_eq!(
            message(e),
            (
                400,
                "the body is not UTF-8 text (invalid byte at offset 2); send the scenario's TOML as UTF-8".into()
            )
        );
    }
}
