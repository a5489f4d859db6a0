//! The measures of a new scenario file, as comments: the base's measures as `[[measure]]`
//! tables with its values (uncommented together, an editable copy of them, since a file's
//! measures replace its base's whole), or, for a base without measures, one example of
//! each kind dated in the base's period. Each key is explained where it first appears.

use std::collections::BTreeSet;

use super::{commented, wrap};
use crate::calendar::Date;
use crate::data::Dataset;
use crate::scenario::parse::measures::PERIOD_NAMES;
use crate::scenario::settings::{self, quoted};
use crate::scenario::{Measure, MeasureKind, OddEvenAction, Purpose, Range, Scenario, Window};

/// The measures part of the file: an introduction, then one commented table per measure,
/// each after an empty line (so that a table's lines are one block).
pub(super) fn measures_section(t: &mut String, b: &Scenario, ds: &Dataset) {
    let regions: Vec<String> = ds.regions.iter().map(|r| r.code.clone()).collect();
    let (about, measures) = if b.measures.is_empty() {
        (examples_intro(&b.name), examples(b, regions.len(), ds))
    } else {
        (base_intro(&b.name, b.measures.len()), b.measures.clone())
    };
    t.push('\n');
    t.push_str(&wrap("# ", &about, 80));
    let mut explained = BTreeSet::new();
    for m in &measures {
        t.push('\n');
        t.push_str("# [[measure]]\n");
        for (key, value) in settings::measure(m, ds) {
            // A kind is explained once per kind, any other key once.
            let id = if key == "kind" {
                value.clone()
            } else {
                key.into()
            };
            if explained.insert(id) {
                commented(t, &help(key, &m.kind, &regions, ds), key, &value);
            } else {
                t.push_str(&format!("# {key} = {value}\n"));
            }
        }
    }
}

fn base_intro(base: &str, n: usize) -> String {
    format!(
        "The measures {base} bundles with its orders ({n} [[measure]] tables; every \
         key: docs/scenarios.md). A file that gives [[measure]] tables replaces the \
         base's measures whole: uncomment every table below for an editable copy of \
         them (as written, the same measures), then edit, remove or add tables; \
         uncommenting only some drops the others. Their source notes stay in the \
         base; source = \"...\" (optional) says where a measure comes from."
    )
}

fn examples_intro(base: &str) -> String {
    format!(
        "Measures besides working from home ([[measure]] tables; every key: \
         docs/scenarios.md): {base} has none. Below is an example of each kind, in \
         force in the period's first week; uncomment every line of a table and edit \
         it to add that measure. source = \"...\" (optional) says where a measure \
         comes from."
    )
}

/// One example per kind, dated in the first week of the base's period: the first
/// region's schools closed, shopping and leisure halved everywhere, part of the first
/// region's roads closed at the peaks (diverting to the second region, if there is one),
/// workplaces at 60% for the first employer no policy of the base covers (none when every
/// employer is covered: it would count their workers twice), odd-even suspended, and
/// transit at half its capacity.
fn examples(b: &Scenario, n_regions: usize, ds: &Dataset) -> Vec<Measure> {
    let windows = vec![Window {
        from: b.start,
        to: Date(b.start.0 + 6).min(b.end),
        share: 1.0,
    }];
    let first: Vec<usize> = (0..n_regions.min(1)).collect();
    let divert_to: Vec<usize> = (1..n_regions.min(2)).collect();
    let example = |name: &str, kind, regions: &[usize]| Measure {
        name: name.into(),
        kind,
        regions: regions.to_vec(),
        windows: windows.clone(),
    };
    let mut out = vec![
        example("Schools closed", MeasureKind::SchoolClosure, &first),
        example(
            "Shopping and leisure halved",
            MeasureKind::ActivityLimit {
                multipliers: [1.0, 0.5, 1.0],
            },
            &[],
        ),
        example(
            "Roads closed",
            MeasureKind::RoadClosure {
                periods: [true, false],
                capacity: 0.9,
                diversion: if divert_to.is_empty() { 0.0 } else { 0.2 },
                divert_to: divert_to.clone(),
            },
            &first,
        ),
    ];
    let free =
        (0..ds.employers.len()).find(|e| !b.policies.iter().any(|p| p.employers.contains(e)));
    if let Some(e) = free {
        out.push(example(
            "Workplaces at 60%",
            MeasureKind::Attendance {
                employers: vec![e],
                exempt: vec![false; ds.roles.len()],
                attendance: Range {
                    central: 0.6,
                    low: 0.5,
                    high: 0.7,
                },
            },
            &[],
        ));
    }
    out.push(example(
        "Odd-even suspended",
        MeasureKind::OddEven {
            action: OddEvenAction::Suspend,
            periods: [true, false],
        },
        &[],
    ));
    out.push(example(
        "Transit at half capacity",
        MeasureKind::TransitCap {
            cap: 0.5,
            modes: Vec::new(),
        },
        &[],
    ));
    out
}

