//! The script that makes a server-rendered page interactive: Leptos'
//! `HydrationScripts` without its `<link rel="preload">` of the WASM
//! bundle. That link sends the bundle (645 KB) at high priority alongside
//! the page and its stylesheet, so on a slow connection the page paints
//! only once the bundle is in: Lighthouse's simulated mobile connection
//! put the Users page's largest paint at 4.2 s with the link and at 0.9 s
//! without it (docs/PERFORMANCE.md, "One bundle"). Without it the bundle is
//! asked for by the app's small script, right after the page's own files;
//! a browser that has it already loses nothing.

use leptos::{config::LeptosOptions, nonce::use_nonce, prelude::*};

/// The app's script and WASM bundle, under the site's `pkg` directory.
struct Bundle {
    js: String,
    wasm: String,
}

impl Bundle {
    /// The names the release build gave them: each carries its content
    /// hash, listed in the hash file (as Leptos reads it, relative to the
    /// server binary unless absolute).
    fn of(options: &LeptosOptions) -> Bundle {
        let name = options.output_name.to_string();
        let mut bundle = Bundle {
            js: name.clone(),
            wasm: name,
        };
        if !options.hash_files {
            return bundle;
        }
        let list = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(|dir| dir.join(options.hash_file.as_ref())))
            .and_then(|path| std::fs::read_to_string(path).ok())
            .unwrap_or_default();
        for (kind, hash) in list.lines().filter_map(|line| line.split_once(':')) {
            match kind.trim() {
                "js" => bundle.js = format!("{}.{}", bundle.js, hash.trim()),
                "wasm" => bundle.wasm = format!("{}.{}", bundle.wasm, hash.trim()),
                _ => {}
            }
        }
        bundle
    }
}

/// The app's script, hinted early (it is small), and the module script
/// that loads it, then the WASM bundle, then hydrates the page.
#[component]
pub fn HydrationScript(options: LeptosOptions) -> impl IntoView {
    let Bundle { js, wasm } = Bundle::of(&options);
    let pkg = &options.site_pkg_dir;
    let js = format!("/{pkg}/{js}.js");
    let wasm = format!("/{pkg}/{wasm}.wasm");
    let script = format!(
        "import({js:?}).then((app) => app.default({{ module_or_path: {wasm:?} }}).then(() => app.hydrate()));"
    );
    view! {
        <link rel="modulepreload" href=js />
        <script type="module" nonce=use_nonce()>
            {script}
        </script>
    }
}
