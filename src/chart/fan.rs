//! The fan chart of a weekly series over the horizon: the P10–P90 band, the median, a target
//! line, and the ramp and weeks off shaded. Panels stack several fan charts in one image.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{Chart, FONT, draw_title, palette};

/// P10, median and P90 of one week.
type Band = (f64, f64, f64);

/// A fan chart, ready to draw.
#[derive(Debug, Clone)]
pub struct FanChart {
    pub title: String,
    pub subtitle: String,
    pub x_label: String,
    pub y_label: String,
    /// (P10, median, P90) at the end of each week; NaN where a week has no value.
    pub weeks: Vec<(f64, f64, f64)>,
    /// Whether the series is a running total, which starts from zero.
    pub cumulative: bool,
    /// A target line and its legend.
    pub goal: Option<(f64, String)>,
    pub ramp_weeks: f64,
    /// Spans with no work (weeks off, breaks), shaded, and their legend.
    pub pauses: Vec<(f64, f64)>,
    pub pause_label: String,
    /// What the band spans, for its legend ("P10 to P90 of simulated years").
    pub band_label: String,
    /// A real result at the end of each period, drawn over the band.
    pub actual: Option<Vec<f64>>,
}

impl Chart for FanChart {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
        area.fill(&WHITE).map_err(err)?;
        let weeks = self.weeks.len() as f64;
        let top = self
            .weeks
            .iter()
            .map(|w| w.2)
            .chain(self.actual.iter().flatten().copied())
            .filter(|v| !v.is_nan())
            .chain(self.goal.as_ref().map(|g| g.0))
            .fold(1.0, f64::max)
            * 1.1;
        let (title_area, plot_area) = area.split_vertically(75);
        draw_title(&title_area, &self.title, &self.subtitle).map_err(err)?;
        let mut chart = ChartBuilder::on(&plot_area)
            .margin(20)
            .x_label_area_size(50)
            .y_label_area_size(70)
            .build_cartesian_2d(0.0..weeks, 0.0..top)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc(self.x_label.as_str())
            .y_desc(self.y_label.as_str())
            .axis_desc_style((FONT, 18))
            .label_style((FONT, 15))
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| format!("{y:.0}"))
            .light_line_style(RGBColor(235, 235, 235))
            .draw()
            .map_err(err)?;
        let shade = |from: f64, to: f64, color: RGBColor, opacity: f64| {
            Rectangle::new([(from, 0.0), (to, top)], color.mix(opacity).filled())
        };
        if self.ramp_weeks > 0.0 {
            chart
                .draw_series([shade(
                    0.0,
                    self.ramp_weeks.min(weeks),
                    palette::ORANGE,
                    0.12,
                )])
                .map_err(err)?
                .label(format!("ramp ({} weeks)", self.ramp_weeks))
                .legend(|(x, y)| {
                    Rectangle::new(
                        [(x, y - 6), (x + 18, y + 6)],
                        palette::ORANGE.mix(0.3).filled(),
                    )
                });
        }
        if !self.pauses.is_empty() {
            chart
                .draw_series(
                    self.pauses
                        .iter()
                        // Darker than the ramp: nothing is worked, and a series with no
                        // value there (penetration) leaves a gap inside the band.
                        .map(|&(from, to)| shade(from, to, palette::GREY, 0.35)),
                )
                .map_err(err)?
                .label(self.pause_label.as_str())
                .legend(|(x, y)| {
                    Rectangle::new(
                        [(x, y - 6), (x + 18, y + 6)],
                        palette::GREY.mix(0.35).filled(),
                    )
                });
        }
        // Week w's values are at its end, x = w + 1; a running total starts from zero at x = 0.
        // A week without a value (penetration in a week off) breaks the band and the median:
        // each run of weeks with values is drawn on its own.
        let start = self.cumulative.then_some((0.0, (0.0, 0.0, 0.0)));
        let points: Vec<(f64, Band)> = start
            .into_iter()
            .chain(
                self.weeks
                    .iter()
                    .enumerate()
                    .map(|(w, &v)| (w as f64 + 1.0, v)),
            )
            .collect();
        let runs: Vec<&[(f64, Band)]> = points
            .chunk_by(|a, b| a.1.1.is_nan() == b.1.1.is_nan())
            .filter(|run| !run[0].1.1.is_nan())
            .collect();
        let band = |run: &[(f64, Band)]| -> Vec<(f64, f64)> {
            run.iter()
                .map(|&(x, v)| (x, v.2))
                .chain(run.iter().rev().map(|&(x, v)| (x, v.0)))
                .collect()
        };
        chart
            .draw_series(
                runs.iter()
                    .map(|run| Polygon::new(band(run), palette::SKY.mix(0.35).filled())),
            )
            .map_err(err)?
            .label(self.band_label.as_str())
            .legend(|(x, y)| {
                Rectangle::new(
                    [(x, y - 6), (x + 18, y + 6)],
                    palette::SKY.mix(0.5).filled(),
                )
            });
        chart
            .draw_series(runs.iter().map(|run| {
                PathElement::new(
                    run.iter().map(|&(x, v)| (x, v.1)).collect::<Vec<_>>(),
                    palette::BLUE.stroke_width(3),
                )
            }))
            .map_err(err)?
            .label("median")
            .legend(|(x, y)| {
                PathElement::new([(x, y), (x + 18, y)], palette::BLUE.stroke_width(3))
            });
        if let Some(actual) = &self.actual {
            let points = start
                .map(|(x, _)| (x, 0.0))
                .into_iter()
                .chain(actual.iter().enumerate().map(|(w, &v)| (w as f64 + 1.0, v)));
            chart
                .draw_series(LineSeries::new(points, BLACK.stroke_width(3)))
                .map_err(err)?
                .label("the real one")
                .legend(|(x, y)| PathElement::new([(x, y), (x + 18, y)], BLACK.stroke_width(3)));
        }
        if let Some((goal, label)) = &self.goal {
            let goal = *goal;
            chart
                .draw_series(DashedLineSeries::new(
                    [(0.0, goal), (weeks, goal)],
                    10,
                    6,
                    palette::VERMILLION.stroke_width(2),
                ))
                .map_err(err)?
                .label(label.as_str())
                .legend(|(x, y)| {
                    PathElement::new([(x, y), (x + 18, y)], palette::VERMILLION.stroke_width(2))
                });
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(WHITE.mix(0.9))
            .border_style(RGBColor(200, 200, 200))
            .label_font((FONT, 16))
            .draw()
            .map_err(err)?;
        Ok(())
    }
}

/// Fan charts stacked one above the other in one image.
#[derive(Debug, Clone)]
pub struct FanPanels(pub Vec<FanChart>);

/// The most panels stacked in one column; more go in two.
const MOST_IN_A_COLUMN: usize = 3;

impl FanPanels {
    /// Rows and columns of the grid: one column of up to [`MOST_IN_A_COLUMN`], else two,
    /// filled row by row.
    fn grid(&self) -> (usize, usize) {
        let n = self.0.len().max(1);
        if n <= MOST_IN_A_COLUMN {
            (n, 1)
        } else {
            (n.div_ceil(2), 2)
        }
    }
}

impl Chart for FanPanels {
    fn size(&self) -> (u32, u32) {
        let (rows, columns) = self.grid();
        (1200 * columns as u32, 600 * rows as u32)
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String> {
        area.fill(&WHITE).map_err(|e| e.to_string())?;
        let panels = area.split_evenly(self.grid());
        for (chart, panel) in self.0.iter().zip(&panels) {
            chart.draw(panel)?;
        }
        Ok(())
    }
}
