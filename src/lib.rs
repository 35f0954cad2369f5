//! callblitz: Monte Carlo simulation and planning of outbound sales prospecting.
//!
//! The modules read like the domain: a [`scenario`] describes the setup, [`reach`] holds the
//! closed forms of the lead model, the [`engine`] simulates it, [`stats`] summarises
//! replications and [`report`] prints them. [`calllog`] reads real call logs, which
//! [`blitz`] places against simulated blitzes; [`money`] prices a run with the scenario's `[costs]`.

pub mod blitz;
pub mod calibrate;
pub mod calllog;
pub mod chart;
pub mod compare;
pub mod engine;
pub mod money;
pub mod output;
pub mod plan;
pub mod reach;
pub mod report;
pub mod runs;
pub mod scenario;
pub mod stats;
pub mod sweep;
pub mod track;
