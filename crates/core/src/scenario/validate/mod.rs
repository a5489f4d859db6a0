//! The rules a scenario's values must follow, checked on the [`Scenario`] value whatever
//! made it (a file, `extends`, code): name format, the period inside the calendar's years,
//! texts bounded and free of control characters (title, title_id, description, policy
//! names), parameter-override keys and bounds, shares in 0..1, compliance low ≤ central ≤ high (its rho,
//! ramp_days and ramp_from likewise),
//! windows inside the period and not overlapping, two policies never governing the same
//! workers on the same day, and dataset indices in range; each measure's own rules are in
//! `measures`.
//!
//! Each problem carries the key path of the value (`policy[0].schedule[1].share`); the TOML
//! reader turns paths into `file:line:col`. Must not read files or know about TOML.

mod measures;

use std::collections::BTreeSet;

use super::names::unknown_name;
use super::spans::join;
use super::{Problem, Scenario, Window};
use crate::calendar::Date;
use crate::data::Dataset;
use crate::text::{MAX_TEXT_CHARS, MAX_TITLE_CHARS, text_problem};

/// Parameter groups a scenario may override (accounting inputs; the population is shared
/// by every scenario of a run, so its inputs are not overridable per scenario).
/// Every problem of a scenario's values, in the order of the scenario's fields.
pub fn validate(s: &Scenario, ds: &Dataset) -> Vec<Problem> {
    validate_read(s, ds, &BTreeSet::new())
}

/// As [`validate`], skipping the rules of values the reader could not read (`unread`: key
/// paths of values that were missing, of a wrong type, or copied as a default from another
/// key): the reader has reported those already, or reports them where they came from.
pub(super) fn validate_read(s: &Scenario, ds: &Dataset, unread: &BTreeSet<String>) -> Vec<Problem> {
    let mut v = Validator {
        ds,
        unread,
        problems: Vec::new(),
    };
    v.scenario(s);
    v.problems
}

pub(super) use crate::text::num;

/// What a share out of range means, with the fraction a percentage was probably meant as.
fn share_problem(v: f64) -> String {
    let shown = num(v);
    if v > 1.0 && v <= 100.0 && v.fract() == 0.0 {
        let f = (v / 100.0 * 1e6).round() / 1e6;
        format!("{shown} is outside 0..1: a share is a fraction, 0.5 means 50%; did you mean {f}?")
    } else {
        format!("{shown} is outside 0..1: a share is a fraction, 0.5 means 50%")
    }
}

/// The longest compliance ramp: a year of working days.
pub const MAX_RAMP_DAYS: f64 = 260.0;

fn is_share(x: f64) -> bool {
    (0.0..=1.0).contains(&x)
}

struct Validator<'a> {
    ds: &'a Dataset,
    unread: &'a BTreeSet<String>,
    problems: Vec<Problem>,
}

