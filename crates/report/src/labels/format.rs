//! Numbers written for a language: Indonesian groups thousands with `.` and uses `,` for
//! decimals (`12.100`, `0,04%`), English the reverse (`12,100`, `0.04%`). Every number
//! in the briefing goes through here, so the two languages never mix separators.

use super::Lang;

fn separators(lang: Lang) -> (char, char) {
    match lang {
        Lang::Id => ('.', ','),
        Lang::En => (',', '.'),
    }
}

/// `x` with `decimals` digits after the point and grouped thousands.
pub fn number(x: f64, decimals: usize, lang: Lang) -> String {
    if !x.is_finite() {
        return "–".to_string();
    }
    let (thousands, point) = separators(lang);
    let plain = format!("{:.*}", decimals, x.abs());
    let (int, frac) = match plain.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (plain.as_str(), None),
    };
    let mut out = String::new();
    let negative = x < 0.0 && plain.chars().any(|c| c.is_ascii_digit() && c != '0');
    if negative {
        out.push('−');
    }
    let n = int.len();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (n - i) % 3 == 0 {
            out.push(thousands);
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push(point);
        out.push_str(f);
    }
    out
}

/// A setting as it was given: the shortest text that reads back as `x`, with the
/// language's decimal mark (`0,2243`, `1`), no grouping.
pub fn shortest(x: f64, lang: Lang) -> String {
    let s = x.to_string();
    match lang {
        Lang::Id => s.replace('.', ","),
        Lang::En => s,
    }
}

/// A whole number: `12.100` / `12,100`.
pub fn int(x: f64, lang: Lang) -> String {
    number(x, 0, lang)
}

/// `x` rounded to `sig` significant digits, then written whole or with the decimals
/// those digits need (`12.100`, `0,44`, `3,3`): the precision of a headline.
pub fn sig(x: f64, sig: u32, lang: Lang) -> String {
    if x == 0.0 || !x.is_finite() {
        return number(x, 0, lang);
    }
    let magnitude = x.abs().log10().floor() as i32;
    let decimals = (sig as i32 - 1 - magnitude).max(0) as usize;
    let scale = 10f64.powi(sig as i32 - 1 - magnitude);
    let rounded = (x * scale).round() / scale;
    number(rounded, decimals, lang)
}

/// A percentage given in percent (`0.04` → `0,04%`), with `decimals` digits.
pub fn pct(percent: f64, decimals: usize, lang: Lang) -> String {
    format!("{}%", number(percent, decimals, lang))
}

/// A percentage to two significant digits, at least one decimal and at most three
/// (`0,018%`, `0,13%`, `5,0%`, `38%`): small effects stay readable.
pub fn pct_sig(percent: f64, lang: Lang) -> String {
    if percent == 0.0 || !percent.is_finite() {
        return pct(percent, 0, lang);
    }
    let magnitude = percent.abs().log10().floor() as i32;
    let decimals = (1 - magnitude).clamp(0, 3) as usize;
    pct(percent, decimals, lang)
}

/// A date `YYYY-MM-DD` written out: `21 Agustus 2023` / `21 August 2023`.
pub fn date(iso: &str, lang: Lang) -> String {
    const ID: [&str; 12] = [
        "Januari",
        "Februari",
        "Maret",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "September",
        "Oktober",
        "November",
        "Desember",
    ];
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let parts: Vec<&str> = iso.split('-').collect();
    let (Some(y), Some(m), Some(d)) = (parts.first(), parts.get(1), parts.get(2)) else {
        return iso.to_string();
    };
    let (Ok(m), Ok(d)) = (m.parse::<usize>(), d.parse::<u32>()) else {
        return iso.to_string();
    };
    if !(1..=12).contains(&m) {
        return iso.to_string();
    }
    let month = match lang {
        Lang::Id => ID[m - 1],
        Lang::En => EN[m - 1],
    };
    format!("{d} {month} {y}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_follow_the_language() {
        assert_eq!(int(12_100.4, Lang::Id), "12.100");
        assert_eq!(int(12_100.4, Lang::En), "12,100");
        assert_eq!(int(1_318_948_220.0, Lang::Id), "1.318.948.220");
        assert_eq!(int(999.0, Lang::En), "999");
        assert_eq!(number(1234.5678, 2, Lang::Id), "1.234,57");
        assert_eq!(number(-1234.5, 1, Lang::En), "−1,234.5");
        assert_eq!(number(-0.0001, 1, Lang::En), "0.0");
        assert_eq!(pct(0.04, 2, Lang::Id), "0,04%");
        assert_eq!(pct(0.04, 2, Lang::En), "0.04%");
    }

    #[test]
    fn significant_digits() {
        assert_eq!(sig(12_134.0, 3, Lang::Id), "12.100");
        assert_eq!(sig(10_749.0, 3, Lang::En), "10,700");
        assert_eq!(sig(0.4412, 2, Lang::Id), "0,44");
        assert_eq!(sig(3.289, 2, Lang::En), "3.3");
        assert_eq!(sig(0.0, 3, Lang::En), "0");
        assert_eq!(pct_sig(0.0182, Lang::Id), "0,018%");
        assert_eq!(pct_sig(0.133, Lang::En), "0.13%");
        assert_eq!(pct_sig(5.04, Lang::En), "5.0%");
        assert_eq!(pct_sig(38.2, Lang::En), "38%");
        assert_eq!(pct_sig(0.00012, Lang::En), "0.000%");
    }

    #[test]
    fn settings_as_given() {
        assert_eq!(shortest(0.6, Lang::Id), "0,6");
        assert_eq!(shortest(0.2243, Lang::En), "0.2243");
        assert_eq!(shortest(1.0, Lang::Id), "1");
    }

    #[test]
    fn dates() {
        assert_eq!(date("2023-08-21", Lang::Id), "21 Agustus 2023");
        assert_eq!(date("2023-10-01", Lang::En), "1 October 2023");
        assert_eq!(date("nonsense", Lang::En), "nonsense");
    }
}
