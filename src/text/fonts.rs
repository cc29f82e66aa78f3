//! Fonts: the bundled families (built into the binary) and the user's files.

use crate::diag::{Diagnostic, Place, Result};
pub use crate::input::design::FontSources;
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
    /// x-height in font units, when the face gives one.
    pub x_height: Option<i16>,
    /// Which characters of the Basic Multilingual Plane the cmap maps, one
    /// bit each, read from the cmap when first asked.
    coverage: std::sync::OnceLock<Box<[u64]>>,
}

/// Why a font file cannot be used: a short, lower-case reason naming it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadFont(pub String);

impl std::fmt::Display for BadFont {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BadFont {}

impl Font {
    /// Reads a face from bytes; `origin` names it in messages.
    pub fn from_data(data: Cow<'static, [u8]>, origin: &str) -> std::result::Result<Font, BadFont> {
        Font::read(data, origin, true)
    }

    /// A bundled face: read as [`Font::from_data`] reads a user's, without
    /// its two costly checks (the name table, and parsing the layout tables
    /// for shaping), which a test makes of every bundled face instead.
    fn bundled(data: &'static [u8], family: &str) -> std::result::Result<Font, BadFont> {
        Font::read(Cow::Borrowed(data), family, false)
    }

    fn read(
        data: Cow<'static, [u8]>,
        origin: &str,
        check: bool,
    ) -> std::result::Result<Font, BadFont> {
        let face = ttf_parser::Face::parse(&data, 0).map_err(|e| {
            BadFont(format!(
                "{origin} is not a usable TrueType/OpenType font ({e})"
            ))
        })?;
        if face.tables().cmap.is_none() {
            return Err(BadFont(format!(
                "{origin} has no character map (cmap table)"
            )));
        }
        if face.tables().glyf.is_none() && face.tables().cff.is_none() {
            return Err(BadFont(format!(
                "{origin} has neither TrueType (glyf) nor CFF outlines; variable CFF2 fonts are not supported"
            )));
        }
        let upem = face.units_per_em();
        if !(16..=16384).contains(&upem) {
            return Err(BadFont(format!(
                "{origin} has an invalid units-per-em of {upem}"
            )));
        }
        if check {
            check_name_table(&face)
                .map_err(|why| BadFont(format!("{origin} has a broken name table ({why})")))?;
        }
        if check && rustybuzz::Face::from_slice(&data, 0).is_none() {
            return Err(BadFont(format!(
                "{origin} cannot be shaped (broken OpenType tables)"
            )));
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
            x_height: face.x_height().filter(|&h| h > 0),
            coverage: std::sync::OnceLock::new(),
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
            Font::from_data(Cow::Owned(data), &origin).map_err(|m| Diagnostic::at(place(), m.0))?;
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
    pub fn check_glyph_boxes(&self, origin: &str) -> std::result::Result<(), BadFont> {
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
                    return Err(BadFont(format!(
                        "{origin} is broken: glyph {gid} has an impossible bounding box"
                    )));
                }
            }
        }
        Ok(())
    }

    /// Whether the face draws `c` (see [`draws`]): for the Basic
    /// Multilingual Plane, one bit of a map read from the cmap once.
    pub fn has_char(&self, c: char) -> bool {
        let cp = c as usize;
        if cp < 0x10000 {
            let bits = self.coverage.get_or_init(|| bmp_coverage(&self.face()));
            if bits[cp / 64] >> (cp % 64) & 1 == 1 {
                return true;
            }
            // Not mapped: it may need no glyph, or decompose into mapped ones.
            if !needs_no_glyph(c) && !has_decomposition(c) {
                return false;
            }
        }
        draws(&self.face(), c)
    }

