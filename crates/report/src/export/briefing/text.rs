//! A text as the template receives it: its parts, one per language shown (Indonesian
//! first), and the parts joined with " / " for headings and table headers.

use serde::Serialize;

use crate::labels::{Labels, Lang, Langs};

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Part {
    /// `id` or `en`: the `lang` attribute of the element the part is written in.
    pub lang: &'static str,
    pub text: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Text {
    pub parts: Vec<Part>,
    /// Every part, joined by " / " (BPS's "Sumber/Source").
    pub joined: String,
}

impl Text {
    /// A text built per language by `f`.
    pub fn per_lang(langs: Langs, f: impl Fn(Lang) -> String) -> Text {
        let parts: Vec<Part> = langs
            .list()
            .iter()
            .map(|&l| Part {
                lang: l.code(),
                text: f(l),
            })
            .collect();
        let mut joined: Vec<&str> = Vec::new();
        for p in &parts {
            // "Median / Median" reads as a stutter: a text the same in both is shown once.
            if !joined.contains(&p.text.as_str()) {
                joined.push(&p.text);
            }
        }
        let joined = joined.join(" / ");
        Text { parts, joined }
    }

    /// The same text in every language (a name, a number).
    pub fn plain(langs: Langs, s: &str) -> Text {
        Text::per_lang(langs, |_| s.to_string())
    }
}

/// The labels of one briefing: the catalogue and the languages shown.
#[derive(Clone, Copy)]
pub struct Tr<'a> {
    pub labels: &'a Labels,
    pub langs: Langs,
}

impl Tr<'_> {
    /// The label `key` in every language shown.
    pub fn t(&self, key: &str) -> Text {
        Text::per_lang(self.langs, |l| self.labels.get(key, l))
    }

    /// The sentence `key` with its holes filled per language by `values`.
    pub fn fill(&self, key: &str, values: impl Fn(Lang) -> Vec<(&'static str, String)>) -> Text {
        Text::per_lang(self.langs, |l| self.labels.fill(key, l, &values(l)))
    }

    /// The language numbers are written in (the first one shown).
    pub fn num_lang(&self) -> Lang {
        self.langs.first()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_indonesian_first_and_joined_once_when_equal() {
        let labels = Labels::parse(
            "[a]\nid = \"Sumber\"\nen = \"Source\"\n[m]\nid = \"Median\"\nen = \"Median\"\n",
            "t",
        )
        .unwrap();
        let tr = Tr {
            labels: &labels,
            langs: Langs::Both,
        };
        let a = tr.t("a");
        assert_eq!(a.joined, "Sumber / Source");
        assert_eq!(a.parts[0].lang, "id");
        assert_eq!(a.parts[1].text, "Source");
        assert_eq!(tr.t("m").joined, "Median");
        let en = Tr {
            labels: &labels,
            langs: Langs::En,
        };
        assert_eq!(en.t("a").joined, "Source");
        assert_eq!(en.t("a").parts.len(), 1);
    }
}
