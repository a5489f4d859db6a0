//! `calendar.csv`: the days the calendar names — national holidays, cuti bersama, DKI
//! school holidays, Ramadan, the Lebaran weeks and events shown on charts — one row a day
//! or a range (`date,last,kind,name,source`; `last` empty for a single day, inclusive),
//! and the per-day flags read from them ([`DayIndex`]).
//!
//! A folder written before ranges existed (`date,kind,name,source`) still loads: every
//! row is then one day. Rows of one kind may not overlap; rows of different kinds may
//! (Ramadan holds holidays, cuti bersama sits next to Idul Fitri).

use super::DataError;
use super::csv::Table;
use crate::calendar::{Date, DayFlags, DayKind};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarEntry {
    /// The first day.
    pub date: Date,
    /// The last day, included; `date` for a single day.
    pub last: Date,
    pub kind: DayKind,
    pub name: String,
    pub source: String,
}

impl CalendarEntry {
    /// Every day of the row, in order.
    pub fn days(&self) -> impl Iterator<Item = Date> + use<> {
        Date::range_inclusive(self.date, self.last)
    }
}

pub fn read(t: &Table) -> Result<Vec<CalendarEntry>, DataError> {
    let col = t.columns(&["date", "kind", "name", "source"])?;
    let last_col = t.header.iter().position(|h| h == "last");
    let bad = |line: usize, column: &str, message: String| DataError::BadValue {
        file: t.file.clone(),
        line,
        column: column.into(),
        message,
    };
    let mut rows = Vec::with_capacity(t.rows.len());
    for r in &t.rows {
        let f = |i: usize| r.fields[i].as_str();
        let date = Date::parse(f(col[0]))
            .ok_or_else(|| bad(r.line, "date", format!("'{}' is not YYYY-MM-DD", f(col[0]))))?;
        let last = match last_col.map(f).unwrap_or("") {
            "" => date,
            s => {
                let last = Date::parse(s).ok_or_else(|| {
                    bad(
                        r.line,
                        "last",
                        format!("'{s}' is not YYYY-MM-DD (or empty for a single day)"),
                    )
                })?;
                if last < date {
                    return Err(bad(
                        r.line,
                        "last",
                        format!(
                            "{last} is before the row's date {date}; last is the range's last day (empty for a single day)"
                        ),
                    ));
                }
                last
            }
        };
        let kind = DayKind::parse(f(col[1])).ok_or_else(|| {
            let allowed: Vec<&str> = DayKind::ALL.iter().map(|k| k.as_str()).collect();
            bad(
                r.line,
                "kind",
                format!("'{}' is not one of {}", f(col[1]), allowed.join(", ")),
            )
        })?;
        rows.push((
            r.line,
            CalendarEntry {
                date,
                last,
                kind,
                name: f(col[2]).into(),
                source: f(col[3]).into(),
            },
        ));
    }
    no_overlap(&t.file, &rows)?;
    Ok(rows.into_iter().map(|(_, e)| e).collect())
}

/// Refuses two rows of the same kind sharing a day, naming both lines.
fn no_overlap(file: &str, rows: &[(usize, CalendarEntry)]) -> Result<(), DataError> {
    let mut order: Vec<&(usize, CalendarEntry)> = rows.iter().collect();
    order.sort_by_key(|(line, e)| (e.kind, e.date, *line));
    // The previous row: in start order, a row of its kind overlapping any earlier one
    // overlaps it, as long as none has overlapped yet.
    let mut reach: Option<&(usize, CalendarEntry)> = None;
    for row in order {
        let (line, e) = row;
        match reach {
            Some((prev_line, p)) if p.kind == e.kind && e.date <= p.last => {
                return Err(DataError::Invalid {
                    at: format!("{file}:{line}"),
                    message: format!(
                        "{} {} overlaps the {} row at {file}:{prev_line} ({}); rows of one kind may not share a day",
                        e.kind.as_str(),
                        span(e),
                        p.kind.as_str(),
                        span(p)
                    ),
                });
            }
            _ => reach = Some(row),
        }
    }
    Ok(())
}

fn span(e: &CalendarEntry) -> String {
    if e.date == e.last {
        e.date.to_string()
    } else {
        format!("{}..{}", e.date, e.last)
    }
}

/// The years the calendar covers: from the year of its first `holiday` row to the year of
/// its last (a year is covered when its national holidays are listed). Rows of other kinds
/// may reach outside those years (a school break from December into January); their days
/// outside set no flags. `None` without a holiday row.
pub fn years(rows: &[CalendarEntry]) -> Option<(i32, i32)> {
    let ys = rows
        .iter()
        .filter(|c| c.kind == DayKind::Holiday)
        .map(|c| c.date.ymd().0);
    Some((ys.clone().min()?, ys.max()?))
}

/// The flags of every covered day, looked up by binary search in each kind's sorted,
/// non-overlapping ranges.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DayIndex {
    /// First and last covered day (1 January of the first year, 31 December of the last);
    /// `None` for an empty calendar.
    pub covered: Option<(Date, Date)>,
    /// Ranges (first, last) of holiday, cuti bersama, school holiday, Ramadan, Lebaran.
    ranges: [Vec<(Date, Date)>; 5],
}

/// A date the calendar does not cover.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", outside_message(.date, .covered))]
pub struct OutsideCalendar {
    pub date: Date,
    pub covered: Option<(Date, Date)>,
}

fn outside_message(date: &Date, covered: &Option<(Date, Date)>) -> String {
    let what = match covered {
        Some((a, b)) => format!("{date} is outside the calendar ({a}..{b} in calendar.csv)"),
        None => format!("{date} is outside the calendar (calendar.csv has no holiday rows)"),
    };
    format!(
        "{what}; add that year's holidays, cuti bersama, school holidays, Ramadan and Lebaran to calendar.csv of a dataset folder (--data DIR)"
    )
}

const FLAGGED: [DayKind; 5] = [
    DayKind::Holiday,
    DayKind::CutiBersama,
    DayKind::SchoolHoliday,
    DayKind::Ramadan,
    DayKind::Lebaran,
];

impl DayIndex {
    pub fn new(rows: &[CalendarEntry]) -> DayIndex {
        let covered = years(rows).map(|(y0, y1)| {
            let first = Date::from_ymd(y0, 1, 1).expect("1 January exists");
            (
                first,
                Date::from_ymd(y1, 12, 31).expect("31 December exists"),
            )
        });
        let ranges = FLAGGED.map(|k| {
            let mut v: Vec<(Date, Date)> = rows
                .iter()
                .filter(|e| e.kind == k)
                .map(|e| (e.date, e.last))
                .collect();
            v.sort();
            v
        });
        DayIndex { covered, ranges }
    }

    pub fn flags(&self, d: Date) -> Result<DayFlags, OutsideCalendar> {
        match self.covered {
            Some((a, b)) if a <= d && d <= b => {}
            covered => return Err(OutsideCalendar { date: d, covered }),
        }
        let on = |i: usize| {
            let r: &[(Date, Date)] = &self.ranges[i];
            let n = r.partition_point(|&(first, _)| first <= d);
            n > 0 && r[n - 1].1 >= d
        };
        Ok(DayFlags {
            holiday: on(0),
            cuti_bersama: on(1),
            school_holiday: on(2),
            ramadan: on(3),
            lebaran: on(4),
        })
    }
}

#[cfg(test)]
mod tests;
