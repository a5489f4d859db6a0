//! Where each value stands: dotted key paths (`policy[0].schedule[1].share`) mapped to
//! the file they were written in, their path in that file and their byte span, read by a
//! second, position-keeping pass over the TOML; byte offsets turned into line and column.
//! A scenario that `extends` another is read from a table merged from several files, so
//! each path keeps the file it came from.

use std::collections::BTreeMap;

use toml::{Spanned, Table};

use super::Problem;

pub(super) type Span = std::ops::Range<usize>;

/// 1-based line and column (in characters) of a byte offset.
pub(super) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut o = offset.min(text.len());
    while !text.is_char_boundary(o) {
        o -= 1;
    }
    let before = &text[..o];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

/// `path.key`, quoting keys that are not bare TOML keys (`parameters."ef.car.co2"`).
pub(super) fn join(path: &str, key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    let k = if bare {
        key.to_string()
    } else {
        format!("\"{key}\"")
    };
    if path.is_empty() {
        k
    } else {
        format!("{path}.{k}")
    }
}

/// The shape of the file with the position of every value, read in a second pass over
/// text that already parsed, so that every problem can point at its line and column.
pub(super) enum Node {
    Leaf,
    Seq(Vec<Spanned<Node>>),
    Map(Vec<(String, Spanned<Node>)>),
}

/// The toml crate hands a date-time to serde as a one-entry table under this key.
const TOML_DATETIME_KEY: &str = "$__toml_private_datetime";

impl<'de> serde::Deserialize<'de> for Node {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Node;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a TOML value")
            }
            fn visit_bool<E>(self, _: bool) -> Result<Node, E> {
                Ok(Node::Leaf)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Node, E> {
                Ok(Node::Leaf)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Node, E> {
                Ok(Node::Leaf)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Node, E> {
                Ok(Node::Leaf)
            }
            fn visit_str<E>(self, _: &str) -> Result<Node, E> {
                Ok(Node::Leaf)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut a: A) -> Result<Node, A::Error> {
                let mut v = Vec::new();
                while let Some(x) = a.next_element::<Spanned<Node>>()? {
                    v.push(x);
                }
                Ok(Node::Seq(v))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut a: A) -> Result<Node, A::Error> {
                let mut v = Vec::new();
                while let Some(k) = a.next_key::<String>()? {
                    if k == TOML_DATETIME_KEY {
                        a.next_value::<serde::de::IgnoredAny>()?;
                        return Ok(Node::Leaf);
                    }
                    v.push((k, a.next_value::<Spanned<Node>>()?));
                }
                Ok(Node::Map(v))
            }
        }
        d.deserialize_any(V)
    }
}

fn flatten(path: &str, n: &Node, out: &mut BTreeMap<String, Span>) {
    let mut add = |p: String, x: &Spanned<Node>| {
        out.insert(p.clone(), x.span());
        flatten(&p, x.get_ref(), out);
    };
    match n {
        Node::Leaf => {}
        Node::Seq(v) => v
            .iter()
            .enumerate()
            .for_each(|(i, x)| add(format!("{path}[{i}]"), x)),
        Node::Map(v) => v.iter().for_each(|(k, x)| add(join(path, k), x)),
    }
}

/// One scenario file: the name messages give it, and its text.
#[derive(Debug, Clone)]
pub(super) struct Source {
    pub name: String,
    pub text: String,
}

/// Where one value was written: which source, its key path there, its byte span.
#[derive(Debug, Clone)]
pub(super) struct Place {
    pub src: usize,
    pub local: String,
    pub span: Span,
}

/// Key path → where the value was written.
#[derive(Debug, Clone, Default)]
pub(super) struct Places(BTreeMap<String, Place>);

/// The rest of `p` after `prefix` if `p` is `prefix` itself or a path inside it.
fn inside<'p>(p: &'p str, prefix: &str) -> Option<&'p str> {
    let rest = p.strip_prefix(prefix)?;
    (rest.is_empty() || rest.starts_with('.') || rest.starts_with('[')).then_some(rest)
}

impl Places {
    /// The place of every value of source `src`, whose `text` parsed already (without
    /// positions, messages just lack them).
    pub fn of_text(src: usize, text: &str) -> Places {
        let mut spans = BTreeMap::new();
        if let Ok(n @ Node::Map(_)) = toml::from_str::<Node>(text) {
            flatten("", &n, &mut spans);
        }
        Places(
            spans
                .into_iter()
                .map(|(p, span)| {
                    let local = p.clone();
                    (p, Place { src, local, span })
                })
                .collect(),
        )
    }

    pub fn get(&self, path: &str) -> Option<&Place> {
        self.0.get(path)
    }

    /// The place of `path`, or of the nearest table holding it, with `path`'s rest.
    pub fn nearest<'s>(&'s self, path: &'s str) -> Option<(&'s Place, &'s str)> {
        self.0
            .iter()
            .filter_map(|(p, place)| inside(path, p).map(|rest| (place, rest)))
            .min_by_key(|(_, rest)| rest.len())
    }

    /// Sets the place of `path` alone (not of the values inside it).
    pub fn put(&mut self, path: &str, place: Place) {
        self.0.insert(path.to_string(), place);
    }

    /// Forgets every place at or inside `path`.
    pub fn remove(&mut self, path: &str) {
        self.0.retain(|p, _| inside(p, path).is_none());
    }

    /// Takes `other`'s places at or inside `from`, as places at or inside `to`.
    pub fn graft(&mut self, other: &Places, from: &str, to: &str) {
        for (p, place) in &other.0 {
            if let Some(rest) = inside(p, from) {
                self.0.insert(format!("{to}{rest}"), place.clone());
            }
        }
    }
}

/// The TOML table of one file, or its syntax error (which stops the reading). `quote`:
/// the message shows the line with the error (its control characters escaped) and a caret.
pub(super) fn parse_toml(text: &str, quote: bool) -> Result<Table, Problem> {
    text.parse().map_err(|e: toml::de::Error| {
        let at = e.span().map(|s| line_col(text, s.start));
        let message = e.message().trim().replace('\n', "; ");
        let quoted = at
            .filter(|_| quote)
            .and_then(|(l, c)| {
                let src = crate::text::escape_controls(text.lines().nth(l - 1)?);
                let pad = " ".repeat(l.to_string().len());
                Some(format!(
                    "\n{l} | {src}\n{pad} | {}^",
                    " ".repeat(c.saturating_sub(1))
                ))
            })
            .unwrap_or_default();
        Problem {
            key: String::new(),
            at,
            file: None,
            message: format!("TOML syntax error: {message}{quoted}"),
        }
    })
}
