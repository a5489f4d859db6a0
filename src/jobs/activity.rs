//! `wfhsim activity`: `activity_limit` measures from an observed daily mobility series
//! (Google's Community Mobility Reports, or any series of % change against normal). Per
//! chunk of the window — a calendar week (Monday to Sunday), a day, or the whole window —
//! each purpose's factor is 1 + (the mean over the chunk's weekdays of the mean of its
//! columns) / 100, capped to 0..1: an activity limit never adds trips. The rule the shipped
//! natural experiments apply to their period means (scenarios/natural-experiments/README.md).

use wfhsim_core::calendar::Date;
use wfhsim_core::evaluate::Daily;
use wfhsim_core::scenario::{N_PURPOSES, Purpose};

/// How the window is cut into measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Chunking {
    Day,
    Week,
    Window,
}

/// One measure's days and factors.
#[derive(Debug, Clone, PartialEq)]
pub struct Chunk {
    pub from: Date,
    pub to: Date,
    /// Per purpose of [`Purpose::ALL`]: its factor, if the purpose was asked for.
    pub factors: [Option<f64>; N_PURPOSES],
    /// Weekdays the factors average over (the fewest of the purposes').
    pub weekdays: usize,
}

/// The chunks of `from..=to`: each a calendar week, a day or the whole window.
fn cut(from: Date, to: Date, by: Chunking) -> Vec<(Date, Date)> {
    let mut out = Vec::new();
    let mut a = from;
    while a <= to {
        let b = match by {
            Chunking::Day => a,
            Chunking::Week => Date(a.0 + 6 - a.weekday() as i32).min(to),
            Chunking::Window => to,
        };
        out.push((a, b));
        a = Date(b.0 + 1);
    }
    out
}

/// The value of `site` on `d`, if the series has one.
fn value(site: &Daily, d: Date) -> Option<f64> {
    let i = usize::try_from(d.0 - site.start.0).ok()?;
    site.values.get(i).copied().flatten()
}

/// The chunks' factors. `purposes`: each purpose asked for and its columns (indices into
/// `sites`). A chunk where a purpose has no weekday with every one of its columns is
/// refused, naming the chunk, the purpose and the columns.
pub fn chunks(
    sites: &[(String, Daily)],
    purposes: &[(Purpose, Vec<usize>)],
    from: Date,
    to: Date,
    by: Chunking,
) -> Result<Vec<Chunk>, String> {
    let mut out = Vec::new();
    for (a, b) in cut(from, to, by) {
        let mut factors = [None; N_PURPOSES];
        let mut weekdays = usize::MAX;
        for (p, cols) in purposes {
            let days: Vec<f64> = (a.0..=b.0)
                .map(Date)
                .filter(|d| !d.is_weekend())
                .filter_map(|d| {
                    let v: Option<Vec<f64>> = cols.iter().map(|&c| value(&sites[c].1, d)).collect();
                    v.map(|v| v.iter().sum::<f64>() / v.len() as f64)
                })
                .collect();
            if days.is_empty() {
                let names: Vec<&str> = cols.iter().map(|&c| sites[c].0.as_str()).collect();
                return Err(format!(
                    "{a}..{b}: no weekday has a value in every column of {} ({}); choose a window the series covers on weekdays, or --by week",
                    p.as_str(),
                    names.join(", ")
                ));
            }
            let mean = days.iter().sum::<f64>() / days.len() as f64;
            factors[p.index()] = Some((1.0 + mean / 100.0).clamp(0.0, 1.0));
            weekdays = weekdays.min(days.len());
        }
        out.push(Chunk {
            from: a,
            to: b,
            factors,
            weekdays,
        });
    }
    Ok(out)
}

