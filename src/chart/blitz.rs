//! The blitz figure: progress by minute (conversations and appointments of all teams, with the
//! real blitz drawn over the bands), the teams side by side, and the leaderboard.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::compare::format_tick;
use super::{
    Chart, FONT, FanChart, draw_bar, draw_bar_cells, draw_diamond, draw_legend, draw_title, palette,
};

/// The blitz figure, ready to draw.
#[derive(Debug, Clone)]
pub struct BlitzChart {
    pub title: String,
    pub subtitle: String,
    /// Fan charts of cumulative counts by minute, side by side.
    pub progress: Vec<FanChart>,
    pub teams: Vec<String>,
    /// The quantities compared between teams.
    pub quantities: Vec<String>,
    /// Per team, (median, P10, P90) of each quantity.
    pub team_bands: Vec<Vec<(f64, f64, f64)>>,
    /// Per team, the real blitz's value of each quantity (empty without one).
    pub team_actual: Vec<Vec<f64>>,
    /// (median, P10, P90) of the appointments of the rep ranked r (0: the best).
    pub leaderboard: Vec<(f64, f64, f64)>,
    /// The real reps' appointments, best first (empty without a real blitz).
    pub leaderboard_actual: Vec<f64>,
}

impl Chart for BlitzChart {
    fn size(&self) -> (u32, u32) {
        (1200, 1500)
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
        area.fill(&WHITE).map_err(err)?;
        let (title, rest) = area.split_vertically(80);
        draw_title(&title, &self.title, &self.subtitle).map_err(err)?;
        let (progress, rest) = rest.split_vertically(560);
        let panels = progress.split_evenly((1, self.progress.len().max(1)));
        for (fan, panel) in self.progress.iter().zip(&panels) {
            fan.draw(panel)?;
        }
        let (teams, leaderboard) = rest.split_vertically(440);
        let (legend, bars) = teams.split_vertically(40);
        let names: Vec<&str> = self.teams.iter().map(String::as_str).collect();
        draw_legend(&legend, &names).map_err(err)?;
        let caption = if self.team_actual.is_empty() {
            "Each team (bars: median; whiskers: P10 to P90 of simulated blitzes)"
        } else {
            "Each team (bars: median; whiskers: P10 to P90 of simulated blitzes; diamonds: the \
             real blitz)"
        };
        draw_bar_cells(
            &bars,
            caption,
            &self.quantities,
            &self.team_bands,
            &self.team_actual,
        )
        .map_err(err)?;
        self.draw_leaderboard(&leaderboard).map_err(err)
    }
}

impl BlitzChart {
    fn draw_leaderboard<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let ranks = self.leaderboard.len();
        let top = self
            .leaderboard
            .iter()
            .map(|r| r.2)
            .chain(self.leaderboard_actual.iter().copied())
            .fold(1.0, f64::max)
            * 1.15;
        let caption = if self.leaderboard_actual.is_empty() {
            "Leaderboard: appointments of the rep ranked 1st, 2nd, ... (median, P10 to P90)"
        } else {
            "Leaderboard: appointments of the rep ranked 1st, 2nd, ... (median, P10 to P90; \
             diamonds: the real reps)"
        };
        let mut chart = ChartBuilder::on(area)
            .caption(caption, (FONT, 19))
            .margin(20)
            .x_label_area_size(45)
            .y_label_area_size(65)
            .build_cartesian_2d(0.4..(ranks as f64 + 0.6), 0.0..top)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_desc("rank")
            .y_desc("appointments")
            .axis_desc_style((FONT, 16))
            .label_style((FONT, 14))
            .x_labels(ranks.min(30))
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| format_tick(*y))
            .light_line_style(RGBColor(235, 235, 235))
            .draw()?;
        for (r, &band) in self.leaderboard.iter().enumerate() {
            draw_bar(&mut chart, r as f64 + 1.0, band, palette::SKY.mix(0.8))?;
        }
        for (r, &v) in self.leaderboard_actual.iter().enumerate() {
            draw_diamond(&mut chart, r as f64 + 1.0, v)?;
        }
        Ok(())
    }
}
