//! The integration tests, in one binary (modules by subject).

mod blitz;
mod calibrate;
mod call_log_edges;
mod cli;
mod closed_forms;
mod common;
mod compare;
mod dials;
#[cfg(unix)]
mod hard_edges;
mod json_schemas;
mod money;
#[cfg(unix)]
mod output_paths;
mod people;
mod plan;
mod presets;
mod referrals;
mod reproducible;
mod reps;
mod schema;
mod segments;
mod sizing;
mod snapshots;
mod speed_to_lead;
mod sweep;
mod team;
mod territory;
mod touch_factors;
mod track;
mod uncertainty;
mod validation;
mod weekly_penetration;
