//! The briefing's sentence on the event week: the event-week chart's first two compared
//! scenarios (A and B), their difference in trips avoided per day over the event's days,
//! replicate by replicate (each replicate's mean over those days of A_r − B_r; common
//! random numbers), with its 5–95% band and in how many replicates A avoids more.

use std::collections::BTreeSet;

use super::headlines::title;
use super::text::{Text, Tr};
use crate::export::{Charts, RunView};
use crate::labels::{Lang, format};
use crate::plot::event_paired::{PairedDays, measure_index};
use crate::plot::measures::{TRIPS, whole_area};
use wfhsim_core::calendar::Date;

/// "5–7 September 2023", "30 September–2 Oktober 2023": an event's days.
fn span(from: Date, to: Date, l: Lang) -> String {
    let last = format::date(&to.to_string(), l);
    let ((y0, m0, d0), (y1, m1, _)) = (from.ymd(), to.ymd());
    if from == to {
        last
    } else if (y0, m0) == (y1, m1) {
        format!("{d0}–{last}")
    } else {
        format!("{}–{last}", format::date(&from.to_string(), l))
    }
}

/// The sentence, when the run has an event, the chart compares two scenarios on it and
/// the folder has their replicates' daily values.
pub fn sentence(tr: Tr, run: &RunView) -> Option<Text> {
    let days: BTreeSet<i32> = run
        .daily
        .iter()
        .filter(|r| whole_area(r))
        .map(|r| r.date.0)
        .collect();
    let week = crate::plot::event_week(&Charts { langs: tr.langs }.input(run), &days)?;
    let [a, b] = [week.scenarios.first()?, week.scenarios.get(1)?];
    let pairs = PairedDays::new(&run.replicates_daily, a, b, &week.days)?;
    let (first, last) = week.span;
    let on_event = |d: &&i32| (first..=last).contains(*d);
    let from = week.days.iter().position(|d| on_event(&d))?;
    let n_days = week.days.iter().filter(on_event).count();
    let d = pairs.mean_over(
        measure_index(TRIPS.metric, TRIPS.component)?,
        from..from + n_days,
    );
    let info = |name: &str| run.info.scenarios.iter().find(|s| s.name == name);
    let (sa, sb) = (info(a)?, info(b)?);
    let n = pairs.replicates();
    let [lo, mid, hi] = d.total.0;
    let (key, band) = if mid >= 0.0 {
        ("headline.event_more", [lo, mid, hi])
    } else {
        ("headline.event_fewer", [-hi, -mid, -lo])
    };
    let count = |share: f64| (share * n as f64).round();
    let days_shown = week.days[from..from + n_days].to_vec();
    Some(tr.fill(key, |l| {
        let sig = |x: f64| format::sig(x, 3, l);
        vec![
            ("event", week.name.clone()),
            (
                "days",
                span(Date(days_shown[0]), Date(days_shown[n_days - 1]), l),
            ),
            ("a", title(sa, l)),
            ("b", title(sb, l)),
            ("diff", sig(band[1])),
            ("low", sig(band[0])),
            ("high", sig(band[2])),
            ("more", format::int(count(d.a_greater), l)),
            ("fewer", format::int(count(d.b_greater), l)),
            ("n", format::int(n as f64, l)),
        ]
    }))
}
