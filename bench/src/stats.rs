//! Percentiles of measured durations.

use std::time::Duration;

/// Samples sorted once, read at any quantile.
pub struct Samples(Vec<Duration>);

impl Samples {
    pub fn new(mut samples: Vec<Duration>) -> Self {
        samples.sort_unstable();
        Self(samples)
    }

    /// The nearest-rank quantile `q` (0.5 for the median), zero when empty.
    pub fn at(&self, q: f64) -> Duration {
        if self.is_empty() {
            return Duration::ZERO;
        }
        let rank = (q * self.0.len() as f64).ceil() as usize;
        self.0[rank.clamp(1, self.0.len()) - 1]
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Milliseconds with two decimals, or microseconds below 0.1 ms.
pub fn show(d: Duration) -> String {
    let micros = d.as_secs_f64() * 1e6;
    if micros < 100.0 {
        format!("{micros:.2} µs")
    } else {
        format!("{:.2} ms", micros / 1e3)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_quantiles() {
        let s = Samples::new((1..=100).rev().map(Duration::from_millis).collect());
        assert_eq!(s.at(0.5), Duration::from_millis(50));
        assert_eq!(s.at(0.99), Duration::from_millis(99));
        assert_eq!(s.at(1.0), Duration::from_millis(100));
        assert_eq!(s.at(0.0), Duration::from_millis(1));
        assert_eq!(Samples::new(vec![]).at(0.5), Duration::ZERO);
    }

    #[test]
    fn shows_small_durations_in_microseconds() {
        assert_eq!(show(Duration::from_nanos(1_500)), "1.50 µs");
        assert_eq!(show(Duration::from_micros(2_345)), "2.35 ms");
    }
}
