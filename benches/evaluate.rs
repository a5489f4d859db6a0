//! Benchmarks of `wfhsim evaluate`'s methods on series of the sizes it reads: a year of
//! daily counts before a two-month window (the 2023 order), and four and a half years of
//! PM2.5 before PSBB I (seasons on). Each fits the interrupted time series and its in-time
//! placebos, as the command does per site. Run with `cargo bench --bench evaluate`;
//! figures are in docs/performance.md.

use criterion::{Criterion, criterion_group, criterion_main};
use wfhsim_core::calendar::Date;
use wfhsim_core::data::Dataset;
use wfhsim_core::evaluate::{Daily, ItsSpec, Scale, Season, Window, its, placebo};

/// A deterministic series: a weekday pattern, a slow wave and a ±2% wobble.
fn series(first: Date, days: usize) -> Daily {
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    let values = (0..days)
        .map(|i| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let u = (x >> 11) as f64 / (1u64 << 53) as f64;
            let weekday = [1.0, 1.02, 1.03, 1.02, 0.98, 0.8, 0.7]
                [(first.0 + i as i32 + 3).rem_euclid(7) as usize];
            Some(1e5 * weekday * (1.0 + 0.1 * (i as f64 / 58.0).sin()) * (1.0 + 0.04 * (u - 0.5)))
        })
        .collect();
    Daily {
        start: first,
        values,
    }
}

fn case(
    c: &mut Criterion,
    name: &str,
    (first, window, last): (&str, (&str, &str), &str),
    season: Season,
) {
    let ds = Dataset::builtin().unwrap();
    let d = |s: &str| Date::parse(s).unwrap();
    let (first, last) = (d(first), d(last));
    let s = series(first, (last.0 - first.0 + 1) as usize);
    let flags: Vec<_> = (first.0..=last.0)
        .map(|x| ds.day_flags(Date(x)).unwrap())
        .collect();
    let spec = ItsSpec {
        windows: vec![Window {
            from: d(window.0),
            to: d(window.1),
        }],
        scale: Scale::Log,
        trend: true,
        season,
        weekday: true,
        calendar: true,
        first,
        last,
        working_days: true,
    };
    c.bench_function(name, |b| {
        b.iter(|| {
            let fit = its::fit(&s, &flags, &spec).unwrap();
            placebo::in_time(&s, &flags, &spec, &fit)
        })
    });
}

fn evaluate(c: &mut Criterion) {
    case(
        c,
        "its + placebos, a year before the 2023 order",
        ("2022-08-22", ("2023-08-21", "2023-10-21"), "2023-10-21"),
        Season::None,
    );
    case(
        c,
        "its + placebos, 2016 to PSBB I with seasons",
        ("2016-01-01", ("2020-04-10", "2020-06-04"), "2020-06-04"),
        Season::Annual(2),
    );
}

criterion_group!(benches, evaluate);
criterion_main!(benches);