/// What a measure of `kind` does, as its `kind` line's explanation.
fn kind_help(kind: &MeasureKind) -> &'static str {
    match kind {
        MeasureKind::SchoolClosure => {
            "School closure: schools teach at a distance, so school and escort trips \
             are not made."
        }
        MeasureKind::ActivityLimit { .. } => {
            "Activity limit: each purpose's trips are multiplied by its factor."
        }
        MeasureKind::RoadClosure { .. } => {
            "Road closure: part of the regions' road capacity is closed; the traffic \
             it carried drives on divert_to's roads or squeezes onto the rest."
        }
        MeasureKind::Attendance { .. } => {
            "Attendance: an observed share of workers at their workplace (e.g. \
             Google's workplaces -40% is 0.6): each covered worker of a non-exempt \
             role is away with probability 1 - attendance each working day."
        }
        MeasureKind::OddEven { .. } => {
            "Odd-even plates: cars of one parity are barred from the covered roads; \
             a barred trip switches mode, retimes, reroutes, takes a second car or \
             pays no heed (the dataset's traffic.odd_even rows)."
        }
        MeasureKind::TransitCap { .. } => {
            "Transit cap: transit carries only cap of its normal capacity; in the \
             peaks the commuters above it drive or stay home (the dataset's \
             transit rows)."
        }
    }
}

/// What `key` of a measure of `kind` means and allows.
fn help(key: &str, kind: &MeasureKind, regions: &[String], ds: &Dataset) -> String {
    let list = |items: &[&str]| {
        let v: Vec<String> = items.iter().map(|s| quoted(s)).collect();
        v.join(", ")
    };
    match key {
        "kind" => kind_help(kind).to_string(),
        "name" => "What the measure is; measures of one name count as one part of the \
                   bundle when its effect is split among its parts."
            .to_string(),
        "regions" => {
            let codes: Vec<&str> = regions.iter().map(String::as_str).collect();
            format!(
                "The regions it acts in ([] = every region): {}.",
                codes.join(", ")
            )
        }
        "schedule" => "When it is in force (working days), windows that do not overlap, \
                       inside the period; a window's share is the measure's strength, 0..1 \
                       (1 = as written, 0.5 = half of its effect)."
            .to_string(),
        "purposes" => {
            let names: Vec<&str> = Purpose::ALL.iter().map(|p| p.as_str()).collect();
            format!(
                "A factor 0..1 on the trips of each purpose named (1 = unchanged, 0 = \
                 none; a purpose left out stays at 1): {}. Workers' errands near home \
                 are shopping_leisure trips.",
                names.join(", ")
            )
        }
        "periods" => format!(
            "The periods it acts in: {} (peak = 06-10 and 16-20; an odd-even \
             measure's default is [\"peak\"]).",
            list(&PERIOD_NAMES)
        ),
        "action" => "\"suspend\" lifts the baseline's odd-even (DKI's covered roads, \
                     the peaks; regions outside DKI are refused), \"impose\" bars one \
                     parity where the baseline does not."
            .to_string(),
        "cap" => "The share of transit's normal capacity allowed aboard, in (0, 1].".to_string(),
        "modes" => format!(
            "The transit modes capped ([] = every rail and bus mode; minibuses \
             only when named): {}.",
            ds_codes(
                &ds.modes
                    .iter()
                    .filter(|m| crate::scenario::is_transit(m))
                    .map(|m| m.code.as_str())
                    .collect::<Vec<_>>()
            )
        ),
        "capacity" => "The share of the regions' road capacity left open, in (0, 1]: 1 \
                       closes nothing."
            .to_string(),
        "diversion" => "The share 0..1 of the closed roads' traffic that drives on \
                        divert_to's roads instead (default 0)."
            .to_string(),
        "divert_to" => "The regions whose roads take the diverted traffic (needed when \
                        diversion is above 0), outside the measure's regions; codes as \
                        for regions."
            .to_string(),
        "employers" => format!(
            "Whose workers ([] = every employer); not an employer a policy covers on \
             the same days: {}.",
            ds_codes(
                &ds.employers
                    .iter()
                    .map(|e| e.code.as_str())
                    .collect::<Vec<_>>()
            )
        ),
        "exempt_roles" => format!(
            "Roles that keep attending: {}.",
            ds_codes(&ds.roles.iter().map(|e| e.code.as_str()).collect::<Vec<_>>())
        ),
        "attendance" => "The share at the workplace against normal, 0..1, with its range \
                         (low <= central <= high)."
            .to_string(),
        _ => key.to_string(),
    }
}

fn ds_codes(codes: &[&str]) -> String {
    codes.join(", ")
}

#[cfg(test)]
mod tests {
    use crate::data::Dataset;
    use crate::scenario::parse::measures::{
        ACTIVITY_KEYS, ATTENDANCE_KEYS, CLOSURE_KEYS, MEASURE_KEYS, ODD_EVEN_KEYS, TRANSIT_CAP_KEYS,
    };
    use crate::scenario::{MeasureKind, NewScenario, Scenario, parse_scenario};

