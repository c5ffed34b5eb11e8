//! The assessor's view of a .docx, built from the very blocks that were laid out and counted:
//! the same main part (the one `_rels/.rels` names), the same rule for hidden and field-code
//! text, the same paragraphs, list markers and tables. So what assessors read is what the page
//! rule judged, and nothing else.
//!
//! Everything from the file is escaped here; the only markup is the handful of tags written
//! below. Images are not embedded: each distinct image part is listed once in
//! [`EssayHtml::images`] and referenced by its index (`data-essay-image="N"`), for the server to
//! turn into a URL. A 5 KB file that references one picture 20,000 times once made the server
//! build a 5.7 GB answer; now it makes a short list and a capped number of tags.

use std::collections::HashMap;

use super::model::{Block, Item, Para, Table};
use super::units::Twips;
use crate::EssayHtml;

/// Largest HTML kept; the rest of a longer document is replaced by a note.
pub const MAX_HTML_BYTES: usize = 4 * 1024 * 1024;
/// Most distinct images listed.
pub const MAX_IMAGES: usize = 64;
/// Most image tags written (repeats of one image included).
pub const MAX_IMAGE_TAGS: usize = 200;

/// One twip is 1/1440 inch; CSS has 96 px to the inch.
const TWIPS_PER_CSS_PX: Twips = Twips(15);

struct Writer {
    html: String,
    images: Vec<String>,
    image_index: HashMap<String, usize>,
    image_tags: usize,
    truncated: bool,
}

pub fn render<'a>(sections: impl IntoIterator<Item = &'a [Block]>, notes: &[Block]) -> EssayHtml {
    let mut w = Writer {
        html: String::new(),
        images: Vec::new(),
        image_index: HashMap::new(),
        image_tags: 0,
        truncated: false,
    };
    for blocks in sections {
        w.blocks(blocks);
    }
    if !notes.is_empty() && !w.truncated {
        w.html.push_str("<hr class=\"essay-notes\">");
        w.blocks(notes);
    }
    if w.truncated {
        w.html
            .push_str("<p class=\"essay-truncated\">[The rest of this document is too long to show here; download the file to read it.]</p>");
    }
    EssayHtml {
        html: w.html,
        images: w.images,
    }
}

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// The heading level a paragraph style stands for (Word's and LibreOffice's ids, English and
/// French), if any.
fn heading_level(style: &str) -> Option<u8> {
    let style = style.to_ascii_lowercase();
    if style == "title" || style == "titre" {
        return Some(2);
    }
    let rest = style
        .strip_prefix("heading")
        .or_else(|| style.strip_prefix("titre"))?;
    match rest.trim_start_matches(|c: char| !c.is_ascii_digit()) {
        "1" => Some(3),
        "2" => Some(4),
        _ => Some(5),
    }
}

impl Writer {
    fn full(&mut self) -> bool {
        if self.html.len() > MAX_HTML_BYTES {
            self.truncated = true;
        }
        self.truncated
    }

    fn blocks(&mut self, blocks: &[Block]) {
        // The lists open at this point: each level's indent and whether it is numbered. A list
        // paragraph further in than the one before opens a list inside that item.
        let mut lists: Vec<(Twips, bool)> = Vec::new();
        for block in blocks {
            if self.full() {
                break;
            }
            match block {
                Block::Para(p) => {
                    let Some(body) = self.paragraph_body(p) else {
                        continue;
                    };
                    let heading = heading_level(&p.props.style);
                    match (&p.marker, heading) {
                        (Some((marker, _)), None) => {
                            let ordered = marker.chars().any(char::is_alphanumeric);
                            self.list_item(&mut lists, p.props.indent_left, ordered, &body);
                        }
                        (_, Some(level)) => {
                            self.close_lists(&mut lists);
                            self.html.push_str(&format!("<h{level}>{body}</h{level}>"));
                        }
                        (None, None) => {
                            self.close_lists(&mut lists);
                            self.html.push_str("<p>");
                            self.html.push_str(&body);
                            self.html.push_str("</p>");
                        }
                    }
                }
                Block::Table(t) => {
                    self.close_lists(&mut lists);
                    self.table(t);
                }
                Block::PageBreak | Block::SectionEnd(_) => {}
            }
        }
        self.close_lists(&mut lists);
    }

    /// A table as a table: the rows Word repeats at the top of each page (`w:tblHeader`) in
    /// `<thead>` as column headers, the others in `<tbody>`.
    fn table(&mut self, t: &Table) {
        self.html.push_str("<table>");
        let headers = t.rows.iter().take_while(|row| row.header).count();
        for (i, row) in t.rows.iter().enumerate() {
            if i == 0 && headers > 0 {
                self.html.push_str("<thead>");
            }
            if i == headers {
                self.html.push_str("<tbody>");
            }
            let cell_tag = if i < headers { "th" } else { "td" };
            self.html.push_str("<tr>");
            for cell in &row.cells {
                self.html.push('<');
                self.html.push_str(cell_tag);
                if i < headers {
                    self.html.push_str(" scope=\"col\"");
                }
                if cell.span > 1 {
                    self.html
                        .push_str(&format!(" colspan=\"{}\"", cell.span.min(99)));
                }
                self.html.push('>');
                self.blocks(&cell.blocks);
                self.html.push_str("</");
                self.html.push_str(cell_tag);
                self.html.push('>');
            }
            self.html.push_str("</tr>");
            if i + 1 == headers {
                self.html.push_str("</thead>");
            }
        }
        if headers < t.rows.len() {
            self.html.push_str("</tbody>");
        }
        self.html.push_str("</table>");
    }

