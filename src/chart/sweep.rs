//! Sweep charts: one varied parameter as a line with its P05–P95 band, two as a heatmap of the
//! metric's mean.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::compare::format_tick;
use super::{Chart, FONT, draw_title, palette};

/// A sweep's chart, ready to draw.
#[derive(Debug, Clone)]
pub enum SweepChart {
    /// One axis: (value label, mean, P05, P95) of the metric at each value.
    Line {
        title: String,
        subtitle: String,
        x_label: String,
        metric: String,
        points: Vec<(String, f64, f64, f64)>,
    },
    /// Two axes: the metric's mean at each (row value, column value).
    Heatmap {
        title: String,
        subtitle: String,
        row_label: String,
        column_label: String,
        rows: Vec<String>,
        columns: Vec<String>,
        /// means[r][c].
        means: Vec<Vec<f64>>,
    },
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
                means,
                ..
            } => draw_heatmap(&body, row_label, column_label, rows, columns, means).map_err(err),
        }
    }
}

fn draw_line<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    x_label: &str,
    metric: &str,
    points: &[(String, f64, f64, f64)],
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let n = points.len();
    let top = points.iter().map(|p| p.3).fold(0.0, f64::max).max(1e-9) * 1.1;
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
            let i = x.round();
            if (x - i).abs() < 1e-6 && i >= 0.0 && (i as usize) < n {
                points[i as usize].0.clone()
            } else {
                String::new()
            }
        })
        .y_label_formatter(&|y| format_tick(*y))
        .light_line_style(RGBColor(235, 235, 235))
        .draw()?;
    let band: Vec<(f64, f64)> = points
        .iter()
        .enumerate()
        .map(|(i, p)| (i as f64, p.3))
        .chain(
            points
                .iter()
                .enumerate()
                .rev()
                .map(|(i, p)| (i as f64, p.2)),
        )
        .collect();
    chart
        .draw_series(std::iter::once(Polygon::new(band, palette::SKY.mix(0.35))))?
        .label("P05 to P95 of replications")
        .legend(|(x, y)| Rectangle::new([(x, y - 6), (x + 20, y + 6)], palette::SKY.mix(0.35)));
    chart
        .draw_series(LineSeries::new(
            points.iter().enumerate().map(|(i, p)| (i as f64, p.1)),
            palette::BLUE.stroke_width(3),
        ))?
        .label("mean")
        .legend(|(x, y)| {
            PathElement::new(vec![(x, y), (x + 20, y)], palette::BLUE.stroke_width(3))
        });
    chart.draw_series(
        points
            .iter()
            .enumerate()
            .map(|(i, p)| Circle::new((i as f64, p.1), 4, palette::BLUE.filled())),
    )?;
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.9))
        .border_style(palette::GREY)
        .label_font((FONT, 15))
        .draw()
}

fn draw_heatmap<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    row_label: &str,
    column_label: &str,
    rows: &[String],
    columns: &[String],
    means: &[Vec<f64>],
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let (nr, nc) = (rows.len(), columns.len());
    let values = means.iter().flatten().copied();
    let low = values.clone().fold(f64::INFINITY, f64::min);
    let high = values.fold(f64::NEG_INFINITY, f64::max);
    let mut chart = ChartBuilder::on(area)
        .margin(20)
        .x_label_area_size(50)
        .y_label_area_size(110)
        .build_cartesian_2d(-0.5..(nc as f64 - 0.5), -0.5..(nr as f64 - 0.5))?;
    let label = |labels: &[String], v: f64| {
        let i = v.round();
        if (v - i).abs() < 1e-6 && i >= 0.0 && (i as usize) < labels.len() {
            labels[i as usize].clone()
        } else {
            String::new()
        }
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
    // White for the lowest mean, the palette's blue for the highest.
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
    for (r, row) in means.iter().enumerate() {
        for (c, &v) in row.iter().enumerate() {
            let (x, y) = (c as f64, r as f64);
            chart.draw_series(std::iter::once(Rectangle::new(
                [(x - 0.5, y - 0.5), (x + 0.5, y + 0.5)],
                shade(v).filled(),
            )))?;
            let dark = high > low && (v - low) / (high - low) > 0.55;
            let text = (FONT, 15)
                .into_font()
                .color(if dark { &WHITE } else { &BLACK })
                .pos(plotters::style::text_anchor::Pos::new(
                    plotters::style::text_anchor::HPos::Center,
                    plotters::style::text_anchor::VPos::Center,
                ));
            if nc * nr <= 400 {
                chart.draw_series(std::iter::once(Text::new(format_tick(v), (x, y), text)))?;
            }
        }
    }
    Ok(())
}
