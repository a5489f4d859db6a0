//! The request log: one line per request on standard output when it ends — its time (UTC),
//! method, path, scenario name, replicates, status and seconds, and for a request whose
//! client left before the end, that its job was stopped. What the server loaded and where
//! it listens is printed once at start (`cli::serve`).

use std::time::{Instant, SystemTime, UNIX_EPOCH};

use wfhsim_core::calendar::Date;

/// The longest path the log shows (a longer one is cut, marked with "…").
const MAX_PATH_CHARS: usize = 120;

/// A request's log line, written when it is dropped: when the response is sent, or for a
/// stream when its last event is sent or its client leaves.
pub struct RequestLog {
    start: Instant,
    time: String,
    method: String,
    path: String,
    pub scenario: Option<String>,
    pub replicates: Option<u32>,
    pub status: Option<u16>,
    /// What happened besides the status (a stream stopped early).
    pub note: Option<String>,
}

impl RequestLog {
    pub fn start(method: &str, path: &str) -> RequestLog {
        RequestLog {
            start: Instant::now(),
            time: utc_now(),
            method: method.to_string(),
            path: shown(path),
            scenario: None,
            replicates: None,
            status: None,
            note: None,
        }
    }

    /// The line as it is printed.
    pub fn line(&self) -> String {
        let scenario = self.scenario.as_deref().map_or("-".to_string(), shown);
        let replicates = self.replicates.map_or("-".to_string(), |n| n.to_string());
        let (status, note) = match (self.status, &self.note) {
            (Some(s), Some(n)) => (s.to_string(), format!("  ({n})")),
            (Some(s), None) => (s.to_string(), String::new()),
            (None, _) => (
                "-".to_string(),
                "  (the client left before the answer; its job was stopped)".to_string(),
            ),
        };
        format!(
            "{}  {} {}  scenario {scenario}  replicates {replicates}  {status}  {:.2} s{note}",
            self.time,
            self.method,
            self.path,
            self.start.elapsed().as_secs_f64()
        )
    }
}

impl Drop for RequestLog {
    fn drop(&mut self) {
        println!("{}", self.line());
    }
}

/// The line of a job stopped because its client left: how far it got, and that the engine
/// is free again.
pub fn job_stopped(scenario: &str, replicates: u32, done: u32) {
    println!(
        "{}  job {} stopped before replicate {} of its {replicates}-replicate answer: its client left; the engine is free",
        utc_now(),
        shown(scenario),
        done + 1
    );
}

/// Client text as the log shows it: control characters escaped, at most
/// [`MAX_PATH_CHARS`] characters.
fn shown(s: &str) -> String {
    let escaped = wfhsim_core::text::escape_controls(s);
    match escaped.char_indices().nth(MAX_PATH_CHARS) {
        Some((i, _)) => format!("{}…", &escaped[..i]),
        None => escaped,
    }
}

/// The time now, `YYYY-MM-DDTHH:MM:SSZ`.
fn utc_now() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    utc(secs)
}

fn utc(secs: u64) -> String {
    let day = Date((secs / 86_400) as i32);
    let s = secs % 86_400;
    format!("{day}T{:02}:{:02}:{:02}Z", s / 3600, s % 3600 / 60, s % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_utc_and_client_text_is_escaped_and_cut() {
        // 2023-08-21 07:30:05 UTC, the first day of DKI's order.
        assert_eq!(utc(1_692_603_005), "2023-08-21T07:30:05Z");
        assert_eq!(shown("/api/\u{1b}[2J"), "/api/\\x1b[2J");
        let long = "/a".repeat(100);
        assert_eq!(shown(&long).chars().count(), MAX_PATH_CHARS + 1);
        let mut log = RequestLog::start("POST", "/api/run");
        log.scenario = Some("dki-2023".into());
        log.replicates = Some(30);
        log.status = Some(200);
        let line = log.line();
        assert!(
            line.contains("  POST /api/run  scenario dki-2023  replicates 30  200  "),
            "{line}"
        );
        assert!(line.ends_with(" s"), "{line}");
        log.status = None;
        assert!(
            log.line()
                .ends_with("(the client left before the answer; its job was stopped)")
        );
    }
}
