//! The one way a request asks the policy: authenticate, load the caller's
//! organization, and check the action with `model::policy::can`. Server
//! functions ask their request (`request.caller()`); plain axum handlers
//! take a `Caller` as an extractor. Deny by default: any failure on the way
//! is a refusal.

use std::sync::Arc;

use axum::{
    extract::FromRequestParts,
    http::request::Parts,
    response::{IntoResponse, Response},
};
use chrono::Utc;
use sqlx::PgConnection;
use tower_sessions::Session;

use super::{Actor, Request, session};
use crate::{
    error::{AppError, Found},
    model::{
        access::{
            CompanyScope, EffectiveAccess, OrgIndex, OrgSnapshot, UserTarget, effective_access,
        },
        ids::{CompanyId, OrgId, UserId},
        org::{Company, OrgKind, Organization},
        policy::{Action, Denied, VendorNeed, can, switched_access},
        user::User,
    },
    org::{
        cache::{snapshot as cached_snapshot, snapshot_at},
        db::load_user,
        switches,
    },
    request_id::RequestId,
    state::AppState,
};

/// The caller of a plain axum handler (the audit CSV export), resolved as
/// a server function's is, from the request's own session and id; a
/// refusal answers with its status and message.
impl FromRequestParts<AppState> for Caller {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let request = RequestId::of(&parts.headers);
        let refuse = |error: AppError| error.referenced(&request).into_response();
        let session = Session::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let (user, version) = session::signed_in(state, &session, Utc::now())
            .await
            .map_err(refuse)?
            .ok_or_else(|| refuse(AppError::Unauthorized))?;
        Self::resolve(
            state,
            (user, Some(version)),
            session,
            request.clone(),
            Lapsed::Refuse,
        )
        .await
        .map_err(refuse)
    }
}

/// What a request does when the switch its session names no longer counts.
#[derive(PartialEq, Eq)]
enum Lapsed {
    /// Describe the vendor's own account ([`Caller::lapsed_switch`] says why).
    Continue,
    /// Refuse: the request was meant for the customer's account.
    Refuse,
}

/// The principal of a request: the signed-in caller with their
/// organization and what the policy lets them do in it, read once per
/// request. Resolving it changes nothing: no audit, no session write.
///
/// Vendor staff switched into a customer's account (with Full Access) act
/// as that account's Administrators: `user.org` and `snapshot` are then the
/// customer's, so every function scopes to it unchanged, `access.via_vendor`
/// names the vendor, and every audit event of the request is labelled with
/// it ([`Caller::actor`]).
pub struct Caller {
    pub user: User,
    pub snapshot: Arc<OrgSnapshot>,
    pub access: EffectiveAccess,
    /// While switched in: the vendor's own organization.
    pub vendor: Option<Organization>,
    /// The switch into a customer's account that the session still names
    /// though it no longer counts (ended, or the grant is too low now).
    pub lapsed_switch: Option<session::Switch>,
    /// The request's session, taken before the first query.
    pub session: Session,
    /// The request, for its audit events ([`Caller::actor`]).
    pub request: RequestId,
}

impl Caller {
    /// Authenticates the request and reads the caller's organization.
    /// A request whose switch into a customer's account no longer counts
    /// is refused (`SwitchLapsed`): it was meant for the customer's
    /// account, and must not act in the vendor's own instead.
    pub async fn of_request(request: &Request) -> Result<Self, AppError> {
        let (user, version, session) = Self::authenticate(request).await?;
        Self::resolve(
            &request.state,
            (user, Some(version)),
            session,
            request.id.clone(),
            Lapsed::Refuse,
        )
        .await
    }

    /// The signed-in `user`, to describe them (who am I): a switch that no
    /// longer counts is described as the vendor's own account, with
    /// [`Caller::lapsed_switch`] set.
    pub async fn describe(request: &Request, user: User) -> Result<Self, AppError> {
        let session = request.session()?.clone();
        Self::resolve(
            &request.state,
            (user, None),
            session,
            request.id.clone(),
            Lapsed::Continue,
        )
        .await
    }

    async fn authenticate(request: &Request) -> Result<(User, i64, Session), AppError> {
        let session = request.session()?.clone();
        match session::signed_in(&request.state, &session, Utc::now()).await? {
            Some((user, version)) => Ok((user, version, session)),
            None => Err(AppError::Unauthorized),
        }
    }

