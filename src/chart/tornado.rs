//! The tornado chart: one bar per parameter, largest effect on top, from the measure with the
//! parameter swung down to the measure with it swung up, around the scenario's own value.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::compare::format_tick;
use super::sweep::category;
use super::{Chart, FONT, draw_title, palette};

/// A tornado, ready to draw.
#[derive(Debug, Clone)]
pub struct TornadoChart {
    pub title: String,
    pub subtitle: String,
    /// Footnotes under the chart (what the marks on values mean).
    pub notes: Vec<String>,
    /// The measure's name, for the axis.
    pub measure: String,
    /// The measure at the scenario's own values, and as it reads.
    pub base: (f64, String),
    /// What the two sides are, e.g. "20% down" and "20% up".
    pub side_labels: [String; 2],
    /// Largest effect first.
    pub bars: Vec<TornadoBar>,
}

/// One parameter's bar.
#[derive(Debug, Clone)]
pub struct TornadoBar {
    /// The parameter and the values it was swung to.
    pub label: String,
    /// The measure with the parameter down and up, and as each reads (`None`: it could not move
    /// that way).
    pub low: Option<(f64, String)>,
    pub high: Option<(f64, String)>,
}

/// Pixels per bar.
const ROW: u32 = 34;
/// Pixels per footnote.
const NOTE: u32 = 24;

impl Chart for TornadoChart {
    fn size(&self) -> (u32, u32) {
        let notes = NOTE * self.notes.len() as u32;
        (1200, 200 + ROW * self.bars.len().max(1) as u32 + notes)
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
        area.fill(&WHITE).map_err(err)?;
        let (head, body) = area.split_vertically(80);
        draw_title(&head, &self.title, &self.subtitle).map_err(err)?;
        let height = body.dim_in_pixel().1;
        let (bars, notes) = body.split_vertically(height - NOTE * self.notes.len() as u32);
        for (i, note) in self.notes.iter().enumerate() {
            let y = (NOTE * i as u32) as i32;
            notes
                .draw_text(note, &(FONT, 15).into_font().color(&BLACK), (30, y))
                .map_err(err)?;
        }
        self.draw_bars(&bars).map_err(err)
    }
}

impl TornadoChart {
    fn draw_bars<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let n = self.bars.len().max(1);
        let base = self.base.0;
        let values = self
            .bars
            .iter()
            .flat_map(|b| [&b.low, &b.high])
            .flatten()
            .map(|end| end.0)
            .chain([base]);
        let low = values.clone().fold(f64::INFINITY, f64::min);
        let high = values.fold(f64::NEG_INFINITY, f64::max);
        let pad = ((high - low) * 0.12).max(high.abs().max(1e-9) * 0.02);
        let mut chart = ChartBuilder::on(area)
            .margin(20)
            .x_label_area_size(50)
            .y_label_area_size(380)
            .build_cartesian_2d((low - pad)..(high + pad), -0.5..(n as f64 - 0.5))?;
        // Rank 1 on top.
        let row = |i: usize| (n - 1 - i) as f64;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .x_desc(&self.measure)
            .axis_desc_style((FONT, 16))
            .label_style((FONT, 14))
            .y_labels(n)
            .y_label_formatter(&|y| {
                category(*y, n)
                    .and_then(|i| self.bars.get(n - 1 - i))
                    .map_or_else(String::new, |b| b.label.clone())
            })
            .x_label_formatter(&|x| format_tick(*x))
            .light_line_style(RGBColor(235, 235, 235))
            .draw()?;
        for (side, colour) in [palette::VERMILLION, palette::BLUE].into_iter().enumerate() {
            let bars = self.bars.iter().enumerate().filter_map(|(i, b)| {
                let (end, _) = if side == 0 { &b.low } else { &b.high }.as_ref()?;
                let y = row(i);
                Some(Rectangle::new(
                    [(base, y - 0.32), (*end, y + 0.32)],
                    colour.mix(0.8).filled(),
                ))
            });
            chart
                .draw_series(bars)?
                .label(&self.side_labels[side])
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 6), (x + 20, y + 6)], colour.mix(0.8).filled())
                });
        }
        // The measure at each end of a bar, outside the bar and the scenario's value. With two
        // ends, the lower one's goes left and the higher one's right, so ends on one side of
        // the value (or both next to it) never print over each other.
        for (i, bar) in self.bars.iter().enumerate() {
            let mut ends: Vec<(f64, &String)> = [&bar.low, &bar.high]
                .into_iter()
                .flatten()
                .map(|(end, label)| (*end, label))
                .collect();
            ends.sort_by(|a, b| a.0.total_cmp(&b.0));
            let both = ends.len() == 2;
            for (k, (end, label)) in ends.into_iter().enumerate() {
                let rightward = if both { k == 1 } else { end >= base };
                let (anchor, x) = if rightward {
                    (HPos::Left, end.max(base) + pad * 0.08)
                } else {
                    (HPos::Right, end.min(base) - pad * 0.08)
                };
                let style = (FONT, 13)
                    .into_font()
                    .color(&BLACK)
                    .pos(Pos::new(anchor, VPos::Center));
                chart.draw_series(std::iter::once(Text::new(
                    label.clone(),
                    (x, row(i)),
                    style,
                )))?;
            }
        }
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(base, -0.5), (base, n as f64 - 0.5)],
                BLACK.stroke_width(2),
            )))?
            .label(format!("the scenario's value: {}", self.base.1))
            .legend(|(x, y)| PathElement::new(vec![(x + 10, y - 7), (x + 10, y + 7)], BLACK));
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .background_style(WHITE.mix(0.9))
            .border_style(palette::GREY)
            .label_font((FONT, 15))
            .draw()
    }
}
