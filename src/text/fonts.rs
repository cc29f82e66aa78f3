//! Fonts: the bundled families (built into the binary) and the user's files.

use crate::diag::{Diagnostic, Place, Result};
use crate::input::design::{FontChoice, Style, BUNDLED_FAMILIES};
use std::borrow::Cow;
use std::path::Path;
use std::sync::Arc;

/// The largest font file Stationer reads.
pub const MAX_FONT_BYTES: u64 = 50 * 1024 * 1024;

/// A font face and the metrics the layout and the exporters need.
#[derive(Debug)]
pub struct Font {
    /// PostScript name (used as the PDF BaseFont, without subset tag).
    pub postscript_name: String,
    /// Family name, for PDF metadata.
    pub family: String,
    data: Cow<'static, [u8]>,
    /// Units per em.
    pub units_per_em: u16,
    /// Ascender in font units (positive, above the baseline).
    pub ascender: i16,
    /// Descender in font units (negative, below the baseline).
    pub descender: i16,
    /// Cap height in font units.
    pub cap_height: i16,
    /// The font's bounding box in font units: x0, y0, x1, y1.
    pub bbox: [i16; 4],
    /// Italic angle in degrees.
    pub italic_angle: f32,
    /// Weight class (400 regular, 700 bold).
    pub weight: u16,
    /// Whether outlines are CFF (PostScript) rather than TrueType.
    pub is_cff: bool,
    /// Whether the face is italic.
    pub is_italic: bool,
}

impl Font {
    /// Reads a face from bytes; `origin` names it in messages.
    pub fn from_data(data: Cow<'static, [u8]>, origin: &str) -> std::result::Result<Font, String> {
        let face = ttf_parser::Face::parse(&data, 0)
            .map_err(|e| format!("{origin} is not a usable TrueType/OpenType font ({e})"))?;
        if face.tables().cmap.is_none() {
            return Err(format!("{origin} has no character map (cmap table)"));
        }
        if face.tables().glyf.is_none() && face.tables().cff.is_none() {
            return Err(format!(
                "{origin} has neither TrueType (glyf) nor CFF outlines; variable CFF2 fonts are not supported"
            ));
        }
        let upem = face.units_per_em();
        if !(16..=16384).contains(&upem) {
            return Err(format!("{origin} has an invalid units-per-em of {upem}"));
        }
        check_name_table(&face)
            .map_err(|why| format!("{origin} has a broken name table ({why})"))?;
        if rustybuzz::Face::from_slice(&data, 0).is_none() {
            return Err(format!(
                "{origin} cannot be shaped (broken OpenType tables)"
            ));
        }
        let name = |id| {
            face.names()
                .into_iter()
                .filter(|n| n.name_id == id && n.is_unicode())
                .find_map(|n| n.to_string())
        };
        let postscript_name: String = name(ttf_parser::name_id::POST_SCRIPT_NAME)
            .unwrap_or_else(|| "Font".into())
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .take(60)
            .collect();
        let family = name(ttf_parser::name_id::FAMILY).unwrap_or_else(|| postscript_name.clone());
        let bb = face.global_bounding_box();
        let (ascender, descender) = (face.ascender(), face.descender());
        let font = Font {
            postscript_name: if postscript_name.is_empty() {
                "Font".into()
            } else {
                postscript_name
            },
            family,
            units_per_em: upem,
            ascender,
            descender,
            cap_height: face
                .capital_height()
                .unwrap_or((ascender as f32 * 0.7) as i16),
            bbox: [bb.x_min, bb.y_min, bb.x_max, bb.y_max],
            italic_angle: face.italic_angle(),
            weight: face.weight().to_number(),
            is_cff: face.tables().cff.is_some(),
            is_italic: face.is_italic(),
            data: Cow::Borrowed(&[]),
        };
        Ok(Font { data, ..font })
    }

