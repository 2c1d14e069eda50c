//! libFuzzer target: any text given to the config parser gives a config or
//! a list of problems, never a panic.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &str| {
    let _ = beacon::config::Config::parse(data, std::path::Path::new("fuzz.toml"));
});
