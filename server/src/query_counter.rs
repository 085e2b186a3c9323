//! Counts database round trips: sqlx reports every statement it sends as
//! a `sqlx::query` event, so a subscriber that counts those events, set
//! for one future only, tells how many statements that future ran (the
//! statement budgets of `tests/query_counts.rs`, and the benchmark's).

use std::sync::{
    Arc,
    atomic::{AtomicUsize, Ordering},
};

use tracing::{Event, Level, Subscriber, subscriber::Interest};
use tracing_subscriber::{Layer, filter::Targets, layer::Context, prelude::*};

#[derive(Clone, Default)]
pub struct QueryCounter(Arc<AtomicUsize>);

impl QueryCounter {
    /// A dispatcher that counts into this counter; give it to a future with
    /// `tracing::instrument::WithSubscriber::with_subscriber`.
    pub fn dispatch(&self) -> tracing::Dispatch {
        let counting = Counting(self.0.clone())
            .with_filter(Targets::new().with_target("sqlx::query", Level::TRACE));
        tracing::Dispatch::new(tracing_subscriber::registry().with(counting))
    }

    /// The statements counted so far, and the count reset to zero.
    pub fn take(&self) -> usize {
        self.0.swap(0, Ordering::SeqCst)
    }
}

struct Counting(Arc<AtomicUsize>);

impl<S: Subscriber> Layer<S> for Counting {
    fn register_callsite(&self, _: &'static tracing::Metadata<'static>) -> Interest {
        Interest::sometimes()
    }

    fn on_event(&self, _: &Event<'_>, _: Context<'_, S>) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}
