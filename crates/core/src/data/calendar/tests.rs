use super::*;

fn load(text: &str) -> Result<Vec<CalendarEntry>, String> {
    let t = Table::parse("calendar.csv", text).map_err(|e| e.to_string())?;
    read(&t).map_err(|e| e.to_string())
}

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

const HEAD: &str = "date,last,kind,name,source\n";

#[test]
fn a_range_covers_its_days_and_an_empty_last_is_one_day() {
    let rows = load(&format!(
        "{HEAD}2023-04-22,2023-04-23,holiday,Idul Fitri,s\n2023-08-17,,holiday,Independence Day,s\n"
    ))
    .unwrap();
    assert_eq!(
        rows[0].days().collect::<Vec<_>>(),
        [d("2023-04-22"), d("2023-04-23")]
    );
    assert_eq!(rows[1].last, rows[1].date);
    assert_eq!(rows[1].days().count(), 1);
}

#[test]
fn the_old_four_columns_still_load_as_single_days() {
    let rows = load(
        "date,kind,name,source\n2023-08-17,holiday,Independence Day,s\n2023-09-05,event,Summit,s\n",
    )
    .unwrap();
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|r| r.last == r.date));
    assert_eq!(rows[1].kind, DayKind::Event);
}

#[test]
fn a_last_day_before_the_date_is_refused_at_its_line_and_column() {
    let e = load(&format!(
        "{HEAD}2023-08-17,,holiday,a,s\n2023-04-23,2023-04-22,holiday,b,s\n"
    ))
    .unwrap_err();
    assert_eq!(
        e,
        "calendar.csv:3: column 'last': 2023-04-22 is before the row's date 2023-04-23; last is the range's last day (empty for a single day)"
    );
    let e = load(&format!("{HEAD}2023-04-23,23 April,holiday,b,s\n")).unwrap_err();
    assert_eq!(
        e,
        "calendar.csv:2: column 'last': '23 April' is not YYYY-MM-DD (or empty for a single day)"
    );
}

#[test]
fn an_unknown_kind_lists_the_allowed_ones() {
    let e = load(&format!("{HEAD}2023-08-17,,libur,a,s\n")).unwrap_err();
    assert_eq!(
        e,
        "calendar.csv:2: column 'kind': 'libur' is not one of holiday, cuti_bersama, school_holiday, ramadan, lebaran, event"
    );
}

#[test]
fn rows_of_one_kind_may_not_overlap_but_different_kinds_may() {
    let e = load(&format!(
        "{HEAD}2023-04-19,2023-04-25,cuti_bersama,a,s\n2023-01-23,,cuti_bersama,b,s\n2023-04-25,,cuti_bersama,c,s\n"
    ))
    .unwrap_err();
    assert_eq!(
        e,
        "calendar.csv:4: cuti_bersama 2023-04-25 overlaps the cuti_bersama row at calendar.csv:2 (2023-04-19..2023-04-25); rows of one kind may not share a day"
    );
    // A range inside a longer one that an earlier, non-overlapping row precedes.
    let e = load(&format!(
        "{HEAD}2023-01-01,,holiday,a,s\n2023-03-01,2023-03-31,holiday,b,s\n2023-03-10,2023-03-11,holiday,c,s\n"
    ))
    .unwrap_err();
    assert!(
        e.starts_with(
            "calendar.csv:4: holiday 2023-03-10..2023-03-11 overlaps the holiday row at calendar.csv:3"
        ),
        "{e}"
    );
    let rows = load(&format!(
        "{HEAD}2023-03-23,2023-04-21,ramadan,r,s\n2023-04-07,,holiday,h,s\n2023-04-15,2023-04-29,lebaran,l,s\n2023-04-19,2023-04-21,cuti_bersama,c,s\n"
    ))
    .unwrap();
    assert_eq!(rows.len(), 4);
}

#[test]
fn flags_of_days_inside_and_a_clear_error_outside() {
    let rows = load(&format!(
        "{HEAD}2015-01-01,,holiday,a,s\n2026-12-25,,holiday,b,s\n2015-06-18,2015-07-16,ramadan,r,s\n2015-07-16,,cuti_bersama,c,s\n2026-12-19,2027-01-03,school_holiday,x,s\n2023-09-05,,event,e,s\n"
    ))
    .unwrap();
    let ix = DayIndex::new(&rows);
    let only = |f: fn(&mut DayFlags)| {
        let mut x = DayFlags::default();
        f(&mut x);
        x
    };
    assert_eq!(ix.covered, Some((d("2015-01-01"), d("2026-12-31"))));
    assert_eq!(
        ix.flags(d("2015-07-16")).unwrap(),
        DayFlags {
            ramadan: true,
            cuti_bersama: true,
            ..DayFlags::default()
        }
    );
    assert_eq!(ix.flags(d("2015-06-17")).unwrap(), DayFlags::default());
    assert_eq!(
        ix.flags(d("2015-01-01")).unwrap(),
        only(|x| x.holiday = true)
    );
    assert_eq!(
        ix.flags(d("2026-12-31")).unwrap(),
        only(|x| x.school_holiday = true)
    );
    assert_eq!(
        ix.flags(d("2023-09-05")).unwrap(),
        DayFlags::default(),
        "events set no flag"
    );
    assert_eq!(
        ix.flags(d("2014-12-31")).unwrap_err().to_string(),
        "2014-12-31 is outside the calendar (2015-01-01..2026-12-31 in calendar.csv); add that year's holidays, cuti bersama, school holidays, Ramadan and Lebaran to calendar.csv of a dataset folder (--data DIR)"
    );
    assert!(
        ix.flags(d("2027-01-01")).is_err(),
        "a range running past the last covered year does not extend it"
    );
    assert_eq!(
        DayIndex::new(&[])
            .flags(d("2023-01-01"))
            .unwrap_err()
            .to_string(),
        "2023-01-01 is outside the calendar (calendar.csv has no holiday rows); add that year's holidays, cuti bersama, school holidays, Ramadan and Lebaran to calendar.csv of a dataset folder (--data DIR)"
    );
}

#[test]
fn the_flags_agree_with_a_day_by_day_scan_of_the_rows() {
    // An independent reference: each day's flags by testing every row.
    let rows = load(&format!(
        "{HEAD}2020-01-01,,holiday,a,s\n2020-05-24,2020-05-25,holiday,b,s\n2020-04-24,2020-05-23,ramadan,r,s\n2020-05-17,2020-05-31,lebaran,l,s\n2020-12-19,2021-01-03,school_holiday,x,s\n2020-06-27,2020-07-11,school_holiday,y,s\n2020-12-24,,cuti_bersama,c,s\n2020-12-31,,cuti_bersama,c,s\n"
    ))
    .unwrap();
    let ix = DayIndex::new(&rows);
    let on = |k: DayKind, day: Date| {
        rows.iter()
            .any(|r| r.kind == k && r.date <= day && day <= r.last)
    };
    for day in Date::range_inclusive(d("2020-01-01"), d("2020-12-31")) {
        let want = DayFlags {
            holiday: on(DayKind::Holiday, day),
            cuti_bersama: on(DayKind::CutiBersama, day),
            school_holiday: on(DayKind::SchoolHoliday, day),
            ramadan: on(DayKind::Ramadan, day),
            lebaran: on(DayKind::Lebaran, day),
        };
        assert_eq!(ix.flags(day).unwrap(), want, "{day}");
    }
}
