//! The words on a chart, in the chart's language(s), from the one label catalogue
//! (`assets/labels.toml`, keys under `[chart.*]` plus the shared `[metric.*]`,
//! `[basis.*]` and `[common.*]` ones).
//!
//! With [`Langs::Both`] a title is two lines, Indonesian then English (the frame draws
//! the second smaller and grey), and every other text is "Indonesian / English", the way
//! BPS labels its bilingual tables; numbers and dates inside a text use the first
//! language ([`Langs::first`]) unless a title line is written in its own language.

use crate::labels::{Labels, Lang, Langs};

/// Separator of the two languages in a label.
pub(super) const BOTH_SEP: &str = " / ";

/// What the dataset's notes start with, in its own (English) words; stripped, since the
/// catalogue's label is printed in their place.
const SOURCE_PREFIX: &str = "Source: ";
const INVENTORY_PREFIX: &str = "Inventory: ";

/// The chart's language choice, and the catalogue read in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct ChartText {
    pub langs: Langs,
}

impl ChartText {
    pub fn new(langs: Langs) -> Self {
        Self { langs }
    }

    /// The language of numbers, dates and texts shown in one language only.
    pub fn lang(self) -> Lang {
        self.langs.first()
    }

    /// The same chart text in its first language only: the fallback of a label that
    /// does not fit in both.
    pub fn first_only(self) -> ChartText {
        ChartText::new(match self.lang() {
            Lang::Id => Langs::Id,
            Lang::En => Langs::En,
        })
    }

    /// `key` in every language, then in the first only: what a chart tries in turn where
    /// space is short ([`super::frame::fit_sized`]).
    pub fn choices(self, key: &str) -> [String; 2] {
        [self.label(key), self.first_only().label(key)]
    }

    fn labels() -> &'static Labels {
        Labels::builtin()
    }

    /// `key` in the first language only (where two would not fit, e.g. a tick label).
    pub fn one(self, key: &str) -> String {
        Self::labels().get(key, self.lang())
    }

    /// `key` in each language, joined by " / " (once when both say the same, e.g. "CO₂").
    pub fn label(self, key: &str) -> String {
        self.each(key, BOTH_SEP, |_| Vec::new())
    }

    /// `key` with its `{holes}` filled for each language by `values`, joined by " / ".
    pub fn fill<F>(self, key: &str, values: F) -> String
    where
        F: Fn(Lang) -> Vec<(&'static str, String)>,
    {
        self.each(key, BOTH_SEP, values)
    }

    /// A chart title: one line per language (Indonesian first), each filled in its own
    /// language; the frame draws lines after the first smaller.
    pub fn title<F>(self, key: &str, values: F) -> String
    where
        F: Fn(Lang) -> Vec<(&'static str, String)>,
    {
        self.each(key, "\n", values)
    }

    fn each<F>(self, key: &str, sep: &str, values: F) -> String
    where
        F: Fn(Lang) -> Vec<(&'static str, String)>,
    {
        let mut parts: Vec<String> = Vec::new();
        for &l in self.langs.list() {
            let text = Self::labels().fill(key, l, &values(l));
            if !parts.contains(&text) {
                parts.push(text);
            }
        }
        parts.join(sep)
    }

    /// The source line: the catalogue's "Sumber" / "Source" / "Sumber/Source", then the
    /// dataset's note as it gives it (without its own leading "Source: ").
    pub fn source(self, note: &str) -> String {
        let label = Self::labels().joined("common.source", self.langs, "/");
        format!("{label}: {}", strip(note, SOURCE_PREFIX))
    }

    /// The inventory note, after the catalogue's "Inventaris" / "Inventory".
    pub fn inventory(self, note: &str) -> String {
        let label = Self::labels().joined("chart.inventory", self.langs, "/");
        format!("{label}: {}", strip(note, INVENTORY_PREFIX))
    }
}

fn strip<'a>(note: &'a str, prefix: &str) -> &'a str {
    let note = note.trim();
    note.strip_prefix(prefix).unwrap_or(note)
}
