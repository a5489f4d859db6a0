//! The text of a new scenario file (`wfhsim new`): a variant that `extends` a base and
//! changes nothing yet, with the keys a planner usually changes — the period, and the
//! base's first policy's schedule, compliance, exemptions, assignment, share rule and
//! base, and covered employers and regions — written out as comments with the base's
//! values and what each key allows; then the base's measures as commented `[[measure]]`
//! tables, or an example of each kind when it has none (`measures`). Uncommenting a key
//! changes it; the file as written validates and runs as its base does.

mod measures;

use std::collections::BTreeMap;

use toml::Value;

use super::settings::quoted;
use super::{Policy, Scenario, settings};
use crate::data::Dataset;

/// The words of `text` in lines of at most `width` columns, each starting with `prefix`.
fn wrap(prefix: &str, text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = prefix.to_string();
    for w in text.split_whitespace() {
        if line.len() > prefix.len() && line.chars().count() + 1 + w.chars().count() > width {
            out.push_str(line.trim_end());
            out.push('\n');
            line = prefix.to_string();
        }
        if line.len() > prefix.len() {
            line.push(' ');
        }
        line.push_str(w);
    }
    out.push_str(line.trim_end());
    out.push('\n');
    out
}

/// `title` cut to the longest title allowed, ending in "…" when cut: a base whose title
/// is near the limit still gives a variant file that validates.
fn fit_title(title: &str) -> String {
    let max = crate::text::MAX_TITLE_CHARS;
    if title.chars().count() <= max {
        return title.to_string();
    }
    let mut cut: String = title.chars().take(max - 1).collect();
    cut.push('…');
    cut
}

/// A commented-out key: its explanation, then `# key = value`.
fn commented(out: &mut String, explain: &str, key: &str, value: &str) {
    out.push_str("#\n");
    out.push_str(&wrap("# # ", explain, 80));
    out.push_str(&format!("# {key} = {value}\n"));
}

/// What a new scenario file holds.
pub struct NewScenario<'a> {
    /// The new scenario's `name`.
    pub name: &'a str,
    /// The value of its `extends` (a shipped name, or a path relative to its folder).
    pub extends: &'a str,
    /// The base, resolved and validated.
    pub base: &'a Scenario,
    /// The path for a `#:schema` first line, if any.
    pub schema: Option<&'a str>,
}

/// A scenario's settings as a file writes them, by dotted key.
type Settings = BTreeMap<String, String>;

impl NewScenario<'_> {
    /// The file's text.
    pub fn text(&self, ds: &Dataset) -> String {
        let b = self.base;
        let set = settings(b, ds);
        let mut t = String::new();
        self.head(&mut t);
        period_section(&mut t, &set);
        accounting_section(&mut t, &set);
        if let Some(p) = b.policies.first() {
            policy_section(&mut t, b, p);
            policy_keys(&mut t, &set, ds);
        }
        measures::measures_section(&mut t, b, ds);
        t
    }

    /// The schema line, what the file is, and the keys every scenario file gives.
    fn head(&self, t: &mut String) {
        let b = self.base;
        if let Some(s) = self.schema {
            t.push_str(&format!("#:schema {s}\n"));
        }
        t.push_str(&wrap(
            "# ",
            &format!(
                "{}: a variant of {}. Every key this file leaves out is the base's: \
                 uncomment a key below and edit it to change it (every key: \
                 docs/scenarios.md). Check the file with `wfhsim validate`, then run it \
                 with `wfhsim run`.",
                self.name, b.name
            ),
            80,
        ));
        t.push_str("schema_version = 1\n");
        t.push_str(&format!("extends = {}\n", quoted(self.extends)));
        t.push_str(&format!("name = {}\n", quoted(self.name)));
        t.push_str(&format!(
            "title = {}\n",
            quoted(&fit_title(&format!("Variant of {}: {}", b.name, b.title)))
        ));
        let title_id = match &b.title_id {
            Some(id) => format!("Varian dari {}: {id}", b.name),
            None => format!("Varian dari {}", b.name),
        };
        t.push_str(&format!("title_id = {}\n", quoted(&fit_title(&title_id))));
        t.push_str(&format!(
            "description = {}\n",
            quoted(&format!(
                "As {} but ... (say what changes, and where its numbers come from).",
                b.name
            ))
        ));
    }
}

fn period_section(t: &mut String, set: &Settings) {
    t.push('\n');
    t.push_str(&wrap(
        "# ",
        "The simulated days: every policy window lies inside them. Dates are \
         YYYY-MM-DD, without quotes; a key given here replaces only that key.",
        80,
    ));
    t.push_str("# [period]\n");
    t.push_str(&format!("# start = {}\n", set["period.start"]));
    t.push_str(&format!("# end = {}\n", set["period.end"]));
}

