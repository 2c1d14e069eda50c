//! `kind = "push"` (SPEC §2): `token` (unique, a secret) and `grace`.

use std::collections::HashMap;
use std::time::Duration;

use crate::config::Problems;
use crate::config::file::RawCheck;
use crate::config::scope::Scope;
use crate::domain::PushCheck;

/// Token length bounds (SPEC §2: 16–128 URL-safe characters).
const TOKEN_LEN: (usize, usize) = (16, 128);

/// `kind = "push"`: `token`, `grace` (default: half the interval). `timeout`
/// and `degraded_over` are rejected: a push check waits, it probes nothing.
pub(super) fn push(raw: &RawCheck, interval: Option<Duration>, s: &mut Scope) -> Option<PushCheck> {
    let token = s.required(&raw.token, "token", &raw.span).filter(|f| {
        let problem = token_problem(&f.value);
        if let Some(problem) = &problem {
            s.err(&f.span, format_args!("`token` {problem}"));
        }
        problem.is_none()
    });
    if let Some(f) = &raw.timeout {
        let why = "a push check waits for pings (use `grace` to allow late ones)";
        s.err(
            &f.key,
            format_args!("`timeout` does not apply to push checks: {why}"),
        );
    }
    if let Some(f) = &raw.degraded_over {
        let why = "a ping has no response time";
        s.err(
            &f.key,
            format_args!("`degraded_over` does not apply to push checks: {why}"),
        );
    }
    let grace = match &raw.grace {
        Some(f) => s.duration(f),
        None => interval.map(|i| i / 2),
    };
    Some(PushCheck {
        token: token?.value.clone(),
        grace: grace?,
    })
}

/// Why `token` is not 16–128 characters of `[A-Za-z0-9_-]`, if it is not.
fn token_problem(token: &str) -> Option<String> {
    let (min, max) = TOKEN_LEN;
    let url_safe = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    let len = token.chars().count();
    if !(min..=max).contains(&len) {
        Some(format!("must be {min} to {max} characters long, not {len}"))
    } else {
        let bad = token.chars().find(|&c| !url_safe(c));
        bad.map(|c| format!("may only contain A-Z, a-z, 0-9, _ and -, not {c:?}"))
    }
}

/// Reports each push token used again by a later check (without echoing it).
pub(super) fn duplicate_tokens(checks: &[RawCheck], p: &mut Problems) {
    let mut first: HashMap<&str, usize> = HashMap::new();
    let tokens = checks
        .iter()
        .filter(|c| c.kind.as_ref().is_some_and(|k| k.value == "push"))
        .filter_map(|c| c.token.as_ref().map(|t| (c, t)));
    for (check, token) in tokens {
        if let Some(&at) = first.get(token.value.as_str()) {
            let line = p.line(at);
            let message = format!(
                "{}: `token` is already used by another push check (line {line}); tokens must be unique",
                check.place
            );
            p.push(&token.span, message);
        } else {
            first.insert(&token.value, token.span.start);
        }
    }
}
