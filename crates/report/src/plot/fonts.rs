//! Embedded DejaVu Sans fonts, registered with plotters' ab_glyph font registry.

use std::sync::Once;

use plotters::style::{FontStyle, register_font};

static SANS: &[u8] = include_bytes!("../../../../assets/fonts/DejaVuSans.ttf");
static SANS_BOLD: &[u8] = include_bytes!("../../../../assets/fonts/DejaVuSans-Bold.ttf");

/// Family name used by every chart.
pub(super) const FAMILY: &str = "sans-serif";

static REGISTER: Once = Once::new();

/// Registers the embedded DejaVu Sans (regular and bold) as "sans-serif".
/// Safe to call many times; only the first call does work.
pub fn register_fonts() {
    REGISTER.call_once(|| {
        // The bytes are compiled-in, known-good TrueType files; a failure here
        // would only mean a corrupted build, in which case text falls back to
        // a drawing error reported by the chart that uses it.
        let _ = register_font(FAMILY, FontStyle::Normal, SANS);
        let _ = register_font(FAMILY, FontStyle::Bold, SANS_BOLD);
    });
}