    /// `user` with their organization's `access_version` when it was read
    /// with them (saving a round trip).
    async fn resolve(
        state: &AppState,
        (user, version): (User, Option<i64>),
        session: Session,
        request: RequestId,
        lapsed: Lapsed,
    ) -> Result<Self, AppError> {
        let mut conn = state.pool.acquire().await?;
        let snapshot = match version {
            Some(version) => snapshot_at(&state.snapshots, &mut conn, user.org, version).await,
            None => cached_snapshot(&state.snapshots, &mut conn, user.org).await,
        }
        .found()?;
        let now = Utc::now();
        let mut lapsed_switch = None;
        if snapshot.org.kind == OrgKind::Vendor
            && let Some(switch) = session::switch(&session).await?
        {
            let open = switches::is_open(&mut conn, switch.id, user.id).await?;
            let customer = match open {
                true => cached_snapshot(&state.snapshots, &mut conn, switch.customer).await?,
                false => None,
            };
            let switched = customer.and_then(|customer| {
                let access = switched_access(
                    &user,
                    &OrgIndex::new(&snapshot),
                    &OrgIndex::new(&customer),
                    now,
                )?;
                Some((customer, access))
            });
            if let Some((customer, access)) = switched {
                return Ok(Self {
                    user: User {
                        org: customer.org.id,
                        ..user
                    },
                    snapshot: customer,
                    access,
                    vendor: Some(snapshot.org.clone()),
                    lapsed_switch: None,
                    session,
                    request,
                });
            }
            if lapsed == Lapsed::Refuse {
                return Err(AppError::Forbidden(Denied::SwitchLapsed));
            }
            lapsed_switch = Some(switch);
        }
        let access = effective_access(&user, &OrgIndex::new(&snapshot), now);
        Ok(Self {
            user,
            snapshot,
            access,
            vendor: None,
            lapsed_switch,
            session,
            request,
        })
    }

    /// The caller as their audit events name them, acting in no particular
    /// company; while switched into a customer's account, labelled with
    /// their vendor.
    pub fn actor(&self) -> Actor {
        Actor {
            acting_vendor: self.access.via_vendor,
            ..Actor::user(&self.user, &self.request)
        }
    }

    /// The caller acting in `company`.
    pub fn actor_in(&self, company: Option<CompanyId>) -> Actor {
        Actor {
            acting_company: company,
            ..self.actor()
        }
    }

    /// Vendor staff acting in a linked customer's account from their own
    /// console, labelled with their vendor in the customer's log.
    pub fn vendor_staff_actor(&self) -> Actor {
        Actor::vendor_staff(&self.user, &self.request)
    }

    /// The platform's staff acting in another organization (from the
    /// console, the support desk): its log labels them with the platform,
    /// and the platform's own log lists their events too.
    pub fn platform_actor(&self) -> Actor {
        Actor::vendor_staff(&self.user, &self.request)
    }

    /// `Forbidden` unless the caller is the platform's staff (`RunPlatform`:
    /// its Administrators); the caller then.
    pub fn platform(self, run: bool) -> Result<Self, AppError> {
        self.check(if run {
            Action::RunPlatform
        } else {
            Action::PlatformConsole
        })?;
        Ok(self)
    }

    /// The company the request acts in: the session's choice while the
    /// policy allows it, else the user's default; `None` if none at all.
    /// Read only by the functions that need it, so the rest never touch
    /// the session's data.
    pub async fn acting(&self) -> Result<Option<CompanyId>, AppError> {
        let chosen = session::chosen_company(&self.session).await?;
        Ok(self
            .access
            .acting_company(&OrgIndex::new(&self.snapshot), chosen))
    }

    /// The company the request acts in, or `Forbidden` for a user with none.
    pub async fn acting_company(&self) -> Result<&Company, AppError> {
        let acting = self.acting().await?;
        acting
            .and_then(|id| self.snapshot.companies.iter().find(|c| c.id == id))
            .ok_or(AppError::Forbidden(Denied::NotInCompany))
    }

    /// The caller, if the policy allows them `action` in their own
    /// organization (`Action::Administer`, `Action::SeeLinkedAccounts`, …);
    /// else `Forbidden` with the policy's reason.
    pub fn allowed(self, action: fn(OrgId) -> Action<'static>) -> Result<Self, AppError> {
        self.check(action(self.user.org))?;
        Ok(self)
    }

    /// `Forbidden`, with the policy's reason, unless the policy allows `action`.
    pub fn check(&self, action: Action<'_>) -> Result<(), AppError> {
        can(&self.access, action).map_err(AppError::Forbidden)
    }

