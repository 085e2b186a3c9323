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

/// Room for the splitter (cargo-leptos `--split`). It moves each piece of
/// static data into the chunk that alone uses it, regrouping the linker's
/// data segments by chunk; when the regrouped segment would come out a few
/// bytes longer than the linker's (alignment padding between chunks), it
/// keeps the whole segment in the main bundle instead: about 23 KB brotli
/// that came and went with unrelated changes, such as moving a component
/// to another file. These bytes lengthen the read-only and the writable
/// segment; nothing references them, so no chunk takes them along, and the
/// regrouped segments always fit. (`#[used]`: the linker must keep them.)
#[used]
static READ_ONLY_ROOM: [u8; 512] = [0x5a; 512];
#[used]
static mut WRITABLE_ROOM: [u8; 256] = [0x5a; 256];
