//! JSON shapes several commands share, as `deny_unknown_fields` structs: reading an output into
//! them is a schema check.

use serde::Deserialize;

/// A rate with its 95% interval (`calibrate`, `compare`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateJson {
    pub estimate: f64,
    pub ci95: [f64; 2],
}

/// P10, median and P90 (weekly bands, blitz progress).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // read by deserializing, which checks the schema
pub struct BandJson {
    pub p10: f64,
    pub p50: f64,
    pub p90: f64,
}
