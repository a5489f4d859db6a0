//! Dates and working days.
//!
//! A `Date` is a count of days since 1970-01-01 (the same epoch as Arrow/Parquet `Date32`,
//! so tables can store it without conversion). Working days are weekdays that are not
//! national holidays; only working days generate commutes.
//!
//! Pure arithmetic; no I/O and no other crate module.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub i32);

impl Date {
    /// Civil date to days since 1970-01-01 (proleptic Gregorian).
    pub fn from_ymd(y: i32, m: u32, d: u32) -> Option<Date> {
        if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
            return None;
        }
        let y2 = if m <= 2 { y - 1 } else { y };
        let era = y2.div_euclid(400);
        let yoe = y2 - era * 400;
        let mp = (m as i32 + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d as i32 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Some(Date(era * 146_097 + doe - 719_468))
    }

    pub fn ymd(self) -> (i32, u32, u32) {
        let z = self.0 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
        (y, m, d)
    }

    /// 0 = Monday ... 6 = Sunday. 1970-01-01 was a Thursday.
    pub fn weekday(self) -> u32 {
        (self.0 + 3).rem_euclid(7) as u32
    }

    pub fn is_weekend(self) -> bool {
        self.weekday() >= 5
    }

    pub fn succ(self) -> Date {
        Date(self.0 + 1)
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let y = s[0..4].parse().ok()?;
        let m = s[5..7].parse().ok()?;
        let d = s[8..10].parse().ok()?;
        Date::from_ymd(y, m, d)
    }

    /// Inclusive range of dates.
    pub fn range_inclusive(from: Date, to: Date) -> impl Iterator<Item = Date> {
        (from.0..=to.0).map(Date)
    }
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

/// What kind of day the calendar says a date is: each a term of the evaluation's regression
/// (`holiday` also removes the day's commutes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DayKind {
    /// A national holiday (libur nasional), by presidential decree and the SKB 3 Menteri.
    Holiday,
    /// Collective leave (cuti bersama) of the year's SKB 3 Menteri.
    CutiBersama,
    /// A school holiday of DKI Jakarta's education calendar.
    SchoolHoliday,
    /// A day of Ramadan.
    Ramadan,
    /// The Lebaran weeks around Idul Fitri (the homecoming, mudik, and return).
    Lebaran,
    /// An event shown on charts (not a regressor).
    Event,
}

impl DayKind {
    pub const ALL: [DayKind; 6] = [
        DayKind::Holiday,
        DayKind::CutiBersama,
        DayKind::SchoolHoliday,
        DayKind::Ramadan,
        DayKind::Lebaran,
        DayKind::Event,
    ];

    /// The name in `calendar.csv`'s `kind` column.
    pub fn as_str(self) -> &'static str {
        match self {
            DayKind::Holiday => "holiday",
            DayKind::CutiBersama => "cuti_bersama",
            DayKind::SchoolHoliday => "school_holiday",
            DayKind::Ramadan => "ramadan",
            DayKind::Lebaran => "lebaran",
            DayKind::Event => "event",
        }
    }

    pub fn parse(s: &str) -> Option<DayKind> {
        DayKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// The calendar's regressors for one day.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DayFlags {
    pub holiday: bool,
    pub cuti_bersama: bool,
    pub school_holiday: bool,
    pub ramadan: bool,
    pub lebaran: bool,
}

/// The working days of a period: weekdays minus holidays, in date order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkingCalendar {
    pub start: Date,
    pub end: Date,
    /// Working days in order; index = working-day number used by rotation.
    pub days: Vec<Date>,
}

impl WorkingCalendar {
    pub fn new(start: Date, end: Date, holidays: &[Date]) -> Self {
        let days = Date::range_inclusive(start, end)
            .filter(|d| !d.is_weekend() && !holidays.contains(d))
            .collect();
        WorkingCalendar { start, end, days }
    }

    pub fn len(&self) -> usize {
        self.days.len()
    }

    pub fn is_empty(&self) -> bool {
        self.days.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_and_known_dates() {
        assert_eq!(Date::from_ymd(1970, 1, 1), Some(Date(0)));
        let d = Date::from_ymd(2023, 8, 21).unwrap();
        assert_eq!(d.weekday(), 0, "21 Aug 2023 was a Monday");
        assert_eq!(d.to_string(), "2023-08-21");
        assert_eq!(
            Date::parse("2023-09-07").unwrap().weekday(),
            3,
            "a Thursday"
        );
        assert_eq!(Date::from_ymd(2023, 2, 29), None);
        assert_eq!(
            Date::from_ymd(2024, 2, 29).unwrap().to_string(),
            "2024-02-29"
        );
    }

    #[test]
    fn round_trip_over_decades() {
        for n in -20_000..40_000 {
            let d = Date(n);
            let (y, m, dd) = d.ymd();
            assert_eq!(Date::from_ymd(y, m, dd), Some(d));
        }
    }

    #[test]
    fn parse_rejects_malformed() {
        for s in [
            "2023-8-21",
            "2023/08/21",
            "2023-13-01",
            "2023-08-32",
            "abcd-ef-gh",
            "",
        ] {
            assert_eq!(Date::parse(s), None, "{s}");
        }
    }

    #[test]
    fn working_days_of_august_to_october_2023() {
        let hol = [
            Date::parse("2023-08-17").unwrap(),
            Date::parse("2023-09-28").unwrap(),
        ];
        let cal = WorkingCalendar::new(
            Date::parse("2023-08-01").unwrap(),
            Date::parse("2023-10-31").unwrap(),
            &hol,
        );
        // Aug: 23 weekdays - 1 holiday; Sep: 21 - 1; Oct: 22.
        assert_eq!(cal.len(), 22 + 20 + 22);
        assert!(!cal.days.contains(&hol[0]));
    }
}