    /// Reads a font file of the user's.
    pub fn from_file(path: &Path, named_in: &Path) -> Result<Font> {
        let place = || Place::file(named_in);
        let data = crate::io::read_bounded(path, MAX_FONT_BYTES, "the font").map_err(|e| {
            Diagnostic::at(
                place(),
                format!("cannot read font {}: {e}", crate::diag::path(path)),
            )
        })?;
        let origin = format!("font {}", crate::diag::path(path));
        let font =
            Font::from_data(Cow::Owned(data), &origin).map_err(|m| Diagnostic::at(place(), m))?;
        // The PDF embeds a subset; a font the subsetter cannot read is refused now.
        if subsetter::subset(font.data(), 0, &subsetter::GlyphRemapper::new()).is_err() {
            return Err(Diagnostic::at(
                place(),
                format!("{origin} cannot be embedded in a PDF (subsetting failed)"),
            )
            .into());
        }
        Ok(font)
    }

    /// Checks every glyph's bounding box: a box wider or taller than the
    /// font's coordinate range makes the shaper's arithmetic overflow, so
    /// such a font (never a real one) is refused when it is loaded.
    pub fn check_glyph_boxes(&self, origin: &str) -> std::result::Result<(), String> {
        let face = self.face();
        let glyf = face.tables().glyf;
        for gid in 0..face.number_of_glyphs() {
            let id = ttf_parser::GlyphId(gid);
            // The box a TrueType glyph declares, as the shaper reads it.
            let declared = glyf.and_then(|g| g.bbox(id));
            if let Some(b) = declared.or_else(|| face.glyph_bounding_box(id)) {
                let w = b.x_max as i32 - b.x_min as i32;
                let h = b.y_max as i32 - b.y_min as i32;
                if !(0..=i16::MAX as i32).contains(&w) || !(0..=i16::MAX as i32).contains(&h) {
                    return Err(format!(
                        "{origin} is broken: glyph {gid} has an impossible bounding box"
                    ));
                }
            }
        }
        Ok(())
    }

    /// The font file's bytes.
    pub fn data(&self) -> &[u8] {
        &self.data
    }

    /// A parsed view of the face (cheap: tables are read lazily).
    pub fn face(&self) -> ttf_parser::Face<'_> {
        ttf_parser::Face::parse(&self.data, 0).expect("font was validated when loaded")
    }

    /// Points per font unit at a size.
    pub fn scale(&self, size: f32) -> f32 {
        size / self.units_per_em as f32
    }

    /// Ascent at a size, in points (positive).
    pub fn ascent(&self, size: f32) -> f32 {
        self.ascender as f32 * self.scale(size)
    }

    /// Descent at a size, in points (positive, below the baseline).
    pub fn descent(&self, size: f32) -> f32 {
        -(self.descender as f32) * self.scale(size)
    }
}

/// Checks the `name` table the way the PDF subsetter (`subsetter` 0.2)
/// rewrites it, whose 16-bit arithmetic overflows (a panic in debug builds)
/// on a record that ends past 64 KiB, on more than 64 KiB of distinct name
/// strings, or on more records than a 16-bit table header can address.
/// Such a table is never a real font's, so the font is refused on load.
fn check_name_table(face: &ttf_parser::Face) -> std::result::Result<(), &'static str> {
    let Some(name) = face.raw_face().table(ttf_parser::Tag::from_bytes(b"name")) else {
        return Ok(());
    };
    let u16_at = |i: usize| name.get(i..i + 2).map(|b| u16::from_be_bytes([b[0], b[1]]));
    // Version 1 tables are copied as they are.
    if u16_at(0) != Some(0) {
        return Ok(());
    }
    let (Some(count), Some(storage_at)) = (u16_at(2), u16_at(4)) else {
        return Err("truncated header");
    };
    let storage = name.get(storage_at as usize..).unwrap_or(&[]);
    let mut kept = 0u32;
    let mut distinct = std::collections::HashSet::new();
    let mut stored = 0u32;
    for i in 0..count as usize {
        let at = 6 + 12 * i;
        let field = |k: usize| u16_at(at + 2 * k).ok_or("truncated record");
        let (platform, encoding, name_id) = (field(0)?, field(1)?, field(3)?);
        let (length, offset) = (field(4)?, field(5)?);
        let unicode = platform == 0 || (platform == 3 && [0, 1, 10].contains(&encoding));
        if !unicode || !matches!(name_id, 0..=9 | 11..=14) {
            continue;
        }
        kept += 1;
        let end = offset as u32 + length as u32;
        if end > u16::MAX as u32 {
            return Err("a string ends past 64 KiB");
        }
        let Some(text) = storage.get(offset as usize..end as usize) else {
            return Err("a string lies outside the table");
        };
        if distinct.insert(text) {
            stored += length as u32;
        }
    }
    if stored > u16::MAX as u32 {
        return Err("more than 64 KiB of names");
    }
    if 6 + 12 * kept > u16::MAX as u32 {
        return Err("too many names");
    }
    Ok(())
}

