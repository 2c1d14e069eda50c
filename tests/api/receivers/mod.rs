//! Real receivers for the notification tests, started by each test on
//! 127.0.0.1 and stopped when dropped: an HTTP webhook receiver that checks
//! signatures and can fail or hang on demand, an SMS gateway in Twilio's
//! shape, and an SMTP server (aiosmtpd) with plain, STARTTLS and TLS modes.

mod hook;
mod sms;
mod smtp;

use std::net::SocketAddr;

use axum::Router;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub use hook::{Answer, HookReceiver, Signature};
pub use sms::{SmsGateway, Text};
pub use smtp::{ReceivedMail, SmtpMode, SmtpReceiver};

/// `router` served on an ephemeral 127.0.0.1 port until dropped.
struct Serving {
    addr: SocketAddr,
    task: JoinHandle<()>,
}

impl Serving {
    async fn start(router: Router) -> Serving {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind receiver");
        let addr = listener.local_addr().expect("receiver address");
        let task = tokio::spawn(async move {
            axum::serve(listener, router)
                .await
                .expect("receiver serves");
        });
        Serving { addr, task }
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        self.task.abort();
    }
}
