//! `wfhsim diff`: prints a [`Diff`] as an aligned table, Markdown, CSV or JSON, with each
//! row's band of B − A and P(B > A) and a line saying how they were formed (paired or
//! independent runs). Warnings go to stderr in every format.

use super::args::{DiffArgs, DiffFormat};
use super::failure::{Failure, bad_input, failed};
use wfhsim_report::compare::{self, Diff, Options, Pairing, Row, Rows};

pub(super) fn diff(a: DiffArgs) -> Result<(), Failure> {
    let rows = match (a.region, a.all_regions) {
        (Some(r), _) => Rows::Region(r),
        (None, true) => Rows::Every,
        (None, false) => Rows::Headline,
    };
    let opts = Options {
        rows,
        metric: a.metric,
        tolerance: a.tolerance,
        all: a.all,
    };
    let d = compare::diff(&a.run_a, &a.run_b, &opts).map_err(bad_input)?;
    for w in &d.warnings {
        eprintln!("warning: {w}");
    }
    let out = match a.format {
        DiffFormat::Table => table(&d, a.all),
        DiffFormat::Markdown => markdown(&d),
        DiffFormat::Csv => {
            eprint!("{}", fit(&(pairing(&d.pairing) + &notes(&d, "")), WIDTH));
            csv(&d)
        }
        DiffFormat::Json => {
            let mut t = serde_json::to_string_pretty(&d).map_err(failed)?;
            t.push('\n');
            t
        }
    };
    print!("{out}");
    Ok(())
}

/// A number with six significant digits (at most six decimals), without exponent.
pub fn number(x: f64) -> String {
    if !x.is_finite() {
        return "n/a".into();
    }
    if x == 0.0 {
        return "0".into();
    }
    let magnitude = x.abs().log10().floor() as i32;
    let decimals = (5 - magnitude).clamp(0, 6) as usize;
    format!("{x:.decimals$}")
}

fn signed(x: f64) -> String {
    let s = number(x);
    if x > 0.0 && x.is_finite() {
        format!("+{s}")
    } else {
        s
    }
}

fn pct(r: &Row) -> String {
    r.delta_pct.map_or("n/a".into(), |p| {
        if p > 0.0 {
            format!("+{p:.2}%")
        } else {
            format!("{p:.2}%")
        }
    })
}

/// A share as a percent; one decimal, never rounded to 0% or 100% unless it is one.
fn share(p: f64) -> String {
    match p {
        0.0 => "0%".into(),
        1.0 => "100%".into(),
        p if p < 0.001 => "<0.1%".into(),
        p if p > 0.999 => ">99.9%".into(),
        p => format!("{:.1}%", 100.0 * p),
    }
}

/// The cells of a row's difference band: p05, p50, p95 and P(B > A); n/a without one.
fn difference(r: &Row) -> [String; 4] {
    match &r.difference {
        Some(d) => [
            number(d.p05),
            number(d.p50),
            number(d.p95),
            share(d.p_b_greater),
        ],
        None => std::array::from_fn(|_| "n/a".to_string()),
    }
}

/// What the difference columns are: paired or independent, and why not paired.
fn pairing(p: &Pairing) -> String {
    match p {
        Pairing::Paired => "d = B - A replicate by replicate, paired: both runs drew the same \
            inputs in each replicate (common random numbers: same dataset, seed, scale, \
            replicates and uncertainty). d p05/p50/p95: its quantiles; P(B>A): the share of \
            replicates with B above A.\n"
            .into(),
        Pairing::Independent { because } => format!(
            "d = B - A over every pair of a replicate of B and one of A: independent runs, not \
            paired ({}). d p05/p50/p95: its quantiles; P(B>A): the share of pairs with B \
            above A (ties count for neither).\n",
            because.join("; ")
        ),
        Pairing::Unavailable { because } => {
            format!("No band of B - A (d): {because}.\n")
        }
    }
}

/// Where a row is: `all`, a `dki_*` basis, or `basis:region`.
fn place(r: &Row) -> String {
    if r.region == r.region_basis || (r.region_basis.starts_with("dki_") && r.region == "dki") {
        r.region_basis.clone()
    } else {
        format!("{}:{}", r.region_basis, r.region)
    }
}

fn run_line(side: &str, m: &compare::RunMeta) -> String {
    format!(
        "{side}: {} (seed {}, {} replicates, scale {}, {} uncertainty)\n",
        m.dir, m.seed, m.replicates, m.scale, m.uncertainty
    )
}