/// Parses `PURPOSE=COLUMN[+COLUMN…]`.
pub fn parse_purpose(s: &str) -> Result<(Purpose, Vec<String>), String> {
    let names: Vec<&str> = Purpose::ALL.iter().map(|p| p.as_str()).collect();
    let (p, cols) = s.split_once('=').ok_or_else(|| {
        format!("--purpose '{s}': write PURPOSE=COLUMN[+COLUMN...], e.g. shopping_leisure=retail_and_recreation_pct+grocery_and_pharmacy_pct")
    })?;
    let purpose = Purpose::ALL
        .into_iter()
        .find(|x| x.as_str() == p.trim())
        .ok_or_else(|| {
            format!(
                "--purpose '{s}': '{}' is not a purpose; allowed: {}",
                p.trim(),
                names.join(", ")
            )
        })?;
    let cols: Vec<String> = cols.split('+').map(|c| c.trim().to_string()).collect();
    if cols.iter().any(String::is_empty) {
        return Err(format!("--purpose '{s}': a column name is empty"));
    }
    Ok((purpose, cols))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    /// Two columns over Mon 13 Apr – Sun 26 Apr 2020: weekdays of the first week at −40
    /// and −20, the second at −10 and +30 (a weekend at −90 that must not count).
    fn series() -> Vec<(String, Daily)> {
        let start = d("2020-04-13");
        let col = |w1: f64, w2: f64| -> Daily {
            Daily {
                start,
                values: (0..14)
                    .map(|i| {
                        let day = Date(start.0 + i);
                        Some(if day.is_weekend() {
                            -90.0
                        } else if i < 7 {
                            w1
                        } else {
                            w2
                        })
                    })
                    .collect(),
            }
        };
        vec![
            ("a".into(), col(-40.0, -10.0)),
            ("b".into(), col(-20.0, 30.0)),
        ]
    }

    #[test]
    fn weekly_factors_follow_the_rule() {
        let s = series();
        let p = [
            (Purpose::ShoppingLeisure, vec![0, 1]),
            (Purpose::Business, vec![0]),
        ];
        let c = chunks(&s, &p, d("2020-04-15"), d("2020-04-24"), Chunking::Week).unwrap();
        assert_eq!(c.len(), 2);
        assert_eq!((c[0].from, c[0].to), (d("2020-04-15"), d("2020-04-19")));
        assert_eq!((c[1].from, c[1].to), (d("2020-04-20"), d("2020-04-24")));
        // Week 1: mean of −40 and −20 = −30 → 0.7; business −40 → 0.6; 3 weekdays.
        assert_eq!(c[0].factors, [None, Some(0.7), Some(0.6)]);
        assert_eq!(c[0].weekdays, 3);
        // Week 2: mean of −10 and +30 = +10 → capped at 1; business −10 → 0.9.
        assert_eq!(c[1].factors, [None, Some(1.0), Some(0.9)]);
        assert_eq!(c[1].weekdays, 5);
        let whole = chunks(&s, &p, d("2020-04-13"), d("2020-04-26"), Chunking::Window).unwrap();
        // Ten weekdays: shopping (−30 × 5 + 10 × 5) / 10 = −10 → 0.9.
        assert!((whole[0].factors[1].unwrap() - 0.9).abs() < 1e-12);
    }

    #[test]
    fn a_chunk_without_weekdays_is_refused() {
        let s = series();
        let p = [(Purpose::Business, vec![0])];
        let err = chunks(&s, &p, d("2020-04-18"), d("2020-04-19"), Chunking::Day).unwrap_err();
        assert_eq!(
            err,
            "2020-04-18..2020-04-18: no weekday has a value in every column of business (a); choose a window the series covers on weekdays, or --by week"
        );
        assert_eq!(
            parse_purpose("dining=a").unwrap_err(),
            "--purpose 'dining=a': 'dining' is not a purpose; allowed: school, shopping_leisure, business"
        );
        assert_eq!(
            parse_purpose("business=a+b").unwrap(),
            (Purpose::Business, vec!["a".to_string(), "b".to_string()])
        );
    }
}
