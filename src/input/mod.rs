//! Input files: the card design (layout TOML) and the note (TOML), parsed into
//! validated types with every length in points and every error pointing at the
//! file, line and key it came from.

pub mod bundled;
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
    let raw = err.message().trim().replace('\n', " ");
    let place = match err.span() {
        Some(span) => Place::at_offset(path, source, span.start),
        // Without a span, the line of the key the message names (in
        // backticks), else the first line: every TOML error has a line.
        None => {
            let key = raw.split('`').nth(1).unwrap_or("");
            Place {
                line: Some(key_line(source, key).unwrap_or(1)),
                ..Place::file(path)
            }
        }
    };
    // The parser's message may echo a key or value: escaped and cut.
    let message = crate::diag::foreign_message(&raw);
    let mut d = Diagnostic::at(place, message.clone());
    if message.starts_with("unknown field") {
        // "unknown field `bdy`, expected one of `layout`, `greeting`, ..."
        let quoted: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
        if let Some((key, expected)) = quoted.split_first() {
            if let Some(near) = crate::diag::closest(key, expected.iter().copied()) {
                d = d.hint(format!("did you mean `{near}`?"));
            }
        }
        d = d.hint("check the key's spelling; the keys this table takes are listed above");
    }
    d
}

/// The 1-based line where a TOML source sets or opens `key` (the last part
/// of a dotted key, or a whole one): a `[table]` or `[[array]]` header, a
/// dotted key or a plain `key =`. For messages whose parser gave no span.
pub(crate) fn key_line(source: &str, key: &str) -> Option<usize> {
    if key.is_empty() {
        return None;
    }
    let last = key.rsplit('.').next().unwrap_or(key);
    source
        .lines()
        .position(|l| {
            let l = l.trim_start().trim_start_matches('[').trim_start();
            let name = l
                .split(['=', ']'])
                .next()
                .unwrap_or("")
                .trim()
                .trim_matches('"');
            name == key || name.rsplit('.').next().map(str::trim) == Some(last)
        })
        .map(|i| i + 1)
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

/// How a note read from standard input (`-`) is named in messages.
pub const STDIN_NAME: &str = "<standard input>";

/// Reads and validates a note file; `-` reads standard input (its relative
/// paths, such as a `layout` file, are then relative to the current folder).
pub fn load_note(path: &Path) -> crate::diag::Result<Note> {
    if path.as_os_str() == "-" {
        let name = Path::new(STDIN_NAME);
        let fail =
            |why: String| Diagnostic::at(Place::file(name), format!("cannot read the note: {why}"));
        let bytes = crate::io::read_bounded_stdin(bundled::MAX_TEXT_BYTES, "the note")
            .map_err(|e| fail(e.to_string()))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            fail(format!(
                "it is not UTF-8 text (bad byte at offset {})",
                e.utf8_error().valid_up_to()
            ))
        })?;
        return note::parse_note(name, &text);
    }
    let text = bundled::read_text_as(path, None, "the note")?;
    note::parse_note(path, &text)
}

/// The design for a note: `override_layout` if given (a bundled name or a
/// path), else the note's `layout`, else the default design. A note's
/// `layout` path is relative to the note.
pub fn design_for(note: &Note, override_layout: Option<&str>) -> crate::diag::Result<Design> {
    match override_layout {
        Some(l) => bundled::resolve(l, Path::new(""), None),
        None => match &note.layout {
            Some(l) => {
                let base = note.path.parent().unwrap_or(Path::new(""));
                let place = Place::file(&note.path);
                bundled::resolve(l, base, Some(&place))
            }
            None => bundled::resolve(bundled::DEFAULT, Path::new(""), None),
        },
    }
}
