//! How fast `wfhsim serve` answers a planner's edits, and whether its memory holds: a
//! server at full scale, then 50 scripted edits, alternating between the shipped
//! `dki-2023` and `private-sector-joins` scenarios, each a scenario that `extends` one of
//! them and changes one policy (the order's share, the summit week's share, the
//! compliance, an earlier end). Each is sent to `/api/run/stream?replicates=30` and read to
//! its end; per edit it records the seconds to the first answer (1 replicate) and to the
//! 30-replicate answer, and the server's resident memory (VmRSS) after it.
//!
//! A measurement, not a timed test: it prints the figures and fails only when a request
//! fails or an answer is not for the scenario sent. Run with
//! `cargo bench --bench serve_latency` (`-- --scale 0.1 --edits 10` for a quick look);
//! figures are in docs/performance.md. Run without `--bench` (as `cargo test --benches`
//! does), it checks itself on a small server: `--scale 0.01 --edits 4`.

#[path = "../tests/server/mod.rs"]
mod server;

use std::process::ExitCode;
use std::time::Instant;

use server::Server;

/// The replicates of each edit's last answer.
const REPLICATES: u64 = 30;

const DKI_POLICY: &str = "Pemprov DKI ASN";
const PRIVATE_POLICY: &str = "Private formal, teleworkable, DKI workplaces";

/// The bench's own arguments (after `--`).
struct Options {
    scale: String,
    edits: usize,
}

/// `--scale S`, `--edits N`, and what cargo passes: `--bench`, and a name filter (the
/// bench runs when its name contains it). `None`: filtered out.
fn options() -> Result<Option<Options>, String> {
    let mut args = std::env::args().skip(1);
    let (mut scale, mut edits, mut bench, mut filter) = (None, None, false, None);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--bench" => bench = true,
            "--scale" => scale = Some(args.next().ok_or("--scale needs a value, e.g. 0.1")?),
            "--edits" => {
                let v = args.next().ok_or("--edits needs a value, e.g. 10")?;
                match v.parse::<usize>() {
                    Ok(n) if n >= 1 => edits = Some(n),
                    _ => return Err(format!("--edits '{v}' is not a whole number of at least 1")),
                }
            }
            a if a.starts_with('-') => {
                return Err(format!(
                    "unknown option '{a}' (allowed: --scale S, --edits N)"
                ));
            }
            a => filter = Some(a.to_string()),
        }
    }
    if filter.is_some_and(|f| !"serve_latency".contains(&f)) {
        return Ok(None);
    }
    // Without --bench (cargo test --benches), a quick check that it works.
    let (default_scale, default_edits) = if bench { ("1", 50) } else { ("0.01", 4) };
    Ok(Some(Options {
        scale: scale.unwrap_or_else(|| default_scale.to_string()),
        edits: edits.unwrap_or(default_edits),
    }))
}

/// One scripted edit: the scenario it extends, its name, what it changes and its TOML.
struct Edit {
    base: &'static str,
    name: String,
    what: String,
    toml: String,
}

