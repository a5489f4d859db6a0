//! `wfhsim serve`: the API's answers are the numbers `wfhsim run` writes, a stream answers
//! early and then exactly as the whole job does, every limit is refused with its message
//! while the server goes on, a request never names a file, and a client that leaves stops
//! its job.

use polars::prelude::*;
use serde_json::Value;

use crate::server::{Events, Server};
use crate::support::{help_examples, run_small_dki, wfhsim};

const DKI: &str = include_str!("../scenarios/dki-2023.toml");

/// The DKI order over a whole year: a job long enough to be running while a test acts
/// (each replicate simulates 250 working days), stopped before it ends.
const LONG: &str = "schema_version = 1\nname = \"dki-2023-whole-year\"\nextends = \"dki-2023\"\n\
                    [period]\nstart = 2023-01-02\nend = 2023-12-29\n";

fn small_server() -> Server {
    Server::start(&["--scale", "0.05", "--seed", "42", "--lang", "en"])
}

/// `summary.csv` of `wfhsim run` for the DKI order at `--scale 0.05 --seed 42`, every
/// cell as the text written.
fn run_summary_csv(replicates: u32, dir: &std::path::Path) -> (DataFrame, String) {
    let out = run_small_dki(dir, "run", replicates, &[]);
    let csv = CsvReadOptions::default()
        .with_has_header(true)
        .with_infer_schema_length(Some(0))
        .try_into_reader_with_file_path(Some(dir.join("run/summary.csv")))
        .unwrap()
        .finish()
        .unwrap();
    (csv, out)
}

/// A JSON cell as `summary.csv` writes it: text as is, numbers with three decimals (the
/// CSV exporter's precision), integers whole, a missing value empty.
fn as_csv(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Number(n) if n.is_i64() => Some(n.to_string()),
        Value::Number(n) => Some(format!("{:.3}", n.as_f64().unwrap())),
        other => panic!("a summary cell is text, a number or null, not {other}"),
    }
}

