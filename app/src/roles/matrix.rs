//! The permissions-by-page matrix: which roles open which pages, generated
//! from `model::page` and the organization's roles.

use crate::ui::table::{Column, DataTable, columns};
use leptos::prelude::*;
use leptos_meta::Title;

use crate::{error::AppError, model::page::PageMatrix};

/// Pages × roles for the caller's organization.
///
/// Permissions: an Administrator of the organization.
#[server(prefix = "/api", endpoint = "permissions_by_page")]
pub async fn permissions_by_page() -> Result<PageMatrix, AppError> {
    crate::principal::serve(|request| async move {
        let caller = request
            .caller()
            .await?
            .allowed(crate::model::policy::Action::Administer)?;
        let mut roles: Vec<_> = caller.snapshot.roles.iter().collect();
        roles.sort_by_key(|r| r.name.to_lowercase());
        Ok(PageMatrix::new(
            roles.into_iter().map(|r| (r.name.as_str(), r.permissions)),
        ))
    })
    .await
}

crate::ui::lazy::lazy_page!(
    /// The permissions-by-page matrix.
    MatrixRoute => MatrixPage
);

#[component]
pub fn MatrixPage() -> impl IntoView {
    let matrix = Resource::new(|| (), |_| permissions_by_page());
    view! {
        <Title text="Permissions by page" />
        <p><a href="/roles">"← Roles"</a></p>
        <div class="page-head">
            <h1>"Permissions by page"</h1>
        </div>
        <p class="muted">
            "Which pages the members of each role can open, from the permissions each page needs. "
            "Administrators open every page; Support User is a flag on the user, not a role."
        </p>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match matrix.await {
                    Ok(m) => view! { <MatrixTable m /> }.into_any(),
                    Err(e) => crate::layout::error_view(e),
                }
            })}
        </Transition>
    }
}

#[component]
fn MatrixTable(m: PageMatrix) -> impl IntoView {
    let csv = crate::ui::url::csv_download(&m.to_csv());
    let mut headings = columns(["Page", "Needs", "Administrator"]);
    headings.extend(m.roles.iter().cloned().map(Column::from));
    view! {
        <p>
            <a class="button button-secondary" href=csv download="permissions-by-page.csv">
                "Download as CSV"
            </a>
        </p>
        <DataTable columns=headings class="matrix" label="Permissions by page">
            {m.rows.into_iter().map(|row| view! {
                <tr>
                    <th scope="row">{row.page}</th>
                    <td>{row.needs}</td>
                    <td class="opens-yes">"yes"</td>
                    {row.cells.into_iter().map(|cell| {
                        let class = match cell {
                            crate::model::page::Opens::Yes => "opens-yes",
                            crate::model::page::Opens::No => "opens-no",
                            crate::model::page::Opens::SupportUsersOnly => "opens-some",
                        };
                        view! { <td class=class>{cell.label()}</td> }
                    }).collect_view()}
                </tr>
            }).collect_view()}
        </DataTable>
    }
}