    /// Whether the face draws every character of `text`.
    pub fn covers(&self, text: &str) -> bool {
        text.chars().all(|c| self.has_char(c))
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

/// Whether a family is a serif design, as its name says: "Serif", "Mincho",
/// "Song" or "Ming" (the serif styles of CJK type) for serif; "Sans",
/// "Gothic" or "Hei" for sans; `None` when the name does not say.
fn serif_by_name(family: &str) -> Option<bool> {
    let f = family.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| f.contains(w));
    if has(&["sans", "gothic", "hei"]) {
        Some(false)
    } else if has(&["serif", "mincho", "song", "ming"]) {
        Some(true)
    } else {
        None
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

/// The bundled fallback faces, tried in order after a design's own face
/// when it lacks a character: regular, italic and bold of each (a face
/// without an italic repeats its regular). Noto Serif covers Latin
/// (Vietnamese and the rest of Latin Extended), Greek and Cyrillic; the
/// Hebrew and Arabic faces are serif (Naskh) designs of the same family.
fn bundled_fallbacks() -> [(&'static str, [&'static [u8]; 3]); 3] {
    [
        (
            "noto-serif",
            [
                bundled!("noto-serif/NotoSerif-Regular.ttf"),
                bundled!("noto-serif/NotoSerif-Italic.ttf"),
                bundled!("noto-serif/NotoSerif-Bold.ttf"),
            ],
        ),
        (
            "noto-serif-hebrew",
            [
                bundled!("noto-serif-hebrew/NotoSerifHebrew-Regular.ttf"),
                bundled!("noto-serif-hebrew/NotoSerifHebrew-Regular.ttf"),
                bundled!("noto-serif-hebrew/NotoSerifHebrew-Bold.ttf"),
            ],
        ),
        (
            "noto-naskh-arabic",
            [
                bundled!("noto-naskh-arabic/NotoNaskhArabic-Regular.ttf"),
                bundled!("noto-naskh-arabic/NotoNaskhArabic-Regular.ttf"),
                bundled!("noto-naskh-arabic/NotoNaskhArabic-Bold.ttf"),
            ],
        ),
    ]
}

/// Characters that print nothing and need no glyph: they are taken out
/// of words before shaping (see `text::breaks`), or shaped as invisible.
pub fn needs_no_glyph(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}' | '\u{00AD}' | '\u{2060}' | '\u{FEFF}' | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}' | '\u{FE00}'..='\u{FE0F}'
    )
}

/// The faces a design uses, loaded once.
#[derive(Debug, Clone)]
pub struct FontSet {
    /// The distinct faces; `Scene` text runs refer to them by index.
    pub fonts: Vec<Arc<Font>>,
    /// Index into `fonts` for regular, italic and bold.
    styles: [usize; 3],
    /// Per style, the faces tried after the style's own, in order.
    fallbacks: [Vec<usize>; 3],
}

fn style_slot(style: Style) -> usize {
    match style {
        Style::Regular => 0,
        Style::Italic => 1,
        Style::Bold => 2,
    }
}

