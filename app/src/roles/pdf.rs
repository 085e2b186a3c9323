//! The permissions-by-page matrix as a PDF (seed 001: "Download the PDF
//! below for a complete list of … roles and the pages they can access"),
//! made on the server: `GET /permissions-by-page.pdf?family=…`, with the
//! same matrix, and the same permission, as the page and its CSV.

use axum::{
    Router,
    extract::{Query, State},
    http::header,
    response::{IntoResponse, Response},
    routing::get,
};
use pdf_writer::{Content, Name, Pdf, Rect, Ref, Str, TextStr};
use serde::Deserialize;

use super::{MatrixOf, matrix::matrix_for};
use crate::{error::AppError, model::page::PageMatrix, principal::Caller, state::AppState};

/// The PDF's route (listed for the tests that call every route).
pub const PATH: &str = "/permissions-by-page.pdf";

pub fn router() -> Router<AppState> {
    Router::new().route(PATH, get(download))
}

#[derive(Debug, Deserialize)]
struct Which {
    #[serde(default)]
    of: Option<String>,
}

async fn download(
    State(state): State<AppState>,
    caller: Caller,
    Query(which): Query<Which>,
) -> Response {
    let request = caller.request.clone();
    let of = match which.of.as_deref().map(MatrixOf::from_key) {
        None => Ok(None),
        Some(Some(of)) => Ok(Some(of)),
        Some(None) => Err(AppError::BadRequest(
            "Choose a family of roles, or your own roles.".to_owned(),
        )),
    };
    let answer = match of {
        Ok(of) => matrix_for(&state.pool, &caller, of).await,
        Err(e) => Err(e),
    };
    match answer {
        Ok(matrix) => {
            let name = format!(
                "attachment; filename=\"permissions-by-page-{}.pdf\"",
                matrix.0.key()
            );
            let bytes = render(&matrix.1, &caller.snapshot.org.name);
            (
                [
                    (header::CONTENT_TYPE, "application/pdf".to_owned()),
                    (header::CONTENT_DISPOSITION, name),
                    (header::CACHE_CONTROL, "no-store".to_owned()),
                ],
                bytes,
            )
                .into_response()
        }
        Err(error) => error.referenced(&request).into_response(),
    }
}

/// A4, landscape, in points.
const WIDTH: f32 = 842.0;
const HEIGHT: f32 = 595.0;
const MARGIN: f32 = 36.0;
const PAGE_COLUMN: f32 = 170.0;
const WHERE_COLUMN: f32 = 80.0;
const NEEDS_COLUMN: f32 = 135.0;
const ROLE_COLUMN: f32 = 36.0;
const ROW: f32 = 12.0;
/// Role columns per PDF page beside the fixed ones (Administrator first).
const ROLES_PER_PAGE: usize = 10;