#[test]
fn the_api_answers_the_numbers_run_writes_column_by_column() {
    let server = small_server();
    let reply = server.post_toml("/api/run?replicates=3&lang=id", DKI);
    assert_eq!(
        reply.status,
        200,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    let a = reply.json();
    let tmp = tempfile::tempdir().unwrap();
    let (csv, stdout) = run_summary_csv(3, tmp.path());

    assert_eq!(
        (&a["scenario"], &a["replicates"], &a["scale"], &a["seed"]),
        (
            &Value::from("dki-2023"),
            &Value::from(3),
            &Value::from(0.05),
            &Value::from(42)
        )
    );
    assert_eq!(
        a["title"],
        "ASN DKI 50%, 75% pada pekan KTT (sesuai pengumuman)"
    );
    assert_eq!(a["labels"]["metric"]["trips"], "Perjalanan komuter");
    let columns: Vec<&str> = a["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    let names: Vec<&str> = csv.get_column_names().iter().map(|n| n.as_str()).collect();
    assert_eq!(
        columns, names,
        "the answer's columns are summary.csv's, in its order"
    );
    let rows = a["summary"].as_array().unwrap();
    assert_eq!(rows.len(), csv.height());
    let mut sorted = columns.clone();
    sorted.sort();
    for name in names {
        let cells = csv.column(name).unwrap().str().unwrap();
        for (i, (row, cell)) in rows.iter().zip(cells.iter()).enumerate() {
            let keys: Vec<&str> = row
                .as_object()
                .unwrap()
                .keys()
                .map(|k| k.as_str())
                .collect();
            assert_eq!(keys, sorted, "row {i}'s keys are the columns");
            assert_eq!(
                as_csv(&row[name]),
                cell.map(str::to_string),
                "row {i}, column {name}"
            );
        }
    }
    // Each row's keys in the columns' order, as the text has them.
    let text = String::from_utf8(reply.body.clone()).unwrap();
    let first = &text[text.find("\"summary\":[{").unwrap()..];
    let first = &first[..first.find('}').unwrap()];
    let at: Vec<usize> = columns
        .iter()
        .map(|c| first.find(&format!("\"{c}\":")).unwrap())
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{first}");
    // The same population: the run's agents are the server's.
    let agents = server.get("/api/info").json()["agents"].as_u64().unwrap();
    assert!(
        stdout.contains(&format!("\n{agents} agents · 3 replicates")),
        "{stdout}"
    );
    let line = server.wait_line(|l| l.contains("POST /api/run "));
    let (time, rest) = line.split_once("  ").unwrap();
    assert!(
        time.len() == 20 && time.ends_with('Z') && time.as_bytes()[10] == b'T',
        "{line}"
    );
    assert!(
        rest.starts_with("POST /api/run  scenario dki-2023  replicates 3  200  "),
        "{line}"
    );
    assert!(rest.ends_with(" s"), "{line}");
}

/// The events of a whole stream, checked in order: queued, start, then per stage its
/// progress 1..k and its answer, then done, then the end.
fn read_stream(mut events: Events, stages: &[u32]) -> Vec<Value> {
    assert_eq!(events.next().unwrap().name, "queued");
    let start = events.next().unwrap();
    assert_eq!(start.name, "start");
    assert_eq!(start.json()["stages"], serde_json::json!(stages));
    let mut answers = Vec::new();
    for &k in stages {
        let (before, answer) = events.until("answer");
        let done: Vec<u64> = before
            .iter()
            .map(|e| {
                assert_eq!(e.name, "progress");
                assert_eq!(e.json()["replicates"], k);
                e.json()["done"].as_u64().unwrap()
            })
            .collect();
        assert_eq!(done, (1..=k as u64).collect::<Vec<_>>(), "stage {k}");
        let a = answer.json();
        assert_eq!(a["replicates"], k);
        answers.push(a);
    }
    let done = events.next().unwrap();
    assert_eq!(done.name, "done");
    assert!(done.json()["seconds"].as_f64().unwrap() > 0.0);
    assert!(events.next().is_none(), "nothing after done");
    answers
}

#[test]
fn a_stream_answers_at_1_then_10_then_all_and_its_last_answer_is_the_whole_jobs() {
    let server = small_server();
    let answers = read_stream(
        server.stream("/api/run/stream?replicates=12", DKI),
        &[1, 10, 12],
    );
    let whole = server.post_toml("/api/run?replicates=12", DKI).json();
    let last = &answers[2];
    assert_eq!(last["columns"], whole["columns"]);
    assert_eq!(
        last["summary"], whole["summary"],
        "the last answer is /api/run's"
    );
    assert_eq!(last["lang"], "en", "the server's --lang");
    // The first answer, at the central values, is a different (and whole) answer.
    assert_eq!(
        answers[0]["summary"].as_array().unwrap().len(),
        whole["summary"].as_array().unwrap().len()
    );
    assert_ne!(answers[0]["summary"], whole["summary"]);
    server
        .wait_line(|l| l.contains("POST /api/run/stream  scenario dki-2023  replicates 12  200  "));
}

/// A scenario the reader refuses, and the message `wfhsim validate` prints for the same
/// text in a file named like the request's.
fn refused_like_validate(server: &Server, text: &str) {
    let reply = server.post_toml("/api/run", text);
    let message = reply.error(422);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("request.toml"), text).unwrap();
    let out = wfhsim()
        .current_dir(dir.path())
        .args(["validate", "request.toml"])
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    let printed = String::from_utf8(out).unwrap();
    assert!(
        printed.starts_with(&format!("{message}\n")),
        "{printed}\nvs\n{message}"
    );
    let problems = reply.json()["problems"].as_array().unwrap().clone();
    assert_eq!(problems.len(), message.lines().count());
    for (p, line) in problems.iter().zip(message.lines()) {
        let at = match (&p["line"], &p["column"]) {
            (Value::Null, Value::Null) => String::new(),
            (l, c) => format!(":{l}:{c}"),
        };
        let key = match p["key"].as_str().unwrap() {
            "" => String::new(),
            k => format!("{k}: "),
        };
        assert_eq!(
            format!("request.toml{at}: {key}{}", p["message"].as_str().unwrap()),
            line
        );
    }
}

#[test]
fn every_limit_is_refused_with_its_message_and_the_server_then_answers_correctly() {
    let server = small_server();
    let before = server.post_toml("/api/run?replicates=3", DKI).json();
    let toml = [("Content-Type", "application/toml")];
    let api = "the API is GET /, GET /api/info, GET /api/scenarios, POST /api/scenario, POST /api/run, POST /api/run/stream, POST /api/briefing (docs/serve.md)";
    assert_eq!(
        server.get("/index.html").error(404),
        format!("no such path: /index.html; {api}")
    );
    assert_eq!(
        server.get("/api/runs").error(404),
        format!("no such path: /api/runs; {api}")
    );
    let r = server.get("/api/run");
    assert_eq!(r.error(405), "GET is not allowed on /api/run; use POST");
    assert_eq!(r.header("allow"), Some("POST"));
    let r = server.request("POST", "/api/info", &toml, Some(b""));
    assert_eq!(r.error(405), "POST is not allowed on /api/info; use GET");
    assert_eq!(r.header("allow"), Some("GET"));

    let big = vec![b'#'; 64 * 1024 + 1];
    let r = server.request("POST", "/api/run", &toml, Some(&big));
    assert_eq!(
        r.error(413),
        "the body is 65537 bytes; at most 65536 bytes (64 KiB) are accepted: a scenario file is a few KiB"
    );
    let at_limit = vec![b'#'; 64 * 1024];
    let r = server.request("POST", "/api/run", &toml, Some(&at_limit));
    assert!(
        r.error(422).starts_with("request.toml: "),
        "a body of 64 KiB is read"
    );
    let r = chunked_post(&server, &big);
    assert_eq!(
        r.error(413),
        "the body is larger than 65536 bytes; at most 65536 bytes (64 KiB) are accepted: a scenario file is a few KiB"
    );

    let range = "the allowed range 1 to 100";
    for (query, message) in [
        ("replicates=0", format!("replicates 0 is outside {range}")),
        (
            "replicates=101",
            format!("replicates 101 is outside {range}"),
        ),
        (
            "replicates=ten",
            format!("replicates 'ten' is not a whole number in {range}"),
        ),
        ("lang=fr", "lang 'fr' is not one of id, en".to_string()),
        (
            "replicate=3",
            "unknown query parameter 'replicate' (allowed: replicates, lang)".to_string(),
        ),
    ] {
        for path in ["/api/run", "/api/run/stream"] {
            let r = server.post_toml(&format!("{path}?{query}"), DKI);
            assert_eq!(r.error(400), message, "{path}?{query}");
        }
    }
    let r = server.request("POST", "/api/run", &toml, Some(b"name = \"dki\xff\"\n"));
    assert_eq!(
        r.error(400),
        "the body is not UTF-8 text (invalid byte at offset 11); send the scenario's TOML as UTF-8"
    );
    let r = server.request("POST", "/api/run", &[], Some(DKI.as_bytes()));
    assert_eq!(
        r.error(415),
        "the body's Content-Type is missing; send the scenario as application/toml (e.g. curl -H 'Content-Type: application/toml' --data-binary @FILE.toml)"
    );
    let form = [("Content-Type", "application/x-www-form-urlencoded")];
    let r = server.request("POST", "/api/run", &form, Some(DKI.as_bytes()));
    assert!(
        r.error(415)
            .starts_with("the body's Content-Type is 'application/x-www-form-urlencoded'; ")
    );

    refused_like_validate(&server, &DKI.replace("share = 0.75", "share = 1.75"));
    refused_like_validate(&server, "schema_version = 1\nname = \"Bad Name\"\n");

    // After all that, a good request: the same answer as before them.
    let after = server.post_toml("/api/run?replicates=3", DKI).json();
    assert_eq!(after["summary"], before["summary"]);
    let (running, waiting) = server.queue();
    assert_eq!((running, waiting), (0, 0));
}

/// A body sent in chunks, without a length: the server counts it as it reads.
fn chunked_post(server: &Server, body: &[u8]) -> crate::server::Reply {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(server.addr).unwrap();
    let head = format!(
        "POST /api/run HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Type: application/toml\r\nTransfer-Encoding: chunked\r\n\r\n",
        server.addr
    );
    s.write_all(head.as_bytes()).unwrap();
    for part in body.chunks(16 * 1024) {
        // The server may answer and close before the last chunk: what it said is the test.
        let _ = s.write_all(format!("{:x}\r\n", part.len()).as_bytes());
        let _ = s.write_all(part);
        let _ = s.write_all(b"\r\n");
    }
    let _ = s.write_all(b"0\r\n\r\n");
    let mut text = Vec::new();
    let _ = s.read_to_end(&mut text);
    let text = String::from_utf8(text).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").expect("a response");
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    let headers = head
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    crate::server::Reply {
        status,
        headers,
        body: body.as_bytes().to_vec(),
    }
}

#[test]
fn a_request_never_names_a_file_but_may_extend_a_shipped_scenario() {
    let server = small_server();
    let text = "schema_version = 1\nname = \"mine\"\nextends = \"../something.toml\"\n";
    let r = server.post_toml("/api/run", text);
    let message = "'../something.toml' is a path, but this scenario was not read from a folder; extend a shipped scenario by its name, or load the file from disk";
    assert_eq!(
        r.error(422),
        format!("request.toml:3:11: extends: {message}")
    );
    assert_eq!(
        r.json()["problems"],
        serde_json::json!([{ "key": "extends", "line": 3, "column": 11, "message": message, "field": "extends" }])
    );
    for path in ["/etc/passwd", "scenarios/dki-2023.toml"] {
        let text = format!("schema_version = 1\nname = \"mine\"\nextends = \"{path}\"\n");
        let e = server.post_toml("/api/run", &text).error(422);
        assert!(e.starts_with("request.toml:3:11: extends: "), "{e}");
    }
    let text = "schema_version = 1\nname = \"dki-60\"\nextends = \"dki-2023\"\n[[policy]]\nname = \"Pemprov DKI ASN\"\nschedule = [{ from = 2023-08-21, to = 2023-10-21, share = 0.60 }]\n";
    let a = server.post_toml("/api/run?replicates=2", text).json();
    assert_eq!(a["scenario"], "dki-60");
    let shipped = server.get("/api/scenarios").json();
    let first = &shipped["scenarios"][0];
    assert_eq!(first["name"], "dki-2023");
    assert_eq!(first["toml"], DKI);
    assert_eq!(
        first["title"]["en"],
        "DKI ASN 50%, 75% in summit week (as announced)"
    );
    assert_eq!(
        first["title"]["id"],
        "ASN DKI 50%, 75% pada pekan KTT (sesuai pengumuman)"
    );
    assert_eq!(shipped["scenarios"].as_array().unwrap().len(), 17);
}

/// A page of another site that reaches the loopback server through DNS rebinding names its
/// own host: refused before any work, whatever the path; the server's own names answer.
#[test]
fn a_loopback_server_answers_only_its_own_host() {
    let server = small_server();
    let port = server.addr.port();
    let allowed = format!("127.0.0.1:{port}, localhost:{port}, [::1]:{port}");
    for host in [
        format!("evil.example:{port}"),
        format!("127.0.0.1:{}", port + 1),
    ] {
        for (method, path) in [
            ("GET", "/api/info"),
            ("POST", "/api/run"),
            ("GET", "/nowhere"),
        ] {
            let r = server.request(method, path, &[("Host", &host)], None);
            assert_eq!(
                r.error(421),
                format!(
                    "the request's Host is '{host}'; this server on a loopback address answers only {allowed} (a page of another site cannot reach it)"
                )
            );
        }
    }
    for host in [format!("localhost:{port}"), format!("LOCALHOST:{port}")] {
        assert_eq!(
            server
                .request("GET", "/api/info", &[("Host", &host)], None)
                .status,
            200
        );
    }
}

#[test]
fn a_client_that_leaves_stops_its_job_before_its_next_replicate() {
    let server = small_server();
    let mut events = server.stream("/api/run/stream?replicates=100", LONG);
    let (_, first) = events.until("answer");
    assert_eq!(first.json()["replicates"], 1);
    drop(events);
    let stopped =
        server.wait_line(|l| l.contains("job dki-2023-whole-year stopped before replicate "));
    assert!(
        stopped.ends_with(" of its 10-replicate answer: its client left; the engine is free"),
        "{stopped}"
    );
    assert_eq!(server.queue(), (0, 0), "no job runs once it is stopped");
    let logged = server.wait_line(|l| l.contains("POST /api/run/stream"));
    assert!(
        logged.ends_with(
            "(the client closed the stream after the 1-replicate answer; its job was stopped)"
        ),
        "{logged}"
    );

    // A whole-answer request whose client leaves while its job runs.
    let conn = server.send(
        "POST",
        "/api/run?replicates=100",
        &[("Content-Type", "application/toml")],
        Some(LONG.as_bytes()),
    );
    server.wait_queue(1, 0);
    drop(conn);
    let stopped =
        server.wait_line(|l| l.contains("job dki-2023-whole-year stopped before replicate "));
    assert!(
        stopped.contains(" of its 100-replicate answer: "),
        "{stopped}"
    );
    assert_eq!(server.queue(), (0, 0));
    let logged = server.wait_line(|l| l.contains("POST /api/run "));
    assert!(
        logged.contains("scenario dki-2023-whole-year  replicates 100  -  "),
        "{logged}"
    );
    assert!(
        logged.ends_with("(the client left before the answer; its job was stopped)"),
        "{logged}"
    );
}

#[test]
fn one_job_runs_and_four_wait_and_more_are_refused_as_busy() {
    let server = small_server();
    let mut running = server.stream("/api/run/stream?replicates=100", LONG);
    running.until("start");
    let mut waiting = Vec::new();
    for ahead in 1..=4 {
        let mut e = server.stream("/api/run/stream?replicates=3", DKI);
        let queued = e.next().unwrap();
        assert_eq!(
            (queued.name.as_str(), queued.json()["ahead"].clone()),
            ("queued", Value::from(ahead))
        );
        waiting.push(e);
    }
    assert_eq!(server.queue(), (1, 4));
    for path in ["/api/run", "/api/run/stream"] {
        let r = server.post_toml(path, DKI);
        assert_eq!(r.error(503), "busy: 4 jobs waiting; try again");
    }
    // The waiting clients leave: their jobs leave the queue, the running one goes on.
    drop(waiting);
    server.wait_queue(1, 0);
    drop(running);
    server.wait_line(|l| l.contains("job dki-2023-whole-year stopped before replicate "));
    assert_eq!(server.queue(), (0, 0));
    let a = server.post_toml("/api/run?replicates=3", DKI);
    assert_eq!(a.status, 200);
}

#[test]
fn an_address_in_use_or_a_language_of_two_is_refused_before_anything_is_built() {
    let server = small_server();
    let addr = server.addr.to_string();
    let out = wfhsim()
        .args(["serve", "--bind", &addr, "--scale", "0.05"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.starts_with(&format!("Error: --bind {addr}: cannot listen there: ")),
        "{err}"
    );
    assert!(out.stdout.is_empty(), "nothing was loaded or built");
    let out = wfhsim()
        .args(["serve", "--lang", "both"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("invalid value 'both' for '--lang <LANG>': must be id or en"),
        "{err}"
    );
}

#[test]
fn serve_help_gives_examples_at_80_columns_and_the_endpoints() {
    let out = wfhsim().args(["serve", "--help"]).assert().success();
    let help = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let examples = help_examples(&help);
    assert!(
        examples.iter().any(|l| l.trim() == "wfhsim serve"),
        "{help}"
    );
    for l in &examples {
        assert!(l.chars().count() <= 80, "longer than 80 columns: {l}");
    }
    for endpoint in [
        "GET /api/info",
        "GET /api/scenarios",
        "POST /api/run,",
        "POST /api/run/stream",
    ] {
        assert!(help.contains(endpoint), "{endpoint}: {help}");
    }
    assert!(help.contains("docs/serve.md"));
}
