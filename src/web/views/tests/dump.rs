//! `dump`: the sample pages written out, to look at in a browser.

use super::samples::*;
use super::*;

/// Writes the sample pages to `$BEACON_UI_DUMP` (with the stylesheet under
/// its hashed name in `static/`) to look at them in a browser.
#[test]
#[ignore = "writes files; run by hand with BEACON_UI_DUMP=dir"]
fn dump() {
    let Ok(dir) = std::env::var("BEACON_UI_DUMP") else {
        return;
    };
    let dir = std::path::Path::new(&dir);
    std::fs::create_dir_all(dir.join("static")).unwrap();
    let served = [
        ("style.css", crate::web::assets::stylesheet_url()),
        ("favicon.svg", crate::web::assets::icon_url()),
    ];
    for (f, url) in served {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("static")
            .join(f);
        std::fs::copy(src, dir.join(url.trim_start_matches('/'))).unwrap();
    }
    let mut ok = index_page();
    ok.banner = BannerView {
        class: "none",
        icon: "✓",
        text: "All Systems Operational",
    };
    ok.notice = None;
    let pages = [
        ("index.html", index_page().render().unwrap()),
        ("ok.html", ok.render().unwrap()),
        ("component.html", component_page().render().unwrap()),
        ("error.html", error_page().render().unwrap()),
    ];
    for (name, html) in pages {
        std::fs::write(dir.join(name), html).unwrap();
    }
}
