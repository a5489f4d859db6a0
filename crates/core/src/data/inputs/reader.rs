//! The reader of the provenance table's rows: required rows are read through it, and the
//! ones that are missing are remembered so that all of them are reported at once.

use super::{MissingRow, Uncertain, group};
use crate::data::{Param, Params};

/// Reads rows and remembers the required ones that are missing.
pub(super) struct Reader<'a> {
    pub(super) params: &'a Params,
    pub(super) missing: Vec<MissingRow>,
    /// (group, file) of the accounting inputs read, in order: each group's override
    /// bounds live in its file.
    pub(super) groups: Vec<(String, &'static str)>,
}

impl<'a> Reader<'a> {
    pub(super) fn row(&mut self, file: &str, what: &str, key: String) -> Option<&'a Param> {
        let params: &'a Params = self.params;
        let found = params.row(&key);
        // Roles of one family read the same unit size: name a missing row once.
        if found.is_none() && !self.missing.iter().any(|m| m.key == key) {
            self.missing.push(MissingRow {
                file: file.to_string(),
                key,
                what: what.to_string(),
            });
        }
        found
    }

    /// A required number; NaN stands in for a missing one until the read fails.
    pub(super) fn value(&mut self, file: &str, what: &str, key: String) -> f64 {
        self.row(file, what, key).map_or(f64::NAN, |p| p.value)
    }

    /// An optional number: `None` when the row is absent (not a missing row).
    pub(super) fn optional(&self, key: &str) -> Option<f64> {
        self.params.row(key).map(|p| p.value)
    }

    /// A drawn input that a scenario may not override: a road-layer or a structural one.
    pub(super) fn drawn(&mut self, file: &str, what: &str, key: String) -> Uncertain {
        let (low, central, high) = self
            .row(file, what, key.clone())
            .map_or((f64::NAN, f64::NAN, f64::NAN), Param::range);
        Uncertain {
            key,
            low,
            central,
            high,
        }
    }

    /// An accounting input: drawn per replicate, and overridable within its group's bounds.
    pub(super) fn uncertain(&mut self, file: &'static str, what: &str, key: String) -> Uncertain {
        if !self.groups.iter().any(|(g, _)| g == group(&key)) {
            self.groups.push((group(&key).to_string(), file));
        }
        self.drawn(file, what, key)
    }
}

/// An optional drawn row (a share a group may leave out): `None` when the row is absent
/// (not a missing row).
pub(super) fn optional_drawn(params: &Params, key: String) -> Option<Uncertain> {
    let (low, central, high) = params.row(&key)?.range();
    Some(Uncertain {
        key,
        low,
        central,
        high,
    })
}
