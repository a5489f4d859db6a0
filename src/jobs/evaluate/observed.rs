//! `wfhsim run --observed SERIES`: a count series' own day-to-day noise, read from its
//! days before the policy, in place of the assumed σ and AR(1) of the detectability table.
//! Several sites are added up day by day (the city-wide count; a day missing at any site
//! is missing); the noise is the residual σ (a fraction of the count: the log scale) and
//! the AR(1) ρ of the interrupted-time-series model fitted with no window.

use std::path::Path;

use super::calendar_flags;
use crate::jobs::JobError;
use wfhsim_core::calendar::Date;
use wfhsim_core::data::Dataset;
use wfhsim_core::evaluate::mde::{self, Noise};
use wfhsim_core::evaluate::{Daily, ItsSpec, SEASON_MIN_DAYS, Scale, Season};
use wfhsim_report::series;

/// The series' noise over its days before `before`, and a line saying where it came from.
pub fn noise(
    ds: &Dataset,
    path: &Path,
    columns: &[String],
    before: Date,
) -> Result<(Noise, String), JobError> {
    let o = series::read(path, columns).map_err(|e| JobError::Input(e.0))?;
    let total = sum(o.sites.iter().map(|(_, s)| s));
    let first = total.start;
    let last = Date(total.end().0.min(before.0 - 1));
    if last < first {
        return Err(JobError::Input(format!(
            "{}: --observed needs days before the policy ({before}); the series starts on {first}",
            o.name
        )));
    }
    let spec = ItsSpec {
        windows: vec![],
        scale: Scale::Log,
        trend: true,
        season: if last.0 - first.0 >= SEASON_MIN_DAYS {
            Season::Annual(2)
        } else {
            Season::None
        },
        weekday: true,
        calendar: true,
        first,
        last,
        working_days: false,
    };
    let flags = calendar_flags(ds, &o.name, first, last)?;
    let n = mde::noise(&total, &flags, &spec)
        .map_err(|e| JobError::Input(format!("--observed {}: {e}", o.name)))?;
    let sites: Vec<&str> = o.sites.iter().map(|(n, _)| n.as_str()).collect();
    let what = format!(
        "{} ({}; {first}..{last}, {} days)",
        path.file_name()
            .map_or_else(|| o.name.clone(), |f| f.to_string_lossy().into_owned()),
        sites.join(" + "),
        n.n
    );
    Ok((n, what))
}

/// The day-by-day sum of series that share their days.
fn sum<'a>(mut sites: impl Iterator<Item = &'a Daily>) -> Daily {
    let first = sites.next().expect("a series has a site").clone();
    sites.fold(first, |mut acc, s| {
        for (a, b) in acc.values.iter_mut().zip(&s.values) {
            *a = a.zip(*b).map(|(x, y)| x + y);
        }
        acc
    })
}
