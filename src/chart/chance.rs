//! The chance of a plan's goal against the prospecting hours a week: what each extra hour
//! buys. The search pins the curve between two bounds (each simulated year's threshold as far
//! as it was needed); the confidences it settled are marked with their hours.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{Chart, FONT, FanChart, draw_title, palette};

/// The chance-by-hours chart, ready to draw.
#[derive(Debug, Clone)]
pub struct ChanceChart {
    pub title: String,
    pub subtitle: String,
    /// (hours a week, the chance at least, the chance at most), in order of hours.
    pub bounds: Vec<(f64, f64, f64)>,
    /// (confidence, hours a week) of each confidence the search settled.
    pub levels: Vec<(f64, f64)>,
    /// The plan's own confidence and hours.
    pub plan: (f64, f64),
}

/// Share of the marked levels' span of hours shown on either side of it.
const MARGIN: f64 = 0.3;

impl ChanceChart {
    /// The hours shown: the marked levels' span and a margin either side (the search pins the
    /// chance there; far from every level it only bounds it loosely).
    fn hours_range(&self) -> (f64, f64) {
        let first = self.bounds.first().map_or(0.0, |b| b.0);
        let last = self.bounds.last().map_or(1.0, |b| b.0);
        let marked = self.levels.iter().map(|l| l.1).chain([self.plan.1]);
        let low = marked.clone().fold(f64::INFINITY, f64::min);
        let high = marked.fold(0.0, f64::max);
        let margin = (MARGIN * (high - low)).max(1.0);
        ((low - margin).max(first), (high + margin).min(last))
    }
}

impl Chart for ChanceChart {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
        area.fill(&WHITE).map_err(err)?;
        let (title_area, plot_area) = area.split_vertically(75);
        draw_title(&title_area, &self.title, &self.subtitle).map_err(err)?;
        let (from, to) = self.hours_range();
        let mut chart = ChartBuilder::on(&plot_area)
            .margin(20)
            .x_label_area_size(50)
            .y_label_area_size(70)
            .build_cartesian_2d(from..to, 0.0..100.0)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc("prospecting hours per week per rep")
            .y_desc("chance of the goal (%)")
            .axis_desc_style((FONT, 18))
            .label_style((FONT, 15))
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| format!("{y:.0}"))
            .light_line_style(RGBColor(235, 235, 235))
            .draw()
            .map_err(err)?;
        let shown: Vec<&(f64, f64, f64)> = self
            .bounds
            .iter()
            .filter(|b| b.0 >= from && b.0 <= to)
            .collect();
        let band: Vec<(f64, f64)> = shown
            .iter()
            .map(|b| (b.0, 100.0 * b.2))
            .chain(shown.iter().rev().map(|b| (b.0, 100.0 * b.1)))
            .collect();
        chart
            .draw_series([Polygon::new(band, palette::SKY.mix(0.45).filled())])
            .map_err(err)?
            .label("the chance lies in this band (the search's bounds)")
            .legend(|(x, y)| {
                Rectangle::new(
                    [(x, y - 6), (x + 18, y + 6)],
                    palette::SKY.mix(0.6).filled(),
                )
            });
        let (confidence, hours) = self.plan;
        chart
            .draw_series(DashedLineSeries::new(
                [(from, 100.0 * confidence), (hours, 100.0 * confidence)],
                10,
                6,
                palette::VERMILLION.stroke_width(2),
            ))
            .map_err(err)?
            .label(format!(
                "the plan: {:.0}% at {hours:.1} h a week",
                100.0 * confidence
            ))
            .legend(|(x, y)| {
                PathElement::new([(x, y), (x + 18, y)], palette::VERMILLION.stroke_width(2))
            });
        chart
            .draw_series(LineSeries::new(
                self.levels.iter().map(|&(c, h)| (h, 100.0 * c)),
                palette::BLUE.stroke_width(2),
            ))
            .map_err(err)?;
        chart
            .draw_series(self.levels.iter().map(|&(c, h)| {
                EmptyElement::at((h, 100.0 * c))
                    + Circle::new((0, 0), 6, palette::BLUE.filled())
                    + Text::new(
                        format!("{:.0}%: {h:.1} h", 100.0 * c),
                        (10, 4),
                        (FONT, 16).into_font(),
                    )
            }))
            .map_err(err)?
            .label("hours for each chance")
            .legend(|(x, y)| Circle::new((x + 9, y), 6, palette::BLUE.filled()));
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

/// A plan's chart: the chance of the goal against the hours above, the cumulative deals at
/// the planned hours below.
#[derive(Debug, Clone)]
pub struct PlanChart {
    pub chance: ChanceChart,
    pub fan: FanChart,
}

impl Chart for PlanChart {
    fn size(&self) -> (u32, u32) {
        (1200, 1300)
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let (top, bottom) = area.split_vertically(600);
        self.chance.draw(&top)?;
        self.fan.draw(&bottom)
    }
}
