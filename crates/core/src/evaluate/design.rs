//! The interrupted time series' regressors, one column per term, for every day of
//! `spec.first..=spec.last` (missing days included: the fit picks the observed rows, the
//! chart needs every day's counterfactual).
//!
//! In order: the intercept; a linear trend in years since `spec.first` (its coefficient is
//! a change per year); day-of-week dummies Tuesday..Sunday (Monday is the reference); the
//! calendar's dummies (national holiday, cuti bersama, school holiday, Ramadan, the Lebaran
//! weeks); `k` annual Fourier pairs sin, cos(2πj·d/365.25) with d the date's day number
//! (so the phase is the calendar's, whatever the first day); one step dummy per window
//! (1 on its days).
//!
//! What the data can estimate decides what stays: a term's coefficient is learnt from the
//! observed days before the policy, so a term that does not vary on those days (no
//! observed Sunday, no school holiday before the policy) or is a combination of the other
//! terms there (every holiday is also a Lebaran day) is dropped and listed with a plain
//! reason; when such a term does vary on the windows' days, the reason says that the
//! windows' estimates include its effect. A window's dummy is never dropped.

use super::{ItsSpec, Season};
use crate::calendar::{Date, DayFlags, DayKind};

/// What a column stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Term {
    /// Intercept, trend, day of week, calendar or season: learnt before the policy.
    Regressor,
    /// The step of window `i` of `spec.windows`.
    Window(usize),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub name: String,
    pub term: Term,
    /// One value per day of `spec.first..=spec.last`.
    pub values: Vec<f64>,
    /// For a dummy: what a day with a 1 is ("a Sunday", "a school holiday"), for the
    /// reason it is dropped; `None` for the intercept, trend and season.
    label: Option<&'static str>,
}

/// The columns kept, in order, and those left out with why.
#[derive(Debug, Clone, PartialEq)]
pub struct Design {
    pub columns: Vec<Column>,
    pub dropped: Vec<Dropped>,
}

/// Why a term is left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Why {
    /// Every observed day before the policy has the dummy set.
    EveryDay,
    /// No observed day before the policy has it.
    NoDay,
    /// It does not vary over the observed days before the policy (not a dummy).
    NoVariation,
    /// It is a combination of the other terms on those days.
    Combination,
}

/// A term left out of the model: its name, why, whether it varies on the windows' days
/// (then their estimates carry its effect), and the reason in plain English.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Dropped {
    pub term: String,
    pub why: Why,
    pub absorbed: bool,
    pub text: String,
}

impl Design {
    /// Parameters learnt before the policy (all but the windows' steps).
    pub fn regressors(&self) -> usize {
        self.columns
            .iter()
            .filter(|c| c.term == Term::Regressor)
            .count()
    }

    /// The design's row for day `i` of `first..=last`.
    pub fn row(&self, i: usize) -> Vec<f64> {
        self.columns.iter().map(|c| c.values[i]).collect()
    }
}

const WEEKDAYS: [(&str, &str); 6] = [
    ("tuesday", "a Tuesday"),
    ("wednesday", "a Wednesday"),
    ("thursday", "a Thursday"),
    ("friday", "a Friday"),
    ("saturday", "a Saturday"),
    ("sunday", "a Sunday"),
];

/// Whether a day's flags have a calendar term.
type Flag = fn(&DayFlags) -> bool;

