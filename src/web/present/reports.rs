//! The answer pages of `POST /components/{id}/report` (SPEC §10).

use axum::http::StatusCode;

use super::layout;
use crate::config::Config;
use crate::web::views::ReportSentPage;

/// How a report was answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// Stored (or dropped as a bot's): thanks either way.
    Thanks,
    /// The client's reports of this hour are used up (429).
    Limited,
    /// The note was refused; the reason, worded for the visitor (422).
    Invalid(String),
    /// The body was over the limit (413).
    TooLarge,
}

impl Answer {
    /// The HTTP status of the page.
    pub fn status(&self) -> StatusCode {
        match self {
            Answer::Thanks => StatusCode::OK,
            Answer::Limited => StatusCode::TOO_MANY_REQUESTS,
            Answer::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Answer::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        }
    }
}

/// The page answering a report about component `id` named `name`.
pub fn page(config: &Config, id: &str, name: &str, answer: &Answer) -> ReportSentPage {
    let (title, message) = match answer {
        Answer::Thanks => (
            "Thank you".to_owned(),
            format!(
                "Your report about {name} was received. Reports are counted together: when \
                 several visitors report a problem within a few minutes, the team is alerted."
            ),
        ),
        Answer::Limited => (
            "Too many reports".to_owned(),
            format!(
                "You have already reported a problem with {name} three times in the last hour. \
                 Your reports were counted; please try again later."
            ),
        ),
        Answer::Invalid(why) => (
            "Report not sent".to_owned(),
            format!("{why} Go back and try again."),
        ),
        Answer::TooLarge => (
            "Report not sent".to_owned(),
            "The form was too large. Go back and shorten the note.".to_owned(),
        ),
    };
    let path = format!("/components/{id}");
    ReportSentPage {
        layout: layout(config, format!("{title} · {}", config.site.title), &path),
        title,
        message,
        back: path,
        component: name.to_owned(),
    }
}
