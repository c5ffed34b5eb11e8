//! PDFs. [`Pdf`] builds a valid one with `lopdf` (pages of given sizes, a line of text on each,
//! document information, padding); [`raw`] writes objects exactly as given, for the hostile files
//! and the tests that depend on how an object is written.

use lopdf::{dictionary, Dictionary, Document, Object, Stream};

/// A4 in points.
pub const A4: (f64, f64) = (595.28, 841.89);
/// US Letter in points.
pub const LETTER: (f64, f64) = (612.0, 792.0);

/// A valid PDF, built with `lopdf`.
#[derive(Default, Clone, Copy)]
pub struct Pdf<'a> {
    /// Width and height of each page, in points.
    pub pages: &'a [(f64, f64)],
    /// A line of text on each page, naming the page and the title (Helvetica).
    pub text: bool,
    /// `/Title` of the document information.
    pub title: Option<&'a str>,
    /// `/Author` of the document information.
    pub author: Option<&'a str>,
    /// Bytes of an unreferenced stream of noise, to make the file about a given size.
    pub padding: usize,
}

/// A PDF of blank pages of the given sizes.
pub fn pages(pages: &[(f64, f64)]) -> Vec<u8> {
    Pdf {
        pages,
        ..Pdf::default()
    }
    .build()
}

/// A PDF of pages of the given sizes with a line of text each and `title`, padded with about
/// `padding` bytes of noise: every title gives other bytes.
pub fn essay(pages: &[(f64, f64)], title: &str, padding: usize) -> Vec<u8> {
    Pdf {
        pages,
        text: true,
        title: Some(title),
        padding,
        ..Pdf::default()
    }
    .build()
}

impl Pdf<'_> {
    pub fn build(&self) -> Vec<u8> {
        let mut document = Document::with_version("1.4");
        let pages_id = document.new_object_id();
        let font = document.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        });
        let title = self.title.unwrap_or("essay");
        let mut kids = Vec::new();
        for (n, &(width, height)) in self.pages.iter().enumerate() {
            let mut page = dictionary! {
                "Type" => "Page",
                "Parent" => pages_id,
                "MediaBox" => vec![0.into(), 0.into(), Object::Real(width as f32), Object::Real(height as f32)],
            };
            if self.text {
                let text = format!(
                    "BT /F1 12 Tf 72 {} Td (Key challenges page {} of {title}) Tj ET",
                    height - 72.0,
                    n + 1
                );
                let contents = document.add_object(Stream::new(Dictionary::new(), text.into()));
                page.set(
                    "Resources",
                    dictionary! { "Font" => dictionary! { "F1" => font } },
                );
                page.set("Contents", contents);
            }
            kids.push(document.add_object(page).into());
        }
        let count = kids.len() as i64;
        document.objects.insert(
            pages_id,
            dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }.into(),
        );
        let catalog = document.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        document.trailer.set("Root", catalog);
        let mut info = Dictionary::new();
        for (key, value) in [("Title", self.title), ("Author", self.author)] {
            if let Some(value) = value {
                info.set(key, Object::string_literal(value));
            }
        }
        if !info.is_empty() {
            info.set("Producer", Object::string_literal("testkit"));
            let info = document.add_object(info);
            document.trailer.set("Info", info);
        }
        if self.padding > 0 {
            document.add_object(Stream::new(Dictionary::new(), noise(self.padding)));
        }
        let mut out = Vec::new();
        document.save_to(&mut out).expect("lopdf writes a PDF");
        out
    }
}

/// `n` bytes that do not compress.
pub fn noise(n: usize) -> Vec<u8> {
    let mut seed = 0x2545_f491_u32;
    (0..n)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            (seed >> 24) as u8
        })
        .collect()
}

/// Writes `objects` exactly as given (numbered from 1; object 1 is the catalog) as a PDF with a
/// correct cross-reference table, and `trailer_extra` in the trailer dictionary.
pub fn raw<T: AsRef<[u8]>>(objects: &[T], trailer_extra: &str) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(object.as_ref());
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R {trailer_extra} >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// A one-page A4 PDF, written with [`raw`], whose page dictionary ends with `page_extra`.
pub fn with_page(page_extra: &str) -> Vec<u8> {
    raw(
        &[
            "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
            format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 841.89] {page_extra} >>"),
        ],
        "",
    )
}

