//! Real servers on 127.0.0.1 for the dns and tls checks: a tiny DNS
//! responder over UDP and a TLS listener with a self-signed certificate.

use std::net::SocketAddr;
use std::sync::Arc;

use hickory_proto::op::{Message, MessageType, ResponseCode};
use hickory_proto::rr::rdata::{A, MX, TXT};
use hickory_proto::rr::{Name, RData, Record, RecordType};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, UdpSocket};
use tokio::task::JoinHandle;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};

/// The one name [`DnsServer`] knows; every other name is NXDOMAIN.
pub const DNS_NAME: &str = "app.beacon.test";
/// Its A records.
pub const DNS_ADDRESSES: [[u8; 4]; 2] = [[10, 1, 2, 3], [10, 1, 2, 4]];

/// Answers A, TXT and MX queries for [`DNS_NAME`] over UDP.
pub struct DnsServer {
    pub addr: SocketAddr,
    task: JoinHandle<()>,
}

impl DnsServer {
    pub async fn start() -> DnsServer {
        let socket = UdpSocket::bind("127.0.0.1:0").await.expect("bind dns");
        let addr = socket.local_addr().expect("addr");
        let task = tokio::spawn(async move {
            let mut buf = [0u8; 4096];
            while let Ok((n, peer)) = socket.recv_from(&mut buf).await {
                let Some(reply) = answer(&buf[..n]) else {
                    continue;
                };
                let _ = socket.send_to(&reply, peer).await;
            }
        });
        DnsServer { addr, task }
    }
}

impl Drop for DnsServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn answer(request: &[u8]) -> Option<Vec<u8>> {
    let request = Message::from_vec(request).ok()?;
    let query = request.queries.first()?.clone();
    let mut response = Message::new(
        request.metadata.id,
        MessageType::Response,
        request.metadata.op_code,
    );
    response.metadata.recursion_desired = request.metadata.recursion_desired;
    response.metadata.recursion_available = true;
    response.metadata.authoritative = true;
    let known = Name::from_ascii(format!("{DNS_NAME}.")).ok()?;
    if query.name.to_lowercase() != known {
        response.metadata.response_code = ResponseCode::NXDomain;
    } else {
        let name = query.name.clone();
        let records: Vec<RData> = match query.query_type {
            RecordType::A => DNS_ADDRESSES
                .iter()
                .map(|a| RData::A(A::from(std::net::Ipv4Addr::from(*a))))
                .collect(),
            RecordType::TXT => vec![RData::TXT(TXT::new(vec!["beacon-ok".into()]))],
            RecordType::MX => {
                let exchange = Name::from_ascii("mail.beacon.test.").ok()?;
                vec![RData::MX(MX::new(10, exchange))]
            }
            _ => Vec::new(),
        };
        for data in records {
            response.add_answer(Record::from_rdata(name.clone(), 60, data));
        }
    }
    response.add_query(query);
    response.to_vec().ok()
}
/// A TLS listener whose certificate for `localhost` signs itself (untrusted).
pub struct SelfSignedTls {
    pub addr: SocketAddr,
    task: JoinHandle<()>,
}

impl SelfSignedTls {
    pub async fn start() -> SelfSignedTls {
        let cert = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()])
            .expect("self-signed certificate");
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(cert.signing_key.serialize_der()));
        let provider = Arc::new(tokio_rustls::rustls::crypto::aws_lc_rs::default_provider());
        let config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("protocol versions")
            .with_no_client_auth()
            .with_single_cert(vec![cert.cert.der().clone()], key)
            .expect("server config");
        let acceptor = TlsAcceptor::from(Arc::new(config));
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind tls");
        let addr = listener.local_addr().expect("addr");
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    if let Ok(mut tls) = acceptor.accept(stream).await {
                        let _ = tls.shutdown().await;
                    }
                });
            }
        });
        SelfSignedTls { addr, task }
    }
}

impl Drop for SelfSignedTls {
    fn drop(&mut self) {
        self.task.abort();
    }
}