fn calendar_terms() -> [(DayKind, &'static str, Flag); 5] {
    [
        (DayKind::Holiday, "a national holiday", |f| f.holiday),
        (DayKind::CutiBersama, "a cuti bersama day", |f| {
            f.cuti_bersama
        }),
        (DayKind::SchoolHoliday, "a school holiday", |f| {
            f.school_holiday
        }),
        (DayKind::Ramadan, "in Ramadan", |f| f.ramadan),
        (DayKind::Lebaran, "in the Lebaran weeks", |f| f.lebaran),
    ]
}

fn regressor(name: String, values: Vec<f64>, label: Option<&'static str>) -> Column {
    Column {
        name,
        term: Term::Regressor,
        values,
        label,
    }
}

/// Every column the spec asks for, before anything is dropped.
fn all_columns(flags: &[DayFlags], spec: &ItsSpec) -> Vec<Column> {
    let dates: Vec<Date> = (0..flags.len())
        .map(|i| Date(spec.first.0 + i as i32))
        .collect();
    let dummy = |f: &dyn Fn(usize) -> bool| -> Vec<f64> {
        (0..dates.len())
            .map(|i| f64::from(u8::from(f(i))))
            .collect()
    };
    let mut cols = vec![regressor("intercept".into(), vec![1.0; dates.len()], None)];
    if spec.trend {
        let years = dates.iter().map(|d| f64::from(d.0 - spec.first.0) / 365.25);
        cols.push(regressor("trend_per_year".into(), years.collect(), None));
    }
    if spec.weekday {
        for (wd, (name, label)) in (1u32..).zip(WEEKDAYS) {
            let v = dummy(&|i| dates[i].weekday() == wd);
            cols.push(regressor(name.into(), v, Some(label)));
        }
    }
    if spec.calendar {
        for (kind, label, flag) in calendar_terms() {
            let v = dummy(&|i| flag(&flags[i]));
            cols.push(regressor(kind.as_str().into(), v, Some(label)));
        }
    }
    if let Season::Annual(k) = spec.season {
        for j in 1..=k {
            let angle =
                |d: &Date| 2.0 * std::f64::consts::PI * f64::from(j) * f64::from(d.0) / 365.25;
            let sin = dates.iter().map(|d| angle(d).sin()).collect();
            let cos = dates.iter().map(|d| angle(d).cos()).collect();
            cols.push(regressor(format!("sin_annual_{j}"), sin, None));
            cols.push(regressor(format!("cos_annual_{j}"), cos, None));
        }
    }
    for (w, win) in spec.windows.iter().enumerate() {
        cols.push(Column {
            name: format!("window {}..{}", win.from, win.to),
            term: Term::Window(w),
            values: dummy(&|i| win.contains(dates[i])),
            label: None,
        });
    }
    cols
}

/// Appended to the reason of a dropped term that does vary on the windows' days: the
/// windows' steps then carry its effect too.
pub const ABSORBED: &str = "; the windows' estimates include its effect";

/// Why a regressor cannot be learnt from the rows `outside`, if it cannot; `in_windows`
/// are the days of the windows.
fn no_variation(c: &Column, outside: &[usize], in_windows: &[usize]) -> Option<Dropped> {
    let first = outside.first().map(|&i| c.values[i]);
    if c.name == "intercept" || outside.iter().any(|&i| Some(c.values[i]) != first) {
        return None;
    }
    let (why, text) = match (c.label, first) {
        (Some(label), Some(1.0)) => (
            Why::EveryDay,
            format!("every observed day before the policy is {label}"),
        ),
        (Some(label), _) => (
            Why::NoDay,
            format!("no observed day before the policy is {label}"),
        ),
        (None, _) => (
            Why::NoVariation,
            "does not vary over the observed days before the policy".into(),
        ),
    };
    let absorbed = in_windows.iter().any(|&i| Some(c.values[i]) != first);
    Some(Dropped {
        term: c.name.clone(),
        why,
        absorbed,
        text: if absorbed { text + ABSORBED } else { text },
    })
}

/// The design for days `spec.first..=spec.last` (`flags[i]` is day `first + i`), keeping
/// what the observed days before the policy can estimate; `observed` are the indices of
/// the observed days among those.
pub fn build(flags: &[DayFlags], spec: &ItsSpec, observed: &[usize]) -> Design {
    let mut dropped = Vec::new();
    let mut columns = Vec::new();
    // Learnt from the days before the policy; everything after its start is not.
    let start = (spec.windows.iter().map(|w| w.from).min()).unwrap_or(spec.last.succ());
    let after_start = |i: usize| Date(spec.first.0 + i as i32) >= start;
    let (in_windows, outside): (Vec<usize>, Vec<usize>) =
        observed.iter().partition(|&&i| after_start(i));
    let outside = &outside[..];
    for c in all_columns(flags, spec) {
        match (c.term, no_variation(&c, outside, &in_windows)) {
            (Term::Regressor, Some(d)) => dropped.push(d),
            _ => columns.push(c),
        }
    }
    // Then combinations of the others on the outside days, the later term going (the
    // regressors come before the windows, so index j among them is column j).
    loop {
        let on_outside: Vec<Vec<f64>> = columns
            .iter()
            .filter(|c| c.term == Term::Regressor)
            .map(|c| outside.iter().map(|&i| c.values[i]).collect())
            .collect();
        match super::linalg::first_collinear(&on_outside) {
            Some(j) if j < outside.len() && j > 0 => {
                let c = columns.remove(j);
                dropped.push(Dropped {
                    term: c.name,
                    why: Why::Combination,
                    absorbed: false,
                    text:
                        "is a combination of the other terms on the observed days before the policy"
                            .into(),
                });
            }
            _ => break,
        }
    }
    Design { columns, dropped }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluate::{Scale, Window};

    fn spec(first: Date, last: Date, windows: Vec<Window>) -> ItsSpec {
        ItsSpec {
            windows,
            scale: Scale::Log,
            trend: true,
            season: Season::Annual(1),
            weekday: true,
            calendar: true,
            first,
            last,
            working_days: false,
        }
    }

    #[test]
    fn columns_and_drops_say_why() {
        // Monday 2023-07-03 for 8 weeks; the window is the last 14 days.
        let first = Date::parse("2023-07-03").unwrap();
        let days = 56;
        let last = Date(first.0 + days - 1);
        let win = Window {
            from: Date(last.0 - 13),
            to: last,
        };
        let mut flags = vec![DayFlags::default(); days as usize];
        flags[10].holiday = true; // before the window
        flags[50].school_holiday = true; // only in the window
        for f in &mut flags {
            f.ramadan = true; // every day
        }
        flags[20].lebaran = true; // the same day as a holiday: collinear
        flags[20].holiday = true;
        flags[10].lebaran = true;
        // Sundays missing outside the window and on its first Sunday (its second is observed).
        let observed: Vec<usize> = (0..56).filter(|&i| i % 7 != 6 || i == 55).collect();
        let d = build(&flags, &spec(first, last, vec![win]), &observed);
        let names: Vec<&str> = d.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "intercept",
                "trend_per_year",
                "tuesday",
                "wednesday",
                "thursday",
                "friday",
                "saturday",
                "holiday",
                "sin_annual_1",
                "cos_annual_1",
                "window 2023-08-14..2023-08-27"
            ]
        );
        let got: Vec<(&str, Why, bool, &str)> = (d.dropped.iter())
            .map(|x| (x.term.as_str(), x.why, x.absorbed, x.text.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "sunday",
                    Why::NoDay,
                    true,
                    "no observed day before the policy is a Sunday; the windows' estimates include its effect"
                ),
                (
                    "cuti_bersama",
                    Why::NoDay,
                    false,
                    "no observed day before the policy is a cuti bersama day"
                ),
                (
                    "school_holiday",
                    Why::NoDay,
                    true,
                    "no observed day before the policy is a school holiday; the windows' estimates include its effect"
                ),
                (
                    "ramadan",
                    Why::EveryDay,
                    false,
                    "every observed day before the policy is in Ramadan"
                ),
                (
                    "lebaran",
                    Why::Combination,
                    false,
                    "is a combination of the other terms on the observed days before the policy"
                ),
            ]
        );
        assert_eq!(d.regressors(), 10);
        // Values: the trend in years, Tuesday on day 1, the window's step, the season's phase.
        let col = |n: &str| &d.columns.iter().find(|c| c.name == n).unwrap().values;
        assert_eq!(
            col("trend_per_year")[365 % 56],
            f64::from(365 % 56) / 365.25
        );
        assert_eq!(col("tuesday")[1], 1.0);
        assert_eq!(col("tuesday")[2], 0.0);
        assert_eq!(col("window 2023-08-14..2023-08-27")[41], 0.0);
        assert_eq!(col("window 2023-08-14..2023-08-27")[42], 1.0);
        let angle = 2.0 * std::f64::consts::PI * f64::from(first.0) / 365.25;
        assert!((col("sin_annual_1")[0] - angle.sin()).abs() < 1e-15);
        assert_eq!(d.row(3).len(), 11);
        // No Sunday observed anywhere (a weekday series): nothing for the window to absorb.
        let weekdays: Vec<usize> = (0..56).filter(|&i| i % 7 != 6).collect();
        let d = build(&flags, &spec(first, last, vec![win]), &weekdays);
        assert_eq!(
            d.dropped[0].text,
            "no observed day before the policy is a Sunday"
        );
    }
}
