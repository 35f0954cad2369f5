//! Charts, drawn with plotters from summaries that are already computed, one file per chart
//! kind. PNG or SVG by the file's extension; text uses a bundled font (DejaVu Sans), so no
//! system font library is needed. Files are written whole, like every output.

mod compare;
mod fan;

pub use compare::{ByTouch, CompareChart, VariantSeries};
pub use fan::{FanChart, FanPanels};

use std::path::Path;
use std::sync::Once;

use plotters::coord::Shift;
use plotters::prelude::*;

/// Okabe–Ito colours, distinguishable with the common forms of colour blindness.
pub mod palette {
    use plotters::style::RGBColor;
    pub const BLUE: RGBColor = RGBColor(0, 114, 178);
    pub const ORANGE: RGBColor = RGBColor(230, 159, 0);
    pub const SKY: RGBColor = RGBColor(86, 180, 233);
    pub const VERMILLION: RGBColor = RGBColor(213, 94, 0);
    pub const GREEN: RGBColor = RGBColor(0, 158, 115);
    pub const GREY: RGBColor = RGBColor(150, 150, 150);
}

/// The font every chart uses.
pub const FONT: &str = "sans-serif";

/// A chart that can draw itself on any plotters backend.
pub trait Chart {
    /// Width and height in pixels.
    fn size(&self) -> (u32, u32) {
        (1200, 700)
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String>;
}

/// A chart file that could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    #[error("the chart file must end in .png or .svg")]
    Format,
    #[error("{0}")]
    Draw(String),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// The chart formats, by file extension.
enum Format {
    Png,
    Svg,
}

fn format_of(path: &Path) -> Result<Format, ChartError> {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("png") => Ok(Format::Png),
        Some("svg") => Ok(Format::Svg),
        _ => Err(ChartError::Format),
    }
}

/// Checks that `path` names a chart format, before any work is done for it.
pub fn check_path(path: &Path) -> Result<(), ChartError> {
    format_of(path).map(|_| ())
}

/// Draws `chart` into `path` (.png or .svg), whole or not at all.
pub fn save(chart: &impl Chart, path: &Path) -> Result<(), ChartError> {
    register_font();
    match format_of(path)? {
        Format::Svg => {
            let mut svg = String::new();
            {
                let area = SVGBackend::with_string(&mut svg, chart.size()).into_drawing_area();
                chart.draw(&area).map_err(ChartError::Draw)?;
                area.present()
                    .map_err(|e| ChartError::Draw(e.to_string()))?;
            }
            crate::report::write_atomically(path, |w| w.write_all(svg.as_bytes()))?;
        }
        Format::Png => {
            // The encoder reads the format from the name, so the temporary file ends in .png.
            let temporary = crate::report::temporary_beside(path, ".png")?;
            {
                let area = BitMapBackend::new(temporary.path(), chart.size()).into_drawing_area();
                chart.draw(&area).map_err(ChartError::Draw)?;
                area.present()
                    .map_err(|e| ChartError::Draw(e.to_string()))?;
            }
            temporary.persist(path).map_err(|e| e.error)?;
        }
    }
    Ok(())
}

/// The title and subtitle across the top of a chart.
pub fn draw_title<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    subtitle: &str,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    area.draw(&Text::new(
        title,
        (20, 12),
        (FONT, 26).into_font().color(&BLACK),
    ))?;
    area.draw(&Text::new(
        subtitle,
        (20, 46),
        (FONT, 17).into_font().color(&RGBColor(80, 80, 80)),
    ))
}

fn register_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let bytes = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
        plotters::style::register_font(FONT, FontStyle::Normal, bytes)
            .unwrap_or_else(|_| panic!("the bundled font is a valid TrueType font"));
    });
}