/// Edit `i` (from 0): even ones extend `dki-2023` and change the DKI policy, odd ones
/// extend `private-sector-joins` and change its private-sector policy. Each base's edits
/// cycle through four kinds of change, each time with another value.
fn edit(i: usize) -> Edit {
    let private = i % 2 == 1;
    let (base, policy) = if private {
        ("private-sector-joins", PRIVATE_POLICY)
    } else {
        ("dki-2023", DKI_POLICY)
    };
    let (k, j) = ((i / 2) % 4, i / 8);
    let pick = |v: &[f64]| v[j % v.len()];
    let (slug, what, field) = match k {
        0 => {
            let s = pick(&[0.30, 0.40, 0.50, 0.60, 0.75, 1.00, 0.45]);
            let what = format!("share {}%", percent(s));
            (
                format!("share-{}", percent(s)),
                what,
                schedule(s, s.max(0.75), "2023-10-21"),
            )
        }
        1 => {
            let s = pick(&[0.50, 0.60, 0.90, 1.00, 0.65, 0.80]);
            let what = format!("summit week {}%", percent(s));
            (
                format!("summit-{}", percent(s)),
                what,
                schedule(0.5, s, "2023-10-21"),
            )
        }
        2 if private => {
            let c = pick(&[0.40, 0.50, 0.70, 0.80, 0.90, 0.35]);
            let field = format!("compliance = {{ central = {c:.2}, low = 0.30, high = 0.90 }}");
            (
                format!("compliance-{}", percent(c)),
                format!("compliance {c:.2}"),
                field,
            )
        }
        2 => {
            let c = pick(&[0.40, 0.50, 0.70, 0.80, 0.90, 1.00]);
            let field = format!(
                "compliance = {{ central = {c:.2}, low = 0.25, high = 1.00, model = \"clustered\", \
                 rho = {{ central = 0.3, low = 0.1, high = 0.6 }}, \
                 ramp_days = {{ central = 10, low = 5, high = 20 }}, \
                 ramp_from = {{ central = 0.43, low = 0.25, high = 1.00 }} }}"
            );
            (
                format!("compliance-{}", percent(c)),
                format!("compliance {c:.2}"),
                field,
            )
        }
        _ => {
            let end = [
                "2023-09-15",
                "2023-09-29",
                "2023-08-31",
                "2023-10-06",
                "2023-09-22",
                "2023-10-13",
            ][j % 6];
            (
                format!("end-{end}"),
                format!("ends {end}"),
                schedule(0.5, 0.75, end),
            )
        }
    };
    let name = format!("edit-{:02}-{base}-{slug}", i + 1);
    let toml = format!(
        "schema_version = 1\nextends = \"{base}\"\nname = \"{name}\"\n\n\
         [[policy]]\nname = \"{policy}\"\n{field}\n"
    );
    Edit {
        base,
        name,
        what,
        toml,
    }
}

/// 0.75 as "75".
fn percent(share: f64) -> String {
    format!("{:.0}", share * 100.0)
}

/// The shipped schedule's three windows (from 21 Aug; the summit week 4-7 Sep) with these
/// shares, cut at `end`.
fn schedule(share: f64, summit: f64, end: &str) -> String {
    let windows = [
        ("2023-08-21", "2023-09-03", share),
        ("2023-09-04", "2023-09-07", summit),
        ("2023-09-08", "2023-10-21", share),
    ];
    let rows: Vec<String> = windows
        .iter()
        .filter(|(from, _, _)| *from <= end)
        .map(|(from, to, s)| {
            let to = if *to < end { to } else { end };
            format!("  {{ from = {from}, to = {to}, share = {s:.2} }},\n")
        })
        .collect();
    format!("schedule = [\n{}]", rows.concat())
}

/// What one edit took.
struct Measured {
    first: f64,
    last: f64,
    rss: u64,
}

/// Sends the edit, reads its stream to the end, and checks that each answer is for the
/// scenario sent, at the replicates of its stage.
fn measure(server: &Server, e: &Edit) -> Result<Measured, String> {
    let path = format!("/api/run/stream?replicates={REPLICATES}");
    let t0 = Instant::now();
    let (mut first, mut last, mut done) = (None, None, false);
    for ev in server.stream(&path, &e.toml) {
        let at = t0.elapsed().as_secs_f64();
        match ev.name.as_str() {
            "answer" => {
                let a = ev.json();
                if a["scenario"] != e.name.as_str() {
                    return Err(format!("an answer for {} to {}", a["scenario"], e.name));
                }
                match a["replicates"].as_u64() {
                    Some(1) => first = Some(at),
                    Some(REPLICATES) => last = Some(at),
                    Some(_) => {}
                    None => return Err(format!("an answer without replicates to {}", e.name)),
                }
            }
            "error" => return Err(format!("{}: the job failed: {}", e.name, ev.data)),
            "done" => done = true,
            _ => {}
        }
    }
    match (first, last, done) {
        (Some(first), Some(last), true) => Ok(Measured {
            first,
            last,
            rss: status_bytes(server.pid(), "VmRSS")?,
        }),
        _ => Err(format!(
            "{}: the stream ended without its answers and done",
            e.name
        )),
    }
}

