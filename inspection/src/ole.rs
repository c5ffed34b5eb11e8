//! OLE compound files: legacy Word (.doc) and password-encrypted OOXML (EncryptedPackage).

use crate::{codes, Details, Facts, Format, Limits, PageCountSource};
use std::io::{Cursor, Read};

const PIDSI_TITLE: u32 = 0x02;
const PIDSI_SUBJECT: u32 = 0x03;
const PIDSI_AUTHOR: u32 = 0x04;
const PIDSI_LASTAUTHOR: u32 = 0x08;
const PIDSI_PAGECOUNT: u32 = 0x0E;
const PIDSI_APPNAME: u32 = 0x12;

fn read_stream<F: Read + std::io::Seek>(
    cf: &mut cfb::CompoundFile<F>,
    path: &str,
    cap: u64,
) -> Option<Vec<u8>> {
    let s = cf.open_stream(path).ok()?;
    let mut buf = Vec::new();
    s.take(cap).read_to_end(&mut buf).ok()?;
    Some(buf)
}

pub fn inspect_ole(bytes: &[u8], limits: &Limits, details: &mut Details) -> Facts {
    let mut facts = Facts::new(Format::Unknown);
    let Ok(mut cf) = cfb::CompoundFile::open(Cursor::new(bytes)) else {
        facts.problem(
            codes::UNREADABLE,
            "The file looks like an old-style Office file but is damaged and cannot be opened.",
        );
        return facts;
    };
    let cap = limits.max_file_bytes.min(limits.max_uncompressed_bytes);
    if cf.is_stream("/EncryptedPackage") || cf.is_stream("/EncryptionInfo") {
        facts.format = Format::Docx;
        facts.encrypted = true;
        facts.problem(
            codes::ENCRYPTED,
            "The document is protected with a password and cannot be read. Please upload it without a password.",
        );
        return facts;
    }
    if !cf.is_stream("/WordDocument") {
        facts.problem(
            codes::NOT_A_DOCUMENT,
            "This is an old-style Office file but not a Word document.",
        );
        return facts;
    }
    facts.format = Format::Doc;
    details.has_macros = cf.exists("/Macros") || cf.exists("/_VBA_PROJECT_CUR");
    if details.has_macros {
        facts.problem(codes::MACROS, "The document contains macros.");
    }
    // FIB: wIdent 0xA5EC at 0, flags at 0x0A: fEncrypted = 0x0100.
    let fib = read_stream(&mut cf, "/WordDocument", 64).unwrap_or_default();
    let flags = match (fib.get(0x0A), fib.get(0x0B)) {
        (Some(&a), Some(&b)) => u16::from_le_bytes([a, b]),
        _ => 0,
    };
    if flags & 0x0100 != 0 {
        facts.encrypted = true;
        facts.problem(
            codes::ENCRYPTED,
            "The document is protected with a password and cannot be read. Please upload it without a password.",
        );
        return facts;
    }
    if let Some(si) = read_stream(&mut cf, "/\u{5}SummaryInformation", cap.min(1 << 20)) {
        for (id, value) in property_set(&si) {
            match (id, value) {
                (PIDSI_PAGECOUNT, Prop::Int(n)) if n > 0 => {
                    facts.pages = Some(n as u32);
                    facts.page_count_source = Some(PageCountSource::Metadata);
                }
                (PIDSI_TITLE, Prop::Str(s)) => details.metadata.push(("title".into(), s)),
                (PIDSI_SUBJECT, Prop::Str(s)) => details.metadata.push(("subject".into(), s)),
                (PIDSI_AUTHOR, Prop::Str(s)) => details.metadata.push(("author".into(), s)),
                (PIDSI_LASTAUTHOR, Prop::Str(s)) => {
                    details.metadata.push(("lastModifiedBy".into(), s))
                }
                (PIDSI_APPNAME, Prop::Str(s)) => details.metadata.push(("application".into(), s)),
                _ => {}
            }
        }
    }
    details.metadata.retain(|(_, v)| !v.trim().is_empty());
    facts
}

enum Prop {
    Int(i64),
    Str(String),
    Other,
}

fn u32_at(b: &[u8], off: usize) -> Option<u32> {
    let s = b.get(off..off.checked_add(4)?)?;
    Some(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

/// Reads the first section of an OLE property set stream.
fn property_set(b: &[u8]) -> Vec<(u32, Prop)> {
    let mut out = Vec::new();
    // header: 28 bytes, then FMTID (16) + offset (4) of the first section
    let Some(sec) = u32_at(b, 44).map(|v| v as usize) else {
        return out;
    };
    let Some(n) = u32_at(b, sec.saturating_add(4)) else {
        return out;
    };
    for i in 0..(n as usize).min(256) {
        let entry = sec.saturating_add(8).saturating_add(i * 8);
        let (Some(id), Some(off)) = (u32_at(b, entry), u32_at(b, entry.saturating_add(4))) else {
            break;
        };
        let at = sec.saturating_add(off as usize);
        let Some(vt) = u32_at(b, at) else { continue };
        let v = at.saturating_add(4);
        let prop = match vt & 0xFFFF {
            2 => b
                .get(v..v.saturating_add(2))
                .map(|s| Prop::Int(i16::from_le_bytes([s[0], s[1]]) as i64))
                .unwrap_or(Prop::Other),
            3 => u32_at(b, v)
                .map(|x| Prop::Int(x as i32 as i64))
                .unwrap_or(Prop::Other),
            0x1E => {
                let len = u32_at(b, v).unwrap_or(0) as usize;
                let start = v.saturating_add(4);
                match b.get(start..start.saturating_add(len.min(4096))) {
                    Some(s) => {
                        let s: String = s
                            .iter()
                            .take_while(|&&c| c != 0)
                            .map(|&c| c as char)
                            .collect();
                        Prop::Str(s)
                    }
                    None => Prop::Other,
                }
            }
            0x1F => {
                let len = u32_at(b, v).unwrap_or(0) as usize;
                let start = v.saturating_add(4);
                match b.get(start..start.saturating_add(len.min(4096).saturating_mul(2))) {
                    Some(s) => {
                        let units: Vec<u16> = s
                            .chunks_exact(2)
                            .map(|c| u16::from_le_bytes([c[0], c[1]]))
                            .take_while(|&u| u != 0)
                            .collect();
                        Prop::Str(String::from_utf16_lossy(&units))
                    }
                    None => Prop::Other,
                }
            }
            _ => Prop::Other,
        };
        out.push((id, prop));
    }
    out
}
