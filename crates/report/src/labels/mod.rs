//! The label catalogue: every chart title, axis, legend entry, table header, sheet name,
//! headline sentence and section title of the briefing, in Indonesian and English, in one
//! file (`assets/labels.toml`, compiled in). Each key is a TOML table with exactly two
//! strings, `id` and `en`; a key missing either language is an error when the catalogue
//! is read, so the shipped one is checked by a test. Sentences carry `{name}` holes that
//! [`Labels::fill`] replaces with numbers already formatted for the language
//! ([`format`]).

pub mod format;

use std::collections::BTreeMap;
use std::sync::OnceLock;

/// One language of the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Lang {
    Id,
    En,
}

impl Lang {
    /// The BCP 47 code (`id`, `en`), also the key inside each catalogue entry.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Id => "id",
            Lang::En => "en",
        }
    }
}

/// The `--lang` choice: one language, or both (Indonesian first, then English, as BPS's
/// bilingual tables do).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Langs {
    #[default]
    Id,
    En,
    Both,
}

impl Langs {
    pub const ALLOWED: &'static str = "id, en or both";

    /// The languages in the order they are shown.
    pub fn list(self) -> &'static [Lang] {
        match self {
            Langs::Id => &[Lang::Id],
            Langs::En => &[Lang::En],
            Langs::Both => &[Lang::Id, Lang::En],
        }
    }

    /// The first language shown: the one numbers and single-language texts (chart axes)
    /// use when both are shown.
    pub fn first(self) -> Lang {
        self.list()[0]
    }

    pub fn code(self) -> &'static str {
        match self {
            Langs::Id => "id",
            Langs::En => "en",
            Langs::Both => "both",
        }
    }

    pub fn parse(s: &str) -> Option<Langs> {
        match s {
            "id" => Some(Langs::Id),
            "en" => Some(Langs::En),
            "both" => Some(Langs::Both),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LabelError {
    #[error("{origin}: {message}")]
    Invalid { origin: String, message: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    id: String,
    en: String,
}

/// The catalogue: dotted key → its two texts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Labels {
    entries: BTreeMap<String, Entry>,
}

/// The catalogue compiled into the program.
pub const BUILTIN_TEXT: &str = include_str!("../../../../assets/labels.toml");
pub const BUILTIN_ORIGIN: &str = "assets/labels.toml";

/// What a missing key renders as, so that a test of a rendered briefing can find it.
pub const MISSING_MARK: &str = "⟦missing label";

impl Labels {
    /// The shipped catalogue (checked by a test; parsed once).
    pub fn builtin() -> &'static Labels {
        static CELL: OnceLock<Labels> = OnceLock::new();
        CELL.get_or_init(|| {
            Labels::parse(BUILTIN_TEXT, BUILTIN_ORIGIN)
                .unwrap_or_else(|e| panic!("the shipped label catalogue is invalid: {e}"))
        })
    }

    /// Reads a catalogue: nested tables whose leaves are `{ id = "…", en = "…" }`.
    pub fn parse(text: &str, origin: &str) -> Result<Labels, LabelError> {
        let bad = |message: String| LabelError::Invalid {
            origin: origin.to_string(),
            message,
        };
        let root: toml::Table = toml::from_str(text).map_err(|e| bad(e.to_string()))?;
        let mut entries = BTreeMap::new();
        walk(&root, "", &mut entries).map_err(bad)?;
        Ok(Labels { entries })
    }

    /// Every key, sorted.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.keys().map(String::as_str)
    }

    pub fn has(&self, key: &str) -> bool {
        self.entries.contains_key(key)
    }

    /// The text of `key` in `lang`; a missing key renders as `⟦missing label KEY⟧`.
    pub fn get(&self, key: &str, lang: Lang) -> String {
        match self.entries.get(key) {
            Some(e) => match lang {
                Lang::Id => e.id.clone(),
                Lang::En => e.en.clone(),
            },
            None => format!("{MISSING_MARK} {key}⟧"),
        }
    }

    /// The text in every language of `langs`, joined by `sep` (e.g. "Sumber/Source").
    pub fn joined(&self, key: &str, langs: Langs, sep: &str) -> String {
        langs
            .list()
            .iter()
            .map(|&l| self.get(key, l))
            .collect::<Vec<_>>()
            .join(sep)
    }

    /// The text of `key` with each `{name}` replaced by its value.
    pub fn fill(&self, key: &str, lang: Lang, values: &[(&str, String)]) -> String {
        let mut s = self.get(key, lang);
        for (name, v) in values {
            s = s.replace(&format!("{{{name}}}"), v);
        }
        s
    }
}

