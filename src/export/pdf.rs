//! The PDF exporter: the Scene as a print-ready PDF.
//!
//! Page size exactly the trim (plus bleed), TrimBox and BleedBox, fonts
//! embedded as subsets (CID-keyed, Identity-H) with a ToUnicode map, glyphs
//! placed at the Scene's exact positions with TJ adjustments, `ActualText`
//! where the glyphs alone would not extract as the source text, compressed
//! streams, and bytes that depend only on the Scene.

use crate::scene::{Item, Page, Scene, Stroke, TextRun};
use crate::text::Font;
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use std::collections::{BTreeMap, BTreeSet};
use subsetter::GlyphRemapper;

const SYSTEM_INFO: SystemInfo = SystemInfo {
    registry: Str(b"Adobe"),
    ordering: Str(b"Identity"),
    supplement: 0,
};

/// What one font needs in the file: its glyphs and the text each maps to.
#[derive(Default)]
struct FontUse {
    glyphs: BTreeSet<u16>,
    /// Text of single-glyph clusters, first seen wins.
    to_unicode: BTreeMap<u16, String>,
    /// Widths as written in /W (1/1000 em), of every glyph used.
    widths: BTreeMap<u16, f32>,
}

/// Writes the Scene as PDF bytes.
pub fn write_pdf(scene: &Scene) -> Vec<u8> {
    let mut uses: Vec<FontUse> = (0..scene.fonts.len()).map(|_| FontUse::default()).collect();
    for run in runs(scene) {
        let u = &mut uses[run.font];
        for (glyphs, text) in clusters(run) {
            u.glyphs.extend(glyphs.iter().map(|g| g.id));
            if let [g] = glyphs {
                u.to_unicode.entry(g.id).or_insert_with(|| text.to_string());
            }
        }
    }
    for (font, u) in scene.fonts.iter().zip(&mut uses) {
        let face = font.face();
        u.widths = u
            .glyphs
            .iter()
            .map(|&g| (g, pdf_width(font, &face, g)))
            .collect();
        // Glyphs that only occur inside multi-glyph clusters map to their own character.
        let missing: BTreeSet<u16> = u
            .glyphs
            .iter()
            .copied()
            .filter(|g| !u.to_unicode.contains_key(g))
            .collect();
        if !missing.is_empty() {
            for (g, c) in reverse_cmap(font, &missing) {
                u.to_unicode.insert(g, c.to_string());
            }
        }
    }

    let mut alloc = Ref::new(1);
    let mut next = || alloc.bump();
    let catalog_id = next();
    let tree_id = next();
    let info_id = next();
    let mut pdf = Pdf::new();
    pdf.set_version(1, 7);

    // Fonts.
    let embeddings: Vec<Embedding> = scene
        .fonts
        .iter()
        .zip(&uses)
        .map(|(f, u)| Embedding::new(f, u))
        .collect();
    let mut font_refs = Vec::new();
    for (i, ((font, u), e)) in scene.fonts.iter().zip(&uses).zip(&embeddings).enumerate() {
        if u.glyphs.is_empty() {
            font_refs.push(None);
            continue;
        }
        let type0 = next();
        write_font(&mut pdf, &mut next, type0, font, u, e, i);
        font_refs.push(Some(type0));
    }

    // Pages.
    let mut page_ids = Vec::new();
    for page in &scene.pages {
        let page_id = next();
        let content_id = next();
        page_ids.push(page_id);
        let content = page_content(page, &embeddings, &uses);
        let compressed = deflate(&content);
        pdf.stream(content_id, &compressed)
            .filter(Filter::FlateDecode);
        let b = page.bleed;
        let (w, h) = (page.width + 2.0 * b, page.height + 2.0 * b);
        let mut p = pdf.page(page_id);
        p.parent(tree_id)
            .media_box(Rect::new(0.0, 0.0, w, h))
            .trim_box(Rect::new(b, b, page.width + b, page.height + b));
        if b > 0.0 {
            p.bleed_box(Rect::new(0.0, 0.0, w, h));
        }
        p.contents(content_id);
        let mut res = p.resources();
        let mut fonts = res.fonts();
        for (i, r) in font_refs.iter().enumerate() {
            if let Some(r) = r {
                fonts.pair(Name(format!("F{i}").as_bytes()), *r);
            }
        }
        fonts.finish();
        res.finish();
        p.finish();
    }
    pdf.pages(tree_id)
        .kids(page_ids.iter().copied())
        .count(page_ids.len() as i32);
    pdf.catalog(catalog_id).pages(tree_id);
    pdf.document_info(info_id)
        .title(TextStr(&scene.title))
        .creator(TextStr("Stationer"))
        .producer(TextStr(concat!("Stationer ", env!("CARGO_PKG_VERSION"))));
    // A document id from the content, so the same Scene gives the same bytes.
    let digest = fnv(pdf.as_bytes());
    let id = [
        digest.to_be_bytes(),
        fnv(&digest.to_le_bytes()).to_be_bytes(),
    ]
    .concat();
    pdf.set_file_id((id.clone(), id));
    pdf.finish()
}

