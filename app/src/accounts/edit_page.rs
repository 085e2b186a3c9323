//! Edit Account: settings, password links and Switch to account with Full
//! Access ("Full Access Not Available" otherwise), API keys, and the
//! account's support tickets and claims as far as the access reaches.

use crate::model::ids::{ClaimId, OrgId};
use crate::ui::table::{Column, DataTable, columns};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{
    AccountDetail, AccountUser, FULL_ACCESS_NOT_AVAILABLE, SWITCH_NEEDS_TWO_FACTOR,
    api::{SaveAccountSettings, SendPasswordLink, account_claims, load_account},
};
use crate::{
    api_keys::{
        ApiKeyRow,
        api::{CreateApiKey, RevokeApiKey},
    },
    error::AppError,
    model::{account::AccountSettings, claim::money, policy::VendorNeed, validation::Field},
    ui::{
        confirm::ConfirmSubmit,
        form::{TextField, any_error, field_errors, form_error, server_field_errors, successes},
    },
};

/// Edit Account.
#[component]
pub fn AccountPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<OrgId>().ok()));
    let save = ServerAction::<SaveAccountSettings>::new();
    let link = ServerAction::<SendPasswordLink>::new();
    // Outside the account's view, which each reload rebuilds: a new key's
    // answer (shown once) must outlive the reload it causes.
    let keys = KeyActions {
        create: ServerAction::<CreateApiKey>::new(),
        revoke: ServerAction::<RevokeApiKey>::new(),
    };
    let reloads = RwSignal::new(0);
    let (saved, created, revoked) = (
        successes(save.value()),
        successes(keys.create.value()),
        successes(keys.revoke.value()),
    );
    let account = Resource::new(
        move || {
            (
                id(),
                saved.get(),
                created.get(),
                revoked.get(),
                reloads.get(),
            )
        },
        |(id, ..)| async move {
            match id {
                Some(id) => load_account(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Title text="Edit Account" />
        <p><a href="/accounts">"← Manage Accounts"</a></p>
        <Transition fallback=|| view! { <p class="muted">"Loading the account…"</p> }>
            {move || Suspend::new(async move {
                match account.await {
                    Ok(detail) => view! { <Account detail save link keys reloads /> }.into_any(),
                    Err(AppError::NotFound) => view! {
                        <section class="card"><h1>"Account not found"</h1>
                        <p>"No such account is linked to your vendor."</p></section>
                    }
                    .into_any(),
                    Err(e) => crate::layout::error_view(e),
                }
            })}
        </Transition>
    }
}

#[component]
fn Account(
    detail: AccountDetail,
    save: ServerAction<SaveAccountSettings>,
    link: ServerAction<SendPasswordLink>,
    keys: KeyActions,
    reloads: RwSignal<i32>,
) -> impl IntoView {
    let account = detail.account;
    let id = account.id;
    let tier = account.tier;
    let reaches = |need: VendorNeed| tier >= need.tier();
    let sees_tickets = reaches(VendorNeed::Ticket {
        help_requested: true,
    });
    let tickets = if sees_tickets {
        let reach = if reaches(VendorNeed::Ticket {
            help_requested: false,
        }) {
            "You see every support ticket of the account, and the claims they reference."
        } else {
            "You see the support tickets where the account asked for your help, and the claims they reference."
        };
        view! {
            <p>{reach}</p>
            <p><a class="button button-secondary" href=format!("/support?account={id}")>"Support tickets"</a></p>
        }
        .into_any()
    } else {
        view! { <p class="muted">"No Access: you see none of this account's tickets or claims."</p> }.into_any()
    };
    let claims = reaches(VendorNeed::Claims).then(|| view! { <AccountClaims customer=id /> });
    let switch = if !detail.may_administer {
        view! {
            <p class="notice"><strong>{FULL_ACCESS_NOT_AVAILABLE}</strong>
            ". Switching to the account, changing its settings and sending password links need Full Access, "
            "which only the account's Administrators can grant."</p>
        }
        .into_any()
    } else if !detail.second_factor {
        view! { <p class="notice">{SWITCH_NEEDS_TWO_FACTOR}" "<a href="/two-factor">"Set it up"</a></p> }.into_any()
    } else {
        // A plain form: switching changes the whole page's context, so the
        // browser loads the start page anew.
        view! {
            <form method="post" action="/api/switch_to_account">
                <input type="hidden" name="customer_id" value=id.to_string() />
                <button type="submit" class="button">"Switch to account"</button>
            </form>
        }
        .into_any()
    };
    let query = use_query_map();
    let added = move || query.with(|q| q.get("added").is_some());
    view! {
        <div class="page-head">
            <div class="title-row">
                <h1>{account.name.clone()}</h1>
                <span class="badge" data-testid="tier-badge">{tier.label()}</span>
            </div>
        </div>
        <Show when=added>
            <p class="success" role="status">
                "The account has been added, with Full Access for your vendor. An invitation is on its way "
                "to its first Administrator's email."
            </p>
        </Show>
        <section class="card" aria-labelledby="account-access-heading">
            <h2 id="account-access-heading">"Edit Account"</h2>
            <p>"Vendor Access: " <strong>{account.described}</strong></p>
            <p class="muted">{tier.description()}</p>
            {switch}
            {tickets}
        </section>
        <Settings customer=id settings=detail.settings version=detail.version editable=detail.may_administer save reloads />
        {detail.may_administer.then(|| view! { <PasswordLink customer=id users=detail.users link /> })}
        {detail.may_administer.then(|| view! { <ApiKeys customer=id list=detail.api_keys actions=keys /> })}
        {claims}
    }
}

#[component]
fn Settings(
    customer: OrgId,
    settings: AccountSettings,
    version: i32,
    editable: bool,
    save: ServerAction<SaveAccountSettings>,
    reloads: RwSignal<i32>,
) -> impl IntoView {
    let result = save.value();
    let kinds_error = move || {
        server_field_errors(result)().and_then(|e| e.get(Field::ClaimKinds).map(str::to_owned))
    };
    let failed = form_error(result);
    let saved = move || match result.get() {
        Some(Ok(m)) => Some(m),
        _ => None,
    };
    let boxes = [
        (
            "transmit_approval_required",
            "Transmit Approval Required",
            settings.transmit_approval_required,
        ),
        (
            "professional_claims",
            "Professional claims",
            settings.professional_claims,
        ),
        (
            "institutional_claims",
            "Institutional claims",
            settings.institutional_claims,
        ),
        ("dental_claims", "Dental claims", settings.dental_claims),
    ];
    view! {
        <section class="card" aria-labelledby="account-settings-heading">
            <h2 id="account-settings-heading">"Account settings"</h2>
            <ActionForm action=save>
                <input type="hidden" name="customer_id" value=customer.to_string() />
                <input type="hidden" name="version" value=version />
                <fieldset class="checks" disabled=!editable>
                    <legend class="visually-hidden">"Account settings"</legend>
                    {boxes.into_iter().map(|(name, label, checked)| {
                        let input_id = format!("account-{name}");
                        view! {
                            <div class="check">
                                <input id=input_id.clone() type="checkbox" name=name checked=checked />
                                <label for=input_id>{label}</label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <p class="field-error" role="alert">{kinds_error}</p>
                {editable.then(|| view! { <button type="submit" class="button">"Save settings"</button> })}
                {(!editable).then(|| view! { <p class="muted">"Read-only: changing settings needs Full Access."</p> })}
                <p class="success" role="status">{saved}</p>
                {move || failed().filter(|_| kinds_error().is_none()).map(|m| view! {
                    <p class="error" role="alert">{m}" "
                        <button type="button" class="button button-secondary button-small"
                            on:click=move |_| reloads.update(|n| *n += 1)>"Reload"</button>
                    </p>
                })}
            </ActionForm>
        </section>
    }
}

#[component]
fn PasswordLink(
    customer: OrgId,
    users: Vec<AccountUser>,
    link: ServerAction<SendPasswordLink>,
) -> impl IntoView {
    let result = link.value();
    let failed = any_error(result);
    let sent = move || match result.get() {
        Some(Ok(m)) => Some(m),
        _ => None,
    };
    view! {
        <section class="card" aria-labelledby="password-link-heading">
            <h2 id="password-link-heading">"Reset a password"</h2>
            <ActionForm action=link attr:class="inline-form">
                <input type="hidden" name="customer_id" value=customer.to_string() />
                <label for="password-link-user">"User"</label>
                <select id="password-link-user" name="user_id">
                    {users.into_iter().map(|u| view! {
                        <option value=u.id.to_string()>{format!("{} <{}>", u.name, u.email)}</option>
                    }).collect_view()}
                </select>
                <button type="submit" class="button button-small">"Send password link"</button>
            </ActionForm>
            <p class="success" role="status">{sent}</p>
            {move || failed().map(|m| view! { <p class="error" role="alert">{m}</p> })}
        </section>
    }
}

#[derive(Clone, Copy)]
struct KeyActions {
    create: ServerAction<CreateApiKey>,
    revoke: ServerAction<RevokeApiKey>,
}

#[component]
fn ApiKeys(customer: OrgId, list: Vec<ApiKeyRow>, actions: KeyActions) -> impl IntoView {
    let KeyActions { create, revoke } = actions;
    let keys = list;
    let created = create.value();
    let name_error = field_errors(created)(Field::KeyName);
    let create_failed = form_error(created);
    let revoked = revoke.value();
    let revoke_failed = any_error(revoked);
    view! {
        <section class="card" aria-labelledby="api-keys-heading">
            <h2 id="api-keys-heading">"API keys"</h2>
            <p class="muted">
                "Your software reads this account through the vendor API with a key: "
                <code>"Authorization: Bearer pk_…"</code>". A key is shown once. The API is described in "
                <a href="/api/v1/openapi.json" rel="external">"its OpenAPI document"</a>"."
            </p>
            {if keys.is_empty() {
                view! { <p class="muted">"No key yet."</p> }.into_any()
            } else {
                view! {
                    <DataTable columns=columns(["Name", "Key", "Created", "Last used", "Status"])>
                        {keys.into_iter().map(|k| {
                            let revoke_label = format!("Revoke {}", k.name);
                            let revoke_question = format!("Revoke the key “{}”? Software using it stops working at once.", k.name);
                            let status = match k.revoked {
                                Some(when) => view! { <span>{format!("Revoked {when}")}</span> }.into_any(),
                                None => view! {
                                    <ActionForm action=revoke attr:class="inline-form">
                                        <input type="hidden" name="customer_id" value=customer.to_string() />
                                        <input type="hidden" name="key_id" value=k.id.to_string() />
                                        <ConfirmSubmit label="Revoke" aria_label=revoke_label
                                            class="button button-secondary button-small"
                                            question=revoke_question
                                            confirm="Revoke key" />
                                    </ActionForm>
                                }.into_any(),
                            };
                            view! {
                                <tr>
                                    <th scope="row">{k.name}</th>
                                    <td><code>{format!("{}…", k.prefix)}</code></td>
                                    <td>{format!("{} by {}", k.created, k.created_by)}</td>
                                    <td>{k.last_used.unwrap_or_else(|| "Never".to_owned())}</td>
                                    <td>{status}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </DataTable>
                }
                .into_any()
            }}
            {move || match revoked.get() {
                Some(Ok(m)) => Some(view! { <p class="success" role="status">{m}</p> }.into_any()),
                _ => revoke_failed().map(|m| view! { <p class="error" role="alert">{m}</p> }.into_any()),
            }}
            <ActionForm action=create>
                <input type="hidden" name="customer_id" value=customer.to_string() />
                {move || create_failed().filter(|_| name_error.get().is_none())
                    .map(|m| view! { <p class="error" role="alert">{m}</p> })}
                <TextField id="api-key-name" name="name" label="Key name" autocomplete="off" error=name_error />
                <button type="submit" class="button">"Generate API key"</button>
            </ActionForm>
            {move || match created.get() {
                Some(Ok(new)) => Some(view! {
                    <div class="notice" role="status">
                        <p>{format!("Your new key “{}” — copy it now, it is not shown again:", new.name)}</p>
                        <p><code class="secret" data-testid="new-api-key">{new.key}</code></p>
                    </div>
                }),
                _ => None,
            }}
        </section>
    }
}

#[component]
fn AccountClaims(customer: OrgId) -> impl IntoView {
    let query = use_query_map();
    let after =
        Memo::new(move |_| query.with(|q| q.get("after").and_then(|v| v.parse::<ClaimId>().ok())));
    let page = Resource::new(
        move || after.get(),
        move |after| account_claims(customer, after),
    );
    view! {
        <section class="card" aria-labelledby="account-claims-heading">
            <h2 id="account-claims-heading">"Claims"</h2>
            <Transition fallback=|| view! { <p class="muted">"Loading claims…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(page) if page.claims.is_empty() => {
                            view! { <p class="muted">"This account has no claims yet."</p> }.into_any()
                        }
                        Ok(page) => {
                            let next = page.next_after.map(|a| view! {
                                <p><a class="button button-secondary" href=format!("/accounts/{customer}?after={a}")>"Older claims"</a></p>
                            });
                            view! {
                                <DataTable columns=vec!["Claim".into(), "Patient".into(), "Service date".into(), Column::numeric("Amount"), "Status".into()]>
                                    {page.claims.into_iter().map(|c| view! {
                                        <tr>
                                            <th scope="row">{c.number}</th>
                                            <td>{c.patient}</td>
                                            <td>{c.service_date}</td>
                                            <td class="numeric">{money(c.amount_cents)}</td>
                                            <td>{c.status.label()}</td>
                                        </tr>
                                    }).collect_view()}
                                </DataTable>
                                {next}
                            }
                            .into_any()
                        }
                        Err(e) => crate::layout::error_view(e),
                    }
                })}
            </Transition>
        </section>
    }
}
