//! The comparison charts, in one figure: outcomes per 100 leads with their 95% intervals,
//! cumulative conversations by touch number, and what each touch yields per hour (the touch
//! panels when every variant has its touch analysis).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{Chart, FONT, color, draw_bar_cells, draw_legend, draw_title};

/// One variant's series.
#[derive(Debug, Clone)]
pub struct VariantSeries {
    pub name: String,
    /// (mean, low, high) per 100 leads, one per outcome.
    pub outcomes: Vec<(f64, f64, f64)>,
    /// The cadence touch by touch, when known.
    pub by_touch: Option<ByTouch>,
}

/// One variant's cadence, touch by touch.
#[derive(Debug, Clone)]
pub struct ByTouch {
    /// Conversations per 100 leads by the end of each touch.
    pub cumulative_conversations: Vec<f64>,
    /// Appointments per prospecting hour of each touch.
    pub appointments_per_hour: Vec<f64>,
    /// Over the whole cadence.
    pub average_appointments_per_hour: f64,
}

/// The comparison figure, ready to draw.
#[derive(Debug, Clone)]
pub struct CompareChart {
    pub title: String,
    pub subtitle: String,
    /// The outcome names, in the order of [`VariantSeries::outcomes`].
    pub outcomes: Vec<String>,
    pub variants: Vec<VariantSeries>,
    /// Appointments per hour that pay for an hour, when known.
    pub break_even: Option<f64>,
}

impl Chart for CompareChart {
    fn size(&self) -> (u32, u32) {
        if self.by_touch().is_some() {
            (1200, 1500)
        } else {
            (1200, 600)
        }
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
        area.fill(&WHITE).map_err(err)?;
        let (title, rest) = area.split_vertically(80);
        draw_title(&title, &self.title, &self.subtitle).map_err(err)?;
        let (legend, rest) = rest.split_vertically(40);
        let names: Vec<&str> = self.variants.iter().map(|v| v.name.as_str()).collect();
        draw_legend(&legend, &names).map_err(err)?;
        let Some(by_touch) = self.by_touch() else {
            return self.draw_outcomes(&rest).map_err(err);
        };
        let panels = rest.split_evenly((3, 1));
        self.draw_outcomes(&panels[0]).map_err(err)?;
        self.draw_cumulative(&panels[1], &by_touch).map_err(err)?;
        self.draw_yield(&panels[2], &by_touch).map_err(err)?;
        Ok(())
    }
}