fn runs(scene: &Scene) -> impl Iterator<Item = &TextRun> {
    scene
        .pages
        .iter()
        .flat_map(|p| &p.items)
        .filter_map(|i| match i {
            Item::Text(t) => Some(t),
            _ => None,
        })
}

/// A run's clusters: the glyphs of each and the text they stand for.
fn clusters(run: &TextRun) -> impl Iterator<Item = (&[crate::scene::PlacedGlyph], &str)> {
    let mut i = 0;
    std::iter::from_fn(move || {
        let g = &run.glyphs;
        if i >= g.len() {
            return None;
        }
        let start = i;
        let cluster = g[i].cluster;
        while i < g.len() && g[i].cluster == cluster {
            i += 1;
        }
        let end_byte = g.get(i).map_or(run.text.len(), |n| n.cluster as usize);
        let text = run.text.get(cluster as usize..end_byte).unwrap_or("");
        Some((&g[start..i], text))
    })
}

/// The characters that map to some glyphs, from the font's own cmap.
fn reverse_cmap(font: &Font, wanted: &BTreeSet<u16>) -> BTreeMap<u16, char> {
    let face = font.face();
    let mut found = BTreeMap::new();
    if let Some(cmap) = face.tables().cmap {
        for sub in cmap.subtables.into_iter().filter(|s| s.is_unicode()) {
            sub.codepoints(|cp| {
                if let (Some(c), Some(g)) = (char::from_u32(cp), sub.glyph_index(cp)) {
                    if wanted.contains(&g.0) {
                        found.entry(g.0).or_insert(c);
                    }
                }
            });
        }
    }
    found
}

/// A font as embedded: a subset with dense new glyph ids, or (should the
/// subsetter fail on a user's font) the whole font with its own ids.
struct Embedding {
    data: Vec<u8>,
    remapper: GlyphRemapper,
    whole: bool,
}

impl Embedding {
    fn new(font: &Font, u: &FontUse) -> Embedding {
        let mut remapper = GlyphRemapper::new();
        for &g in &u.glyphs {
            remapper.remap(g);
        }
        if u.glyphs.is_empty() {
            return Embedding {
                data: Vec::new(),
                remapper,
                whole: false,
            };
        }
        match subsetter::subset(font.data(), 0, &remapper) {
            Ok(data) => Embedding {
                data,
                remapper,
                whole: false,
            },
            Err(_) => Embedding {
                data: font.data().to_vec(),
                remapper,
                whole: true,
            },
        }
    }

    /// The CID (= glyph id in the embedded font) of an original glyph id.
    fn cid(&self, gid: u16) -> u16 {
        if self.whole {
            gid
        } else {
            self.remapper.get(gid).unwrap_or(0)
        }
    }
}

