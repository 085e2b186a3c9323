//! Counts database round trips: sqlx reports every statement it sends as
//! a `sqlx::query` event, and the layer here counts those sent by a future
//! run through `count` (the statement budgets of `tests/query_counts.rs`,
//! and the benchmark's).
//!
//! The layer belongs to the process's one global subscriber and the count
//! to the task: a scoped dispatcher per count would leave tracing's
//! process-wide callsite interest to be recomputed by whichever thread
//! registers next, and parallel tests then lose events now and then.

use std::{cell::Cell, future::Future, sync::Once};

use tracing::{Event, Metadata, Subscriber, level_filters::LevelFilter, subscriber::Interest};
use tracing_subscriber::{
    Layer,
    filter::DynFilterFn,
    layer::{Context, SubscriberExt},
    registry::LookupSpan,
};

const TARGET: &str = "sqlx::query";

tokio::task_local! {
    static COUNT: Cell<usize>;
}

/// Runs `future`, and tells how many statements it sent.
pub async fn count<F: Future>(future: F) -> (F::Output, usize) {
    COUNT
        .scope(Cell::new(0), async {
            let output = future.await;
            (output, COUNT.with(Cell::get))
        })
        .await
}

/// The counting layer, for the global subscriber (`telemetry::init`).
/// Outside `count` it enables nothing, so sqlx builds no event for it.
pub fn layer<S>() -> impl Layer<S>
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    let counting = |meta: &Metadata<'_>, _: &Context<'_, S>| {
        meta.target() == TARGET && COUNT.try_with(|_| ()).is_ok()
    };
    Counting.with_filter(
        DynFilterFn::new(counting)
            .with_callsite_filter(|meta| {
                if meta.target() == TARGET {
                    Interest::sometimes()
                } else {
                    Interest::never()
                }
            })
            // sqlx reports statements at DEBUG (slow ones at WARN): no
            // need to wake TRACE callsites for it.
            .with_max_level_hint(LevelFilter::DEBUG),
    )
}

/// For a process without `telemetry::init` (the integration tests): a
/// global subscriber that only counts. Idempotent.
pub fn install() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let subscriber = tracing_subscriber::registry().with(layer());
        let _ = tracing::subscriber::set_global_default(subscriber);
        // Callsites another thread registered while the subscriber was
        // being set may have cached "never"; ask them again.
        tracing::callsite::rebuild_interest_cache();
    });
}

struct Counting;

impl<S: Subscriber> Layer<S> for Counting {
    fn on_event(&self, _: &Event<'_>, _: Context<'_, S>) {
        let _ = COUNT.try_with(|count| count.set(count.get() + 1));
    }
}
