//! The calibration figure: the conversation share by attempt, observed (with Wilson intervals)
//! against the fitted model, over the share of leads reps dropped after each touch.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::compare::format_tick;
use super::{Chart, FONT, draw_title, palette};

/// A panel with numeric axes.
type Panel<'a, DB> = ChartContext<
    'a,
    DB,
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
>;

/// The calibration figure, ready to draw.
#[derive(Debug, Clone)]
pub struct CalibrationChart {
    pub title: String,
    pub subtitle: String,
    /// (attempt, observed share, Wilson low, Wilson high, fitted share).
    pub attempts: Vec<(usize, f64, f64, f64, f64)>,
    /// (attempt, share the fitted leads would give without decay); empty when decay was held
    /// or fitted at 1.
    pub without_decay: Vec<(usize, f64)>,
    /// (touches, share of leads dropped after them).
    pub give_up: Vec<(usize, f64)>,
}

impl Chart for CalibrationChart {
    fn size(&self) -> (u32, u32) {
        (1100, 1000)
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
        area.fill(&WHITE).map_err(err)?;
        let (title, rest) = area.split_vertically(80);
        draw_title(&title, &self.title, &self.subtitle).map_err(err)?;
        let (top, bottom) = rest.split_vertically(560);
        self.draw_attempts(&top).map_err(err)?;
        self.draw_give_up(&bottom).map_err(err)
    }
}

impl CalibrationChart {
    fn attempts_shown(&self) -> usize {
        self.attempts
            .iter()
            .map(|a| a.0)
            .chain(self.give_up.iter().map(|g| g.0))
            .max()
            .unwrap_or(1)
    }

    /// A panel over touches 1 to the last shown, from 0 to `top`, with its caption and axes.
    fn axes<'a, DB: DrawingBackend>(
        &self,
        area: &'a DrawingArea<DB, Shift>,
        caption: &str,
        top: f64,
        (x_desc, y_desc): (&str, &str),
        y_format: &dyn Fn(&f64) -> String,
    ) -> Result<Panel<'a, DB>, DrawingAreaErrorKind<DB::ErrorType>> {
        let last = self.attempts_shown();
        let mut chart = ChartBuilder::on(area)
            .caption(caption, (FONT, 19))
            .margin(20)
            .x_label_area_size(45)
            .y_label_area_size(70)
            .build_cartesian_2d(0.5..(last as f64 + 0.5), 0.0..top)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_desc(x_desc)
            .y_desc(y_desc)
            .axis_desc_style((FONT, 16))
            .label_style((FONT, 14))
            .x_labels(last.min(25))
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(y_format)
            .light_line_style(RGBColor(235, 235, 235))
            .draw()?;
        Ok(chart)
    }

    fn draw_attempts<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let top = self
            .attempts
            .iter()
            .map(|a| a.1.max(a.4))
            .chain(self.without_decay.iter().map(|a| a.1))
            .fold(0.01, f64::max)
            * 1.3;
        let mut chart = self.axes(
            area,
            "Conversations by attempt: share of the leads not yet reached that the touch reached",
            top,
            ("attempt (touch number)", "conversation share"),
            &|y| format_tick(*y),
        )?;
        let clipped = |y: f64| y.min(top);
        chart
            .draw_series(self.attempts.iter().map(|&(a, _, lo, hi, _)| {
                PathElement::new(
                    vec![(a as f64, lo), (a as f64, clipped(hi))],
                    palette::BLUE.mix(0.5).stroke_width(2),
                )
            }))?
            .label("95% interval of the observed share")
            .legend(|(x, y)| {
                PathElement::new(
                    vec![(x + 10, y - 8), (x + 10, y + 8)],
                    palette::BLUE.mix(0.5),
                )
            });
        chart
            .draw_series(self.attempts.iter().map(|&(a, observed, ..)| {
                Circle::new((a as f64, observed), 5, palette::BLUE.filled())
            }))?
            .label("observed")
            .legend(|(x, y)| Circle::new((x + 10, y), 5, palette::BLUE.filled()));
        chart
            .draw_series(LineSeries::new(
                self.attempts
                    .iter()
                    .map(|&(a, .., fitted)| (a as f64, fitted)),
                palette::VERMILLION.stroke_width(3),
            ))?
            .label("fitted model")
            .legend(|(x, y)| {
                PathElement::new(
                    vec![(x, y), (x + 20, y)],
                    palette::VERMILLION.stroke_width(3),
                )
            });
        if !self.without_decay.is_empty() {
            let style = palette::GREY.stroke_width(2);
            chart
                .draw_series(DashedLineSeries::new(
                    self.without_decay
                        .iter()
                        .map(|&(a, y)| (a as f64, clipped(y))),
                    8,
                    5,
                    style,
                ))?
                .label("the fitted leads without decay")
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style));
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(WHITE.mix(0.9))
            .border_style(palette::GREY)
            .label_font((FONT, 15))
            .draw()
    }

    fn draw_give_up<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let top = self.give_up.iter().map(|g| g.1).fold(0.05, f64::max) * 1.15;
        let mut chart = self.axes(
            area,
            "Give-up: share of leads dropped unreached after each touch (Kaplan–Meier)",
            top,
            ("touches made", "share of leads"),
            &|y| format!("{:.0}%", y * 100.0),
        )?;
        chart.draw_series(self.give_up.iter().map(|&(k, share)| {
            Rectangle::new(
                [(k as f64 - 0.35, 0.0), (k as f64 + 0.35, share)],
                palette::SKY.mix(0.85).filled(),
            )
        }))?;
        Ok(())
    }
}
