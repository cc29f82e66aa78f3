//! Input files: the card design (layout TOML) and the note (TOML), parsed into
//! validated types with every length in points and every error pointing at the
//! file, line and key it came from.

pub mod design;
pub mod image;
pub mod note;

use crate::diag::{Diagnostic, Place};
use std::path::Path;

pub use design::{Design, DesignSource};
pub use note::Note;

/// Turns a TOML parse error (syntax, unknown key, wrong type) into a diagnostic
/// that points at the line and column.
pub(crate) fn toml_error(path: &Path, source: &str, err: &toml::de::Error) -> Diagnostic {
    let place = match err.span() {
        Some(span) => Place::at_offset(path, source, span.start),
        None => Place::file(path),
    };
    let message = err.message().trim().replace('\n', " ");
    let mut d = Diagnostic::at(place, message.clone());
    if message.starts_with("unknown field") {
        d = d.hint("check the key's spelling; the keys this table takes are listed above");
    }
    d
}

/// A diagnostic at the start of a span in a TOML source.
pub(crate) fn at_span(
    path: &Path,
    source: &str,
    span: std::ops::Range<usize>,
    message: impl Into<String>,
) -> Diagnostic {
    Diagnostic::at(Place::at_offset(path, source, span.start), message)
}