impl FontSet {
    /// Loads the faces of a design's font choice (no fallbacks: see
    /// [`FontSet::load_for`]). `design_path` names the design in messages.
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
                styles = push_faces(&mut fonts, family, &faces)?;
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
        Ok(FontSet {
            fonts,
            styles,
            fallbacks: Default::default(),
        })
    }

    /// Loads a design's faces ([`FontSet::load`]) with the fallback faces
    /// that `text` needs: the bundled ones (Noto Serif for Latin, Greek and
    /// Cyrillic beyond the design's font, Noto Serif Hebrew, Noto Naskh
    /// Arabic) that draw characters of `text` the design's faces lack, then
    /// faces found in `sources` for what is still missing. A face no
    /// character needs is not loaded, so a note the design's font can set
    /// is set exactly as without fallbacks. A character still not found is
    /// left for the layout to report where it is.
    pub fn load_for(
        choice: &FontChoice,
        design_path: &Path,
        sources: &FontSources,
        text: &str,
    ) -> Result<FontSet> {
        let mut set = FontSet::load(choice, design_path)?;
        let mut missing = set.missing_chars(text);
        for (name, faces) in bundled_fallbacks() {
            if missing.is_empty() {
                break;
            }
            let regular = Font::bundled(faces[0], name)
                .map_err(|m| Diagnostic::new(format!("bundled font broken: {m}")))?;
            if !missing.iter().any(|&c| regular.has_char(c)) {
                continue;
            }
            missing.retain(|&c| !regular.has_char(c));
            let idx = push_faces(&mut set.fonts, name, &faces)?;
            for (slot, i) in idx.into_iter().enumerate() {
                set.fallbacks[slot].push(i);
            }
        }
        if !sources.is_empty() {
            set.add_found_faces(sources, text);
        }
        Ok(set)
    }

    /// The distinct characters of `text` that no face of the set draws.
    fn missing_chars(&self, text: &str) -> Vec<char> {
        // Each distinct character once (a batch's text is every card's).
        let mut seen = vec![0u64; 0x10000 / 64];
        let mut chars: Vec<char> = Vec::new();
        for c in text.chars() {
            let cp = c as usize;
            let new = if cp < 0x10000 {
                let bit = 1 << (cp % 64);
                let new = seen[cp / 64] & bit == 0;
                seen[cp / 64] |= bit;
                new
            } else {
                !chars.contains(&c)
            };
            if new && !c.is_whitespace() && !c.is_control() && !needs_no_glyph(c) {
                chars.push(c);
            }
        }
        chars.sort_unstable();
        // A few dozen characters: asked of each face, parsed once when
        // first needed, without building its coverage map (which reads its
        // whole cmap).
        let mut faces: Vec<Option<ttf_parser::Face>> = vec![None; self.fonts.len()];
        chars.retain(|&c| {
            !faces
                .iter_mut()
                .zip(&self.fonts)
                .any(|(face, f)| draws(face.get_or_insert_with(|| f.face()), c))
        });
        chars
    }

    /// Adds faces from `sources` for the characters of `text` no face of
    /// the set draws (one face per character found, tried for all styles).
    pub fn add_found_faces(&mut self, sources: &FontSources, text: &str) {
        let mut missing = self.missing_chars(text);
        if missing.is_empty() {
            return;
        }
        // Whether the set's own face is a serif design (a family name
        // without "Sans" is taken to be).
        let serif = serif_by_name(&self.fonts[self.styles[0]].family).unwrap_or(true);
        let mut db = fontdb::Database::new();
        for dir in &sources.paths {
            db.load_fonts_dir(dir);
        }
        if sources.system {
            db.load_system_fonts();
        }
        // A stable order, whatever order the directories were read in.
        let mut faces: Vec<&fontdb::FaceInfo> = db.faces().collect();
        faces.sort_by(|a, b| {
            let key = |f: &fontdb::FaceInfo| match &f.source {
                fontdb::Source::File(p) | fontdb::Source::SharedFile(p, _) => (p.clone(), f.index),
                fontdb::Source::Binary(_) => (std::path::PathBuf::new(), f.index),
            };
            // Regular upright faces first; of those, serif beside a serif
            // design (sans beside sans), then those that do not say.
            let rank = |f: &fontdb::FaceInfo| {
                let kind = f.families.first().and_then(|(name, _)| serif_by_name(name));
                let fit = match kind {
                    Some(k) if k == serif => 0,
                    None => 1,
                    Some(_) => 2,
                };
                ((f.style != fontdb::Style::Normal) as u8 * 2
                    + (f.weight != fontdb::Weight::NORMAL) as u8)
                    * 3
                    + fit
            };
            rank(a).cmp(&rank(b)).then_with(|| key(a).cmp(&key(b)))
        });
        while let Some(&c) = missing.first() {
            let found = faces.iter().find_map(|info| {
                let (fontdb::Source::File(path) | fontdb::Source::SharedFile(path, _)) =
                    &info.source
                else {
                    return None;
                };
                let covers = db
                    .with_face_data(info.id, |data, index| {
                        ttf_parser::Face::parse(data, index)
                            .ok()
                            .and_then(|f| f.glyph_index(c))
                            .is_some()
                    })
                    .unwrap_or(false);
                if !covers || info.index != 0 {
                    return None;
                }
                let font = Font::from_file(path, path).ok()?;
                Some(font)
            });
            match found {
                Some(font) => {
                    let i = self.fonts.len();
                    missing.retain(|&m| !font.has_char(m));
                    self.fonts.push(Arc::new(font));
                    for chain in &mut self.fallbacks {
                        chain.push(i);
                    }
                }
                None => {
                    missing.remove(0);
                }
            }
        }
    }

    /// Index of the face for a style.
    pub fn index(&self, style: Style) -> usize {
        self.styles[style_slot(style)]
    }

    /// The face for a style.
    pub fn get(&self, style: Style) -> &Arc<Font> {
        &self.fonts[self.index(style)]
    }

    /// The faces to try for text set in face `font`: that face, then the
    /// fallbacks of its style.
    pub fn chain(&self, font: usize) -> impl Iterator<Item = usize> + '_ {
        let slot = (0..3).find(|&s| self.styles[s] == font).unwrap_or(0);
        std::iter::once(font).chain(
            self.fallbacks[slot]
                .iter()
                .copied()
                .filter(move |&i| i != font),
        )
    }

    /// The first face of `font`'s chain that draws every character of
    /// `text`, if one does.
    pub fn covering(&self, font: usize, text: &str) -> Option<usize> {
        self.chain(font).find(|&i| self.fonts[i].covers(text))
    }

    /// The size a fallback face `font` is set at beside text in face
    /// `base` at `size`, so that their x-heights match (fallback faces with
    /// a larger eye would look bold and big); within 20% of `size`.
    pub fn matched_size(&self, font: usize, base: usize, size: f32) -> f32 {
        if font == base {
            return size;
        }
        let (f, b) = (&self.fonts[font], &self.fonts[base]);
        match (f.x_height, b.x_height) {
            (Some(fx), Some(bx)) => {
                let ratio =
                    (bx as f32 / b.units_per_em as f32) / (fx as f32 / f.units_per_em as f32);
                size * ratio.clamp(0.8, 1.2)
            }
            _ => size,
        }
    }

    /// The first face of `font`'s chain that draws `c`.
    pub fn covering_char(&self, font: usize, c: char) -> Option<usize> {
        self.chain(font).find(|&i| self.fonts[i].has_char(c))
    }
}