/// The settings that differ and the scenarios in one run only, each line after `indent`.
fn notes(d: &Diff, indent: &str) -> String {
    let mut t = String::new();
    if !d.changed_scenarios.is_empty() {
        t.push_str(&format!("{indent}Scenario settings that differ:\n"));
        for c in &d.changed_scenarios {
            t.push_str(&format!(
                "{indent}  {} (sha256 {} in A, {} in B)\n",
                c.scenario,
                &c.sha256_a[..c.sha256_a.len().min(12)],
                &c.sha256_b[..c.sha256_b.len().min(12)]
            ));
            if c.settings.is_empty() {
                t.push_str(&format!(
                    "{indent}    no setting differs (comments or layout only)\n"
                ));
            }
            for s in &c.settings {
                let v = |x: &Option<String>| x.clone().unwrap_or_else(|| "(not set)".into());
                t.push_str(&format!("{indent}    {}\n", s.key));
                t.push_str(&format!("{indent}      A: {}\n", v(&s.a)));
                t.push_str(&format!("{indent}      B: {}\n", v(&s.b)));
            }
        }
    }
    for (side, names) in [("A", &d.only_in_a), ("B", &d.only_in_b)] {
        if !names.is_empty() {
            t.push_str(&format!("{indent}Only in {side}: {}\n", names.join(", ")));
        }
    }
    t
}

fn counts(d: &Diff) -> String {
    format!(
        "{} of {} rows changed in {} common scenario{}",
        d.rows_changed,
        d.rows_compared,
        d.scenarios.len(),
        if d.scenarios.len() == 1 { "" } else { "s" }
    )
}

/// The number of columns of the table.
const COLUMNS: usize = 11;

/// The table's header.
const HEADER: [&str; COLUMNS] = [
    "where",
    "metric",
    "component",
    "A",
    "B",
    "Δ",
    "Δ%",
    "d p05",
    "d p50",
    "d p95",
    "P(B>A)",
];

/// The cells of a row in table order.
fn cells(r: &Row) -> [String; COLUMNS] {
    let [d05, d50, d95, p] = difference(r);
    [
        place(r),
        r.metric.clone(),
        r.component.clone(),
        number(r.a.p50),
        number(r.b.p50),
        signed(r.delta),
        pct(r),
        d05,
        d50,
        d95,
        p,
    ]
}

/// Aligned plain text: one block per scenario.
fn table(d: &Diff, all: bool) -> String {
    let mut t = run_line("A", &d.a) + &run_line("B", &d.b);
    if d.no_differences() {
        t.push_str(&format!("no differences ({})\n", counts(d)));
        if !all {
            return t;
        }
    }
    t.push_str("Per policy working day. A, B: p50; Δ = B - A; Δ% = Δ / |A|.\n");
    t.push_str(&fit(&pairing(&d.pairing), WIDTH));
    let header = HEADER;
    let rows: Vec<(&str, [String; COLUMNS])> = d
        .rows
        .iter()
        .map(|r| (r.scenario.as_str(), cells(r)))
        .collect();
    let mut width: [usize; COLUMNS] = header.map(|h| h.chars().count());
    for (_, c) in &rows {
        for (w, x) in width.iter_mut().zip(c) {
            *w = (*w).max(x.chars().count());
        }
    }
    let line = |c: &[String; COLUMNS]| {
        let mut s = String::from(" ");
        for (i, (x, w)) in c.iter().zip(width).enumerate() {
            let pad = " ".repeat(w - x.chars().count());
            // Text left-aligned, numbers right-aligned.
            if i < 3 {
                s.push_str(&format!(" {x}{pad}"));
            } else {
                s.push_str(&format!(" {pad}{x}"));
            }
        }
        s.trim_end().to_string() + "\n"
    };
    let mut current = None;
    for (scenario, c) in &rows {
        if current != Some(*scenario) {
            current = Some(*scenario);
            t.push_str(&format!("\n{scenario}\n"));
            t.push_str(&line(&header.map(String::from)));
        }
        t.push_str(&line(c));
    }
    if !d.no_differences() {
        let more = if all {
            String::new()
        } else {
            " (--all shows every row)".to_string()
        };
        t.push_str(&format!("\n{}{more}\n", counts(d)));
    }
    let n = notes(d, "");
    if !n.is_empty() {
        t.push('\n');
        t.push_str(&fit(&n, WIDTH));
    }
    t
}

/// The width the legend and notes are wrapped to (the table is as wide as its cells).
const WIDTH: usize = 100;

