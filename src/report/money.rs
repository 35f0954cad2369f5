//! The money section of a report: what a run costs, part by part, against its revenue.

use std::io::{self, Write};

use super::{NONE, readable, write_columns};
use crate::money::Money;
use crate::stats::Summary;

/// Writes `money` under its heading.
pub(super) fn write_money(out: &mut dyn Write, money: &Money) -> io::Result<()> {
    writeln!(
        out,
        "\nMoney ([costs]; people charged {}): mean, P05 to P95 over replications",
        money.charge.label()
    )?;
    let spread = |s: &Summary| {
        [
            readable(s.mean),
            format!("{} to {}", readable(s.p05), readable(s.p95)),
        ]
    };
    let mean_only = |name: &str, x: f64| vec![name.to_string(), readable(x), String::new()];
    let with_spread = |name: &str, s: &Summary| {
        let [mean, range] = spread(s);
        vec![name.to_string(), mean, range]
    };
    let p = &money.parts;
    let rows = vec![
        with_spread("cost", &money.cost),
        mean_only("  people", p.people),
        mean_only("  leads", p.leads),
        mean_only("  commission", p.commission),
        with_spread("revenue", &money.revenue),
        with_spread("gross margin", &money.gross_margin),
    ];
    write_columns(out, &["", "mean", "P05 to P95"], &rows)?;
    let per = |x: Option<f64>| x.map_or(NONE.to_string(), readable);
    writeln!(
        out,
        "Cost per conversation {}, per appointment held {}, per opportunity {}, per deal {} \
         (mean cost over the mean count). Return on cost {}; {}% of replications lose money.",
        per(money.per_conversation),
        per(money.per_appointment_held),
        per(money.per_opportunity),
        per(money.per_deal),
        money
            .return_on_cost
            .map_or(NONE.to_string(), |r| format!("{}%", readable(100.0 * r))),
        readable(100.0 * money.loss_chance),
    )?;
    if let Some(payback) = &money.payback {
        let month = |m: Option<f64>| m.map_or("not within the horizon".to_string(), readable);
        let [p10, p50, p90] = payback.months.map(month);
        writeln!(
            out,
            "Months to pay back (the cumulative margin at or above 0 from then on, ramp \
             included): P10 {p10}, median {p50}, P90 {p90}; {}% of replications pay back \
             within the horizon.",
            readable(100.0 * payback.within_horizon)
        )?;
    }
    Ok(())
}
