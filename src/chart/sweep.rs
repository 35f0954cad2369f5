//! Sweep charts: one varied parameter as a line with its P05–P95 band, two as a heatmap of the
//! metric's mean.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::compare::format_tick;
use super::{Chart, FONT, draw_title, palette};

/// A sweep's chart, ready to draw.
#[derive(Debug, Clone)]
pub enum SweepChart {
    /// One axis: the measure at each value.
    Line {
        title: String,
        subtitle: String,
        x_label: String,
        metric: String,
        points: Vec<LinePoint>,
    },
    /// Two axes: the measure at each (row value, column value).
    Heatmap {
        title: String,
        subtitle: String,
        row_label: String,
        column_label: String,
        rows: Vec<String>,
        columns: Vec<String>,
        /// values[r][c], or the label of a cell without one ("over 40": no plan's hours reach
        /// the goal there).
        values: Vec<Vec<Result<f64, String>>>,
    },
}

/// One value of a line chart's axis.
#[derive(Debug, Clone)]
pub struct LinePoint {
    pub label: String,
    /// The measure (`None`: a plan found no hours that reach the goal).
    pub value: Option<f64>,
    /// Where there is no value: the hours no plan reached (the working week's).
    pub ceiling: Option<f64>,
    /// P05 and P95 of the replications, for a metric.
    pub band: Option<(f64, f64)>,
}

impl Chart for SweepChart {
    fn size(&self) -> (u32, u32) {
        (1100, 760)
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
        area.fill(&WHITE).map_err(err)?;
        let (head, body) = area.split_vertically(80);
        match self {
            SweepChart::Line {
                title, subtitle, ..
            }
            | SweepChart::Heatmap {
                title, subtitle, ..
            } => draw_title(&head, title, subtitle).map_err(err)?,
        }
        match self {
            SweepChart::Line {
                x_label,
                metric,
                points,
                ..
            } => draw_line(&body, x_label, metric, points).map_err(err),
            SweepChart::Heatmap {
                row_label,
                column_label,
                rows,
                columns,
                values,
                ..
            } => {
                draw_heatmap(&body, [row_label, column_label], [rows, columns], values).map_err(err)
            }
        }
    }
}

/// The category at axis position `v` of a chart with `n` categories at 0, 1, …: a tick between
/// them has none.
pub(super) fn category(v: f64, n: usize) -> Option<usize> {
    let i = v.round();
    ((v - i).abs() < 1e-6 && i >= 0.0 && (i as usize) < n).then_some(i as usize)
}

fn draw_line<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    x_label: &str,
    metric: &str,
    points: &[LinePoint],
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let n = points.len();
    let top = points
        .iter()
        .flat_map(|p| [p.value, p.band.map(|b| b.1), p.ceiling])
        .flatten()
        .fold(0.0, f64::max)
        .max(1e-9)
        * 1.1;
    let mut chart = ChartBuilder::on(area)
        .margin(20)
        .x_label_area_size(50)
        .y_label_area_size(80)
        .build_cartesian_2d(-0.5..(n as f64 - 0.5), 0.0..top)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_desc(x_label)
        .y_desc(metric)
        .axis_desc_style((FONT, 16))
        .label_style((FONT, 14))
        .x_labels(n.min(30))
        .x_label_formatter(&|x| {
            category(*x, n).map_or_else(String::new, |i| points[i].label.clone())
        })
        .y_label_formatter(&|y| format_tick(*y))
        .light_line_style(RGBColor(235, 235, 235))
        .draw()?;
    let banded: Vec<(f64, (f64, f64))> = points
        .iter()
        .enumerate()
        .filter_map(|(i, p)| Some((i as f64, p.band?)))
        .collect();
    if !banded.is_empty() {
        let band: Vec<(f64, f64)> = banded
            .iter()
            .map(|&(x, (_, high))| (x, high))
            .chain(banded.iter().rev().map(|&(x, (low, _))| (x, low)))
            .collect();
        chart
            .draw_series(std::iter::once(Polygon::new(band, palette::SKY.mix(0.35))))?
            .label("P05 to P95 of replications")
            .legend(|(x, y)| Rectangle::new([(x, y - 6), (x + 20, y + 6)], palette::SKY.mix(0.35)));
    }
    let line: Vec<(f64, f64)> = points
        .iter()
        .enumerate()
        .filter_map(|(i, p)| Some((i as f64, p.value?)))
        .collect();
    let label = if banded.is_empty() { metric } else { "mean" };
    chart
        .draw_series(LineSeries::new(line.clone(), palette::BLUE.stroke_width(3)))?
        .label(label)
        .legend(|(x, y)| {
            PathElement::new(vec![(x, y), (x + 20, y)], palette::BLUE.stroke_width(3))
        });
    chart.draw_series(
        line.iter()
            .map(|&p| Circle::new(p, 4, palette::BLUE.filled())),
    )?;
    // Points with no value: no hours up to the working week's reach the goal; a cross at
    // those hours.
    let missing: Vec<(f64, f64)> = points
        .iter()
        .enumerate()
        .filter_map(|(i, p)| Some((i as f64, p.ceiling?)))
        .collect();
    if !missing.is_empty() {
        chart
            .draw_series(
                missing
                    .iter()
                    .map(|&p| Cross::new(p, 6, palette::VERMILLION.stroke_width(2))),
            )?
            .label("no hours up to the whole working week reach the goal")
            .legend(|(x, y)| Cross::new((x + 10, y), 6, palette::VERMILLION.stroke_width(2)));
    }
    // Unreached plans sit top left, where a falling line of hours starts.
    let corner = if missing.is_empty() {
        SeriesLabelPosition::UpperLeft
    } else {
        SeriesLabelPosition::UpperRight
    };
    chart
        .configure_series_labels()
        .position(corner)
        .background_style(WHITE.mix(0.9))
        .border_style(palette::GREY)
        .label_font((FONT, 15))
        .draw()
}

