//! The bundled designs (`layouts/*.toml`), built into the binary.

use crate::diag::{Diagnostic, Place, Result};
use crate::input::design::parse_design;
use crate::input::{toml_error, Design, DesignSource};
use std::path::{Path, PathBuf};

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
        return parse_design_file(path, &text);
    }
    let message = format!("unknown layout {}", crate::diag::quote(reference));
    // Named by the caller (`--layout`), not in a file: an option's value.
    let d = match named_in {
        Some(p) => Diagnostic::at(p.clone(), message),
        None => Diagnostic::for_option("layout", message),
    };
    let d = match crate::diag::closest(reference, names()) {
        Some(near) => d.hint(format!("did you mean \"{near}\"?")),
        None => d,
    };
    Err(d
        .hint(format!("available designs: {}", names().join(", ")))
        .hint("or give the path of a design file, e.g. ./my-card.toml")
        .into())
}

/// The longest chain of designs that `extends` one another.
pub const MAX_EXTENDS: usize = 8;

/// Parses a design file, which may say `extends = "NAME"` (a bundled
/// design) or `extends = "PATH"` (another design file, relative to this
/// one) and give only the keys it changes: its tables are merged into the
/// design it extends, key by key (a table named in both is merged, any
/// other value, an array included, replaces the one it extends). Chains
/// are followed up to [`MAX_EXTENDS`] files; a cycle is refused. Paths in
/// the merged design (fonts, images) are relative to `path`.
pub fn parse_design_file(path: PathBuf, text: &str) -> Result<Design> {
    let parse = |p: &Path, t: &str| -> Result<toml::Table> {
        toml::from_str(t).map_err(|e| toml_error(p, t, &e).into())
    };
    let mut table = parse(&path, text)?;
    if !table.contains_key("extends") {
        return parse_design(DesignSource::File(path), text);
    }
    let mut chain: Vec<String> = vec![path.display().to_string()];
    let mut seen: Vec<PathBuf> = path.canonicalize().into_iter().collect();
    let mut layers = Vec::new();
    let mut current = path.clone();
    while let Some(value) = table.remove("extends") {
        let here = Place::file(&current);
        let Some(reference) = value.as_str().map(str::to_string) else {
            return Err(Diagnostic::at(
                here,
                "extends: give a design's name or a path, as a string",
            )
            .into());
        };
        layers.push(std::mem::take(&mut table));
        if layers.len() > MAX_EXTENDS {
            return Err(Diagnostic::at(
                here,
                format!("extends: more than {MAX_EXTENDS} designs extend one another"),
            )
            .hint(format!("the chain: {}", chain.join(" -> ")))
            .into());
        }
        if let Some(&(name, base_text)) = BUNDLED.iter().find(|b| b.0 == reference) {
            table = parse(Path::new(name), base_text)?;
            chain.push(name.to_string());
            break;
        }
        let base = current.parent().unwrap_or(Path::new("")).join(&reference);
        let canonical = base.canonicalize().ok();
        if let Some(c) = &canonical {
            if seen.contains(c) {
                chain.push(base.display().to_string());
                return Err(Diagnostic::at(
                    here,
                    "extends: the designs extend one another in a circle",
                )
                .hint(format!("the chain: {}", chain.join(" -> ")))
                .into());
            }
            seen.push(c.clone());
        }
        let looks_like_path = reference.contains(['/', '\\']) || reference.ends_with(".toml");
        if !looks_like_path && !base.is_file() {
            let d = Diagnostic::at(here, format!("extends: unknown design \"{reference}\""));
            let d = match crate::diag::closest(&reference, names()) {
                Some(near) => d.hint(format!("did you mean \"{near}\"?")),
                None => d,
            };
            return Err(d
                .hint(format!("available designs: {}", names().join(", ")))
                .into());
        }
        let base_text = read_text_as(&base, Some(&here), "the design file")?;
        table = parse(&base, &base_text)?;
        chain.push(base.display().to_string());
        current = base;
    }
    for layer in layers.into_iter().rev() {
        merge(&mut table, layer);
    }
    let merged = toml::to_string(&table).map_err(|e| {
        Diagnostic::at(Place::file(&path), format!("cannot merge the designs: {e}"))
    })?;
    parse_design(DesignSource::File(path.clone()), &merged).map_err(|e| {
        // Places in the merged text are not lines of any one file.
        let hint = format!("in the design merged from {}", chain.join(" -> "));
        crate::diag::Error(
            e.0.into_iter()
                .map(|mut d| {
                    d.place = Some(Place::file(&path));
                    d.hint(hint.clone())
                })
                .collect(),
        )
    })
}

/// Lays `over` onto `base`: tables merged key by key, anything else replaced.
fn merge(base: &mut toml::Table, over: toml::Table) {
    for (key, value) in over {
        match (base.get_mut(&key), value) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => merge(b, o),
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
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
        crate::io::ReadError::TooLarge(_) => fail(format!("{e} for {role}")),
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
