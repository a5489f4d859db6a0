//! What `wfhsim target` prints: the setting for the median replicate and for the design's
//! share of replicates, each with its 95% interval (the Monte Carlo precision of the
//! answer), the replicates behind it, and warnings when the replicates are too few to
//! bound an interval or a replicate's curve is not monotone.

use crate::jobs::sweep::SweepOutcome;
use wfhsim_core::results::quantile::replicates_needed;
use wfhsim_core::sweep::crossing::{Crossing, Quantile};
use wfhsim_core::sweep::search::Found;

/// The answer, on stdout; the warnings, on stderr.
pub(super) fn print_target(o: &SweepOutcome) {
    let (Some(spec), Some(found)) = (o.design.target.as_ref(), o.target.as_ref()) else {
        return;
    };
    let key = &o.design.factors[spec.factor].key;
    println!(
        "{} ({}) reaches {} {} in scenario '{}':",
        spec.outcome.name,
        spec.outcome.unit,
        spec.value,
        spec.outcome.unit,
        o.design.scenarios[0].name
    );
    let share = format!("{:.0}% of replicates:", 100.0 * spec.probability);
    for (criterion, q) in [
        ("median replicate:", &found.median),
        (&share, &found.probable),
    ] {
        println!("  {criterion:<34}{key} = {}", quantile_text(found, q));
    }
    println!("{}", replicates_line(found));
    for w in warnings(found, spec.probability) {
        eprintln!("warning: {w}");
    }
    println!(
        "{} settings evaluated · total {:.1} s\nResults in {}",
        found.evaluations.len(),
        o.manifest.wall_seconds.total,
        o.dir.display()
    );
}

/// "0.4123 (95% interval 0.3958 to 0.4301)"; the ends outside the range or unbounded
/// said so.
fn quantile_text(found: &Found, q: &Quantile) -> String {
    let (lo, hi) = found.range;
    let end = |c: Option<Crossing>| match c {
        None => "unbounded".to_string(),
        Some(Crossing::At(x)) => format!("{x:.4}"),
        Some(Crossing::Below) => format!("below {lo}"),
        Some(Crossing::Above) => format!("above {hi}"),
    };
    let setting = found
        .answer(q)
        .map_or("not reached in the range".to_string(), |v| {
            format!("{v:.4}")
        });
    format!("{setting} (95% interval {} to {})", end(q.low), end(q.high))
}

/// How many replicates the answer rests on, and those outside the range.
fn replicates_line(found: &Found) -> String {
    let c = &found.crossings;
    let (below, above) = c.outside();
    let mut s = format!(
        "  {} replicates' crossings, interpolated between the settings evaluated; intervals: order statistics of the crossings",
        c.per_replicate.len()
    );
    if below > 0 {
        s += &format!("; {below} crossed below the range");
    }
    if above > 0 {
        s += &format!("; {above} not crossed within the range");
    }
    s
}

/// Too few replicates to bound an interval; replicates whose curve is not monotone.
fn warnings(found: &Found, probability: f64) -> Vec<String> {
    let n = found.crossings.per_replicate.len();
    let mut w = Vec::new();
    let share = format!("setting for {:.0}% of replicates", 100.0 * probability);
    for (what, q) in [
        ("median setting", &found.median),
        (share.as_str(), &found.probable),
    ] {
        if q.low.is_none() || q.high.is_none() {
            let need = replicates_needed(q.level);
            w.push(format!(
                "the 95% interval of the {what} is unbounded with {n} replicates; --replicates {need} or more bound it on both sides"
            ));
        }
    }
    let bad = &found.crossings.non_monotone;
    if !bad.is_empty() {
        let mut list: Vec<String> = bad.iter().take(10).map(u32::to_string).collect();
        if bad.len() > 10 {
            list.push(format!("… ({} more)", bad.len() - 10));
        }
        let dip = found.crossings.dips.iter().fold(0.0, |a: f64, &b| a.max(b));
        w.push(format!(
            "{} of {n} replicates move against the outcome's direction between two settings evaluated (not monotone; largest move {dip:.4}): replicate(s) {}; their first crossing is used (crossings.csv: monotone = false, largest_dip)",
            bad.len(),
            list.join(", ")
        ));
    }
    w
}
