//! The detectability chart's colours and its one-row legend (expected fall, the MDE
//! bands and how to read them), in the chart's language(s) when they fit.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::frame::{DrawResult, de, text_width};
use super::style;
use super::text::ChartText;

pub(super) const EFFECT_COLOR: RGBColor = RGBColor(0, 114, 178);
pub(super) const CITY_BAND: RGBColor = RGBColor(238, 168, 120);
pub(super) const CITY_LINE: RGBColor = RGBColor(170, 70, 0);
pub(super) const SITE_BAND: RGBColor = RGBColor(252, 230, 212);
pub(super) const SITE_LINE: RGBColor = RGBColor(225, 170, 130);
pub(super) const VISIBLE_COLOR: RGBColor = RGBColor(0, 130, 90);
pub(super) const HIDDEN_COLOR: RGBColor = RGBColor(180, 60, 0);

/// Draws the legend in one row from `(x, y)` (y the row's centre), in the chart's
/// language(s) when they fit in `max_w` pixels, else in its first.
pub(super) fn legend<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    (x, y): (i32, i32),
    max_w: u32,
    t: ChartText,
) -> DrawResult {
    let words = |t: ChartText| {
        [
            "chart.detect.effect",
            "chart.detect.mde_city",
            "chart.detect.mde_site",
            "chart.detect.band_note",
        ]
        .map(|k| t.label(k))
    };
    let width = |w: &[String; 4], px: f64| {
        w.iter()
            .map(|s| text_width(root, s, &style::font(px)) + 96)
            .sum::<u32>()
    };
    // Both languages if they fit, else the first, in the largest size that fits.
    let sizes = [style::TICK_PX, 20.0, 18.0, style::MIN_PX];
    let (w, px) = [words(t), words(t.first_only())]
        .into_iter()
        .flat_map(|w| sizes.map(|px| (w.clone(), px)))
        .find(|(w, px)| width(w, *px) <= max_w)
        .unwrap_or_else(|| (words(t.first_only()), style::MIN_PX));
    let font = style::font(px);
    let [effect, city, site, note] = w;
    let st = font
        .color(&style::TEXT)
        .pos(Pos::new(HPos::Left, VPos::Center));
    let mut x = x;
    // Expected fall: a point on a whisker.
    let ws = ShapeStyle::from(&BLACK).stroke_width(2);
    root.draw(&PathElement::new(vec![(x, y), (x + 40, y)], ws))
        .map_err(de)?;
    for cx in [x, x + 40] {
        root.draw(&PathElement::new(vec![(cx, y - 6), (cx, y + 6)], ws))
            .map_err(de)?;
    }
    root.draw(&Circle::new((x + 20, y), 7, EFFECT_COLOR.filled()))
        .map_err(de)?;
    root.draw_text(&effect, &st, (x + 52, y)).map_err(de)?;
    x += 52 + text_width(root, &effect, &font) as i32 + 44;
    for (label, band, line, h) in [
        (&city, CITY_BAND, CITY_LINE, 9),
        (&site, SITE_BAND, SITE_LINE, 13),
    ] {
        root.draw(&Rectangle::new(
            [(x, y - h), (x + 40, y + h)],
            band.filled(),
        ))
        .map_err(de)?;
        root.draw(&PathElement::new(
            vec![(x + 20, y - h), (x + 20, y + h)],
            ShapeStyle::from(&line).stroke_width(3),
        ))
        .map_err(de)?;
        root.draw_text(label, &st, (x + 52, y)).map_err(de)?;
        x += 52 + text_width(root, label, &font) as i32 + 44;
    }
    root.draw_text(
        &note,
        &font
            .color(&style::MUTED)
            .pos(Pos::new(HPos::Left, VPos::Center)),
        (x - 20, y),
    )
    .map_err(de)?;
    Ok(())
}
