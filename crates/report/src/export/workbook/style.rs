//! What every sheet shares: its texts from the label catalogue in the run's language(s),
//! the cell formats (number formats, so numbers stay numbers) and the writers that skip
//! a missing value instead of writing NaN.

use rust_xlsxwriter::{Color, Format, FormatBorder, Worksheet, XlsxError};

use crate::labels::{Labels, Lang, Langs};

/// The separator of a bilingual header: "Skenario / Scenario".
pub(super) const JOIN: &str = " / ";

/// Excel's longest sheet name, in UTF-16 units.
pub(super) const SHEET_NAME_MAX: usize = 31;

/// Characters Excel refuses in a sheet name.
pub(super) const SHEET_NAME_FORBIDDEN: [char; 7] = ['/', '\\', '?', '*', '[', ']', ':'];

/// A sheet's name: the catalogue's `sheet.*` text in the one language, or with both
/// "Indonesian (English)" (`Ringkasan (Summary)`) — the Indonesian name alone if that
/// would pass 31 characters. A forbidden character becomes `-`.
pub(super) fn sheet_name(key: &str, langs: Langs) -> String {
    let l = Labels::builtin();
    let name = match langs {
        Langs::Id | Langs::En => l.get(key, langs.first()),
        Langs::Both => {
            let both = format!("{} ({})", l.get(key, Lang::Id), l.get(key, Lang::En));
            if both.encode_utf16().count() <= SHEET_NAME_MAX {
                both
            } else {
                l.get(key, Lang::Id)
            }
        }
    };
    let clean: String = name
        .chars()
        .map(|c| {
            if SHEET_NAME_FORBIDDEN.contains(&c) {
                '-'
            } else {
                c
            }
        })
        .collect();
    clean.chars().take(SHEET_NAME_MAX).collect()
}

/// Number formats (Excel's codes: the reader's locale supplies the separators).
pub(super) const COUNT: &str = "#,##0";
pub(super) const KG1: &str = "#,##0.0";
pub(super) const KG2: &str = "#,##0.00";
pub(super) const SHARE_SMALL: &str = "0.000%";
pub(super) const SHARE_WHOLE: &str = "0%";
pub(super) const INDEX: &str = "0.00";
pub(super) const DATE: &str = "yyyy-mm-dd";

/// Days from Excel's day 0 (1899-12-30, in the 1900 date system) to 1970-01-01.
const EXCEL_EPOCH_OFFSET: i32 = 25_569;

/// Days since 1970-01-01 as an Excel date serial number.
pub(super) fn excel_date(days: i32) -> f64 {
    f64::from(days + EXCEL_EPOCH_OFFSET)
}

/// The texts and formats of one workbook.
pub(super) struct Style {
    pub langs: Langs,
    pub title: Format,
    pub header: Format,
    pub note: Format,
    pub text: Format,
    /// Long text, wrapped in its cell.
    pub wrap: Format,
    pub date: Format,
}

impl Style {
    pub fn new(langs: Langs) -> Style {
        let header = Format::new()
            .set_bold()
            .set_text_wrap()
            .set_background_color(Color::RGB(0xE7_EE_F5))
            .set_border_bottom(FormatBorder::Thin);
        Style {
            langs,
            title: Format::new().set_bold().set_font_size(14),
            header,
            note: Format::new()
                .set_italic()
                .set_font_color(Color::RGB(0x59_59_59)),
            text: Format::new(),
            wrap: Format::new()
                .set_text_wrap()
                .set_align(rust_xlsxwriter::FormatAlign::Top),
            date: Format::new().set_num_format(DATE),
        }
    }

    /// A number format.
    pub fn num(code: &str) -> Format {
        Format::new().set_num_format(code)
    }

    /// The catalogue's text of `key` in the run's language(s).
    pub fn t(&self, key: &str) -> String {
        Labels::builtin().joined(key, self.langs, JOIN)
    }

    /// Per language, `make(lang)`, joined.
    pub fn each(&self, make: impl Fn(Lang) -> String) -> String {
        self.langs
            .list()
            .iter()
            .map(|&l| make(l))
            .collect::<Vec<_>>()
            .join(JOIN)
    }