impl CompareChart {
    fn draw_outcomes<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let groups: Vec<Vec<(f64, f64, f64)>> =
            self.variants.iter().map(|v| v.outcomes.clone()).collect();
        draw_bar_cells(
            area,
            "Outcomes per 100 leads (bars: mean; whiskers: 95% interval of the mean)",
            &self.outcomes,
            &groups,
            &[],
        )
    }

    /// Every variant's touch analysis, when all have one.
    fn by_touch(&self) -> Option<Vec<&ByTouch>> {
        self.variants.iter().map(|v| v.by_touch.as_ref()).collect()
    }

    fn draw_cumulative<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        by_touch: &[&ByTouch],
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let series = series(by_touch, |t| &t.cumulative_conversations);
        self.draw_by_touch(
            area,
            "Conversations by touch number, cumulative, per 100 leads",
            "conversations per 100 leads",
            &series,
            &[],
        )
    }

    fn draw_yield<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        by_touch: &[&ByTouch],
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let series = series(by_touch, |t| &t.appointments_per_hour);
        // Each variant's average in its colour, and break-even in black.
        let mut levels: Vec<(f64, RGBColor, Option<String>)> = by_touch
            .iter()
            .enumerate()
            .map(|(i, t)| (t.average_appointments_per_hour, color(i), None))
            .collect();
        if let Some(break_even) = self.break_even {
            levels.push((
                break_even,
                BLACK,
                Some(format!("break-even ({break_even:.3} per hour)")),
            ));
        }
        self.draw_by_touch(
            area,
            "What each touch yields: appointments per prospecting hour (dashed: cadence average)",
            "appointments per hour",
            &series,
            &levels,
        )
    }

    /// One line per variant over the touch numbers, with dashed horizontal levels.
    fn draw_by_touch<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        caption: &str,
        y_label: &str,
        series: &[&[f64]],
        levels: &[(f64, RGBColor, Option<String>)],
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let touches = series.iter().map(|s| s.len()).max().unwrap_or(1).max(1);
        // The axis fits the lines; a level far above them (a break-even no touch comes near)
        // would flatten them, so it is left off the scale and said in its label.
        let highest = series
            .iter()
            .flat_map(|s| s.iter().copied())
            .fold(0.0, f64::max);
        let top = levels
            .iter()
            .map(|l| l.0)
            .filter(|&level| highest <= 0.0 || level <= 2.0 * highest)
            .fold(highest, f64::max)
            .max(1e-9)
            * 1.15;
        let right = touches as f64 + 0.5;
        let mut chart = ChartBuilder::on(area)
            .caption(caption, (FONT, 19))
            .margin(20)
            .x_label_area_size(45)
            .y_label_area_size(65)
            .build_cartesian_2d(0.5..right, 0.0..top)?;
        chart
            .configure_mesh()
            .x_desc("touch number")
            .y_desc(y_label)
            .axis_desc_style((FONT, 16))
            .label_style((FONT, 14))
            .x_labels(touches.min(20))
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| format_tick(*y))
            .light_line_style(RGBColor(235, 235, 235))
            .draw()?;
        // Later variants first and wider, so a variant whose touches start as another's (a
        // restarted cadence) shows as a border around it rather than hiding it.
        for (i, values) in series.iter().enumerate().rev() {
            let points: Vec<(f64, f64)> = values
                .iter()
                .enumerate()
                .map(|(k, y)| (k as f64 + 1.0, *y))
                .collect();
            let width = 3 + 2 * i as u32;
            chart.draw_series(LineSeries::new(
                points.clone(),
                color(i).stroke_width(width),
            ))?;
            chart.draw_series(
                points
                    .into_iter()
                    .map(|p| Circle::new(p, 4 + i as i32, color(i).filled())),
            )?;
        }
        let mut labelled = false;
        for (level, line_color, label) in levels {
            if *level > top {
                if let Some(label) = label {
                    area.draw(&Text::new(
                        format!("{label}: above the scale, no touch comes near"),
                        (90, 40),
                        (FONT, 15),
                    ))?;
                }
                continue;
            }
            let drawn = chart.draw_series(DashedLineSeries::new(
                [(0.5, *level), (right, *level)],
                10,
                6,
                line_color.stroke_width(2),
            ))?;
            if let Some(label) = label {
                let legend_color = *line_color;
                drawn.label(label.as_str()).legend(move |(x, y)| {
                    PathElement::new([(x, y), (x + 18, y)], legend_color.stroke_width(2))
                });
                labelled = true;
            }
        }
        if labelled {
            chart
                .configure_series_labels()
                .position(SeriesLabelPosition::UpperRight)
                .background_style(WHITE.mix(0.9))
                .border_style(RGBColor(200, 200, 200))
                .label_font((FONT, 15))
                .draw()?;
        }
        Ok(())
    }
}

/// One per-touch series from every variant.
fn series<'a>(by_touch: &[&'a ByTouch], of: fn(&ByTouch) -> &Vec<f64>) -> Vec<&'a [f64]> {
    by_touch.iter().map(|t| of(t).as_slice()).collect()
}

/// A tick label with as few decimals as its size needs.
pub(super) fn format_tick(y: f64) -> String {
    let rounded = (y * 100.0).round() / 100.0;
    if rounded.abs() >= 10.0 || rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else if rounded.abs() >= 1.0 {
        format!("{rounded:.1}")
    } else {
        format!("{rounded:.2}")
    }
}
