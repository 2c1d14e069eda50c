//! Secrets of `[email]` and `[[notifiers]]`, read once while validating
//! from the environment variables the file names (a named but unset one is
//! a config error).

use crate::config::scope::Scope;
use crate::config::section::Field;
use crate::notify::Secret;

/// Reads an environment variable (the process's, or a test's table).
pub type Env<'e> = &'e dyn Fn(&str) -> Option<String>;

/// The value of the environment variable `f` names; a problem when unset.
pub(super) fn secret(s: &mut Scope, f: &Field<String>, env: Env) -> Option<Secret> {
    match env(&f.value) {
        Some(value) if !value.is_empty() => Some(Secret::new(value)),
        _ => {
            let key = s.p.key_name(&f.key).to_owned();
            s.err(
                &f.span,
                format_args!(
                    "`{key}` names the environment variable {:?}, which is not set",
                    f.value
                ),
            );
            None
        }
    }
}
