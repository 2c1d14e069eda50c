//! libFuzzer target: operator Markdown → safe HTML never panics and never
//! lets a script element through (the full allowlist check is the proptest
//! in tests/fuzz.rs, which runs in `cargo test`).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &str| {
    let html = beacon::web::markdown::render(data);
    assert!(!html.as_str().contains("<script"));
});
