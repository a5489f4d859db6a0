//! Rendering one chart to PNG and SVG bytes in memory. Writing them anywhere is the
//! caller's business.

use image::ImageEncoder;
use image::codecs::png::PngEncoder;
use plotters::prelude::*;

use super::PlotError;
use super::frame::Chart;
use super::style::{HEIGHT, WIDTH};

/// One rendered chart file: its name (e.g. `daily_trips_avoided.png`) and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedChart {
    /// File name, e.g. `daily_trips_avoided.png`.
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Renders `chart` as `<stem>.png` then `<stem>.svg`.
pub(super) fn render<C: Chart>(chart: &C, stem: &str) -> Result<[RenderedChart; 2], PlotError> {
    let png = format!("{stem}.png");
    let svg = format!("{stem}.svg");
    let png_bytes = png_bytes(chart, &png)?;
    let svg_bytes = svg_bytes(chart, &svg)?;
    Ok([
        RenderedChart {
            name: png,
            bytes: png_bytes,
        },
        RenderedChart {
            name: svg,
            bytes: svg_bytes,
        },
    ])
}

fn draw_error(file_name: &str, message: impl std::fmt::Display) -> PlotError {
    PlotError::Draw {
        chart: file_name.to_string(),
        message: message.to_string(),
    }
}

/// Draws into an RGB buffer and encodes it the way plotters' file backend does (the
/// `image` crate's PNG encoder with its default compression and filter), so a chart
/// rendered here has the same bytes as one saved to a path.
fn png_bytes<C: Chart>(chart: &C, file_name: &str) -> Result<Vec<u8>, PlotError> {
    let mut rgb = vec![0u8; WIDTH as usize * HEIGHT as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (WIDTH, HEIGHT)).into_drawing_area();
        chart.draw(&root).map_err(|m| draw_error(file_name, m))?;
        root.present().map_err(|e| draw_error(file_name, e))?;
    }
    let mut png = Vec::new();
    PngEncoder::new(&mut png)
        .write_image(&rgb, WIDTH, HEIGHT, image::ColorType::Rgb8)
        .map_err(|e| draw_error(file_name, format!("PNG encoding: {e}")))?;
    Ok(png)
}

fn svg_bytes<C: Chart>(chart: &C, file_name: &str) -> Result<Vec<u8>, PlotError> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        chart.draw(&root).map_err(|m| draw_error(file_name, m))?;
        root.present().map_err(|e| draw_error(file_name, e))?;
    }
    Ok(svg.into_bytes())
}