/// Pixels on the right of a heatmap for its colour scale.
const SCALE_WIDTH: u32 = 110;

/// The colour scale of a heatmap: its shades from `low` (bottom) to `high` (top), labelled.
fn draw_scale<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    low: f64,
    high: f64,
    shade: impl Fn(f64) -> RGBColor,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    const STEPS: i32 = 100;
    let (_, height) = area.dim_in_pixel();
    let (top, bottom) = (30, height as i32 - 80);
    let (left, right) = (20, 44);
    let step = f64::from(bottom - top) / f64::from(STEPS);
    for i in 0..STEPS {
        let v = low + (high - low) * f64::from(i) / f64::from(STEPS - 1);
        let y1 = bottom - (f64::from(i) * step) as i32;
        let y0 = bottom - (f64::from(i + 1) * step).ceil() as i32;
        area.draw(&Rectangle::new(
            [(left, y0), (right, y1)],
            shade(v).filled(),
        ))?;
    }
    area.draw(&Rectangle::new([(left, top), (right, bottom)], BLACK))?;
    let text = (FONT, 14)
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(HPos::Left, VPos::Center));
    for (v, y) in [
        (high, top),
        ((low + high) / 2.0, (top + bottom) / 2),
        (low, bottom),
    ] {
        area.draw(&Text::new(format_tick(v), (right + 6, y), text.clone()))?;
    }
    Ok(())
}

fn draw_heatmap<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    [row_label, column_label]: [&str; 2],
    [rows, columns]: [&[String]; 2],
    values: &[Vec<Result<f64, String>>],
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let (nr, nc) = (rows.len(), columns.len());
    let all = values
        .iter()
        .flatten()
        .filter_map(|v| v.as_ref().ok())
        .copied();
    let low = all.clone().fold(f64::INFINITY, f64::min);
    let high = all.fold(f64::NEG_INFINITY, f64::max);
    // White for the lowest value, the palette's blue for the highest; grey where there is none.
    let shade = |v: f64| {
        let t = if high > low {
            (v - low) / (high - low)
        } else {
            0.5
        };
        let mix =
            |from: u8, to: u8| (f64::from(from) + t * (f64::from(to) - f64::from(from))) as u8;
        let RGBColor(r, g, b) = palette::BLUE;
        RGBColor(mix(250, r), mix(250, g), mix(250, b))
    };
    let (width, _) = area.dim_in_pixel();
    let (area, scale) = area.split_horizontally(width.saturating_sub(SCALE_WIDTH));
    if low.is_finite() {
        draw_scale(&scale, low, high, shade)?;
    }
    let mut chart = ChartBuilder::on(&area)
        .margin(20)
        .x_label_area_size(50)
        .y_label_area_size(110)
        .build_cartesian_2d(-0.5..(nc as f64 - 0.5), -0.5..(nr as f64 - 0.5))?;
    let label = |labels: &[String], v: f64| {
        category(v, labels.len()).map_or_else(String::new, |i| labels[i].clone())
    };
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc(column_label)
        .y_desc(row_label)
        .axis_desc_style((FONT, 16))
        .label_style((FONT, 14))
        .x_labels(nc.min(30))
        .y_labels(nr.min(30))
        .x_label_formatter(&|x| label(columns, *x))
        .y_label_formatter(&|y| label(rows, *y))
        .draw()?;
    for (r, row) in values.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let v = cell.as_ref().ok().copied();
            let (x, y) = (c as f64, r as f64);
            let fill = v.map_or(RGBColor(215, 215, 215), shade);
            chart.draw_series(std::iter::once(Rectangle::new(
                [(x - 0.5, y - 0.5), (x + 0.5, y + 0.5)],
                fill.filled(),
            )))?;
            let dark = v.is_some_and(|v| high > low && (v - low) / (high - low) > 0.55);
            let text = (FONT, 15)
                .into_font()
                .color(if dark { &WHITE } else { &BLACK })
                .pos(plotters::style::text_anchor::Pos::new(
                    plotters::style::text_anchor::HPos::Center,
                    plotters::style::text_anchor::VPos::Center,
                ));
            if nc * nr <= 400 {
                // No value: a plan found no hours that reach the goal.
                let label = match cell {
                    Ok(v) => format_tick(*v),
                    Err(missing) => missing.clone(),
                };
                chart.draw_series(std::iter::once(Text::new(label, (x, y), text)))?;
            }
        }
    }
    Ok(())
}
