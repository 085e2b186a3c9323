//! What a server function knows of the request it serves, read once before
//! its first wait and passed on explicitly: the data layer never reads the
//! reactive context, which a server function run while a page renders keeps
//! only until it first waits.
//!
//! Every server function is `serve(|request| …)`: the body gets the
//! [`Request`], resolves its principal from it (`request.caller()`), and any
//! fault it meets is logged in a span naming the request and answered with
//! the request's id as its reference.

use std::{future::Future, net::SocketAddr};

use axum::{extract::ConnectInfo, http::request::Parts};
use chrono::Utc;
use leptos::prelude::use_context;
use tower_sessions::Session;
use tracing::Instrument;

use super::{
    Caller,
    session::{self, SignIn},
};
use crate::{error::AppError, model::user::User, request_id::RequestId, state::AppState};

/// One server function's request: the shared state, its id, its session
/// and the client's address.
pub struct Request {
    pub state: AppState,
    pub id: RequestId,
    session: Option<Session>,
    /// The caller's address as the socket saw it ("unknown" when not
    /// served over a socket, as in tests). A proxy in front makes this the
    /// proxy.
    pub client: String,
}

impl Request {
    /// The request this server function serves. Outside a request (when
    /// the router renders the app once to list its routes, resources start
    /// their server functions too) there is none: that is an error, not a
    /// panic, and nobody waits for its answer.
    fn current() -> Result<Self, AppError> {
        let state = use_context::<AppState>().ok_or_else(|| AppError::Internal {
            reference: "outside-a-request".to_owned(),
        })?;
        let parts = use_context::<Parts>();
        let client = parts
            .as_ref()
            .and_then(|parts| parts.extensions.get::<ConnectInfo<SocketAddr>>())
            .map_or_else(
                || "unknown".to_owned(),
                |ConnectInfo(addr)| addr.ip().to_string(),
            );
        Ok(Self {
            state,
            id: parts
                .as_ref()
                .map_or_else(RequestId::default, |parts| RequestId::of(&parts.headers)),
            // Installed by the server's session layer.
            session: parts.and_then(|parts| parts.extensions.get::<Session>().cloned()),
            client,
        })
    }

    /// The request's session.
    pub fn session(&self) -> Result<&Session, AppError> {
        self.session
            .as_ref()
            .ok_or_else(|| AppError::internal("no session layer in front of a server function"))
    }

    /// The signed-in caller, resolved once: see [`Caller`].
    pub async fn caller(&self) -> Result<Caller, AppError> {
        Caller::of_request(self).await
    }

    /// The signed-in person alone, for what concerns only themselves (their
    /// profile, their password): `Unauthorized` for anyone else.
    pub async fn user(&self) -> Result<User, AppError> {
        session::signed_in_user(&self.state, self.session()?, Utc::now())
            .await?
            .ok_or(AppError::Unauthorized)
    }

    /// The session's sign-in, complete or waiting for its second factor.
    pub async fn sign_in(&self) -> Result<Option<SignIn>, AppError> {
        session::sign_in(&self.state, self.session()?, Utc::now()).await
    }
}

/// Runs a server function's body for the request it serves: the request is
/// read first, the body's faults are logged in its span, and an internal
/// fault's reference is the request's id.
pub async fn serve<T, Body>(body: impl FnOnce(Request) -> Body) -> Result<T, AppError>
where
    Body: Future<Output = Result<T, AppError>>,
{
    let request = Request::current()?;
    let id = request.id.clone();
    let span = id.span();
    body(request)
        .instrument(span)
        .await
        .map_err(|error| error.referenced(&id))
}