/// A memory figure of `/proc/PID/status` (given in kB), in bytes.
fn status_bytes(pid: u32, key: &str) -> Result<u64, String> {
    let path = format!("/proc/{pid}/status");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
    text.lines()
        .find_map(|l| l.strip_prefix(key)?.strip_prefix(':'))
        .and_then(|v| v.trim().strip_suffix("kB")?.trim().parse::<u64>().ok())
        .map(|kb| kb * 1024)
        .ok_or_else(|| format!("{path} has no {key} in kB"))
}

/// The value at rank ceil(p·n) of the sorted values (nearest rank).
fn quantile(sorted: &[f64], p: f64) -> f64 {
    let rank = (p * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

/// Both latencies' p50, p95 (nearest rank) and max.
fn report_latency(runs: &[Measured]) {
    println!(
        "\n{:<34} {:>8} {:>8} {:>8}",
        "latency (s)", "p50", "p95", "max"
    );
    type Pick = fn(&Measured) -> f64;
    let rows: [(&str, Pick); 2] = [
        ("first answer (1 replicate)", |m| m.first),
        ("30-replicate answer", |m| m.last),
    ];
    for (label, pick) in rows {
        let mut v: Vec<f64> = runs.iter().map(pick).collect();
        v.sort_by(f64::total_cmp);
        let (p50, p95, max) = (quantile(&v, 0.5), quantile(&v, 0.95), v[v.len() - 1]);
        println!("{label:<34} {p50:>8.3} {p95:>8.3} {max:>8.3}");
    }
}

/// The server's memory after the first and the last edit, its most, its growth, and the
/// most of the second half of the edits against the first's: a leak would lift the second
/// half; memory the allocator keeps after the first edits would not.
fn report_memory(runs: &[Measured], start_rss: u64, peak: u64) {
    let n = runs.len();
    let (one, last) = (runs[0].rss, runs[n - 1].rss);
    let most = |r: &[Measured]| r.iter().map(|m| m.rss).max().unwrap_or(0) as f64;
    let (first_half, second_half) = runs.split_at(n / 2);
    let growth = last as f64 - one as f64;
    println!("\nserver memory (VmRSS, MB)");
    let line = |label: &str, mb: f64, note: String| println!("  {label:<32} {mb:>8.1}{note}");
    line("after start", start_rss as f64 / 1e6, String::new());
    line("after edit 1", one as f64 / 1e6, String::new());
    line(&format!("after edit {n}"), last as f64 / 1e6, String::new());
    line("most after an edit", most(runs) / 1e6, String::new());
    let pct = format!("  ({:+.1}%)", 100.0 * growth / one as f64);
    line(&format!("growth, edit 1 to {n}"), growth / 1e6, pct);
    if !first_half.is_empty() {
        let d = most(second_half) - most(first_half);
        line("most: 2nd half of edits - 1st", d / 1e6, String::new());
    }
    line("peak (VmHWM)", peak as f64 / 1e6, String::new());
}

fn run(o: &Options) -> Result<(), String> {
    println!("wfhsim serve --scale {} (other options default)", o.scale);
    let t0 = Instant::now();
    let server = Server::start(&["--scale", &o.scale]);
    println!(
        "started in {:.1} s; {}",
        t0.elapsed().as_secs_f64(),
        server.start_lines.join("; ")
    );
    let start_rss = status_bytes(server.pid(), "VmRSS")?;
    println!(
        "\n{:>4}  {:<22} {:<20} {:>8} {:>8} {:>9}",
        "edit", "extends", "change", "first s", "30 s", "RSS MB"
    );
    let mut runs = Vec::with_capacity(o.edits);
    for i in 0..o.edits {
        let e = edit(i);
        let m = measure(&server, &e)?;
        println!(
            "{:>4}  {:<22} {:<20} {:>8.3} {:>8.3} {:>9.1}",
            i + 1,
            e.base,
            e.what,
            m.first,
            m.last,
            mb(m.rss)
        );
        runs.push(m);
    }
    let peak = status_bytes(server.pid(), "VmHWM")?;
    report_latency(&runs);
    report_memory(&runs, start_rss, peak);
    Ok(())
}

fn main() -> ExitCode {
    let o = match options() {
        Ok(Some(o)) => o,
        Ok(None) => return ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("serve_latency: {e}");
            return ExitCode::from(2);
        }
    };
    match run(&o) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("serve_latency: {e}");
            ExitCode::FAILURE
        }
    }
}
