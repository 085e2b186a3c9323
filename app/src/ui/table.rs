//! The console's one kind of table: column headings over rows, scrolling
//! sideways on a narrow screen rather than squeezing its columns. The
//! scrolling box takes focus so keyboard users can scroll it too.

use std::borrow::Cow;

use leptos::prelude::*;

/// One column heading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    label: Cow<'static, str>,
    /// Figures line up on the right.
    numeric: bool,
    /// `aria-sort` when the rows are ordered by this column.
    sort: Option<&'static str>,
    /// Read by screen readers only (a column of checkboxes).
    hidden: bool,
}

impl Column {
    pub fn new(label: impl Into<Cow<'static, str>>) -> Self {
        Column {
            label: label.into(),
            numeric: false,
            sort: None,
            hidden: false,
        }
    }

    /// A column of amounts or counts.
    pub fn numeric(label: &'static str) -> Self {
        Column {
            numeric: true,
            ..Column::new(label)
        }
    }

    /// A column whose heading only screen readers hear.
    pub fn hidden(label: &'static str) -> Self {
        Column {
            hidden: true,
            ..Column::new(label)
        }
    }

    /// Tells screen readers the rows are ordered by this column
    /// ("ascending" or "descending"), if they are.
    pub fn sorted(self, order: Option<&'static str>) -> Self {
        Column {
            sort: order,
            ..self
        }
    }
}

impl From<&'static str> for Column {
    fn from(label: &'static str) -> Self {
        Column::new(label)
    }
}

impl From<String> for Column {
    fn from(label: String) -> Self {
        Column::new(label)
    }
}

/// Columns from headings written as plain text, e.g. `columns(["Name", "Email"])`.
pub fn columns<const N: usize>(labels: [&'static str; N]) -> Vec<Column> {
    labels.into_iter().map(Column::from).collect()
}

/// A table with `columns` as its head and `children` (the `<tr>`s) as its body.
#[component]
pub fn DataTable(
    columns: Vec<Column>,
    /// The table's accessible name, where no heading names it.
    #[prop(optional)]
    label: Option<&'static str>,
    /// Extra classes for the table (e.g. "matrix").
    #[prop(optional)]
    class: &'static str,
    children: Children,
) -> impl IntoView {
    let class = if class.is_empty() {
        "data-table".to_owned()
    } else {
        format!("data-table {class}")
    };
    view! {
        <div class="table-wrap" tabindex="0">
            <table class=class aria-label=label>
                <thead>
                    <tr>
                        {columns.into_iter().map(|c| {
                            let class = c.numeric.then_some("numeric");
                            if c.hidden {
                                view! { <th scope="col" class=class aria-sort=c.sort><span class="visually-hidden">{c.label}</span></th> }.into_any()
                            } else {
                                view! { <th scope="col" class=class aria-sort=c.sort>{c.label}</th> }.into_any()
                            }
                        }).collect_view()}
                    </tr>
                </thead>
                <tbody>{children()}</tbody>
            </table>
        </div>
    }
}
