//! Reading a finished PDF: the size of its first page, as it prints, for
//! `stationer print` to ask CUPS for that media.
//!
//! The file is parsed with [`lopdf`] (cross-reference tables and streams,
//! object streams, incremental updates), so any well-formed PDF is read,
//! not only the ones Stationer writes. The MediaBox and `/Rotate` are
//! inherited from the page tree where the page has none, as the PDF
//! specification says. Reading is bounded: only regular files of at most
//! [`MAX_PDF_BYTES`] are read.

use crate::batch::impose::Duplex;
use crate::diag::{Diagnostic, Result};
use crate::io::ReadError;
use lopdf::{Dictionary, Document, Object};
use std::path::Path;

/// The largest PDF read for its page size: 256 MiB.
pub const MAX_PDF_BYTES: u64 = 256 * 1024 * 1024;

/// How many levels of the page tree are followed up from a page.
const MAX_DEPTH: usize = 64;

/// Reads the first page's size of a PDF file, in points, as it prints
/// (`[width, height]`, its `/Rotate` applied). Refuses anything but a
/// regular file (a symlink to one is followed) and files over
/// [`MAX_PDF_BYTES`], before reading them.
pub fn read_page_size(path: &Path) -> Result<[f32; 2]> {
    Ok(read_facts(path)?.size)
}

/// What `print` needs to know of a PDF.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PdfFacts {
    /// The first page's size as it prints, `[width, height]` in points.
    pub size: [f32; 2],
    /// The two-sided intent the PDF records (`/ViewerPreferences /Duplex`
    /// in its catalog: `DuplexFlipShortEdge` or `DuplexFlipLongEdge`);
    /// `None` when it records none (or `Simplex`).
    pub duplex: Option<Duplex>,
}

/// Reads a PDF file's [`PdfFacts`], bounded as [`read_page_size`].
pub fn read_facts(path: &Path) -> Result<PdfFacts> {
    let bytes = match crate::io::read_bounded(path, MAX_PDF_BYTES, "the PDF") {
        Ok(b) => b,
        Err(ReadError::TooLarge(_)) => {
            let len = std::fs::metadata(path).map_or(MAX_PDF_BYTES + 1, |m| m.len());
            return Err(too_big(path, len.max(MAX_PDF_BYTES + 1)).into());
        }
        Err(e @ ReadError::NotRegular(_)) => {
            return Err(
                Diagnostic::new(format!("cannot read {}: {e}", path.display()))
                    .hint("give the PDF file to print")
                    .into(),
            )
        }
        Err(e) => {
            return Err(Diagnostic::new(format!("cannot read {}: {e}", path.display())).into())
        }
    };
    facts(path, &bytes)
}

fn too_big(path: &Path, len: u64) -> Diagnostic {
    Diagnostic::new(format!(
        "{} is {} MiB; a PDF to print is read only up to {} MiB",
        path.display(),
        len.div_ceil(1024 * 1024),
        MAX_PDF_BYTES / (1024 * 1024)
    ))
    .hint("print a file this large with lp -o media=SIZE -o print-scaling=none FILE")
}

/// The first page's size of a PDF held in memory, in points, as it prints.
/// `name` names it in messages.
pub fn first_page_size(name: &Path, pdf: &[u8]) -> Result<[f32; 2]> {
    Ok(facts(name, pdf)?.size)
}

/// The [`PdfFacts`] of a PDF held in memory; `name` names it in messages.
pub fn facts(name: &Path, pdf: &[u8]) -> Result<PdfFacts> {
    if !pdf.starts_with(b"%PDF-") {
        return Err(Diagnostic::new(format!("{} is not a PDF", name.display()))
            .hint("stationer print takes PDFs, such as those stationer render, batch or calibrate make")
            .into());
    }
    let doc = Document::load_mem(pdf).map_err(|e| {
        Diagnostic::new(format!(
            "cannot read {} as a PDF: {}",
            name.display(),
            lower_first(&e.to_string())
        ))
        .hint("the file may be damaged or cut short; make it again")
    })?;
    let no_size = || {
        Diagnostic::new(format!(
            "cannot find the size of the first page of {} (its MediaBox)",
            name.display()
        ))
        .hint("print it with lp -o media=SIZE -o print-scaling=none FILE")
    };
    let page = *doc
        .get_pages()
        .values()
        .next()
        .ok_or_else(|| Diagnostic::new(format!("{} has no pages", name.display())))?;
    let page = doc.get_dictionary(page).map_err(|_| no_size())?;
    let media = inherited(&doc, page, b"MediaBox")
        .and_then(|o| rect(&doc, o))
        .ok_or_else(no_size)?;
    let rotate = match inherited(&doc, page, b"Rotate") {
        Some(o) => number(&doc, o).ok_or_else(no_size)? as i64,
        None => 0,
    };
    let [x0, y0, x1, y1] = media;
    let (w, h) = ((x1 - x0).abs(), (y1 - y0).abs());
    if !(w >= 1.0 && h >= 1.0 && w.is_finite() && h.is_finite()) {
        return Err(no_size().into());
    }
    let size = match rotate.rem_euclid(360) {
        90 | 270 => [h, w],
        _ => [w, h],
    };
    Ok(PdfFacts {
        size,
        duplex: duplex_intent(&doc),
    })
}