/// Each line longer than `width` broken at spaces, continued 4 columns further in.
fn fit(text: &str, width: usize) -> String {
    let mut out = String::new();
    for l in text.lines() {
        let indent = l.len() - l.trim_start().len();
        let mut line = String::new();
        for w in l.split_whitespace() {
            let next = line.chars().count() + 1 + w.chars().count();
            if !line.is_empty() && next > width {
                out.push_str(&line);
                out.push('\n');
                line = " ".repeat(indent + 4);
            } else if !line.is_empty() && !line.ends_with(' ') {
                line.push(' ');
            } else if line.is_empty() {
                line = " ".repeat(indent);
            }
            line.push_str(w);
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}

fn markdown(d: &Diff) -> String {
    let mut t = format!(
        "- A: `{}` (seed {}, {} replicates, scale {}, {} uncertainty)\n- B: `{}` (seed {}, {} replicates, scale {}, {} uncertainty)\n\n",
        d.a.dir,
        d.a.seed,
        d.a.replicates,
        d.a.scale,
        d.a.uncertainty,
        d.b.dir,
        d.b.seed,
        d.b.replicates,
        d.b.scale,
        d.b.uncertainty
    );
    if d.no_differences() {
        t.push_str(&format!("No differences ({}).\n", counts(d)));
    } else {
        t.push_str(&format!(
            "{}. Per policy working day. A, B: p50; Δ = B − A, Δ% = Δ / |A|.\n",
            counts(d)
        ));
    }
    if !d.rows.is_empty() {
        t.push('\n');
        t.push_str(&pairing(&d.pairing));
        t.push_str("\n| scenario | where | metric | component | unit | A | B | Δ | Δ% | d p05 | d p50 | d p95 | P(B>A) |\n");
        t.push_str("|---|---|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        for r in &d.rows {
            let [w, m, c, rest @ ..] = cells(r);
            t.push_str(&format!(
                "| {} | {w} | {m} | {c} | {} | {} |\n",
                r.scenario,
                r.unit,
                rest.join(" | ")
            ));
        }
    }
    let n = notes(d, "");
    if !n.is_empty() {
        t.push('\n');
        for l in n.lines() {
            // Nested Markdown list items: two spaces of indent per level.
            let depth = l.len() - l.trim_start().len();
            t.push_str(&format!("{}- {}\n", " ".repeat(depth), l.trim_start()));
        }
    }
    t
}

fn csv(d: &Diff) -> String {
    let mut t = String::from(
        "scenario,region_basis,region,metric,component,unit,a_p05,a_p50,a_p95,b_p05,b_p50,b_p95,delta,delta_pct,pairing,difference_p05,difference_p50,difference_p95,p_b_greater,p_a_greater\n",
    );
    let n = |x: f64| {
        if x.is_nan() {
            String::new()
        } else {
            x.to_string()
        }
    };
    let kind = d.pairing.kind();
    for r in &d.rows {
        let band = |f: fn(&compare::DifferenceBand) -> f64| {
            r.difference.as_ref().map_or(String::new(), |b| n(f(b)))
        };
        t.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{kind},{},{},{},{},{}\n",
            r.scenario,
            r.region_basis,
            r.region,
            r.metric,
            r.component,
            r.unit,
            n(r.a.p05),
            n(r.a.p50),
            n(r.a.p95),
            n(r.b.p05),
            n(r.b.p50),
            n(r.b.p95),
            n(r.delta),
            r.delta_pct.map_or(String::new(), n),
            band(|b| b.p05),
            band(|b| b.p50),
            band(|b| b.p95),
            band(|b| b.p_b_greater),
            band(|b| b.p_a_greater),
        ));
    }
    t
}

#[cfg(test)]
mod tests {
    #[test]
    fn long_lines_break_at_spaces_and_indent() {
        let t = super::fit("  Only in A: aaaa, bbbb, cccc\nshort\n", 20);
        assert_eq!(t, "  Only in A: aaaa,\n      bbbb, cccc\nshort\n");
    }

    #[test]
    fn numbers_keep_six_significant_digits() {
        let n = super::number;
        assert_eq!(n(16346.176), "16346.2");
        assert_eq!(n(0.442113456), "0.442113");
        assert_eq!(n(1234567.8), "1234568");
        assert_eq!(n(-345.25), "-345.250");
        assert_eq!(n(0.0), "0");
        assert_eq!(n(f64::NAN), "n/a");
    }
}