/// A short reason for an I/O error, without Rust's "(os error N)".
pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => {
            let s = e.to_string();
            match s.find(" (os error") {
                Some(i) => s[..i].to_lowercase(),
                None => s.to_lowercase(),
            }
        }
    }
}

macro_rules! bundled {
    ($path:literal) => {
        include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/fonts/", $path)) as &'static [u8]
    };
}

/// The bundled faces of a family: regular, italic, bold.
fn bundled_faces(family: &str) -> Option<[&'static [u8]; 3]> {
    match family {
        "caladea" => Some([
            bundled!("caladea/Caladea-Regular.ttf"),
            bundled!("caladea/Caladea-Italic.ttf"),
            bundled!("caladea/Caladea-Bold.ttf"),
        ]),
        "libertine" => Some([
            bundled!("libertine/LinLibertine_R.otf"),
            bundled!("libertine/LinLibertine_RI.otf"),
            bundled!("libertine/LinLibertine_RB.otf"),
        ]),
        _ => None,
    }
}

/// The faces a design uses, loaded once.
#[derive(Debug, Clone)]
pub struct FontSet {
    /// The distinct faces; `Scene` text runs refer to them by index.
    pub fonts: Vec<Arc<Font>>,
    /// Index into `fonts` for regular, italic and bold.
    styles: [usize; 3],
}

impl FontSet {
    /// Loads the faces of a design's font choice. `design_path` names the design in messages.
    pub fn load(choice: &FontChoice, design_path: &Path) -> Result<FontSet> {
        let mut fonts: Vec<Arc<Font>> = Vec::new();
        let mut styles = [0; 3];
        match choice {
            FontChoice::Bundled(family) => {
                let faces = bundled_faces(family).ok_or_else(|| {
                    Diagnostic::at(
                        Place::file(design_path),
                        format!("unknown font {}", crate::diag::quote(family)),
                    )
                    .hint(format!("bundled fonts: {}", BUNDLED_FAMILIES.join(", ")))
                })?;
                for (i, data) in faces.iter().enumerate() {
                    if let Some(j) = faces[..i].iter().position(|d| std::ptr::eq(*d, *data)) {
                        styles[i] = styles[j];
                        continue;
                    }
                    let font = Font::from_data(Cow::Borrowed(data), family)
                        .map_err(|m| Diagnostic::new(format!("bundled font broken: {m}")))?;
                    styles[i] = fonts.len();
                    fonts.push(Arc::new(font));
                }
            }
            FontChoice::Files {
                regular,
                italic,
                bold,
            } => {
                fonts.push(Arc::new(Font::from_file(regular, design_path)?));
                for (i, file) in [(1, italic), (2, bold)] {
                    if let Some(file) = file {
                        styles[i] = fonts.len();
                        fonts.push(Arc::new(Font::from_file(file, design_path)?));
                    }
                }
            }
        }
        Ok(FontSet { fonts, styles })
    }

    /// Index of the face for a style.
    pub fn index(&self, style: Style) -> usize {
        self.styles[match style {
            Style::Regular => 0,
            Style::Italic => 1,
            Style::Bold => 2,
        }]
    }

    /// The face for a style.
    pub fn get(&self, style: Style) -> &Arc<Font> {
        &self.fonts[self.index(style)]
    }
}