    /// One list paragraph as an item of a real list (`<ol>` when its marker is a number or a
    /// letter, `<ul>` for bullets), its marker shown as the document draws it.
    fn list_item(
        &mut self,
        lists: &mut Vec<(Twips, bool)>,
        indent: Twips,
        ordered: bool,
        body: &str,
    ) {
        let tag = |ordered: bool| if ordered { "ol" } else { "ul" };
        match lists.last().copied() {
            Some((top, _)) if indent > top => {
                // Nested inside the item still open.
                self.html
                    .push_str(&format!("<{} class=\"essay-list\">", tag(ordered)));
                lists.push((indent, ordered));
            }
            Some(_) => {
                while lists.len() > 1 && lists.last().is_some_and(|(top, _)| indent < *top) {
                    if let Some((_, was)) = lists.pop() {
                        self.html.push_str(&format!("</li></{}>", tag(was)));
                    }
                }
                self.html.push_str("</li>");
                if let Some(last) = lists.last_mut() {
                    if last.1 != ordered {
                        self.html.push_str(&format!(
                            "</{}><{} class=\"essay-list\">",
                            tag(last.1),
                            tag(ordered)
                        ));
                        last.1 = ordered;
                    }
                }
            }
            None => {
                self.html
                    .push_str(&format!("<{} class=\"essay-list\">", tag(ordered)));
                lists.push((indent, ordered));
            }
        }
        self.html.push_str("<li>");
        self.html.push_str(body);
    }

    fn close_lists(&mut self, lists: &mut Vec<(Twips, bool)>) {
        while let Some((_, ordered)) = lists.pop() {
            self.html
                .push_str(if ordered { "</li></ol>" } else { "</li></ul>" });
        }
    }

    /// The paragraph's content (its list marker first), or `None` for an empty paragraph.
    fn paragraph_body(&mut self, p: &Para) -> Option<String> {
        let mut body = String::new();
        if let Some((marker, _)) = &p.marker {
            body.push_str("<span class=\"essay-marker\">");
            escape_into(&mut body, marker);
            body.push_str("</span> ");
        }
        for item in &p.items {
            match item {
                Item::Text(text, font) => {
                    let (open, close) = match (font.bold, font.italic) {
                        (true, true) => ("<strong><em>", "</em></strong>"),
                        (true, false) => ("<strong>", "</strong>"),
                        (false, true) => ("<em>", "</em>"),
                        (false, false) => ("", ""),
                    };
                    body.push_str(open);
                    escape_into(&mut body, text);
                    body.push_str(close);
                }
                Item::Tab(_) => body.push(' '),
                Item::LineBreak(_) => body.push_str("<br>"),
                Item::NoteRef { mark, .. } => {
                    body.push_str("<sup>");
                    escape_into(&mut body, mark);
                    body.push_str("</sup>");
                }
                Item::Image {
                    width,
                    height,
                    part,
                } => self.image(&mut body, *width, *height, part.as_deref()),
            }
        }
        if body.is_empty() && p.marker.is_none() {
            return None;
        }
        Some(body)
    }

    fn image(&mut self, out: &mut String, width: Twips, height: Twips, part: Option<&str>) {
        let index = part.and_then(|part| {
            if self.image_tags >= MAX_IMAGE_TAGS {
                return None;
            }
            if let Some(&index) = self.image_index.get(part) {
                return Some(index);
            }
            if self.images.len() >= MAX_IMAGES || !is_shown_image(part) {
                return None;
            }
            self.images.push(part.to_owned());
            self.image_index
                .insert(part.to_owned(), self.images.len() - 1);
            Some(self.images.len() - 1)
        });
        match index {
            Some(index) => {
                self.image_tags += 1;
                out.push_str(&format!(
                    "<img alt=\"\" data-essay-image=\"{index}\" width=\"{}\" height=\"{}\">",
                    (width / TWIPS_PER_CSS_PX).clamp(1, 2000),
                    (height / TWIPS_PER_CSS_PX).clamp(1, 3000)
                ));
            }
            None => out.push_str("<span class=\"essay-image-missing\">[image]</span>"),
        }
    }
}

/// Images a browser shows safely from our own URL: PNG, JPEG and GIF (never SVG, which is a
/// document that can carry script).
pub fn is_shown_image(part: &str) -> bool {
    image_content_type(part).is_some()
}

/// The content type an image part is served with, decided from its name.
pub fn image_content_type(part: &str) -> Option<&'static str> {
    let lower = part.to_ascii_lowercase();
    if lower.ends_with(".png") {
        Some("image/png")
    } else if lower.ends_with(".jpg") || lower.ends_with(".jpeg") {
        Some("image/jpeg")
    } else if lower.ends_with(".gif") {
        Some("image/gif")
    } else {
        None
    }
}
