//! The Help Center's pages: the list and search at `/help?q=…`, and an
//! article at `/help/{slug}`.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{
    components::Form,
    hooks::{use_params_map, use_query_map},
};

use super::{
    HelpHit,
    api::{help_article, search_help},
};
use crate::{
    error::AppError,
    layout::error_view,
    model::help::{Article, Block},
};

/// The Help Center: every article, or those a search finds.
#[component]
pub fn HelpPage() -> impl IntoView {
    let query = use_query_map();
    let q = Memo::new(move |_| query.with(|q| q.get("q").unwrap_or_default()));
    let results = Resource::new(move || q.get(), search_help);
    view! {
        <Title text="Help Center" />
        <div class="page-head"><h1>"Help Center"</h1></div>
        <Form method="GET" action="/help" attr:class="filters" attr:role="search">
            <div class="field">
                <label for="help-q">"Search the Help Center"</label>
                <input id="help-q" type="search" name="q" prop:value=move || q.get()
                    placeholder="e.g. locked out" />
            </div>
            <button type="submit" class="button">"Search"</button>
        </Form>
        <Transition fallback=|| view! { <p class="muted">"Searching…"</p> }>
            {move || Suspend::new(async move {
                match results.await {
                    Ok(results) => {
                        let heading = if results.query.is_empty() {
                            "All articles".to_owned()
                        } else {
                            format!("{} for “{}”", found(results.hits.len()), results.query)
                        };
                        view! {
                            <section aria-labelledby="help-results-heading">
                                <h2 id="help-results-heading" aria-live="polite">{heading}</h2>
                                {results.hits.is_empty().then(|| view! {
                                    <p>"No article has these words. Try fewer or other words, or "
                                    <a href="/help">"see every article"</a>"."</p>
                                })}
                                <ul class="help-list">
                                    {results.hits.into_iter().map(|hit| view! { <HitItem hit new_tab=false /> }).collect_view()}
                                </ul>
                            </section>
                        }.into_any()
                    }
                    Err(e) => error_view(e),
                }
            })}
        </Transition>
    }
}

fn found(n: usize) -> String {
    match n {
        0 => "No articles".to_owned(),
        1 => "1 article".to_owned(),
        n => format!("{n} articles"),
    }
}

/// One found article: its title as a link, and where the words matched
/// (or its summary). From the ticket form it opens in a new tab, so the
/// ticket being written stays.
#[component]
pub fn HitItem(hit: HelpHit, new_tab: bool) -> impl IntoView {
    let text = if hit.excerpt.is_empty() {
        view! { <p class="muted">{hit.summary}</p> }.into_any()
    } else {
        view! {
            <p class="muted">
                "… "
                {hit.excerpt.into_iter().map(|(run, matched)| {
                    if matched { view! { <mark>{run}</mark> }.into_any() } else { run.into_any() }
                }).collect_view()}
                " …"
            </p>
        }
        .into_any()
    };
    let href = format!("/help/{}", hit.slug);
    view! {
        <li>
            {if new_tab {
                view! {
                    <a href=href target="_blank" rel="noopener">
                        {hit.title}<span class="visually-hidden">" (opens in a new tab)"</span>
                    </a>
                }.into_any()
            } else {
                view! { <a href=href>{hit.title}</a> }.into_any()
            }}
            {text}
        </li>
    }
}

/// One Help Center article.
#[component]
pub fn HelpArticlePage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.with(|p| p.get("slug").unwrap_or_default());
    let article = Resource::new(slug, help_article);
    view! {
        <p><a href="/help">"← Help Center"</a></p>
        <Transition fallback=|| view! { <p class="muted">"Loading the article…"</p> }>
            {move || Suspend::new(async move {
                match article.await {
                    Ok(article) => view! { <ArticleView article /> }.into_any(),
                    Err(AppError::NotFound) => view! {
                        <Title text="Article not found" />
                        <section class="card"><h1>"Article not found"</h1>
                        <p>"There is no such article. "<a href="/help">"Search the Help Center"</a>"."</p></section>
                    }
                    .into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Transition>
    }
}

#[component]
fn ArticleView(article: Article) -> impl IntoView {
    view! {
        <Title text=article.title.clone() />
        <article class="card help-article">
            <h1>{article.title}</h1>
            <p class="lead">{article.summary}</p>
            {article.blocks.into_iter().map(|block| match block {
                Block::Heading(text) => view! { <h2>{text}</h2> }.into_any(),
                Block::Paragraph(text) => view! { <p>{text}</p> }.into_any(),
                Block::List(items) => view! {
                    <ul>{items.into_iter().map(|item| view! { <li>{item}</li> }).collect_view()}</ul>
                }.into_any(),
            }).collect_view()}
        </article>
        <p class="muted">"Not answered here? Open Support to ask your Administrators or open a ticket."</p>
    }
}