impl Validator<'_> {
    fn ok(&self, path: &str) -> bool {
        !self.unread.contains(path)
    }

    fn problem(&mut self, path: &str, message: impl Into<String>) {
        self.problems.push(Problem::at_key(path, message));
    }

    fn scenario(&mut self, s: &Scenario) {
        if self.ok("name") && !super::names::is_valid_name(&s.name) {
            self.problem("name", super::names::name_rule(&s.name));
        }
        self.texts(s);
        let period = self.period(s);
        self.overrides(s);
        if s.policies.is_empty() && s.measures.is_empty() && self.ok("policy") {
            self.problem(
                "policy",
                "a scenario needs at least one [[policy]] or [[measure]]",
            );
        }
        // Per policy, the windows fit to be compared with other policies' (None: the
        // policy itself is unread or names what the dataset does not have).
        let mut good: Vec<Option<Vec<(usize, &Window)>>> = Vec::new();
        for (i, p) in s.policies.iter().enumerate() {
            let k = format!("policy[{i}]");
            if !self.ok(&k) {
                good.push(None);
                continue;
            }
            let indices_ok = self.indices(&k, p);
            self.compliance(&k, p);
            let windows = self.schedule(&join(&k, "schedule"), &p.windows, period, "policy");
            good.push(indices_ok.then_some(windows));
        }
        self.overlaps(s, &good);
        self.measures(s, period);
    }

    /// The texts that land in charts, tables and the briefing: bounded, and free of
    /// control characters other than newline and tab.
    fn texts(&mut self, s: &Scenario) {
        let mut texts: Vec<(String, &str, usize)> = vec![
            ("title".into(), &s.title, MAX_TITLE_CHARS),
            ("description".into(), &s.description, MAX_TEXT_CHARS),
        ];
        if let Some(t) = &s.title_id {
            texts.push(("title_id".into(), t, MAX_TITLE_CHARS));
        }
        for (i, p) in s.policies.iter().enumerate() {
            texts.push((format!("policy[{i}].name"), &p.name, MAX_TITLE_CHARS));
        }
        for (i, m) in s.measures.iter().enumerate() {
            texts.push((format!("measure[{i}].name"), &m.name, MAX_TITLE_CHARS));
        }
        for (key, text, max) in texts {
            if let Some(m) = text_problem(text, max).filter(|_| self.ok(&key)) {
                self.problem(&key, m);
            }
        }
    }

    fn period(&mut self, s: &Scenario) -> Option<(Date, Date)> {
        if !(self.ok("period.start") && self.ok("period.end")) {
            return None;
        }
        let (start, end) = (s.start, s.end);
        let (y0, y1) = self.ds.calendar_years();
        if end < start {
            self.problem(
                "period.end",
                format!("{end} is before period.start {start}"),
            );
            None
        } else if start.ymd().0 < y0 || end.ymd().0 > y1 {
            self.problem("period", format!("{start}..{end} is outside the years the holiday calendar covers ({y0}..{y1}); add holidays to calendar.csv of a dataset folder to go further"));
            None
        } else {
            Some((start, end))
        }
    }

    fn overrides(&mut self, s: &Scenario) {
        for o in &s.overrides {
            let key = join("parameters", &o.key);
            let k = o.key.as_str();
            let inputs = &self.ds.inputs;
            if !self.ds.params.contains(k) {
                let valid = inputs.overridable_keys();
                self.problem(&key, unknown_name("parameter", k, &valid));
                continue;
            }
            // The dataset's typed inputs say which keys the accounting reads per scenario
            // and the bounds an override must keep (rows `override.<group>.min/max`).
            let Some((lo, hi)) = inputs.override_bounds(k) else {
                let mut groups: Vec<String> = inputs
                    .overridable_keys()
                    .iter()
                    .filter_map(|k| k.split_once('.').map(|(g, _)| format!("{g}.")))
                    .collect();
                groups.dedup();
                self.problem(&key, format!("'{k}' shapes the shared population and cannot be overridden per scenario; overridable groups: {}", groups.join(", ")));
                continue;
            };
            if !self.ok(&key) {
                continue;
            }
            let allowed = format!("between {} and {}", num(lo), num(hi));
            let within = |v: f64| (lo..=hi).contains(&v);
            let bad_range = !within(o.value)
                || o.low.is_some_and(|l| !(within(l) && l <= o.value))
                || o.high.is_some_and(|h| !(within(h) && o.value <= h));
            if bad_range {
                let show = |x: Option<f64>| x.map_or("none".to_string(), num);
                self.problem(
                    &key,
                    format!(
                        "value {} (low {}, high {}) must be {allowed}, with low <= value <= high",
                        num(o.value),
                        show(o.low),
                        show(o.high)
                    ),
                );
            }
        }
    }

    /// Employer, region and role indices inside the dataset (a file's names were turned
    /// into indices by the reader; code can give any number). False if any is not.
    fn indices(&mut self, k: &str, p: &super::Policy) -> bool {
        let ds = self.ds;
        let mut sound = true;
        let lists = [
            ("employers", "employer", &p.employers, ds.employers.len()),
            ("work_regions", "region", &p.work_regions, ds.regions.len()),
            ("home_regions", "region", &p.home_regions, ds.regions.len()),
        ];
        for (field, what, ix, n) in lists {
            if let Some(bad) = ix.iter().find(|&&i| i >= n) {
                self.problem(
                    &join(k, field),
                    format!("{what} index {bad} is not in the dataset, which has {n} {what}s"),
                );
                sound = false;
            }
        }
        if p.exempt.len() != ds.roles.len() {
            self.problem(
                &join(k, "exempt_roles"),
                format!(
                    "{} exemption flags for the {} roles of the dataset; give one per role",
                    p.exempt.len(),
                    ds.roles.len()
                ),
            );
            sound = false;
        }
        let employers = join(k, "employers");
        if p.employers.is_empty() && self.ok(&employers) {
            let codes: Vec<&str> = ds.employers.iter().map(|e| e.code.as_str()).collect();
            self.problem(
                &employers,
                format!("list at least one employer (valid: {})", codes.join(", ")),
            );
        }
        sound
    }

    /// Compliance and its uptake: shares in 0..1 (rho and ramp_from too), ramp_days in
    /// 0..=MAX_RAMP_DAYS, each range ordered. rho is read only by "clustered", so a sweep
    /// may switch the model without removing it.
    fn compliance(&mut self, k: &str, p: &super::Policy) {
        let path = join(k, "compliance");
        if !self.ok(&path) {
            return;
        }
        let share = |x: f64| (!is_share(x)).then(|| share_problem(x));
        self.ordered_range(&path, p.compliance, share);
        let u = p.uptake;
        self.ordered_range(&join(&path, "rho"), u.rho, |x| {
            (!is_share(x)).then(|| {
                format!("{} is outside 0..1: rho is a correlation between two staff of a unit (0 = independent)", num(x))
            })
        });
        self.ordered_range(&join(&path, "ramp_days"), u.ramp_days, |x| {
            (!(0.0..=MAX_RAMP_DAYS).contains(&x)).then(|| {
                format!(
                    "{} is outside 0..{}: ramp_days counts working days from the order's first day (0 = no ramp)",
                    num(x),
                    num(MAX_RAMP_DAYS)
                )
            })
        });
        self.ordered_range(&join(&path, "ramp_from"), u.ramp_from, |x| {
            (!is_share(x)).then(|| {
                format!("{} is outside 0..1: ramp_from is day one's compliance as a fraction of the full level", num(x))
            })
        });
    }

    /// A range at `path` whose parts `rule` accepts (else its message) and which is ordered
    /// low <= central <= high. Parts the reader could not read are skipped.
    fn ordered_range(&mut self, path: &str, r: super::Range, rule: impl Fn(f64) -> Option<String>) {
        if !self.ok(path) {
            return;
        }
        let mut all_ok = true;
        for (part, x) in [("central", r.central), ("low", r.low), ("high", r.high)] {
            let at = join(path, part);
            if !self.ok(&at) {
                all_ok = false;
            } else if let Some(m) = rule(x) {
                self.problem(&at, m);
                all_ok = false;
            }
        }
        if !all_ok {
            return;
        }
        let order = if r.low > r.high {
            format!("low {} is above high {}", r.low, r.high)
        } else if r.low > r.central {
            format!("low {} is above central {}", r.low, r.central)
        } else if r.central > r.high {
            format!("central {} is above high {}", r.central, r.high)
        } else {
            return;
        };
        self.problem(path, format!("{order}; needs low <= central <= high"));
    }

    /// The rules of one policy's windows; returns the windows fit to compare with other
    /// policies' (readable, in order, with a share in 0..1), with their indices.
    fn schedule<'w>(
        &mut self,
        path: &str,
        windows: &'w [Window],
        period: Option<(Date, Date)>,
        owner: &str,
    ) -> Vec<(usize, &'w Window)> {
        if windows.is_empty() && self.ok(path) {
            self.problem(path, "list at least one window { from, to, share }");
        }
        let mut good: Vec<(usize, &Window)> = Vec::new();
        for (j, w) in windows.iter().enumerate() {
            let wk = format!("{path}[{j}]");
            if !self.ok(&wk) {
                continue;
            }
            let (share_at, to_at) = (join(&wk, "share"), join(&wk, "to"));
            let share_ok = self.ok(&share_at);
            if share_ok && !is_share(w.share) {
                self.problem(&share_at, share_problem(w.share));
            }
            if !(self.ok(&join(&wk, "from")) && self.ok(&to_at)) {
                continue;
            }
            let (from, to, share) = (w.from, w.to, w.share);
            if to < from {
                self.problem(
                    &to_at,
                    format!(
                        "{to} is before from = {from}; a window runs from its first to its last day"
                    ),
                );
                continue;
            }
            if let Some((start, end)) = period
                && (from < start || to > end)
            {
                self.problem(
                    &wk,
                    format!("{from}..{to} is not inside the scenario period {start}..{end}; move the window or widen [period]"),
                );
            }
            if !(share_ok && is_share(share)) {
                continue;
            }
            if let Some((o, x)) = good.iter().find(|(_, x)| x.from <= to && from <= x.to) {
                self.problem(&wk, format!(
                    "{from}..{to} (share {share}) overlaps schedule[{o}] {}..{} (share {}) on {}..{}; windows of one {owner} must not overlap: split them, e.g. 0.5 to 3 Sep, 0.75 on 4-7 Sep, 0.5 from 8 Sep",
                    x.from, x.to, x.share, from.max(x.from), to.min(x.to)
                ));
            }
            good.push((j, w));
        }
        good
    }

    /// Two policies may not govern the same workers on the same day.
    fn overlaps(&mut self, s: &Scenario, good: &[Option<Vec<(usize, &Window)>>]) {
        let meet = |a: &[usize], b: &[usize]| {
            a.is_empty() || b.is_empty() || a.iter().any(|x| b.contains(x))
        };
        let ps = &s.policies;
        for j in 0..ps.len() {
            for i in 0..j {
                let (Some(wa), Some(wb)) = (&good[i], &good[j]) else {
                    continue;
                };
                let (a, b) = (&ps[i], &ps[j]);
                let Some(e) = a.employers.iter().find(|e| b.employers.contains(e)) else {
                    continue;
                };
                if !meet(&a.work_regions, &b.work_regions)
                    || !meet(&a.home_regions, &b.home_regions)
                {
                    continue;
                }
                let Some((x, y)) = wa.iter().find_map(|(_, x)| {
                    wb.iter()
                        .find(|(_, y)| x.from <= y.to && y.from <= x.to)
                        .map(|(_, y)| (x, y))
                }) else {
                    continue;
                };
                let code = &self.ds.employers[*e].code;
                self.problem(&format!("policy[{j}]"), format!(
                    "'{}' covers employer '{code}' on {}..{} (share {}), as policy[{i}] '{}' does (share {}); two policies may not govern the same workers on the same day: give them disjoint dates, work_regions or home_regions",
                    b.name, y.from.max(x.from), y.to.min(x.to), y.share, a.name, x.share
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::share_problem;

    #[test]
    fn numbers_in_messages_stay_short() {
        assert_eq!(
            share_problem(1e308),
            "1e308 is outside 0..1: a share is a fraction, 0.5 means 50%"
        );
    }
}