/// Width of a glyph in PDF text space units (1/1000 em), as written in /W.
fn pdf_width(font: &Font, face: &ttf_parser::Face, gid: u16) -> f32 {
    let adv = face
        .glyph_hor_advance(ttf_parser::GlyphId(gid))
        .unwrap_or(0);
    adv as f32 * 1000.0 / font.units_per_em as f32
}

#[allow(clippy::too_many_arguments)]
fn write_font(
    pdf: &mut Pdf,
    next: &mut impl FnMut() -> Ref,
    type0: Ref,
    font: &Font,
    u: &FontUse,
    e: &Embedding,
    index: usize,
) {
    let cid_id = next();
    let descriptor_id = next();
    let file_id = next();
    let cmap_id = next();
    // The six-letter subset tag, from the font and its glyph set.
    let mut key = font.postscript_name.as_bytes().to_vec();
    for g in &u.glyphs {
        key.extend(g.to_be_bytes());
    }
    key.push(index as u8);
    let mut h = fnv(&key);
    let tag: String = (0..6)
        .map(|_| {
            let c = (b'A' + (h % 26) as u8) as char;
            h /= 26;
            c
        })
        .collect();
    let base_font = format!("{tag}+{}", font.postscript_name);

    let base_font = if e.whole {
        font.postscript_name.clone()
    } else {
        base_font
    };
    let compressed = deflate(&e.data);
    let mut stream = pdf.stream(file_id, &compressed);
    stream.filter(Filter::FlateDecode);
    if font.is_cff {
        stream.pair(Name(b"Subtype"), Name(b"OpenType"));
    }
    stream.finish();

    pdf.type0_font(type0)
        .base_font(Name(base_font.as_bytes()))
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid_id)
        .to_unicode(cmap_id);

    let upem = font.units_per_em as f32;
    let to_pdf = |v: i16| v as f32 * 1000.0 / upem;
    let mut cid = pdf.cid_font(cid_id);
    cid.subtype(if font.is_cff {
        CidFontType::Type0
    } else {
        CidFontType::Type2
    })
    .base_font(Name(base_font.as_bytes()))
    .system_info(SYSTEM_INFO)
    .font_descriptor(descriptor_id);
    if !font.is_cff {
        cid.cid_to_gid_map_predefined(Name(b"Identity"));
    }
    // New glyph ids are dense: 0..n in remapped order.
    let face = font.face();
    let widths: Vec<f32> = if e.whole {
        (0..font.face().number_of_glyphs())
            .map(|g| pdf_width(font, &face, g))
            .collect()
    } else {
        e.remapper
            .remapped_gids()
            .map(|old| u.widths.get(&old).copied().unwrap_or(0.0))
            .collect()
    };
    cid.widths().consecutive(0, widths);
    cid.finish();

    let mut flags = FontFlags::NON_SYMBOLIC;
    if font.is_italic {
        flags |= FontFlags::ITALIC;
    }
    let [x0, y0, x1, y1] = font.bbox;
    let mut fd = pdf.font_descriptor(descriptor_id);
    fd.name(Name(base_font.as_bytes()))
        .flags(flags)
        .bbox(Rect::new(to_pdf(x0), to_pdf(y0), to_pdf(x1), to_pdf(y1)))
        .italic_angle(font.italic_angle)
        .ascent(to_pdf(font.ascender))
        .descent(to_pdf(font.descender))
        .cap_height(to_pdf(font.cap_height))
        .stem_v(80.0 + (font.weight.saturating_sub(400)) as f32 / 4.0);
    if font.is_cff {
        fd.font_file3(file_id);
    } else {
        fd.font_file2(file_id);
    }
    fd.finish();

    let mut cmap = UnicodeCmap::new(Name(b"Stationer-UTF16"), SYSTEM_INFO);
    for (&old, text) in &u.to_unicode {
        cmap.pair_with_multiple(e.cid(old), text.chars());
    }
    let cmap_data = cmap.finish();
    pdf.cmap(cmap_id, &deflate(cmap_data.as_slice()))
        .filter(Filter::FlateDecode);
}

