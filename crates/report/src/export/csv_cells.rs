//! Text cells of the CSV tables that a spreadsheet cannot take for formulas (CSV
//! injection, as OWASP describes it): a cell that begins with `=`, `+`, `-`, `@`, a tab or
//! a carriage return is written with a leading `'`, which spreadsheets show as text. A
//! cell that begins with `'` gets one more as well, so that [`unguard_frame`] removes
//! exactly one and a table read back holds the text that was written. Scenario titles,
//! policy names and the dataset's region names are user text; numbers are not touched.

use std::borrow::Cow;

use polars::prelude::*;

/// What a cell may not begin with: a spreadsheet's formula starts, and the guard itself.
const GUARDED_STARTS: [char; 7] = ['=', '+', '-', '@', '\t', '\r', '\''];

fn needs_guard(cell: &str) -> bool {
    cell.starts_with(GUARDED_STARTS)
}

/// `cell` as a spreadsheet reads it as text.
pub fn guard(cell: &str) -> Cow<'_, str> {
    if needs_guard(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// The text [`guard`] was given.
pub fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if needs_guard(rest) => rest,
        _ => cell,
    }
}

/// `df` with `f` applied to each cell of its text columns (a column none of whose cells
/// changes is kept as it is).
fn map_text(df: &DataFrame, f: impl Fn(&str) -> Cow<'_, str>) -> PolarsResult<DataFrame> {
    let mut out = df.clone();
    for col in df.columns() {
        let Ok(ca) = col.str() else { continue };
        if !ca.iter().flatten().any(|s| matches!(f(s), Cow::Owned(_))) {
            continue;
        }
        let cells: Vec<Option<String>> = ca.iter().map(|o| o.map(|s| f(s).into_owned())).collect();
        out.with_column(Column::new(col.name().clone(), cells))?;
    }
    Ok(out)
}

/// `df` with every text cell guarded, for a CSV file.
pub fn guard_frame(df: &DataFrame) -> PolarsResult<DataFrame> {
    map_text(df, guard)
}

/// A CSV table read back: every text cell unguarded.
pub fn unguard_frame(df: &DataFrame) -> PolarsResult<DataFrame> {
    map_text(df, |s| match unguard(s) {
        u if u.len() == s.len() => Cow::Borrowed(s),
        u => Cow::Owned(u.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_are_guarded_and_come_back() {
        for (cell, written) in [
            ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
            ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
            ("+1", "'+1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("'=x", "''=x"),
            ("'quoted'", "''quoted'"),
            ("Jakarta Pusat", "Jakarta Pusat"),
            ("a-b", "a-b"),
            ("", ""),
        ] {
            assert_eq!(guard(cell), written);
            assert_eq!(unguard(written), cell);
        }
    }

    #[test]
    fn frames_guard_text_only() {
        let df = df!("t" => ["=1", "ok"], "n" => [-1.0, 2.0]).unwrap();
        let g = guard_frame(&df).unwrap();
        let t: Vec<_> = g
            .column("t")
            .unwrap()
            .str()
            .unwrap()
            .iter()
            .flatten()
            .collect();
        assert_eq!(t, ["'=1", "ok"]);
        assert_eq!(g.column("n").unwrap(), df.column("n").unwrap());
        assert_eq!(unguard_frame(&g).unwrap(), df);
    }
}
