//! Generates essay-like DOCX files near the 1- and 2-page limits into inspection/tests/essays/.
//! Run: `cargo run -p inspection --example gen_essays` then `bash inspection/tools/make_reference.sh`.
use std::io::Write;

const WORDS: &[&str] = &[
    "the",
    "alliance",
    "must",
    "adapt",
    "to",
    "a",
    "changing",
    "security",
    "environment",
    "and",
    "operations",
    "require",
    "coordination",
    "between",
    "partners",
    "of",
    "in",
    "strategic",
    "planning",
    "effective",
    "crisis",
    "management",
    "depends",
    "on",
    "clear",
    "political",
    "guidance",
    "resources",
    "for",
    "sustained",
    "support",
    "will",
    "be",
    "difficult",
    "while",
    "priorities",
    "compete",
    "I",
    "would",
    "address",
    "this",
    "by",
    "building",
    "trust",
    "with",
    "delegations",
    "staff",
    "across",
    "divisions",
    "ensuring",
    "that",
    "every",
    "team",
    "member",
    "understands",
    "our",
    "objectives",
    "first",
    "office",
    "efficient",
    "influence",
    "difficulty",
    "affordable",
    "reflection",
    "flexible",
    "long-term",
    "well-prepared",
    "deterrence",
    "defence",
    "resilience",
    "cooperation",
    "is",
    "an",
    "essential",
    "element",
    "workload",
    "fifty",
];

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn pick<T: Copy>(&mut self, v: &[T]) -> T {
        v[(self.next() as usize) % v.len()]
    }
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
}