    /// Whether the policy allows `action` (for what the UI offers).
    pub fn may(&self, action: Action<'_>) -> bool {
        can(&self.access, action).is_ok()
    }

    /// Vendor staff reaching into a customer account: `NotFound` unless the
    /// caller's vendor is linked to `customer` (so other ids reveal
    /// nothing), then `Forbidden` unless the customer's grant covers `need`.
    pub fn vendor_reach(&self, customer: OrgId, need: VendorNeed) -> Result<(), AppError> {
        if self.access.vendor_tier(customer).is_none() {
            return Err(AppError::NotFound);
        }
        self.check(Action::VendorReach { customer, need })
    }

    /// Vendor staff reaching one item of a linked account (a ticket):
    /// `NotFound` whenever the grant does not cover `need`, so a refusal
    /// never confirms that the item exists. The tier's reason is for the
    /// pages the vendor may open ([`Caller::vendor_reach`]).
    pub fn vendor_reach_item(&self, customer: OrgId, need: VendorNeed) -> Result<(), AppError> {
        self.vendor_reach(customer, need)
            .map_err(|error| match error {
                AppError::Forbidden(_) => AppError::NotFound,
                other => other,
            })
    }

    /// Whose events the caller reads in the audit log, if the policy lets
    /// them read it at all: their organization's, and for a vendor also
    /// its staff's events in customers' logs.
    pub fn audit_scope(&self) -> Result<crate::audit::Scope, AppError> {
        self.check(Action::SeeAudit(self.user.org))?;
        Ok(crate::audit::Scope {
            org: self.user.org,
            vendor: matches!(self.snapshot.org.kind, OrgKind::Vendor | OrgKind::Platform)
                .then_some(crate::model::ids::VendorId(self.user.org.0)),
        })
    }

    /// The companies whose users the caller sees on the Users page: `None`
    /// for all of them (Administrators), else the ids a target must share.
    pub fn user_scope(&self) -> Option<Vec<i64>> {
        match &self.access.companies {
            CompanyScope::All(_) => None,
            CompanyScope::Listed(ids) => Some(ids.iter().map(|id| id.0).collect()),
        }
    }

    /// A user of the caller's organization, and how the policy judges them;
    /// `NotFound` for anyone else, so ids of other organizations reveal
    /// nothing.
    pub async fn target(
        &self,
        conn: &mut PgConnection,
        user_id: UserId,
    ) -> Result<(User, UserTarget), AppError> {
        let user = load_user(conn, user_id)
            .await?
            .filter(|u| u.org == self.user.org)
            .ok_or(AppError::NotFound)?;
        let target = UserTarget::of(&user, &OrgIndex::new(&self.snapshot));
        Ok((user, target))
    }

    /// `Forbidden` unless the caller may open the Users page at all; then
    /// like [`Caller::target`], `NotFound` unless the caller may see the
    /// user (hiding whether they exist), and `Forbidden` unless `action`
    /// is allowed on them.
    pub async fn reach(
        &self,
        conn: &mut PgConnection,
        user_id: UserId,
        action: fn(&UserTarget) -> Action<'_>,
    ) -> Result<(User, UserTarget), AppError> {
        self.check(Action::SeeUsers(self.user.org))?;
        let user = load_user(conn, user_id).await?;
        let target = self.judge(user.as_ref(), action)?;
        // Judged: a missing user was refused.
        let user = user.ok_or(AppError::NotFound)?;
        Ok((user, target))
    }

    /// [`Caller::reach`]'s judgement of a user already read (with more of
    /// their row, in one statement): none, or one of another organization,
    /// is `NotFound` like one the caller may not see.
    pub fn judge(
        &self,
        user: Option<&User>,
        action: fn(&UserTarget) -> Action<'_>,
    ) -> Result<UserTarget, AppError> {
        self.check(Action::SeeUsers(self.user.org))?;
        let user = user
            .filter(|u| u.org == self.user.org)
            .ok_or(AppError::NotFound)?;
        let target = UserTarget::of(user, &OrgIndex::new(&self.snapshot));
        if !self.may(Action::SeeUser(&target)) {
            return Err(AppError::NotFound);
        }
        self.check(action(&target))?;
        Ok(target)
    }

    /// [`Caller::reach`] for a page that only reads: the user, if the
    /// caller may see them.
    pub async fn see(&self, pool: &sqlx::PgPool, user_id: UserId) -> Result<User, AppError> {
        let mut conn = pool.acquire().await?;
        let (user, _) = self
            .reach(&mut conn, user_id, |t| Action::SeeUser(t))
            .await?;
        Ok(user)
    }
}