    /// `key` in `lang` with its `{hole}`s filled by other catalogue keys.
    pub fn text_in(&self, key: &str, holes: &[(&str, &str)], lang: Lang) -> String {
        let l = Labels::builtin();
        let values: Vec<(&str, String)> = holes.iter().map(|(h, k)| (*h, l.get(k, lang))).collect();
        l.fill(key, lang, &values)
    }

    /// `key` with its `{hole}`s filled by other catalogue keys, per language.
    pub fn filled(&self, key: &str, holes: &[(&str, &str)]) -> String {
        self.each(|l| self.text_in(key, holes, l))
    }

    /// "text, quantile" per language: the header of one column of a p05/p50/p95 band.
    pub fn banded_filled(&self, key: &str, holes: &[(&str, &str)], q: usize) -> String {
        let q = QUANTILE_KEYS[q];
        self.each(|l| {
            format!(
                "{}, {}",
                self.text_in(key, holes, l),
                Labels::builtin().get(q, l)
            )
        })
    }

    pub fn banded(&self, key: &str, q: usize) -> String {
        self.banded_filled(key, &[], q)
    }
}

/// The catalogue keys of p05, p50 and p95.
pub(super) const QUANTILE_KEYS: [&str; 3] = ["common.p05", "common.p50", "common.p95"];

/// A number, or an empty formatted cell when it is missing (NaN or infinite).
pub(super) fn number(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    x: f64,
    format: &Format,
) -> Result<(), XlsxError> {
    if x.is_finite() {
        ws.write_number_with_format(row, col, x, format)?;
    } else {
        ws.write_blank(row, col, format)?;
    }
    Ok(())
}

/// A date given as days since 1970-01-01, or an empty cell.
pub(super) fn date(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    day: Option<i32>,
    format: &Format,
) -> Result<(), XlsxError> {
    number(ws, row, col, day.map_or(f64::NAN, excel_date), format)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_valid_excel_names_in_every_language() {
        for key in Labels::builtin().keys().filter(|k| k.starts_with("sheet.")) {
            for langs in [Langs::Id, Langs::En, Langs::Both] {
                let name = sheet_name(key, langs);
                assert!(!name.is_empty(), "{key}");
                assert!(name.encode_utf16().count() <= SHEET_NAME_MAX, "{name}");
                assert!(!name.contains(SHEET_NAME_FORBIDDEN), "{name}");
                assert!(!name.starts_with('\'') && !name.ends_with('\''), "{name}");
                rust_xlsxwriter::utility::check_sheet_name(&name).unwrap();
            }
        }
        assert_eq!(sheet_name("sheet.summary", Langs::Id), "Ringkasan");
        assert_eq!(sheet_name("sheet.summary", Langs::En), "Summary");
        assert_eq!(
            sheet_name("sheet.summary", Langs::Both),
            "Ringkasan (Summary)"
        );
    }

    #[test]
    fn excel_dates_count_from_1899_12_30() {
        // Excel's serial number of 2023-09-04 is 45173 (and of 1970-01-01, 25569).
        let day = wfhsim_core::calendar::Date::parse("2023-09-04").unwrap().0;
        assert_eq!(excel_date(day), 45_173.0);
        assert_eq!(excel_date(0), 25_569.0);
    }

    #[test]
    fn bilingual_headers_join_indonesian_then_english() {
        let s = Style::new(Langs::Both);
        assert_eq!(s.t("common.scenario"), "Skenario / Scenario");
        assert_eq!(
            s.banded("xlsx.trips_avoided", 1),
            "Perjalanan dihindari, Median (p50) / Trips avoided, Median (p50)"
        );
        assert_eq!(
            Style::new(Langs::En).filled(
                "xlsx.avoided_net",
                &[("metric", "metric.co2"), ("unit", "unit.t")]
            ),
            "CO₂ avoided over the window, net (t)"
        );
        assert_eq!(
            Style::new(Langs::Id).filled(
                "xlsx.avoided_net",
                &[("metric", "metric.pm25"), ("unit", "unit.kg")]
            ),
            "PM2,5 (gas buang) yang dihindari selama periode, neto (kg)"
        );
    }
}
