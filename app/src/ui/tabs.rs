//! A tab list (the WAI-ARIA tabs pattern) whose selected tab lives in the
//! address (`?tab=key`): a reload or a shared link keeps it, and without
//! JavaScript each tab is a plain link. Arrow keys, Home and End move
//! between tabs. The panels are the caller's: each stays mounted (hidden
//! when not selected), so what was typed in one survives a switch.

use leptos::prelude::*;
use leptos_router::{NavigateOptions, hooks::use_navigate};

/// One tab: its key in the address and its label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tab {
    pub key: &'static str,
    pub label: &'static str,
}

/// The selected tab's key: the address's, if it names one of `tabs`, else
/// the first.
pub fn selected(tabs: &[Tab], asked: Option<&str>) -> &'static str {
    tabs.iter()
        .find(|tab| Some(tab.key) == asked)
        .unwrap_or(&tabs[0])
        .key
}

/// The id of a tab's panel, for `aria-controls` and the panel's own `id`.
pub fn panel_id(key: &str) -> String {
    format!("panel-{key}")
}

/// The id of a tab, which labels its panel.
pub fn tab_id(key: &str) -> String {
    format!("tab-{key}")
}

/// Which tab a key press moves to, if it is one that moves.
fn moved_to(tabs: &[Tab], current: &str, key: &str) -> Option<usize> {
    let at = tabs.iter().position(|tab| tab.key == current)?;
    let last = tabs.len() - 1;
    match key {
        "ArrowRight" => Some(if at == last { 0 } else { at + 1 }),
        "ArrowLeft" => Some(if at == 0 { last } else { at - 1 }),
        "Home" => Some(0),
        "End" => Some(last),
        _ => None,
    }
}

/// The tab list. `path` is the page's own path; `current` the selected key.
#[component]
pub fn TabList(
    label: &'static str,
    tabs: &'static [Tab],
    path: String,
    #[prop(into)] current: Signal<&'static str>,
) -> impl IntoView {
    let path = StoredValue::new(path);
    let href = move |key: &str| path.with_value(|path| format!("{path}?tab={key}"));
    let links: Vec<NodeRef<leptos::html::A>> = tabs.iter().map(|_| NodeRef::new()).collect();
    let focus_links = links.clone();
    let navigate = use_navigate();
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let Some(to) = moved_to(tabs, current.get_untracked(), &ev.key()) else {
            return;
        };
        ev.prevent_default();
        navigate(
            &href(tabs[to].key),
            NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        );
        if let Some(link) = focus_links[to].get_untracked() {
            let _ = link.focus();
        }
    };
    view! {
        <div class="tabs" role="tablist" aria-label=label on:keydown=on_key>
            {tabs.iter().zip(links).map(|(tab, node)| {
                let key = tab.key;
                let here = move || current.get() == key;
                view! {
                    <a node_ref=node role="tab" id=tab_id(key) href=href(key) data-noscroll=""
                        aria-controls=panel_id(key)
                        aria-selected=move || if here() { "true" } else { "false" }
                        tabindex=move || if here() { "0" } else { "-1" }
                        class:current=here>
                        {tab.label}
                    </a>
                }
            }).collect_view()}
        </div>
    }
}

/// A tab's panel: hidden unless its tab is selected, but kept mounted.
#[component]
pub fn TabPanel(
    key: &'static str,
    #[prop(into)] current: Signal<&'static str>,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="tab-panel" role="tabpanel" id=panel_id(key) aria-labelledby=tab_id(key)
            hidden=move || current.get() != key>
            {children()}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABS: &[Tab] = &[
        Tab {
            key: "profile",
            label: "Profile",
        },
        Tab {
            key: "permissions",
            label: "Permissions",
        },
        Tab {
            key: "history",
            label: "History",
        },
    ];

    #[test]
    fn the_address_picks_a_tab_it_names_and_only_such() {
        assert_eq!(selected(TABS, Some("permissions")), "permissions");
        assert_eq!(selected(TABS, Some("history")), "history");
        assert_eq!(selected(TABS, None), "profile");
        assert_eq!(selected(TABS, Some("Permissions")), "profile");
        assert_eq!(selected(TABS, Some("<script>")), "profile");
    }

    #[test]
    fn arrows_wrap_around_and_home_and_end_go_to_the_ends() {
        assert_eq!(moved_to(TABS, "profile", "ArrowRight"), Some(1));
        assert_eq!(moved_to(TABS, "history", "ArrowRight"), Some(0));
        assert_eq!(moved_to(TABS, "profile", "ArrowLeft"), Some(2));
        assert_eq!(moved_to(TABS, "permissions", "ArrowLeft"), Some(0));
        assert_eq!(moved_to(TABS, "permissions", "Home"), Some(0));
        assert_eq!(moved_to(TABS, "profile", "End"), Some(2));
        assert_eq!(moved_to(TABS, "profile", "Enter"), None);
        assert_eq!(moved_to(TABS, "profile", "ArrowDown"), None);
        assert_eq!(moved_to(TABS, "nowhere", "ArrowRight"), None);
    }
}
