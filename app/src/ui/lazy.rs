//! Lazily loaded pages: each becomes a WASM chunk of its own, fetched on
//! its first visit, so the main bundle stays small.

/// Declares `$route`, a lazy route that shows the component `$page`.
macro_rules! lazy_page {
    ($(#[$doc:meta])* $route:ident => $page:ident) => {
        $(#[$doc])*
        pub struct $route;

        #[leptos_router::lazy_route]
        impl leptos_router::LazyRoute for $route {
            fn data() -> Self {
                Self
            }

            fn view(this: Self) -> leptos::prelude::AnyView {
                let $route = this;
                leptos::prelude::IntoAny::into_any(leptos::prelude::view! { <$page /> })
            }
        }
    };
}

pub(crate) use lazy_page;