    /// The commented `[[measure]]` tables of a new file: its blocks (between empty lines)
    /// that begin with one.
    fn measure_blocks(text: &str) -> Vec<&str> {
        text.split("\n\n")
            .filter(|b| b.starts_with("# [[measure]]\n"))
            .collect()
    }

    /// `block` with the leading `# ` of each line taken off.
    fn uncomment(block: &str) -> String {
        let lines: Vec<&str> = block
            .lines()
            .map(|l| l.strip_prefix("# ").unwrap_or(l))
            .collect();
        lines.join("\n")
    }

    fn dki_variant(ds: &Dataset) -> (Scenario, String) {
        let text = include_str!("../../../../../scenarios/dki-2023.toml");
        let base = parse_scenario("dki-2023.toml", text, ds).unwrap();
        let new = NewScenario {
            name: "v",
            extends: "dki-2023",
            base: &base,
            schema: None,
        };
        let text = new.text(ds);
        (base, text)
    }

    #[test]
    fn each_example_uncommented_adds_a_valid_measure_of_its_kind() {
        let ds = Dataset::builtin().unwrap();
        let (base, text) = dki_variant(&ds);
        assert!(base.measures.is_empty());
        let blocks = measure_blocks(&text);
        assert_eq!(blocks.len(), MeasureKind::NAMES.len(), "{text}");
        for (block, kind) in blocks.iter().zip(MeasureKind::NAMES) {
            let edited = text.replace(block, &uncomment(block));
            let s =
                parse_scenario("v.toml", &edited, &ds).unwrap_or_else(|e| panic!("{e}\n{edited}"));
            assert_eq!(s.measures.len(), 1);
            assert_eq!(s.measures[0].kind.name(), kind);
            // The policies stay the base's.
            assert_eq!(s.policies, base.policies);
        }
        // Together: the WFH orders and five examples are the most parts a bundle splits
        // over (every example with the orders would be one too many).
        let mut all = text.clone();
        for block in &blocks[..blocks.len() - 1] {
            all = all.replace(block, &uncomment(block));
        }
        let s = parse_scenario("v.toml", &all, &ds).unwrap_or_else(|e| panic!("{e}"));
        let kinds: Vec<&str> = s.measures.iter().map(|m| m.kind.name()).collect();
        assert_eq!(kinds, MeasureKind::NAMES[..MeasureKind::NAMES.len() - 1]);
        for l in blocks.iter().flat_map(|b| b.lines()) {
            assert!(l.chars().count() <= 80, "longer than 80 columns: {l}");
        }
    }

    #[test]
    fn the_examples_explain_every_key_a_measure_takes() {
        let ds = Dataset::builtin().unwrap();
        let (_, text) = dki_variant(&ds);
        let first = text.find("# [[measure]]\n").unwrap();
        let lines: Vec<&str> = text[first..].lines().collect();
        let keys = MEASURE_KEYS
            .iter()
            .chain(&ACTIVITY_KEYS)
            .chain(&CLOSURE_KEYS)
            .chain(&ATTENDANCE_KEYS)
            .chain(&ODD_EVEN_KEYS)
            .chain(&TRANSIT_CAP_KEYS);
        // `source` is free text the file's intro mentions.
        for key in keys.filter(|k| **k != "source") {
            let at = lines
                .iter()
                .position(|l| l.starts_with(&format!("# {key} = ")))
                .unwrap_or_else(|| panic!("no example gives {key}"));
            assert!(lines[at - 1].starts_with("# # "), "{key} is not explained");
            let help = super::help(key, &MeasureKind::SchoolClosure, &[], &ds);
            assert_ne!(help, *key, "{key} has no explanation of its own");
        }
        for kind in MeasureKind::NAMES {
            let at = lines
                .iter()
                .position(|l| *l == format!("# kind = \"{kind}\""))
                .unwrap();
            assert!(lines[at - 1].starts_with("# # "), "{kind} is not explained");
        }
        // Region codes are listed where regions are explained.
        assert!(text.contains("([] = every region): jakarta_pusat, jakarta_utara,"));
    }

    #[test]
    fn example_windows_stay_inside_a_short_period() {
        let ds = Dataset::builtin().unwrap();
        let (mut base, _) = dki_variant(&ds);
        base.end = crate::calendar::Date(base.start.0 + 2);
        for m in super::examples(&base, 1, &ds) {
            assert_eq!((m.windows[0].from, m.windows[0].to), (base.start, base.end));
            // With one region, a closure has nowhere to divert to.
            if let MeasureKind::RoadClosure {
                diversion,
                divert_to,
                ..
            } = &m.kind
            {
                assert_eq!((*diversion, divert_to.len()), (0.0, 0));
            }
        }
    }
}
