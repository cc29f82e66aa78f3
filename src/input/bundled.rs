//! The bundled designs (`layouts/*.toml`), built into the binary.

use crate::diag::{Diagnostic, Place, Result};
use crate::input::design::parse_design;
use crate::input::{Design, DesignSource};
use std::path::Path;

/// The design used when a note names none.
pub const DEFAULT: &str = "classic-a2";

/// Bundled designs: name and TOML source, in the order `stationer layouts` lists them.
pub const BUNDLED: &[(&str, &str)] = &[
    ("classic-a2", include_str!("../../layouts/classic-a2.toml")),
    (
        "portrait-a6",
        include_str!("../../layouts/portrait-a6.toml"),
    ),
    ("folded-a2", include_str!("../../layouts/folded-a2.toml")),
    (
        "monogram-a2",
        include_str!("../../layouts/monogram-a2.toml"),
    ),
    (
        "letterhead-a7",
        include_str!("../../layouts/letterhead-a7.toml"),
    ),
    (
        "correspondence",
        include_str!("../../layouts/correspondence.toml"),
    ),
    ("studio-a7", include_str!("../../layouts/studio-a7.toml")),
    (
        "preprinted-a2",
        include_str!("../../layouts/preprinted-a2.toml"),
    ),
];

/// The names of the bundled designs.
pub fn names() -> Vec<&'static str> {
    BUNDLED.iter().map(|b| b.0).collect()
}

/// Loads a bundled design by name.
pub fn bundled(name: &str) -> Option<Result<Design>> {
    BUNDLED
        .iter()
        .find(|b| b.0 == name)
        .map(|&(name, text)| parse_design(DesignSource::Bundled(name), text))
}

/// Resolves a design reference: a bundled name, or a path to a TOML file
/// (relative to `base`). `named_in` is where the reference was written, for messages.
pub fn resolve(reference: &str, base: &Path, named_in: Option<&Place>) -> Result<Design> {
    if let Some(d) = bundled(reference) {
        return d;
    }
    let looks_like_path =
        reference.contains('/') || reference.contains('\\') || reference.ends_with(".toml");
    let path = base.join(reference);
    if looks_like_path || path.is_file() {
        let text = read_text_as(&path, named_in, "the design file")?;
        return parse_design(DesignSource::File(path), &text);
    }
    let message = format!("unknown layout {}", crate::diag::quote(reference));
    let d = match named_in {
        Some(p) => Diagnostic::at(p.clone(), message),
        None => Diagnostic::new(message),
    };
    Err(d
        .hint(format!("available designs: {}", names().join(", ")))
        .hint("or give the path of a design file, e.g. ./my-card.toml")
        .into())
}

/// Largest note, design, profiles file or return address read.
pub const MAX_TEXT_BYTES: u64 = 1024 * 1024;

/// Reads a text file, with a clear message when it cannot be read.
pub fn read_text(path: &Path, named_in: Option<&Place>) -> Result<String> {
    read_text_as(path, named_in, "the input file")
}

/// Reads a text file (at most [`MAX_TEXT_BYTES`], a regular file only; see
/// [`crate::io::read_bounded`]); `role` names it in messages that refuse to
/// write over it ("the design file").
pub fn read_text_as(path: &Path, named_in: Option<&Place>, role: &str) -> Result<String> {
    let fail = |why: String| {
        let d = Diagnostic::new(format!("cannot read {}: {why}", crate::diag::path(path)));
        match named_in {
            Some(p) => Diagnostic {
                place: Some(p.clone()),
                ..d
            },
            None => d,
        }
    };
    let bytes = crate::io::read_bounded(path, MAX_TEXT_BYTES, role).map_err(|e| match e {
        crate::io::ReadError::TooLarge(_) => fail(format!("{e} for a note or design")),
        e => fail(e.to_string()),
    })?;
    String::from_utf8(bytes).map_err(|e| {
        fail(format!(
            "it is not UTF-8 text (bad byte at offset {})",
            e.utf8_error().valid_up_to()
        ))
        .into()
    })
}
