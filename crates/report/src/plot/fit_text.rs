//! Fitting text to a width: greedy word wrap, and cutting with "…" to the longest prefix
//! that fits, each found by search rather than by trying one word or character at a time.
//!
//! Trying every prefix measures a text of n characters n times, each measurement costing
//! up to n: a 20,000-character scenario title took 20 s to draw that way. A longer prefix
//! is never narrower (a glyph's advance is positive and far larger than any kerning), so
//! "fits" is true for every prefix up to some length and false beyond, and a search finds
//! the same cut with about log2(n) measurements. The functions here are pure string
//! functions over a `fits` test, so each keeps the exact rule of the loop it replaced
//! (where a line breaks, how many characters the first cut drops, what is trimmed, the
//! shortest result) and the charts' output is unchanged; the unit tests run each against
//! the loop it replaced.

/// The first `max_lines` lines of a greedy word wrap: each line takes the words (split at
/// single spaces) that `fits`, a line's first word goes on whatever its width. A first
/// word that not even `fits_chart` (wider than the whole chart, so never seen whole) is
/// cut with "…" to what is. Asking for one line more than a chart can show tells whether
/// the text fits without wrapping all of it.
pub(super) fn wrap(
    s: &str,
    fits: impl Fn(&str) -> bool,
    fits_chart: impl Fn(&str) -> bool,
    max_lines: usize,
) -> Vec<String> {
    let mut lines = Vec::new();
    if max_lines == 0 {
        return lines;
    }
    let words: Vec<&str> = s.split(' ').collect();
    let mut cur = String::new();
    let mut k = 0;
    while k < words.len() {
        if cur.is_empty() {
            cur = ellipsize(words[k], &fits_chart);
            k += 1;
            continue;
        }
        let more = words_that_fit(&cur, &words[k..], &fits);
        for w in &words[k..k + more] {
            cur.push(' ');
            cur.push_str(w);
        }
        k += more;
        if k < words.len() {
            lines.push(std::mem::take(&mut cur));
            if lines.len() == max_lines {
                return lines;
            }
            cur = ellipsize(words[k], &fits_chart);
            k += 1;
        }
    }
    if !cur.is_empty() && lines.len() < max_lines {
        lines.push(cur);
    }
    lines
}

/// How many of the words `next` fit after `line` (each after a space). Adding a word never
/// makes a line narrower, so the count is found by doubling it until the line is too wide
/// and then halving the gap: what appending one word at a time finds, measured about
/// 2 log2(words) times instead of once per word.
fn words_that_fit(line: &str, next: &[&str], fits: impl Fn(&str) -> bool) -> usize {
    let with = |t: usize| {
        let mut s = line.to_string();
        for w in &next[..t] {
            s.push(' ');
            s.push_str(w);
        }
        s
    };
    // `lo` words fit (none: the line alone, already placed); `hi` do not, or are more
    // than there are.
    let (mut lo, mut step) = (0, 1);
    let mut hi = loop {
        let t = lo + step;
        if t > next.len() {
            break next.len() + 1;
        }
        if !fits(&with(t)) {
            break t;
        }
        lo = t;
        step *= 2;
    };
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if fits(&with(mid)) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    lo
}

/// Byte offsets of the ends of `s`'s prefixes of 0, 1, ... characters: the prefix of `j`
/// characters is `&s[..ends[j]]`.
fn prefix_ends(s: &str) -> Vec<usize> {
    s.char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(s.len()))
        .collect()
}

/// `cut` of the longest prefix of `s` with at most `max_chars` characters that `ok`
/// accepts, or `None` when it accepts none. `ok(cut(prefix))` must hold for every prefix
/// up to some length and for none beyond (see the module doc).
fn longest_prefix(
    s: &str,
    max_chars: usize,
    cut: impl Fn(&str) -> String,
    mut ok: impl FnMut(&str) -> bool,
) -> Option<String> {
    let ends = prefix_ends(s);
    let candidate = |j: usize| cut(&s[..ends[j]]);
    // Invariant: every length below `lo` is accepted, every length from `hi` on is not.
    let (mut lo, mut hi) = (0, max_chars.min(ends.len() - 1) + 1);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if ok(&candidate(mid)) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo.checked_sub(1).map(candidate)
}

/// A legend or header label: `label` when it fits, else its longest prefix ending in "…"
/// that fits, the first cut dropping two characters (the last one and room for "…"), and
/// no shorter than three characters and "…" (or the label, when it has four or fewer).
pub(super) fn shorten_label(label: &str, mut fits: impl FnMut(&str) -> bool) -> String {
    let n = label.chars().count();
    if n <= 4 || fits(label) {
        return label.to_string();
    }
    let cut = |p: &str| format!("{}…", p.trim_end_matches('…'));
    longest_prefix(label, n - 2, cut, |c| fits(c) || c.chars().count() <= 4)
        .unwrap_or_else(|| "…".to_string())
}

/// The last kept line of a wrapped text that went on: `line` with "…" when that fits,
/// else its longest prefix (trailing spaces trimmed) with "…" that fits, down to one
/// character and "…".
pub(super) fn cut_last_line(line: &str, mut fits: impl FnMut(&str) -> bool) -> String {
    let whole = format!("{line}…");
    let n = line.chars().count();
    if n <= 1 || fits(&whole) {
        return whole;
    }
    let cut = |p: &str| format!("{}…", p.trim_end());
    longest_prefix(line, n - 1, cut, |c| fits(c) || c.chars().count() <= 2)
        .unwrap_or_else(|| "…".to_string())
}

