//! Reading one TOML table of the config file: typed values with their
//! spans, unknown keys reported up front (SPEC §2). `file` and the notify
//! sections both read through it.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeInteger, DeTable, DeValue};

use super::Problems;

const DURATION: &str = "a duration string such as \"30s\"";

/// A value read from the file, with the byte spans of its key and of itself.
#[derive(Debug, Clone)]
pub(super) struct Field<T> {
    pub key: Range<usize>,
    pub span: Range<usize>,
    pub value: T,
}

impl<T> Field<T> {
    pub(super) fn map<U>(self, f: impl FnOnce(T) -> U) -> Field<U> {
        Field {
            key: self.key,
            span: self.span,
            value: f(self.value),
        }
    }
}

pub(super) type Opt<T> = Option<Field<T>>;

/// Names an entry by its id when it has one, else by its position.
pub(super) fn place(table: &DeTable, what: &str, array: &str, n: usize) -> String {
    match table.get("id").and_then(|id| id.get_ref().as_str()) {
        Some(id) => format!("{what} {id:?}"),
        None => format!("[[{array}]] #{n}"),
    }
}

/// One table being read: unknown keys are reported up front, then values are taken by type.
pub(super) struct Section<'t, 'i> {
    table: &'t DeTable<'i>,
    pub place: String,
}

impl<'t, 'i> Section<'t, 'i> {
    pub(super) fn new(
        table: &'t DeTable<'i>,
        place: String,
        known: &[&str],
        p: &mut Problems,
    ) -> Self {
        for key in table.keys() {
            if !known.contains(&key.get_ref().as_ref()) {
                let key_name = key.get_ref();
                let hint = known.join(", ");
                p.push(
                    &key.span(),
                    format!("{place}: unknown key `{key_name}` (known keys: {hint})"),
                );
            }
        }
        Section { table, place }
    }

    /// The value of `key` converted by `conv`, or a problem naming `want` when it has the wrong type.
    pub(super) fn field<T>(
        &self,
        key: &str,
        want: &str,
        p: &mut Problems,
        conv: impl FnOnce(&'t DeValue<'i>) -> Option<T>,
    ) -> Opt<T> {
        let (k, v) = self.table.get_key_value(key)?;
        match conv(v.get_ref()) {
            Some(value) => Some(Field {
                key: k.span(),
                span: v.span(),
                value,
            }),
            None => {
                let found = v.get_ref().type_str();
                p.push(
                    &v.span(),
                    format!("{}: `{key}` must be {want}, found {found}", self.place),
                );
                None
            }
        }
    }

    pub(super) fn string(&self, key: &str, p: &mut Problems) -> Opt<String> {
        self.field(key, "a string", p, |v| v.as_str().map(str::to_owned))
    }

    pub(super) fn duration(&self, key: &str, p: &mut Problems) -> Opt<String> {
        self.field(key, DURATION, p, |v| v.as_str().map(str::to_owned))
    }

    pub(super) fn integer(&self, key: &str, p: &mut Problems) -> Opt<i64> {
        self.field(key, "an integer", p, |v| v.as_integer().map(to_i64))
    }

    pub(super) fn table(
        &self,
        key: &str,
        p: &mut Problems,
    ) -> Option<(Range<usize>, &'t DeTable<'i>)> {
        self.field(key, "a table", p, DeValue::as_table)
            .map(|f| (f.span, f.value))
    }

    /// The entries of an array of tables; entries that are not tables are reported and skipped.
    pub(super) fn tables(
        &self,
        key: &str,
        p: &mut Problems,
    ) -> Vec<(Range<usize>, &'t DeTable<'i>)> {
        let want = format!("an array of tables ([[{key}]])");
        let Some(array) = self.field(key, &want, p, DeValue::as_array) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for entry in array.value.iter() {
            match entry.get_ref().as_table() {
                Some(t) => out.push((entry.span(), t)),
                None => {
                    let found = entry.get_ref().type_str();
                    p.push(
                        &entry.span(),
                        format!("each entry of `{key}` must be a table, found {found}"),
                    );
                }
            }
        }
        out
    }

    /// An array of strings; entries of another type are reported and skipped.
    pub(super) fn strings(&self, key: &str, p: &mut Problems) -> Opt<Vec<Spanned<String>>> {
        let array = self.field(key, "an array of strings", p, DeValue::as_array)?;
        let mut out = Vec::new();
        for item in array.value {
            match item.get_ref().as_str() {
                Some(text) => out.push(Spanned::new(item.span(), text.to_owned())),
                None => {
                    let found = item.get_ref().type_str();
                    let message = format!(
                        "{}: each `{key}` entry must be a string, found {found}",
                        self.place
                    );
                    p.push(&item.span(), message);
                }
            }
        }
        Some(array.map(|_| out))
    }
}

/// An integer as `i64`; values beyond its range saturate so that range checks reject them.
pub(super) fn to_i64(i: &DeInteger) -> i64 {
    let saturated = if i.as_str().starts_with('-') {
        i64::MIN
    } else {
        i64::MAX
    };
    i64::from_str_radix(i.as_str(), i.radix()).unwrap_or(saturated)
}

/// An optional key: absent is fine (`Some(None)`), present but invalid is
/// not (`None`).
pub(super) fn valid<T>(key: Option<Option<T>>) -> Option<Option<T>> {
    match key {
        None => Some(None),
        Some(None) => None,
        Some(value) => Some(value),
    }
}
