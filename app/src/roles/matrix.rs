//! The permissions-by-page matrix: which roles open which pages of the
//! billing platform and of this console, for a family's templates (seed
//! 001's "Role Permissions by Page") or the organization's own roles;
//! generated from `model::page` and the roles, on screen, as CSV and as a
//! PDF (`roles::pdf`).

use crate::ui::table::{Column, DataTable, columns};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{MatrixOf, MatrixView};
use crate::{
    error::AppError,
    model::page::{Opens, PageMatrix},
};

/// Pages × roles: of `of` (a `MatrixOf` key), or by default of the family
/// of the organization's service type.
///
/// Permissions: an Administrator of the organization.
#[server(prefix = "/api", endpoint = "permissions_by_page")]
pub async fn permissions_by_page(of: Option<String>) -> Result<MatrixView, AppError> {
    crate::principal::serve(|request| async move {
        let caller = request.caller().await?;
        let of = match of.as_deref().filter(|k| !k.is_empty()) {
            None => None,
            Some(key) => Some(MatrixOf::from_key(key).ok_or_else(|| {
                AppError::BadRequest("Choose a family of roles, or your own roles.".to_owned())
            })?),
        };
        let (of, matrix) = matrix_for(&request.state.pool, &caller, of).await?;
        Ok(MatrixView { of, matrix })
    })
    .await
}

/// The matrix `of` asks for (the service type's family by default), if
/// the caller may see it.
#[cfg(feature = "ssr")]
pub async fn matrix_for(
    pool: &sqlx::PgPool,
    caller: &crate::principal::Caller,
    of: Option<MatrixOf>,
) -> Result<(MatrixOf, PageMatrix), AppError> {
    use crate::model::{page::RoleGrant, policy::Action};
    caller.check(Action::Administer(caller.user.org))?;
    let of = match of {
        Some(of) => of,
        None => {
            let mut conn = pool.acquire().await?;
            let (service_type, _) = super::db::service_type(&mut conn, caller.user.org).await?;
            MatrixOf::Family(service_type.family())
        }
    };
    let matrix = match of {
        MatrixOf::Family(family) => PageMatrix::of_family(family),
        MatrixOf::OwnRoles => {
            let mut roles: Vec<_> = caller.snapshot.roles.iter().collect();
            roles.sort_by_key(|r| r.name.to_lowercase());
            PageMatrix::new(
                of.label(),
                roles.into_iter().map(|r| {
                    let grant = RoleGrant {
                        permissions: r.permissions,
                        withheld: r.withheld,
                    };
                    (r.name.as_str(), grant)
                }),
            )
        }
    };
    Ok((of, matrix))
}

/// The permissions-by-page matrix.
#[component]
pub fn MatrixPage() -> impl IntoView {
    let query = use_query_map();
    let of = Memo::new(move |_| query.with(|q| q.get("of")));
    let matrix = Resource::new(move || of.get(), permissions_by_page);
    view! {
        <Title text="Permissions by page" />
        <p><a href="/roles">"← Roles"</a></p>
        <div class="page-head">
            <h1>"Permissions by page"</h1>
        </div>
        <p class="muted">
            "Which pages the members of each role can open, on the billing platform and in this console, "
            "from the permissions each page needs. Administrators open every page; Support User is a flag "
            "on the user, not a role."
        </p>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match matrix.await {
                    Ok(view) => view! { <MatrixChoice current=view.of /> <MatrixTable m=view.matrix of=view.of /> }.into_any(),
                    Err(e) => crate::layout::error_view(e),
                }
            })}
        </Transition>
    }
}

/// The families and the organization's own roles, as links.
#[component]
fn MatrixChoice(current: MatrixOf) -> impl IntoView {
    view! {
        <nav class="console-nav" aria-label="Roles in the matrix">
            {MatrixOf::ALL.into_iter().map(|of| {
                let here = of == current;
                view! {
                    <a href=format!("/permissions-by-page?of={}", of.key()) class:current=here
                        aria-current=if here { Some("page") } else { None }>{of.label()}</a>
                }
            }).collect_view()}
        </nav>
    }
}

#[component]
fn MatrixTable(m: PageMatrix, of: MatrixOf) -> impl IntoView {
    let csv = crate::ui::url::csv_download(&m.to_csv());
    let file = format!("permissions-by-page-{}", of.key());
    let mut headings = columns(["Page", "Where", "Needs", "Administrator"]);
    headings.extend(m.roles.iter().cloned().map(Column::from));
    view! {
        <p class="actions">
            <a class="button button-secondary" href=csv download=format!("{file}.csv")>
                "Download as CSV"
            </a>
            <a class="button button-secondary" href=format!("/permissions-by-page.pdf?of={}", of.key())
                download=format!("{file}.pdf") rel="external">
                "Download as PDF"
            </a>
        </p>
        <DataTable columns=headings class="matrix" label="Permissions by page">
            {m.rows.into_iter().map(|row| view! {
                <tr>
                    <th scope="row">{row.page}</th>
                    <td>{row.site}</td>
                    <td>{row.needs}</td>
                    <td class="opens-yes">"yes"</td>
                    {row.cells.into_iter().map(|cell| {
                        let class = match cell {
                            Opens::Yes => "opens-yes",
                            Opens::No => "opens-no",
                            Opens::SupportUsersOnly => "opens-some",
                            Opens::Withheld => "opens-withheld",
                        };
                        view! { <td class=class>{cell.label()}</td> }
                    }).collect_view()}
                </tr>
            }).collect_view()}
        </DataTable>
    }
}
