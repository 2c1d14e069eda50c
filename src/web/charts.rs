//! TEMPORARY stub until the ui branch merges.
use chrono::{DateTime, Utc};
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub empty: bool,
}
pub struct Sample {
    pub at: DateTime<Utc>,
    pub ms: f64,
}
pub fn build(samples: &[Sample], _from: DateTime<Utc>, _to: DateTime<Utc>) -> Chart {
    Chart {
        empty: samples.is_empty(),
    }
}