/// The catalog's `/ViewerPreferences /Duplex`, references followed.
fn duplex_intent(doc: &Document) -> Option<Duplex> {
    let catalog = doc.catalog().ok()?;
    let prefs = doc
        .dereference(catalog.get(b"ViewerPreferences").ok()?)
        .ok()?
        .1
        .as_dict()
        .ok()?;
    match doc.dereference(prefs.get(b"Duplex").ok()?).ok()?.1 {
        Object::Name(n) if n == b"DuplexFlipShortEdge" => Some(Duplex::Short),
        Object::Name(n) if n == b"DuplexFlipLongEdge" => Some(Duplex::Long),
        _ => None,
    }
}

/// An entry of a page, or of the nearest page-tree node above it that has it.
pub(crate) fn inherited<'a>(
    doc: &'a Document,
    page: &'a Dictionary,
    key: &[u8],
) -> Option<&'a Object> {
    let mut node = page;
    for _ in 0..MAX_DEPTH {
        if let Ok(v) = node.get(key) {
            return Some(v);
        }
        let parent = node.get(b"Parent").ok()?;
        node = doc.dereference(parent).ok()?.1.as_dict().ok()?;
    }
    None
}

/// A number, following a reference.
pub(crate) fn number(doc: &Document, o: &Object) -> Option<f32> {
    match doc.dereference(o).ok()?.1 {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) => Some(*r),
        _ => None,
    }
}

/// A rectangle `[x0 y0 x1 y1]`, following references.
pub(crate) fn rect(doc: &Document, o: &Object) -> Option<[f32; 4]> {
    let items = doc.dereference(o).ok()?.1.as_array().ok()?;
    if items.len() != 4 {
        return None;
    }
    let mut out = [0.0; 4];
    for (v, item) in out.iter_mut().zip(items) {
        *v = number(doc, item)?;
    }
    Some(out)
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn size(pdf: &[u8]) -> Result<[f32; 2]> {
        first_page_size(Path::new("t.pdf"), pdf)
    }

    /// A PDF with a correct cross-reference table, from its objects.
    fn pdf(objects: &[&str]) -> Vec<u8> {
        let mut out = b"%PDF-1.7\n".to_vec();
        let mut offsets = Vec::new();
        for (i, o) in objects.iter().enumerate() {
            offsets.push(out.len());
            out.extend(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
        }
        let xref = out.len();
        out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
        for o in offsets {
            out.extend(format!("{o:010} 00000 n \n").as_bytes());
        }
        out.extend(
            format!(
                "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
                objects.len() + 1
            )
            .as_bytes(),
        );
        out
    }

    #[test]
    fn the_first_page_inherits_its_box_and_is_turned() {
        let doc = pdf(&[
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [4 0 R 3 0 R] /Count 2 /MediaBox [0 0 10 20] >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
            "<< /Type /Page /Parent 2 0 R /Rotate 90 >>",
        ]);
        // Page 4 is first; it inherits the tree's MediaBox and is turned.
        assert_eq!(size(&doc).unwrap(), [20.0, 10.0]);
        // A MediaBox given by reference, a rotation inherited.
        let doc = pdf(&[
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 /Rotate -90 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox 4 0 R >>",
            "[0 0 396.5 306]",
        ]);
        assert_eq!(size(&doc).unwrap(), [306.0, 396.5]);
    }

    #[test]
    fn the_duplex_intent_is_read_from_the_catalog() {
        let with = |prefs: &str| {
            facts(
                Path::new("t.pdf"),
                &pdf(&[
                    &format!("<< /Type /Catalog /Pages 2 0 R {prefs} >>"),
                    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 396] >>",
                    "<< /Duplex /DuplexFlipShortEdge >>",
                ]),
            )
            .unwrap()
            .duplex
        };
        assert_eq!(
            with("/ViewerPreferences << /Duplex /DuplexFlipLongEdge >>"),
            Some(Duplex::Long)
        );
        assert_eq!(with("/ViewerPreferences 4 0 R"), Some(Duplex::Short));
        assert_eq!(with("/ViewerPreferences << /Duplex /Simplex >>"), None);
        assert_eq!(with(""), None);
    }

    #[test]
    fn garbage_and_pages_without_a_size_are_clear_errors() {
        let e = size(b"hello").unwrap_err().to_string();
        assert!(e.starts_with("error: t.pdf is not a PDF"), "{e}");
        let e = size(b"%PDF-1.7\nnothing at all").unwrap_err().to_string();
        assert!(e.starts_with("error: cannot read t.pdf as a PDF: "), "{e}");
        let doc = pdf(&[
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 0 5] >>",
        ]);
        let e = size(&doc).unwrap_err().to_string();
        assert!(e.contains("cannot find the size of the first page"), "{e}");
    }
}
