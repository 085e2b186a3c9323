//! The browser entry point: hydrates the page the server rendered.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Asynchronous hydration: a lazily loaded route (its own WASM chunk)
    // must be fetched before its server-rendered HTML can be hydrated.
    wasm_bindgen_futures::spawn_local(async {
        let body = leptos::prelude::document().body();
        let Some(body) = body else { return };
        let mounted = leptos::mount::hydrate_from_async(body, app::App).await;
        mounted.forget();
        // Tells tests (and curious people) that the page is interactive now.
        if let Some(root) = leptos::prelude::document().document_element() {
            let _ = root.set_attribute("data-hydrated", "true");
        }
    });
}