/// A piece of a TJ array.
enum Tj {
    Glyphs(Vec<u8>),
    Adjust(f32),
}

fn page_content(page: &Page, embeddings: &[Embedding], uses: &[FontUse]) -> Vec<u8> {
    let b = page.bleed;
    let full_h = page.height + 2.0 * b;
    let tx = |x: f32| x + b;
    let ty = |y: f32| full_h - (y + b);
    let mut c = Content::new();
    for item in &page.items {
        match item {
            Item::Stroke(Stroke {
                from,
                to,
                width,
                color,
            }) => {
                c.save_state();
                c.set_line_width(*width);
                c.set_stroke_rgb(color.0[0], color.0[1], color.0[2]);
                c.move_to(tx(from[0]), ty(from[1]));
                c.line_to(tx(to[0]), ty(to[1]));
                c.stroke();
                c.restore_state();
            }
            Item::Text(run) => {
                let embedding = &embeddings[run.font];
                let to_unicode = &uses[run.font].to_unicode;
                let widths = &uses[run.font].widths;
                c.begin_text();
                c.set_font(Name(format!("F{}", run.font).as_bytes()), run.size);
                c.set_fill_rgb(run.color.0[0], run.color.0[1], run.color.0[2]);
                c.set_text_matrix([1.0, 0.0, 0.0, 1.0, tx(run.x), ty(run.y)]);
                let mut pen = 0.0f32;
                let mut rise = 0.0f32;
                let mut tj: Vec<Tj> = Vec::new();
                for (glyphs, text) in clusters(run) {
                    let mapped: String = glyphs
                        .iter()
                        .map(|g| to_unicode.get(&g.id).map_or("", String::as_str))
                        .collect();
                    let actual = mapped != text;
                    if actual {
                        flush(&mut c, &mut tj);
                        c.begin_marked_content_with_properties(Name(b"Span"))
                            .properties()
                            .actual_text(TextStr(text));
                    }
                    for g in glyphs {
                        if (g.dy - rise).abs() > 1e-4 {
                            flush(&mut c, &mut tj);
                            // Scene dy is downwards; PDF rise is upwards.
                            c.set_rise(-g.dy);
                            rise = g.dy;
                        }
                        let delta = g.x - pen;
                        if delta.abs() > 1e-4 {
                            tj.push(Tj::Adjust(-delta * 1000.0 / run.size));
                        }
                        let cid = embedding.cid(g.id);
                        match tj.last_mut() {
                            Some(Tj::Glyphs(bytes)) => bytes.extend(cid.to_be_bytes()),
                            _ => tj.push(Tj::Glyphs(cid.to_be_bytes().to_vec())),
                        }
                        pen = g.x + widths.get(&g.id).copied().unwrap_or(0.0) * run.size / 1000.0;
                    }
                    if actual {
                        flush(&mut c, &mut tj);
                        c.end_marked_content();
                    }
                }
                flush(&mut c, &mut tj);
                if rise != 0.0 {
                    c.set_rise(0.0);
                }
                c.end_text();
            }
        }
    }
    c.finish().into_vec()
}

fn flush(c: &mut Content, tj: &mut Vec<Tj>) {
    if tj.is_empty() {
        return;
    }
    let mut show = c.show_positioned();
    let mut items = show.items();
    for t in tj.drain(..) {
        match t {
            Tj::Glyphs(bytes) => {
                items.show(Str(&bytes));
            }
            Tj::Adjust(a) => {
                items.adjust(a);
            }
        }
    }
}

fn deflate(data: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(data, 6)
}

/// 64-bit FNV-1a: a stable hash for subset tags and the document id.
fn fnv(data: &[u8]) -> u64 {
    data.iter().fold(0xcbf29ce484222325u64, |h, &b| {
        (h ^ b as u64).wrapping_mul(0x100000001b3)
    })
}