/// Lines of text per page on A4, as a word processor exports them: Helvetica 11 pt at a
/// 14-point leading from 72 pt below the top, each line one `TJ` whose word gaps are kerning
/// adjustments (no space characters), and a page number in the footer of every page.
pub fn text_pages(pages: &[&[&str]]) -> Vec<u8> {
    let mut document = Document::with_version("1.4");
    let pages_id = document.new_object_id();
    let font = document.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
    });
    let mut kids = Vec::new();
    for (n, lines) in pages.iter().enumerate() {
        let mut content = format!("BT /F1 11 Tf 14 TL 72 {} Td\n", A4.1 - 72.0);
        for (i, line) in lines.iter().enumerate() {
            if i > 0 {
                content.push_str("T*\n");
            }
            let words: Vec<String> = line
                .split(' ')
                .map(|w| {
                    format!(
                        "({})",
                        w.replace('\\', "\\\\")
                            .replace('(', "\\(")
                            .replace(')', "\\)")
                    )
                })
                .collect();
            content.push_str(&format!("[{}] TJ\n", words.join(" -278 ")));
        }
        content.push_str(&format!("ET\nBT /F1 9 Tf 290 40 Td ({}) Tj ET\n", n + 1));
        let contents = document.add_object(Stream::new(Dictionary::new(), content.into_bytes()));
        let page = dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "MediaBox" => vec![0.into(), 0.into(), Object::Real(A4.0 as f32), Object::Real(A4.1 as f32)],
            "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } },
            "Contents" => contents,
        };
        kids.push(document.add_object(page).into());
    }
    let count = kids.len() as i64;
    document.objects.insert(
        pages_id,
        dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }.into(),
    );
    let catalog = document.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    document.trailer.set("Root", catalog);
    let mut out = Vec::new();
    document.save_to(&mut out).expect("lopdf writes a PDF");
    out
}

/// `pdf` encrypted (RC4, 128-bit keys) with these passwords: an empty `user_password` is a PDF
/// every viewer opens without asking, restricted by `permissions` (lopdf's flags).
pub fn encrypted(
    pdf: &[u8],
    user_password: &str,
    owner_password: &str,
    permissions: lopdf::Permissions,
) -> Vec<u8> {
    let mut document = Document::load_mem(pdf).expect("a PDF");
    document.trailer.set(
        "ID",
        vec![
            Object::string_literal("essay-portal-test"),
            Object::string_literal("essay-portal-test"),
        ],
    );
    let state = lopdf::EncryptionState::try_from(lopdf::EncryptionVersion::V2 {
        document: &document,
        owner_password,
        user_password,
        key_length: 128,
        permissions,
    })
    .expect("an encryption state");
    document.encrypt(&state).expect("lopdf encrypts");
    let mut out = Vec::new();
    document.save_to(&mut out).expect("lopdf writes a PDF");
    out
}

/// `pdf` with `attachment` embedded as a file named `name` (the document's `/EmbeddedFiles`),
/// stored uncompressed so that its bytes appear in the file as they are.
pub fn with_attachment(pdf: &[u8], name: &str, attachment: &[u8]) -> Vec<u8> {
    let mut document = Document::load_mem(pdf).expect("a PDF");
    let file = document.add_object(Stream::new(
        dictionary! { "Type" => "EmbeddedFile" },
        attachment.to_vec(),
    ));
    let spec = document.add_object(dictionary! {
        "Type" => "Filespec",
        "F" => Object::string_literal(name),
        "EF" => dictionary! { "F" => file },
    });
    let names = dictionary! {
        "EmbeddedFiles" => dictionary! {
            "Names" => vec![Object::string_literal(name), spec.into()],
        },
    };
    let catalog_id = document
        .trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .expect("a catalog");
    document
        .get_dictionary_mut(catalog_id)
        .expect("a catalog dictionary")
        .set("Names", names);
    let mut out = Vec::new();
    document.save_to(&mut out).expect("lopdf writes a PDF");
    out
}
