//! A site of the size real operators run (issue 8): components in 5 groups,
//! one HTTP check each, 90 history days with a realistic mix of perfect and
//! imperfect days. Shared by the page-weight test and `benches/render.rs`.

/// Groups the components are spread over.
pub const GROUPS: usize = 5;
/// Days of history shown and generated.
pub const DAYS: u32 = 90;
/// Results per check per day at a 10 s interval.
pub const RESULTS_PER_DAY: u64 = 8_640;

/// The config of `components` components `c0`…, each with one check
/// `c{i}-http` probing `url` every 10 s.
pub fn config(components: usize, url: &str) -> String {
    let mut toml =
        format!("[site]\ntitle = \"Fleet Status\"\nhistory_days = {DAYS}\ntimezone = \"UTC\"\n");
    for i in 0..components {
        toml.push_str(&format!(
            "\n[[components]]\nid = \"c{i}\"\nname = \"Service {i}\"\ngroup = \"Group {}\"\n\
             \n[[checks]]\nid = \"c{i}-http\"\ncomponent = \"c{i}\"\nkind = \"http\"\n\
             url = \"{url}\"\ninterval = \"10s\"\ntimeout = \"2s\"\n",
            i % GROUPS
        ));
    }
    toml
}

/// `(good, total)` of check `check` on the day `back` days before today:
/// mostly 100 %, every 7th day a few failures, every 23rd a real outage.
pub fn day_counts(check: usize, back: u32) -> (u64, u64) {
    let n = check as u64 * 31 + u64::from(back) * 17;
    let failed = match n {
        n if n % 23 == 0 => 400,
        n if n % 7 == 0 => 3 + n % 5,
        _ => 0,
    };
    (RESULTS_PER_DAY - failed, RESULTS_PER_DAY)
}
