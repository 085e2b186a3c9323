//! One keep-alive HTTP/1.1 connection to the server on loopback, sending
//! requests as a Portcullis page does (same-origin form POSTs) and keeping
//! the session cookie it is given.

use std::net::SocketAddr;

use http_body_util::{BodyExt, Full};
use hyper::{
    Request, StatusCode,
    body::Bytes,
    client::conn::http1::{SendRequest, handshake},
    header,
};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

pub struct Client {
    sender: SendRequest<Full<Bytes>>,
    host: String,
    cookie: Option<String>,
}

pub struct Answer {
    pub status: StatusCode,
    pub body: Bytes,
}

impl Answer {
    pub fn ok(self, what: &str) -> Result<Bytes, String> {
        if self.status.is_success() || self.status.is_redirection() {
            Ok(self.body)
        } else {
            Err(format!(
                "{what}: {} {}",
                self.status,
                String::from_utf8_lossy(&self.body)
            ))
        }
    }
}

impl Client {
    pub async fn connect(addr: SocketAddr) -> Result<Self, String> {
        let stream = TcpStream::connect(addr)
            .await
            .map_err(|e| format!("connect to {addr}: {e}"))?;
        stream.set_nodelay(true).map_err(|e| e.to_string())?;
        let (sender, connection) = handshake(TokioIo::new(stream))
            .await
            .map_err(|e| e.to_string())?;
        tokio::spawn(connection);
        Ok(Self {
            sender,
            host: addr.to_string(),
            cookie: None,
        })
    }

    /// The session cookie, `name=value`.
    pub fn cookie(&self) -> Option<&str> {
        self.cookie.as_deref()
    }

    pub fn set_cookie(&mut self, cookie: Option<String>) {
        self.cookie = cookie;
    }

    pub async fn get(&mut self, path: &str) -> Result<Answer, String> {
        self.send("GET", path, String::new()).await
    }

    /// A server function call: `POST /api/{endpoint}` with a form body.
    pub async fn call(&mut self, endpoint: &str, form: String) -> Result<Answer, String> {
        self.send("POST", &format!("/api/{endpoint}"), form).await
    }

    async fn send(&mut self, method: &str, path: &str, body: String) -> Result<Answer, String> {
        let mut request = Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, &self.host)
            .header(header::ORIGIN, format!("http://{}", self.host));
        if method == "POST" {
            request = request.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        }
        if let Some(cookie) = &self.cookie {
            request = request.header(header::COOKIE, cookie);
        }
        let request = request
            .body(Full::new(Bytes::from(body)))
            .map_err(|e| e.to_string())?;
        self.sender.ready().await.map_err(|e| e.to_string())?;
        let response = self
            .sender
            .send_request(request)
            .await
            .map_err(|e| format!("{path}: {e}"))?;
        let status = response.status();
        for value in response.headers().get_all(header::SET_COOKIE) {
            let Ok(value) = value.to_str() else { continue };
            let pair = value.split(';').next().unwrap_or_default();
            if pair.contains("portcullis=") && !value.contains("Max-Age=0") {
                self.cookie = Some(pair.to_owned());
            }
        }
        let body = response
            .into_body()
            .collect()
            .await
            .map_err(|e| e.to_string())?
            .to_bytes();
        Ok(Answer { status, body })
    }
}

/// `a@b.c` as a form value.
pub fn form_value(text: &str) -> String {
    text.replace('%', "%25")
        .replace('@', "%40")
        .replace('+', "%2B")
        .replace(' ', "+")
        .replace('&', "%26")
        .replace('=', "%3D")
}
