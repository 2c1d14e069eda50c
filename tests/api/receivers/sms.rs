//! An SMS gateway stub in the shape of Twilio's Messages API: HTTP basic
//! auth with the account and token, a form with `From`, `To` and `Body`,
//! 201 and a JSON message resource when all is well, Twilio-style JSON
//! errors (401, 400) otherwise.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::{Form, Json, Router};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};

use super::Serving;

/// The most a `Body` may hold here: one segment (SPEC §8).
const MAX_BODY_CHARS: usize = 160;

/// One text the gateway accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    /// `From`.
    pub from: String,
    /// `To`.
    pub to: String,
    /// `Body`.
    pub body: String,
}

#[derive(Clone)]
struct Shared {
    account: String,
    token: String,
    texts: Arc<Mutex<Vec<Text>>>,
    refused: Arc<Mutex<Vec<String>>>,
}

/// The gateway at [`SmsGateway::url`], accepting `account`:`token`.
pub struct SmsGateway {
    shared: Shared,
    serving: Serving,
}

impl SmsGateway {
    /// Starts a gateway for this account and token.
    pub async fn start(account: &str, token: &str) -> SmsGateway {
        let shared = Shared {
            account: account.to_owned(),
            token: token.to_owned(),
            texts: Arc::default(),
            refused: Arc::default(),
        };
        let router = Router::new()
            .route("/2010-04-01/Accounts/{account}/Messages.json", post(send))
            .with_state(shared.clone());
        SmsGateway {
            shared,
            serving: Serving::start(router).await,
        }
    }

    /// The Messages URL of the account.
    pub fn url(&self) -> String {
        format!(
            "http://{}/2010-04-01/Accounts/{}/Messages.json",
            self.serving.addr, self.shared.account
        )
    }

    /// The texts accepted so far.
    pub fn texts(&self) -> Vec<Text> {
        self.shared.texts.lock().unwrap().clone()
    }

    /// Why requests were refused so far ("bad credentials", "Body over 160 characters").
    pub fn refused(&self) -> Vec<String> {
        self.shared.refused.lock().unwrap().clone()
    }
}

async fn send(
    State(shared): State<Shared>,
    Path(account): Path<String>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> (StatusCode, Json<Value>) {
    let refuse = |status: StatusCode, code: u32, why: &str| {
        shared.refused.lock().unwrap().push(why.to_owned());
        let body = json!({ "code": code, "message": why, "status": status.as_u16() });
        (status, Json(body))
    };
    let expected = format!(
        "Basic {}",
        STANDARD.encode(format!("{}:{}", shared.account, shared.token))
    );
    let sent = headers.get("authorization").and_then(|v| v.to_str().ok());
    if account != shared.account || sent != Some(expected.as_str()) {
        return refuse(StatusCode::UNAUTHORIZED, 20003, "bad credentials");
    }
    let field = |name: &str| form.get(name).filter(|v| !v.is_empty()).cloned();
    let (Some(from), Some(to), Some(body)) = (field("From"), field("To"), field("Body")) else {
        return refuse(
            StatusCode::BAD_REQUEST,
            21604,
            "From, To and Body are required",
        );
    };
    if body.chars().count() > MAX_BODY_CHARS {
        return refuse(StatusCode::BAD_REQUEST, 21617, "Body over 160 characters");
    }
    let resource =
        json!({ "sid": "SM0001", "status": "queued", "from": from, "to": to, "body": body });
    shared.texts.lock().unwrap().push(Text { from, to, body });
    (StatusCode::CREATED, Json(resource))
}