fn accounting_section(t: &mut String, set: &Settings) {
    t.push('\n');
    t.push_str(&wrap(
        "# ",
        "How avoided travel counts: rebound = true counts the errands and home energy \
         of workers at home; emission_model = \"speed\" (EMEP/EEA speed curves, a \
         congestion component) or \"fixed\".",
        80,
    ));
    t.push_str("# [accounting]\n");
    t.push_str(&format!("# rebound = {}\n", set["accounting.rebound"]));
    t.push_str(&format!(
        "# emission_model = {}\n",
        set["accounting.emission_model"]
    ));
}

/// The base's first policy: how a [[policy]] of the same name changes it, its name and
/// its schedule.
fn policy_section(t: &mut String, b: &Scenario, p: &Policy) {
    t.push('\n');
    let others: Vec<String> = b.policies[1..].iter().map(|p| quoted(&p.name)).collect();
    let mut about = format!(
        "A [[policy]] named as a policy of {} changes only the keys it gives (each \
         whole); a new name adds an order, which then needs name, employers, \
         assignment, share_rule, compliance and schedule.",
        b.name
    );
    if !others.is_empty() {
        about.push_str(&format!(
            " The base's other policies: {}.",
            others.join(", ")
        ));
    }
    t.push_str(&wrap("# ", &about, 80));
    t.push_str("# [[policy]]\n");
    t.push_str(&format!("# name = {}\n", quoted(&p.name)));
    t.push_str("#\n");
    t.push_str(&wrap(
        "# # ",
        "The share of eligible staff at home per date window, 0..1 (0.5 means 50%); \
         the windows of one policy do not overlap.",
        80,
    ));
    t.push_str("# schedule = [\n");
    for w in &p.windows {
        t.push_str(&format!(
            "#   {{ from = {}, to = {}, share = {} }},\n",
            w.from,
            w.to,
            Value::Float(w.share)
        ));
    }
    t.push_str("# ]\n");
}

/// The first policy's other keys a planner usually changes, with the base's values.
fn policy_keys(t: &mut String, set: &Settings, ds: &Dataset) {
    let key = |f: &str| set[&format!("policy.1.{f}")].clone();
    commented(
        t,
        "Compliance: the share of assigned staff who really stay home, with the range \
         the replicates draw from (low <= central <= high, each 0..1). Optionally \
         model = \"iid\" (default), \"persistent\" (a worker complies for the whole \
         order or not) or \"clustered\" (each work unit has its own compliance, \
         rho = its intra-unit correlation), and a ramp: ramp_days = working days to \
         full compliance, ramp_from = day one's fraction of it.",
        "compliance",
        &key("compliance"),
    );
    let roles: Vec<&str> = ds.roles.iter().map(|r| r.code.as_str()).collect();
    commented(
        t,
        &format!(
            "Roles always at the workplace ([] = none): {}.",
            roles.join(", ")
        ),
        "exempt_roles",
        &key("exempt_roles"),
    );
    commented(
        t,
        "\"rotation\": the staff of each work unit take turns; \"random_daily\": each \
         eligible worker stays home with probability share each day.",
        "assignment",
        &key("assignment"),
    );
    commented(
        t,
        "\"ceiling\": at most the share (a unit's count rounded down); \"target\": at \
         least the share (rounded up).",
        "share_rule",
        &key("share_rule"),
    );
    commented(
        t,
        "\"unit\": the share counts all staff of a unit, exempt ones included; \
         \"eligible\": only the staff allowed to work from home.",
        "share_base",
        &key("share_base"),
    );
    let employers: Vec<&str> = ds.employers.iter().map(|e| e.code.as_str()).collect();
    commented(
        t,
        &format!("Employers covered: {}.", employers.join(", ")),
        "employers",
        &key("employers"),
    );
    let regions: Vec<&str> = ds.regions.iter().map(|r| r.code.as_str()).collect();
    commented(
        t,
        &format!(
            "Only workplaces in these regions ([] = every region): {}. \
             home_regions does the same for where staff live.",
            regions.join(", ")
        ),
        "work_regions",
        &key("work_regions"),
    );
}

#[cfg(test)]
mod tests {
    #[test]
    fn titles_are_cut_to_the_limit() {
        let long = "W".repeat(250);
        let cut = super::fit_title(&long);
        assert_eq!(cut.chars().count(), crate::text::MAX_TITLE_CHARS);
        assert!(cut.ends_with("W…"));
        assert_eq!(super::fit_title("short"), "short");
    }
}
