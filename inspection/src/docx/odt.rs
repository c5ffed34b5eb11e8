//! ODT: no layout, only what meta.xml says.

use crate::zipread::{SafeZip, ZipFailure};
use crate::{Details, Facts, PageCountSource};

/// Page and word count from meta.xml (`meta:document-statistic/@meta:page-count`), and the
/// author and title for the anonymity check.
pub fn odt_meta(
    zip: &mut SafeZip<'_>,
    facts: &mut Facts,
    details: &mut Details,
) -> Result<(), ZipFailure> {
    if let Some(m) = zip.xml("meta.xml", facts)? {
        if let Some(st) = m.find("document-statistic") {
            if let Some(p) = st.attr("page-count").and_then(|v| v.parse::<u32>().ok()) {
                facts.pages = Some(p);
                facts.page_count_source = Some(PageCountSource::Metadata);
            }
            facts.words = st.attr("word-count").and_then(|v| v.parse().ok());
        }
        for (tag, key) in [
            ("initial-creator", "author"),
            ("creator", "lastModifiedBy"),
            ("title", "title"),
        ] {
            if let Some(n) = m.find(tag) {
                let v = n.text().trim().to_string();
                if !v.is_empty() {
                    details.metadata.push((key.to_string(), v));
                }
            }
        }
    }
    Ok(())
}
