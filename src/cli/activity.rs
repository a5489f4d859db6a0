//! `wfhsim activity`: prints `[[measure]]` tables of kind `activity_limit` whose factors
//! come from an observed daily mobility series (`jobs::activity` has the rule), to paste
//! into a scenario file. Reads one file, writes nothing.

use super::args::ActivityArgs;
use super::evaluate::parse_window;
use super::failure::{Failure, bad_input};
use crate::jobs::activity::{Chunk, chunks, parse_purpose};
use wfhsim_core::scenario::Purpose;

fn bad(message: String) -> Failure {
    bad_input(anyhow::anyhow!(message))
}

pub(super) fn activity(a: ActivityArgs) -> Result<(), Failure> {
    let window = parse_window(&a.window)?;
    let asked: Vec<(Purpose, Vec<String>)> = a
        .purpose
        .iter()
        .map(|s| parse_purpose(s))
        .collect::<Result<_, _>>()
        .map_err(bad)?;
    if let Some((p, _)) = asked
        .iter()
        .enumerate()
        .find(|(i, (p, _))| asked[..*i].iter().any(|(q, _)| q == p))
        .map(|(_, x)| x)
    {
        return Err(bad(format!("--purpose {} is given twice", p.as_str())));
    }
    let mut columns: Vec<String> = asked.iter().flat_map(|(_, c)| c.clone()).collect();
    columns.sort();
    columns.dedup();
    let series = wfhsim_report::series::read(&a.series, &columns).map_err(|e| bad(e.0))?;
    let index = |c: &String| series.sites.iter().position(|(n, _)| n == c);
    let purposes: Vec<(Purpose, Vec<usize>)> = asked
        .iter()
        .map(|(p, cols)| (*p, cols.iter().filter_map(index).collect()))
        .collect();
    let c = chunks(&series.sites, &purposes, window.from, window.to, a.by)
        .map_err(|m| bad(format!("{}: {m}", series.name)))?;
    print!("{}", text(&a, &series.name, &series.sha256, &asked, &c));
    Ok(())
}

/// The tables, after a comment that states the rule and the file.
fn text(
    a: &ActivityArgs,
    file: &str,
    sha256: &str,
    asked: &[(Purpose, Vec<String>)],
    chunks: &[Chunk],
) -> String {
    let rule: Vec<String> = asked
        .iter()
        .map(|(p, c)| format!("{} = {}", p.as_str(), c.join(" + ")))
        .collect();
    let mut t = format!(
        "# Activity limits from {file} (sha256 {}): each purpose's factor is 1 + the mean\n\
         # % change of its columns over the weekdays of the window / 100, at most 1.\n\
         # {}\n",
        &sha256[..sha256.len().min(12)],
        rule.join("; ")
    );
    for c in chunks {
        let f: Vec<String> = Purpose::ALL
            .iter()
            .filter_map(|p| c.factors[p.index()].map(|x| format!("{} = {x:.3}", p.as_str())))
            .collect();
        t.push_str(&format!(
            "\n[[measure]]\nkind = \"activity_limit\"\nname = {}\npurposes = {{ {} }}\nschedule = [{{ from = {}, to = {}, share = 1.0 }}]\nsource = {}\n",
            quoted(&a.name),
            f.join(", "),
            c.from,
            c.to,
            quoted(&format!("{file}: {} weekdays", c.weekdays)),
        ));
    }
    t
}

/// A TOML basic string.
fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}
