//! Pure renderers: values in, text out.
pub mod docx_html;
