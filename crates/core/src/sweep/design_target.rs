//! The [target] section of a design: which factor a `wfhsim target` search moves,
//! towards which outcome level, with which certainty and stopping width. Every problem
//! names the key `target.*` it is about.

use toml::{Table, Value};

use super::design::TargetSpec;
use super::factor::{Factor, Problems, Settings, as_number, shown};
use super::outcome::Outcome;

const TARGET_KEYS: [&str; 6] = [
    "factor",
    "outcome",
    "value",
    "probability",
    "tolerance",
    "curve_points",
];

/// The [target] section of a `wfhsim target` design.
pub(super) fn target(t: &Table, factors: &[Factor], p: &mut Problems) -> Option<TargetSpec> {
    for k in t.keys() {
        if !TARGET_KEYS.contains(&k.as_str()) {
            p(
                &format!("target.{k}"),
                format!("unknown key; [target] has {}", TARGET_KEYS.join(", ")),
            );
        }
    }
    let factor = target_factor(t, factors, p);
    let outcome = target_outcome(t, p);
    let value = match t.get("value").and_then(as_number) {
        Some(v) if v.is_finite() => Some(v),
        _ => {
            p(
                "target.value",
                format!("{} is not a number", shown(t.get("value"))),
            );
            None
        }
    };
    let probability = target_probability(t, p);
    let curve_points = target_curve_points(t, p);
    let (factor, outcome, value) = (factor?, outcome?, value?);
    let Settings::Range(lo, hi) = factors[factor].settings else {
        return None;
    };
    Some(TargetSpec {
        factor,
        outcome,
        value,
        probability,
        tolerance: target_tolerance(t, (lo, hi), p),
        curve_points,
    })
}

/// The index of the factor the search moves: one of the design's, given as a range.
fn target_factor(t: &Table, factors: &[Factor], p: &mut Problems) -> Option<usize> {
    let Some(k) = t.get("factor").and_then(Value::as_str) else {
        p(
            "target.factor",
            "give the key of the factor to move (one of the [[factor]] keys)".into(),
        );
        return None;
    };
    match factors.iter().position(|f| f.key == k) {
        Some(i) if matches!(factors[i].settings, Settings::Range(..)) => Some(i),
        Some(_) => {
            p(
                "target.factor",
                format!("'{k}' has levels; the search needs a factor with range = [low, high]"),
            );
            None
        }
        None => {
            p(
                "target.factor",
                format!(
                    "'{k}' is not one of the design's factors ({})",
                    factors
                        .iter()
                        .map(|f| f.key.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
            None
        }
    }
}

fn target_outcome(t: &Table, p: &mut Problems) -> Option<Outcome> {
    match t
        .get("outcome")
        .and_then(Value::as_str)
        .map(|s| (s, Outcome::find(s)))
    {
        Some((_, Some(o))) => Some(o),
        other => {
            p(
                "target.outcome",
                format!(
                    "{} is not an outcome; allowed: {}",
                    other.map_or("nothing".into(), |(s, _)| format!("\"{s}\"")),
                    Outcome::names().join(", ")
                ),
            );
            None
        }
    }
}

/// The share of replicates that must reach the value: 0.9 by default.
fn target_probability(t: &Table, p: &mut Problems) -> f64 {
    match t.get("probability") {
        None => 0.9,
        Some(v) => match as_number(v) {
            Some(x) if x > 0.0 && x < 1.0 => x,
            _ => {
                p(
                    "target.probability",
                    format!("{v} is outside (0, 1); e.g. 0.9 for 90% of replicates"),
                );
                0.9
            }
        },
    }
}

/// Points of the response curve: 9 by default.
fn target_curve_points(t: &Table, p: &mut Problems) -> usize {
    match t.get("curve_points") {
        None => 9,
        Some(Value::Integer(i)) if (3..=101).contains(i) => *i as usize,
        Some(v) => {
            p("target.curve_points", format!("{v} is outside 3..101"));
            9
        }
    }
}

/// The search's stopping width: inside the factor's range, 1/200 of it by default.
fn target_tolerance(t: &Table, (lo, hi): (f64, f64), p: &mut Problems) -> f64 {
    match t.get("tolerance") {
        None => (hi - lo) / 200.0,
        Some(v) => match as_number(v) {
            Some(x) if x > 0.0 && x < hi - lo => x,
            _ => {
                p(
                    "target.tolerance",
                    format!("{v} is outside (0, {}) (the factor's range)", hi - lo),
                );
                (hi - lo) / 200.0
            }
        },
    }
}
