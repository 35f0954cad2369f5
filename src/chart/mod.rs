//! Charts, drawn with plotters from summaries that are already computed, one file per chart
//! kind. PNG or SVG by the file's extension; text uses a bundled font (DejaVu Sans), so no
//! system font library is needed. Files are written whole, like every output.

mod blitz;
mod calibrate;
mod chance;
mod compare;
mod fan;
mod sweep;
mod tornado;

pub use blitz::BlitzChart;
pub use calibrate::CalibrationChart;
pub use chance::{ChanceChart, PlanChart};
pub use compare::{ByTouch, CompareChart, VariantSeries};
pub use fan::{FanChart, FanPanels};
pub use sweep::{LinePoint, SweepChart};
pub use tornado::{TornadoBar, TornadoChart};

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

/// The colours of series, in order.
const COLORS: [RGBColor; 5] = [
    palette::BLUE,
    palette::ORANGE,
    palette::GREEN,
    palette::VERMILLION,
    palette::SKY,
];

/// The colour of series `i`.
fn color(i: usize) -> RGBColor {
    COLORS[i % COLORS.len()]
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
            crate::output::write_whole(path, |w| w.write_all(svg.as_bytes()))?;
        }
        Format::Png => {
            // The encoder reads the format from the name, so the file it draws ends in .png.
            let mut drawn = Ok(());
            crate::output::write_whole_via(path, ".png", |file| {
                let area = BitMapBackend::new(file, chart.size()).into_drawing_area();
                drawn = chart
                    .draw(&area)
                    .and_then(|()| area.present().map_err(|e| e.to_string()));
                drawn.clone().map_err(std::io::Error::other)
            })
            .map_err(|err| match &drawn {
                Err(why) => ChartError::Draw(why.clone()),
                Ok(()) => ChartError::from(err),
            })?;
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

/// A row of coloured squares with the series' names.
fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    names: &[&str],
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let mut x = 20;
    for (i, name) in names.iter().enumerate() {
        area.draw(&Rectangle::new([(x, 10), (x + 24, 28)], color(i).filled()))?;
        area.draw(&Text::new(*name, (x + 32, 10), (FONT, 18)))?;
        x += 60 + 11 * name.chars().count() as i32;
    }
    Ok(())
}

/// One small chart per quantity, side by side, each with a bar per group (in the group's
/// colour) at its middle value and a whisker from low to high; `markers[g][q]`, when given,
/// is a black diamond on group g's bar for quantity q (a real result).
fn draw_bar_cells<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    caption: &str,
    quantities: &[String],
    groups: &[Vec<(f64, f64, f64)>],
    markers: &[Vec<f64>],
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let (title, plots) = area.split_vertically(30);
    title.draw(&Text::new(caption, (20, 5), (FONT, 19)))?;
    let cells = plots.split_evenly((1, quantities.len()));
    let n = groups.len();
    for (j, (cell, name)) in cells.iter().zip(quantities).enumerate() {
        let top = groups
            .iter()
            .map(|g| g[j].2)
            .chain(markers.iter().map(|m| m[j]))
            .fold(0.0, f64::max)
            .max(1e-9)
            * 1.2;
        let mut chart = ChartBuilder::on(cell)
            .caption(name.as_str(), (FONT, 17))
            .margin(10)
            .x_label_area_size(10)
            .y_label_area_size(55)
            .build_cartesian_2d(-0.6..(n as f64 - 0.4), 0.0..top)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .disable_x_axis()
            .label_style((FONT, 13))
            .y_label_formatter(&|y| compare::format_tick(*y))
            .light_line_style(RGBColor(235, 235, 235))
            .draw()?;
        for (i, group) in groups.iter().enumerate() {
            let (middle, low, high) = group[j];
            let x = i as f64;
            draw_bar(&mut chart, x, (middle, low, high), color(i).mix(0.85))?;
            if let Some(actual) = markers.get(i) {
                draw_diamond(&mut chart, x, actual[j])?;
            }
        }
    }
    Ok(())
}

/// A chart with numbers on both axes.
type Plot<'a, DB> = ChartContext<
    'a,
    DB,
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
>;

/// A bar from 0 to `middle` at `x`, with a whisker from `low` to `high`.
fn draw_bar<DB: DrawingBackend>(
    chart: &mut Plot<'_, DB>,
    x: f64,
    (middle, low, high): (f64, f64, f64),
    fill: RGBAColor,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    chart.draw_series([Rectangle::new(
        [(x - 0.35, 0.0), (x + 0.35, middle)],
        fill.filled(),
    )])?;
    let whisker = BLACK.stroke_width(2);
    chart.draw_series([
        PathElement::new([(x, low), (x, high)], whisker),
        PathElement::new([(x - 0.12, low), (x + 0.12, low)], whisker),
        PathElement::new([(x - 0.12, high), (x + 0.12, high)], whisker),
    ])?;
    Ok(())
}

/// A black diamond at (x, y): a real result over simulated ones.
fn draw_diamond<DB: DrawingBackend>(
    chart: &mut Plot<'_, DB>,
    x: f64,
    y: f64,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    chart.draw_series([EmptyElement::at((x, y))
        + Polygon::new(vec![(0, -9), (9, 0), (0, 9), (-9, 0)], BLACK.filled())])?;
    Ok(())
}

fn register_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let bytes = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
        plotters::style::register_font(FONT, FontStyle::Normal, bytes)
            .unwrap_or_else(|_| panic!("the bundled font is a valid TrueType font"));
    });
}
