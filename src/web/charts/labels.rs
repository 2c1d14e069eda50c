//! The words of a chart: axis labels, sample times and the window's span.

/// "0 ms", "250 ms", "1 s", "2.5 s".
pub(super) fn tick_label(ms: f64) -> String {
    if ms >= 1000.0 {
        format!("{} s", trim(ms / 1000.0, 2))
    } else {
        format!("{} ms", trim(ms, 0))
    }
}

/// "4.2 ms", "182 ms", "1.25 s".
pub(super) fn format_ms(ms: f64) -> String {
    if ms >= 1000.0 {
        format!("{} s", trim(ms / 1000.0, 2))
    } else if ms < 10.0 {
        format!("{} ms", trim(ms, 1))
    } else {
        format!("{} ms", trim(ms, 0))
    }
}

/// `v` with at most `decimals` decimals and no trailing zeros.
fn trim(v: f64, decimals: usize) -> String {
    let s = format!("{v:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// "24 hours ago", "7 days ago", "90 minutes ago".
pub(super) fn window_label(span_ms: f64) -> String {
    let minutes = (span_ms / 60_000.0).round() as i64;
    let (n, unit) = if minutes % (24 * 60) == 0 && minutes >= 2 * 24 * 60 {
        (minutes / (24 * 60), "day")
    } else if minutes % 60 == 0 && minutes >= 60 {
        (minutes / 60, "hour")
    } else {
        (minutes, "minute")
    };
    if n == 1 {
        format!("1 {unit} ago")
    } else {
        format!("{n} {unit}s ago")
    }
}