fn walk(
    table: &toml::Table,
    prefix: &str,
    out: &mut BTreeMap<String, Entry>,
) -> Result<(), String> {
    for (k, v) in table {
        let key = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        let toml::Value::Table(t) = v else {
            return Err(format!(
                "key '{key}' is not a table: each label is {{ id = \"…\", en = \"…\" }}"
            ));
        };
        let is_leaf = t.values().any(|v| !v.is_table());
        if !is_leaf {
            walk(t, &key, out)?;
            continue;
        }
        let text = |lang: &str| -> Result<String, String> {
            match t.get(lang) {
                Some(toml::Value::String(s)) if !s.trim().is_empty() => Ok(s.clone()),
                Some(toml::Value::String(_)) => {
                    Err(format!("label '{key}' has an empty '{lang}' text"))
                }
                Some(_) => Err(format!("label '{key}': '{lang}' is not a string")),
                None => Err(format!(
                    "label '{key}' lacks its '{lang}' text (every label needs both id and en)"
                )),
            }
        };
        let (id, en) = (text("id")?, text("en")?);
        if let Some(other) = t.keys().find(|k| *k != "id" && *k != "en") {
            return Err(format!(
                "label '{key}' has an unknown language '{other}' (allowed: id, en)"
            ));
        }
        out.insert(key, Entry { id, en });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_catalogue_has_both_languages_for_every_label() {
        let l = Labels::parse(BUILTIN_TEXT, BUILTIN_ORIGIN).unwrap();
        assert!(l.keys().count() > 40);
        assert_eq!(&l, Labels::builtin());
    }

    #[test]
    fn every_metric_unit_and_basis_of_the_result_schema_has_a_label() {
        use wfhsim_core::results::grid::Basis;
        use wfhsim_core::results::schema;
        let l = Labels::builtin();
        let ids = schema::metrics()
            .map(|(m, _)| m)
            .chain(schema::road_metrics());
        for m in ids.map(schema::metric) {
            for key in [
                format!("metric.{}", m.name),
                format!("unit.{}", m.unit.as_str()),
            ] {
                assert!(l.has(&key), "{key}");
            }
        }
        for b in Basis::ALL {
            assert!(l.has(&format!("basis.{}", b.as_str())), "{b:?}");
        }
    }

    #[test]
    fn a_label_without_english_is_refused_with_its_key() {
        let e = Labels::parse("[a.b]\nid = \"Sumber\"\n", "x.toml").unwrap_err();
        assert_eq!(
            e.to_string(),
            "x.toml: label 'a.b' lacks its 'en' text (every label needs both id and en)"
        );
        let e = Labels::parse("[a]\nen = \"Source\"\n", "x.toml").unwrap_err();
        assert_eq!(
            e.to_string(),
            "x.toml: label 'a' lacks its 'id' text (every label needs both id and en)"
        );
        let e = Labels::parse("[a]\nid = \"x\"\nen = \"y\"\nfr = \"z\"\n", "x.toml").unwrap_err();
        assert_eq!(
            e.to_string(),
            "x.toml: label 'a' has an unknown language 'fr' (allowed: id, en)"
        );
        let e = Labels::parse("[a]\nid = \"\"\nen = \"y\"\n", "x.toml").unwrap_err();
        assert_eq!(e.to_string(), "x.toml: label 'a' has an empty 'id' text");
    }

    #[test]
    fn fill_and_join() {
        let l = Labels::parse(
            "[src]\nid = \"Sumber\"\nen = \"Source\"\n[s]\nid = \"{n} perjalanan\"\nen = \"{n} trips\"\n",
            "t",
        )
        .unwrap();
        assert_eq!(l.joined("src", Langs::Both, "/"), "Sumber/Source");
        assert_eq!(l.joined("src", Langs::En, "/"), "Source");
        assert_eq!(
            l.fill("s", Lang::Id, &[("n", "12.100".into())]),
            "12.100 perjalanan"
        );
        assert_eq!(l.get("nope", Lang::En), "⟦missing label nope⟧");
    }
}
