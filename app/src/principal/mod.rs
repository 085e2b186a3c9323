//! Who is calling, resolved once per request: the session and its
//! sign-in (`session`), the principal the policy judges (`Caller`: a
//! session user, or vendor staff switched into a customer's account) and
//! the request a server function serves (`Request`, `serve`). The vendor
//! API's key holder is the principal of its own routes (`api_keys::rest`).
//!
//! Security-sensitive: every decision starts here, deny by default.

pub mod actor;
mod caller;
mod request;
pub mod session;

pub use actor::Actor;
pub use caller::Caller;
pub use request::{Request, serve};