/// `s` when it fits, else its longest prefix (any "…" it ends in removed first, trailing
/// spaces trimmed) with "…" that fits, or "…" alone.
pub(super) fn ellipsize(s: &str, mut fits: impl FnMut(&str) -> bool) -> String {
    if fits(s) {
        return s.to_string();
    }
    let stem = s.trim_end_matches('…');
    let n = stem.chars().count();
    if n == 0 {
        return "…".to_string();
    }
    let cut = |p: &str| format!("{}…", p.trim_end());
    longest_prefix(stem, n - 1, cut, fits).unwrap_or_else(|| "…".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    // The loops these functions replaced, kept verbatim (with `fits` for the measurement)
    // as the reference they must agree with.

    fn old_shorten_label(label: &str, fits: impl Fn(&str) -> bool) -> String {
        let mut shown = label.to_string();
        while !fits(&shown) && shown.chars().count() > 4 {
            let keep: String = shown.chars().take(shown.chars().count() - 2).collect();
            shown = format!("{}…", keep.trim_end_matches('…'));
        }
        shown
    }

    fn old_cut_last_line(line: &str, fits: impl Fn(&str) -> bool) -> String {
        let mut last = line.to_string();
        let mut cut = format!("{last}…");
        while !fits(&cut) && last.chars().count() > 1 {
            last.pop();
            last = last.trim_end().to_string();
            cut = format!("{last}…");
        }
        cut
    }

    fn old_ellipsize(s: &str, fits: impl Fn(&str) -> bool) -> String {
        if fits(s) {
            return s.to_string();
        }
        let mut chars: Vec<char> = s.trim_end_matches('…').chars().collect();
        while !chars.is_empty() {
            chars.pop();
            let cand = format!("{}…", chars.iter().collect::<String>().trim_end());
            if fits(&cand) {
                return cand;
            }
        }
        "…".into()
    }

    fn old_wrap(s: &str, fits: impl Fn(&str) -> bool) -> Vec<String> {
        let mut lines = Vec::new();
        let mut cur = String::new();
        for word in s.split(' ') {
            let cand = if cur.is_empty() {
                word.to_string()
            } else {
                format!("{cur} {word}")
            };
            if !cur.is_empty() && !fits(&cand) {
                lines.push(std::mem::take(&mut cur));
                cur = word.to_string();
            } else {
                cur = cand;
            }
        }
        if !cur.is_empty() {
            lines.push(cur);
        }
        lines
    }

    /// A width in which a wide letter counts 3, any other character 2 (additive, so longer
    /// prefixes are never narrower, as with the chart fonts).
    fn width(s: &str) -> usize {
        s.chars()
            .map(|c| if c == 'W' || c == 'm' { 3 } else { 2 })
            .sum()
    }

    fn texts() -> Vec<String> {
        let mut v: Vec<String> = [
            "",
            "a",
            "ab",
            "abcd",
            "abcde",
            "DKI 50% WFH",
            "Jakarta Pusat · 2023-08-21",
            "a  b   c    ",
            "   ",
            "ab…",
            "abc……",
            "x…y…z",
            "Kebijakan WFH 50% ASN DKI Jakarta (Agustus–Oktober 2023)",
            "Wmmmm mmW W m",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        v.push("ab ".repeat(40));
        v.push("W".repeat(57));
        v
    }

    #[test]
    fn the_binary_search_cuts_exactly_where_the_old_loops_cut() {
        for t in texts() {
            for room in 0..=width(&t) + 4 {
                let fits = |s: &str| width(s) <= room;
                let at = format!("{t:?} in {room}");
                assert_eq!(shorten_label(&t, fits), old_shorten_label(&t, fits), "{at}");
                assert_eq!(cut_last_line(&t, fits), old_cut_last_line(&t, fits), "{at}");
                assert_eq!(ellipsize(&t, fits), old_ellipsize(&t, fits), "{at}");
                let all = old_wrap(&t, fits);
                assert_eq!(wrap(&t, fits, |_| true, usize::MAX), all, "{at}");
                for n in 0..=all.len() + 1 {
                    let first = &all[..n.min(all.len())];
                    assert_eq!(wrap(&t, fits, |_| true, n), first, "{at}, {n} lines");
                }
            }
        }
    }

    #[test]
    fn a_long_text_is_measured_a_logarithmic_number_of_times() {
        let long = "ab ".repeat(100_000);
        let mut calls = 0;
        let mut fits = |s: &str| {
            calls += 1;
            width(s) <= 300
        };
        let shown = ellipsize(&long, &mut fits);
        assert_eq!(shown, format!("{}…", "ab ".repeat(50).trim_end()));
        assert!(calls <= 22, "{calls} measurements");
    }

    #[test]
    fn a_word_wider_than_the_chart_is_cut_at_its_edge_and_the_rest_wraps_as_before() {
        let text = format!("ab {} cd ef", "W".repeat(100_000));
        let lines = wrap(&text, |s| width(s) <= 20, |s| width(s) <= 60, usize::MAX);
        assert_eq!(lines, ["ab", &format!("{}…", "W".repeat(19)), "cd ef"]);
    }
}
