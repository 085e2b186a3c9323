//! A section's own navigation (the platform console's pages, Settings'
//! tabs): links in a row, the current one marked for the eye and for
//! screen readers.

use leptos::prelude::*;

#[component]
pub fn SectionNav(
    label: &'static str,
    links: &'static [(&'static str, &'static str)],
    current: &'static str,
) -> impl IntoView {
    view! {
        <nav class="console-nav" aria-label=label>
            {links.iter().map(|&(href, text)| {
                let here = href == current;
                view! {
                    <a href=href class:current=here aria-current=if here { Some("page") } else { None }>{text}</a>
                }
            }).collect_view()}
        </nav>
    }
}
