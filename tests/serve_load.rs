//! A load test of `wfhsim serve`, against 127.0.0.1 only and bounded in count (200
//! requests) and time (each request waits at most the client's patience): 8 clients at
//! once send good and bad requests in turn. Every answer is the one its request deserves
//! (a good scenario's rows, or "busy" when five jobs are already there; each bad request
//! its own error), and afterwards the server answers a good scenario exactly as before.

use std::collections::BTreeMap;
use std::sync::Mutex;

use crate::server::{Reply, Server};

const DKI: &str = include_str!("../scenarios/dki-2023.toml");
const CLIENTS: usize = 8;
const REQUESTS: usize = 200;

/// What request `i` sends, and the statuses it may get.
fn send(server: &Server, i: usize) -> (&'static str, Reply, &'static [u16]) {
    let port = server.addr.port();
    let toml = [("Content-Type", "application/toml")];
    match i % 6 {
        0 => (
            "good",
            server.post_toml("/api/run?replicates=2", DKI),
            &[200, 503],
        ),
        1 => (
            "invalid",
            server.post_toml("/api/run", "schema_version = 1\nname = \"Not A Name\"\n"),
            &[422],
        ),
        2 => {
            let big = "#".repeat(70 * 1024);
            let r = server.request("POST", "/api/run", &toml, Some(big.as_bytes()));
            ("oversized", r, &[413])
        }
        3 => (
            "replicates",
            server.post_toml("/api/run?replicates=0", DKI),
            &[400],
        ),
        4 => ("path", server.get("/api/../../etc/passwd"), &[404]),
        _ => {
            let host = format!("elsewhere.example:{port}");
            let r = server.request("GET", "/api/info", &[("Host", &host)], None);
            ("host", r, &[421])
        }
    }
}

#[test]
fn two_hundred_requests_from_eight_clients_get_their_answers_and_the_server_goes_on() {
    let server = Server::start(&["--scale", "0.02", "--seed", "7", "--lang", "en"]);
    let before = server.post_toml("/api/run?replicates=2", DKI).json()["summary"].clone();
    let seen: Mutex<BTreeMap<(&str, u16), usize>> = Mutex::new(BTreeMap::new());
    std::thread::scope(|s| {
        for c in 0..CLIENTS {
            let (server, seen, before) = (&server, &seen, &before);
            s.spawn(move || {
                for i in (c..REQUESTS).step_by(CLIENTS) {
                    let (what, r, allowed) = send(server, i);
                    assert!(allowed.contains(&r.status), "{what}: {}", r.status);
                    // Every answer is JSON; an error says what was wrong.
                    let body = r.json();
                    if r.status == 200 {
                        assert_eq!(body["summary"], *before, "{what}");
                    } else {
                        assert!(body["error"].as_str().is_some_and(|e| !e.is_empty()));
                    }
                    *seen.lock().unwrap().entry((what, r.status)).or_default() += 1;
                }
            });
        }
    });
    let seen = seen.into_inner().unwrap();
    assert_eq!(seen.values().sum::<usize>(), REQUESTS, "{seen:?}");
    // At least one good request ran to its answer while the others came and went.
    assert!(seen.get(&("good", 200)).is_some_and(|n| *n > 0), "{seen:?}");
    let after = server.post_toml("/api/run?replicates=2", DKI).json()["summary"].clone();
    assert_eq!(after, before);
    assert_eq!(server.get("/api/info").status, 200);
}