/// The matrix as a PDF: a page per ten roles, each with the legend of its
/// numbered columns and every row of pages.
pub fn render(matrix: &PageMatrix, organization: &str) -> Vec<u8> {
    let header = matrix.header();
    let lines: Vec<Vec<&str>> = matrix.lines().collect();
    // Columns 3.. are Administrator and the roles; chunked per PDF page.
    let roles: Vec<usize> = (3..header.len()).collect();
    let chunks: Vec<&[usize]> = roles.chunks(ROLES_PER_PAGE).collect();

    let mut pdf = Pdf::new();
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let (regular, bold) = (Ref::new(3), Ref::new(4));
    let info = Ref::new(5);
    let mut next = 6;
    let mut kids = Vec::new();
    let title = format!("Permissions by page: {}", matrix.title);
    for (n, chunk) in chunks.iter().enumerate() {
        let (page_id, content_id) = (Ref::new(next), Ref::new(next + 1));
        next += 2;
        kids.push(page_id);
        let mut page = pdf.page(page_id);
        page.media_box(Rect::new(0.0, 0.0, WIDTH, HEIGHT))
            .parent(tree)
            .contents(content_id);
        page.resources()
            .fonts()
            .pair(Name(b"F1"), regular)
            .pair(Name(b"F2"), bold);
        drop(page);
        let mut content = Content::new();
        let mut y = HEIGHT - MARGIN;
        text(&mut content, b"F2", 14.0, MARGIN, y, &title);
        y -= 16.0;
        let subtitle = format!(
            "{organization} · page {} of {} · yes = opens the page; no = does not; withheld = never, in any company (the role withholds it).",
            n + 1,
            chunks.len()
        );
        text(&mut content, b"F1", 8.0, MARGIN, y, &subtitle);
        y -= 14.0;
        for (number, column) in chunk.iter().enumerate() {
            let legend = format!("{}  {}", number + 1, header[*column]);
            text(&mut content, b"F1", 8.0, MARGIN, y, &legend);
            y -= 10.0;
        }
        y -= 6.0;
        let mut x = MARGIN;
        for (label, width) in [
            (header[0], PAGE_COLUMN),
            (header[1], WHERE_COLUMN),
            (header[2], NEEDS_COLUMN),
        ] {
            text(&mut content, b"F2", 8.0, x, y, label);
            x += width;
        }
        for number in 1..=chunk.len() {
            text(&mut content, b"F2", 8.0, x, y, &number.to_string());
            x += ROLE_COLUMN;
        }
        rule(&mut content, y - 3.0, x);
        y -= ROW + 2.0;
        for line in &lines {
            let mut x = MARGIN;
            for (field, width) in line[..3]
                .iter()
                .zip([PAGE_COLUMN, WHERE_COLUMN, NEEDS_COLUMN])
            {
                text(&mut content, b"F1", 8.0, x, y, field);
                x += width;
            }
            for column in *chunk {
                text(&mut content, b"F1", 7.0, x, y, line[*column]);
                x += ROLE_COLUMN;
            }
            y -= ROW;
        }
        pdf.stream(content_id, &content.finish());
    }
    pdf.catalog(catalog).pages(tree);
    let count = kids.len() as i32;
    pdf.pages(tree).kids(kids).count(count);
    for (id, font) in [(regular, "Helvetica"), (bold, "Helvetica-Bold")] {
        pdf.type1_font(id)
            .base_font(Name(font.as_bytes()))
            .encoding_predefined(Name(b"WinAnsiEncoding"));
    }
    pdf.document_info(info)
        .title(TextStr(&title))
        .creator(TextStr("Portcullis"));
    pdf.finish()
}

/// One line of text at (x, y).
fn text(content: &mut Content, font: &[u8], size: f32, x: f32, y: f32, line: &str) {
    let bytes = win_ansi(line);
    content
        .begin_text()
        .set_font(Name(font), size)
        .next_line(x, y)
        .show(Str(&bytes))
        .end_text();
}

/// A thin rule under the header row, from the margin to `to`.
fn rule(content: &mut Content, y: f32, to: f32) {
    content
        .set_line_width(0.5)
        .move_to(MARGIN, y)
        .line_to(to, y)
        .stroke();
}

/// The text in WinAnsi (the base-14 fonts' encoding): ASCII and Latin-1 as
/// they are, the typographic marks this product writes mapped, anything
/// else a question mark.
fn win_ansi(line: &str) -> Vec<u8> {
    line.chars()
        .map(|c| match c {
            '–' => 0x96,
            '—' => 0x97,
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '…' => 0x85,
            '·' => 0xB7,
            c if (c as u32) < 0x80 && !c.is_control() => c as u8,
            c if (0xA0..=0xFF).contains(&(c as u32)) => c as u8,
            _ => b'?',
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::win_ansi;

    #[test]
    fn text_is_written_in_win_ansi() {
        assert_eq!(win_ansi("Charges – active"), b"Charges \x96 active");
        assert_eq!(win_ansi("Café · “x”"), b"Caf\xe9 \xb7 \x93x\x94");
        assert_eq!(win_ansi("中\n"), b"??");
    }
}