/// Whether a face draws `c`: from its own glyph, or (as the shaper does)
/// from the base letter and combining marks it decomposes into.
pub fn draws(face: &ttf_parser::Face, c: char) -> bool {
    use unicode_normalization::char::decompose_canonical;
    if needs_no_glyph(c) || face.glyph_index(c).is_some() {
        return true;
    }
    let mut parts = Vec::new();
    decompose_canonical(c, |p| parts.push(p));
    parts.len() > 1 && parts.iter().all(|&p| face.glyph_index(p).is_some())
}

/// The characters below U+10000 that a face's cmap maps to a glyph.
fn bmp_coverage(face: &ttf_parser::Face) -> Box<[u64]> {
    let mut bits = vec![0u64; 0x10000 / 64].into_boxed_slice();
    if let Some(cmap) = face.tables().cmap {
        for table in cmap.subtables.into_iter().filter(|t| t.is_unicode()) {
            // A codepoint this table lists and maps is one the face maps
            // (`Face::glyph_index` asks its Unicode tables in turn).
            table.codepoints(|cp| {
                if cp < 0x10000 && table.glyph_index(cp).is_some() {
                    bits[cp as usize / 64] |= 1 << (cp % 64);
                }
            });
        }
    }
    // The end of format 4's last segment, which its list of codepoints skips.
    if face.glyph_index('\u{FFFF}').is_some() {
        bits[0xFFFF / 64] |= 1 << (0xFFFF % 64);
    }
    bits
}

/// Whether `c` has a canonical decomposition into more than one character.
fn has_decomposition(c: char) -> bool {
    let mut n = 0;
    unicode_normalization::char::decompose_canonical(c, |_| n += 1);
    n > 1
}

/// Adds a bundled family's three faces (sharing repeated files) and
/// returns their indices for regular, italic and bold.
fn push_faces(
    fonts: &mut Vec<Arc<Font>>,
    family: &str,
    faces: &[&'static [u8]; 3],
) -> Result<[usize; 3]> {
    let mut styles = [0; 3];
    for (i, data) in faces.iter().enumerate() {
        if let Some(j) = faces[..i].iter().position(|d| std::ptr::eq(*d, *data)) {
            styles[i] = styles[j];
            continue;
        }
        let font = Font::bundled(data, family)
            .map_err(|m| Diagnostic::new(format!("bundled font broken: {m}")))?;
        styles[i] = fonts.len();
        fonts.push(Arc::new(font));
    }
    Ok(styles)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The design families' faces and the fallbacks'.
    fn every_bundled_face() -> Vec<&'static [u8]> {
        let mut faces: Vec<&'static [u8]> = ["caladea", "libertine"]
            .iter()
            .flat_map(|f| bundled_faces(f).unwrap())
            .collect();
        faces.extend(bundled_fallbacks().iter().flat_map(|(_, f)| *f));
        faces
    }

    #[test]
    fn every_bundled_face_passes_the_checks_a_users_font_gets() {
        let faces = every_bundled_face();
        assert!(faces.len() >= 6, "{} faces", faces.len());
        for data in faces {
            let checked = Font::from_data(Cow::Borrowed(data), "bundled").unwrap();
            let font = Font::bundled(data, "bundled").unwrap();
            assert_eq!(font.postscript_name, checked.postscript_name);
            assert_eq!(font.family, checked.family);
            assert!(check_name_table(&font.face()).is_ok(), "{}", font.family);
            font.check_glyph_boxes(&font.family).unwrap();
        }
    }

    #[test]
    fn the_coverage_map_agrees_with_the_cmap_for_every_bundled_face() {
        let faces = every_bundled_face();
        for data in faces {
            let font = Font::from_data(Cow::Borrowed(data), "bundled").unwrap();
            let face = font.face();
            let mut mapped = 0;
            for c in (0..0x10000).filter_map(char::from_u32) {
                assert_eq!(
                    font.has_char(c),
                    draws(&face, c),
                    "{} U+{:04X}",
                    font.family,
                    c as u32
                );
                mapped += usize::from(face.glyph_index(c).is_some());
            }
            assert!(mapped > 100, "{}: {mapped} characters", font.family);
        }
    }
}