fn sentence(r: &mut Rng) -> String {
    let n = r.range(8, 24);
    let mut s = String::new();
    for i in 0..n {
        let w = r.pick(WORDS);
        if i == 0 {
            let mut c = w.chars();
            let f = c.next().unwrap().to_uppercase().collect::<String>();
            s.push_str(&f);
            s.push_str(c.as_str());
        } else {
            s.push(' ');
            s.push_str(w);
        }
        if i > 2 && i + 2 < n && r.range(0, 12) == 0 {
            s.push(',');
        }
    }
    s.push('.');
    s
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn para(style: Option<&str>, text: &str, extra_ppr: &str) -> String {
    let ps = style
        .map(|s| format!("<w:pStyle w:val=\"{s}\"/>"))
        .unwrap_or_default();
    format!(
        "<w:p><w:pPr>{ps}{extra_ppr}</w:pPr><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
        esc(text)
    )
}

const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52, 0, 0, 0,
    1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1F, 0x15, 0xC4, 0x89, 0, 0, 0, 0x0D, 0x49, 0x44, 0x41, 0x54,
    0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0, 0x1F, 0, 0x05, 0, 0x01, 0xFF, 0x89, 0x99, 0x3D, 0x1D,
    0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

fn image(cx_emu: u64, cy_emu: u64) -> String {
    format!(
        r#"<w:p><w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx_emu}" cy="{cy_emu}"/><wp:docPr id="1" name="Picture 1"/><a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:nvPicPr><pic:cNvPr id="1" name="img.png"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="rIdImg"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx_emu}" cy="{cy_emu}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"#
    )
}

fn main() {
    let out_dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/essays");
    std::fs::create_dir_all(out_dir).unwrap();
    let fonts = [
        "Calibri",
        "Cambria",
        "Arial",
        "Times New Roman",
        "Carlito",
        "Liberation Serif",
    ];
    // essays 0..120: the original set (no settings part: LibreOffice adds paragraph spacing);
    // 120..200: "variety" essays as candidates write them -- Word's fonts at 10-12 pt, 2-2.5 cm
    // margins, single/1.15/1.5 spacing, headings with keep-with-next, lists, a small table, an
    // inline image, and mostly a settings part (spacing collapses to the larger value).
    let n_docs = 200u64;
    for idx in 0..n_docs {
        let variety = idx >= 120;
        let mut r = Rng(idx * 7919 + 17);
        let vfonts = ["Times New Roman", "Arial", "Cambria", "Calibri"];
        let font = if variety {
            vfonts[(idx as usize) % vfonts.len()]
        } else {
            fonts[(idx as usize) % fonts.len()]
        };
        let size = if variety {
            r.pick(&[20u32, 21, 22, 23, 24])
        } else {
            r.pick(&[20u32, 22, 22, 24, 24, 21])
        };
        let a4 = r.range(0, 2) > 0 || variety;
        let (pw, ph) = if a4 { (11906, 16838) } else { (12240, 15840) };
        let margin = if variety {
            r.pick(&[1134u32, 1191, 1247, 1304, 1361, 1418])
        } else {
            r.pick(&[1440u32, 1134, 1418, 1800, 1021])
        };
        let (line, rule) = if variety {
            r.pick(&[
                (240u32, "auto"),
                (276, "auto"),
                (360, "auto"),
                (259, "auto"),
            ])
        } else {
            r.pick(&[
                (240u32, "auto"),
                (259, "auto"),
                (276, "auto"),
                (360, "auto"),
                (300, "exact"),
                (320, "atLeast"),
                (264, "auto"),
            ])
        };
        let after = r.pick(&[0u32, 120, 160, 200, 240]);
        let before = r.pick(&[0u32, 0, 60, 120]);
        let widow = r.range(0, 5) > 0;
        let contextual_lists = r.range(0, 1) == 0;
        // variety: settings.xml for two in three, a third of those summing the spacing
        let settings = variety && idx % 3 != 0;
        let sum_compat = settings && idx % 9 == 1;
        // target ~1 or ~2 pages: choose a word budget relative to capacity
        let target_pages = if idx % 2 == 0 { 1.0 } else { 2.0 };
        let lines_per_page = ((ph - 2 * margin) as f64
            / (line.max(240) as f64 * size as f64 / 22.0 * 1.15))
            .max(10.0);
        let words_per_line = (pw - 2 * margin) as f64 / (size as f64 * 29.0);
        let factor = 0.82 + (r.range(0, 36) as f64) / 100.0; // 0.82 .. 1.18
        let budget = (target_pages * lines_per_page * words_per_line * factor * 0.93) as usize;
        let mut body = String::new();
        let mut words = 0usize;
        let heading = |t: &str| para(Some("Heading1"), t, "");
        body.push_str(&para(Some("Title"), "Key challenges", ""));
        let mut section = 0;
        let mut used_table = false;
        let mut used_image = false;
        while words < budget {
            if r.range(0, if variety { 4 } else { 6 }) == 0 {
                section += 1;
                body.push_str(&heading(&format!(
                    "{section}. {}",
                    sentence(&mut r)
                        .split(' ')
                        .take(4)
                        .collect::<Vec<_>>()
                        .join(" ")
                )));
            }
            let kind = r.range(0, 14);
            if kind == 0 {
                // bulleted list
                for _ in 0..r.range(2, 5) {
                    let s = sentence(&mut r);
                    words += s.split(' ').count();
                    body.push_str(&para(
                        Some("ListBullet"),
                        &s,
                        if contextual_lists {
                            "<w:contextualSpacing/>"
                        } else {
                            ""
                        },
                    ));
                }
            } else if kind == 1 {
                for _ in 0..r.range(2, 4) {
                    let s = sentence(&mut r);
                    words += s.split(' ').count();
                    body.push_str(&para(Some("ListNumber"), &s, ""));
                }
            } else if kind == 2 && !used_table && (variety || idx % 3 == 0) {
                used_table = true;
                let cols = 3;
                let tw = pw - 2 * margin;
                let cw = tw / cols;
                let mut t = String::from("<w:tbl><w:tblPr><w:tblStyle w:val=\"TableGrid\"/><w:tblW w:w=\"0\" w:type=\"auto\"/></w:tblPr><w:tblGrid>");
                for _ in 0..cols {
                    t.push_str(&format!("<w:gridCol w:w=\"{cw}\"/>"));
                }
                t.push_str("</w:tblGrid>");
                for _ in 0..r.range(2, 4) {
                    t.push_str("<w:tr>");
                    for _ in 0..cols {
                        let s: String = sentence(&mut r)
                            .split(' ')
                            .take(r.range(3, 12) as usize)
                            .collect::<Vec<_>>()
                            .join(" ");
                        words += s.split(' ').count();
                        t.push_str(&format!(
                            "<w:tc><w:tcPr><w:tcW w:w=\"{cw}\" w:type=\"dxa\"/></w:tcPr>{}</w:tc>",
                            para(None, &s, "")
                        ));
                    }
                    t.push_str("</w:tr>");
                }
                t.push_str("</w:tbl>");
                body.push_str(&t);
            } else if kind == 3 && !used_image && (variety || idx % 4 == 1) {
                used_image = true;
                if variety {
                    body.push_str(&image(
                        r.range(900_000, 2_400_000),
                        r.range(300_000, 1_200_000),
                    ));
                } else {
                    body.push_str(&image(
                        r.range(1_000_000, 3_000_000),
                        r.range(500_000, 1_800_000),
                    ));
                }
            } else {
                let mut p = String::new();
                for _ in 0..r.range(2, 7) {
                    if !p.is_empty() {
                        p.push(' ');
                    }
                    p.push_str(&sentence(&mut r));
                }
                words += p.split(' ').count();
                body.push_str(&para(None, &p, ""));
            }
        }
        let sect = format!(
            "<w:sectPr><w:pgSz w:w=\"{pw}\" w:h=\"{ph}\"/><w:pgMar w:top=\"{margin}\" w:right=\"{margin}\" w:bottom=\"{margin}\" w:left=\"{margin}\" w:header=\"708\" w:footer=\"708\" w:gutter=\"0\"/><w:cols w:space=\"708\"/></w:sectPr>"
        );
        let document = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"><w:body>{body}{sect}</w:body></w:document>"#
        );
        let widow_xml = if widow {
            ""
        } else {
            "<w:widowControl w:val=\"0\"/>"
        };
        let styles = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:cs="{font}"/><w:sz w:val="{size}"/><w:szCs w:val="{size}"/><w:lang w:val="en-GB"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:before="{before}" w:after="{after}" w:line="{line}" w:lineRule="{rule}"/>{widow_xml}</w:pPr></w:pPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="240" w:after="60"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="28"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:after="240"/><w:jc w:val="center"/></w:pPr><w:rPr><w:b/><w:sz w:val="36"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="ListBullet"><w:name w:val="List Bullet"/><w:basedOn w:val="Normal"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr><w:ind w:left="720" w:hanging="360"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="ListNumber"><w:name w:val="List Number"/><w:basedOn w:val="Normal"/><w:pPr><w:numPr><w:numId w:val="2"/></w:numPr><w:ind w:left="720" w:hanging="360"/></w:pPr></w:style>
<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>
<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:basedOn w:val="TableNormal"/><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:left w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:right w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="auto"/></w:tblBorders></w:tblPr></w:style>
</w:styles>"#
        );
        let numbering = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr></w:lvl></w:abstractNum><w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num><w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num></w:numbering>"#;
        let settings_ct = if settings {
            r#"<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>"#
        } else {
            ""
        };
        let content_types = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>{settings_ct}</Types>"#
        );
        let compat = if sum_compat {
            "<w:compat><w:doNotUseHTMLParagraphAutoSpacing/></w:compat>"
        } else {
            ""
        };
        let settings_xml = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:defaultTabStop w:val="720"/>{compat}</w:settings>"#
        );
        let settings_rel = if settings {
            r#"<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>"#
        } else {
            ""
        };
        let rels = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;
        let doc_rels = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/><Relationship Id="rIdImg" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/img.png"/>{settings_rel}</Relationships>"#
        );
        let path = format!("{out_dir}/essay{idx:03}.docx");
        let f = std::fs::File::create(&path).unwrap();
        let mut z = zip::ZipWriter::new(f);
        let opt = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip::DateTime::default());
        let mut parts: Vec<(&str, &[u8])> = vec![
            ("[Content_Types].xml", content_types.as_bytes()),
            ("_rels/.rels", rels.as_bytes()),
            ("word/_rels/document.xml.rels", doc_rels.as_bytes()),
            ("word/document.xml", document.as_bytes()),
            ("word/styles.xml", styles.as_bytes()),
            ("word/numbering.xml", numbering.as_bytes()),
            ("word/media/img.png", PNG),
        ];
        if settings {
            parts.push(("word/settings.xml", settings_xml.as_bytes()));
        }
        for (name, data) in parts {
            z.start_file(name, opt).unwrap();
            z.write_all(data).unwrap();
        }
        z.finish().unwrap();
    }
    println!("wrote {n_docs} essays to {out_dir}");
}
