//! The shipped calendar (scenarios/data/calendar.csv): the 2023 working days the engine
//! runs on are as before, every year 2015-2026 has its holidays, one Ramadan, one Lebaran
//! range and the school breaks, and spot checks against the SKB 3 Menteri (sources in the
//! rows).

use crate::common;

use common::*;
use wfhsim_core::calendar::{Date, DayKind, WorkingCalendar};

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn days_of(kind: DayKind) -> Vec<Date> {
    let mut v: Vec<Date> = dataset()
        .calendar
        .iter()
        .filter(|c| c.kind == kind)
        .flat_map(|c| c.days())
        .collect();
    v.sort();
    v
}

#[test]
fn the_2023_orders_run_on_the_same_working_days() {
    let ds = dataset();
    let in_window: Vec<Date> = ds
        .holidays()
        .into_iter()
        .filter(|h| d("2023-08-01") <= *h && *h <= d("2023-10-31"))
        .collect();
    assert_eq!(in_window, [d("2023-08-17"), d("2023-09-28")]);
    let cal = WorkingCalendar::new(d("2023-08-01"), d("2023-10-31"), &ds.holidays());
    // Aug: 23 weekdays - 1 holiday; Sep: 21 - 1; Oct: 22.
    assert_eq!(cal.len(), 22 + 20 + 22);
    // Cuti bersama are working days for the engine (ASN take them as leave).
    assert!(
        !ds.holidays().contains(&d("2023-04-19")),
        "a cuti bersama day"
    );
}

#[test]
fn the_calendar_covers_2015_to_2026_and_refuses_days_outside() {
    let ds = dataset();
    assert_eq!(ds.calendar_years(), (2015, 2026));
    assert!(ds.day_flags(d("2015-01-01")).unwrap().holiday);
    assert_eq!(
        ds.day_flags(d("2014-12-31")).unwrap_err().to_string(),
        "2014-12-31 is outside the calendar (2015-01-01..2026-12-31 in calendar.csv); add that year's holidays, cuti bersama, school holidays, Ramadan and Lebaran to calendar.csv of a dataset folder (--data DIR)"
    );
    assert!(ds.day_flags(d("2027-01-01")).is_err());
}

#[test]
fn spot_checks_against_the_skb() {
    let hol = days_of(DayKind::Holiday);
    let cuti = days_of(DayKind::CutiBersama);
    // 2020: Idul Fitri 24-25 May (SKB 744/2020); cuti bersama 28-30 Dec removed, 31 Dec kept.
    assert!(hol.contains(&d("2020-05-24")) && hol.contains(&d("2020-05-25")));
    for x in ["2020-12-28", "2020-12-29", "2020-12-30"] {
        assert!(!cuti.contains(&d(x)), "{x}");
    }
    assert!(cuti.contains(&d("2020-12-31")));
    // 2023: Idul Fitri 22-23 Apr; cuti bersama 19, 20, 21, 24, 25 Apr (revised SKB, March 2023).
    assert!(hol.contains(&d("2023-04-22")) && hol.contains(&d("2023-04-23")));
    let apr: Vec<Date> = cuti
        .iter()
        .copied()
        .filter(|x| d("2023-04-01") <= *x && *x <= d("2023-04-30"))
        .collect();
    assert_eq!(
        apr,
        [
            "2023-04-19",
            "2023-04-20",
            "2023-04-21",
            "2023-04-24",
            "2023-04-25"
        ]
        .map(d)
    );
    // 2021: after SKB 281/2021 and 712/2021 only 12 May is left; Tahun Baru Islam moved to 11 Aug.
    let c2021: Vec<Date> = cuti.iter().copied().filter(|x| x.ymd().0 == 2021).collect();
    assert_eq!(c2021, [d("2021-05-12")]);
    assert!(hol.contains(&d("2021-08-11")) && !hol.contains(&d("2021-08-10")));
    // 2025: 18 August added by the SKB of 7 August 2025.
    assert!(cuti.contains(&d("2025-08-18")));
}

#[test]
fn every_year_has_its_holidays_ramadan_lebaran_and_school_breaks() {
    let cal = &dataset().calendar;
    for y in 2015..=2026 {
        let holidays = days_of(DayKind::Holiday)
            .iter()
            .filter(|x| x.ymd().0 == y)
            .count();
        assert!(holidays >= 12, "{y}: {holidays} holidays");
        let of = |k: DayKind| -> Vec<_> {
            cal.iter()
                .filter(|c| c.kind == k && c.date.ymd().0 == y)
                .collect()
        };
        let ramadan = of(DayKind::Ramadan);
        assert_eq!(ramadan.len(), 1, "{y}: Ramadan rows");
        let len = ramadan[0].last.0 - ramadan[0].date.0 + 1;
        assert!((29..=30).contains(&len), "{y}: Ramadan of {len} days");
        let lebaran = of(DayKind::Lebaran);
        assert_eq!(lebaran.len(), 1, "{y}: Lebaran rows");
        // Ramadan ends the day before Idul Fitri, a holiday at the middle of the Lebaran weeks.
        let fitri = Date(ramadan[0].last.0 + 1);
        assert!(days_of(DayKind::Holiday).contains(&fitri), "{y}: {fitri}");
        assert_eq!(
            (lebaran[0].date.0, lebaran[0].last.0),
            (fitri.0 - 7, fitri.0 + 7)
        );
        let breaks = cal
            .iter()
            .filter(|c| c.kind == DayKind::SchoolHoliday)
            .filter(|c| c.date.ymd().0 <= y && y <= c.last.ymd().0)
            .count();
        assert!(breaks >= 2, "{y}: {breaks} school breaks");
    }
}

#[test]
fn rows_are_in_date_order_and_every_row_has_a_source() {
    let cal = &dataset().calendar;
    assert!(cal.windows(2).all(|w| w[0].date <= w[1].date));
    for c in cal {
        assert!(!c.source.trim().is_empty(), "{} {}", c.date, c.name);
    }
}
