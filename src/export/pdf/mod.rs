//! The PDF exporter: the Scene as a print-ready PDF.
//!
//! Page size exactly the trim (plus bleed), TrimBox and BleedBox, fonts
//! embedded as subsets (CID-keyed, Identity-H) with a ToUnicode map, glyphs
//! placed at the Scene's exact positions with TJ adjustments, `ActualText`
//! where the glyphs alone would not extract as the source text, compressed
//! streams, and bytes that depend only on the Scene.
//!
//! [`PdfWriter`] takes pages one at a time, so a batch of thousands of cards
//! never holds more than one page's Scene: glyph ids are renumbered as they
//! are first met and each font is subset once, at the end.
//!
//! Every file carries XMP metadata matching `/Info` (title, the signer as
//! author, tools, dates when known), a `CIDSet` for each subset font, CFF
//! fonts as bare CFF (`/FontFile3 /Subtype /CIDFontType0C`), pure black as
//! `0 g` (DeviceGray) and crop and registration marks in the `/All`
//! separation. [`PdfOptions::standard`] adds what PDF/A-1b, PDF/A-2b or
//! PDF/X-4 ask for (see `standards.rs`).

mod cmap;
mod file;
mod standards;

use crate::diag::{Diagnostic, Result};
use crate::input::design::Rgb;
use crate::scene::{
    ImageData, Item, Page, Panel, Picture, PlacedGlyph, Scene, Stroke, TextRun, Transform,
};
use crate::text::Font;
use file::Out;
use libdeflater::{CompressionLvl, Compressor};
use pdf_writer::types::{CidFontType, FontFlags, OutputIntentSubtype, SystemInfo, TrappingStatus};
use pdf_writer::writers::{Catalog, DocumentInfo};
use pdf_writer::writers::{ColorSpace, Resources};
use pdf_writer::{Filter, Finish, Name, Rect, Ref, Str, TextStr};
pub use standards::PdfStandard;
use standards::{Meta, Moment};
use std::cell::RefCell;
use std::sync::Arc;
use subsetter::GlyphRemapper;

const SYSTEM_INFO: SystemInfo = SystemInfo {
    registry: Str(b"Adobe"),
    ordering: Str(b"Identity"),
    supplement: 0,
};

/// Writes the Scene as PDF bytes.
pub fn write_pdf(scene: &Scene) -> Vec<u8> {
    write_pdf_with(scene, &PdfOptions::default())
}

/// Writes the Scene as PDF bytes, with options (a standard, dates).
/// With a [`PdfStandard`] the content cannot meet, the file is written as
/// near to it as it can be; [`try_write_pdf`] refuses instead.
pub fn write_pdf_with(scene: &Scene, options: &PdfOptions) -> Vec<u8> {
    scene_writer(scene, options).finish()
}

/// Writes the Scene as PDF bytes, with options, or says why the content
/// cannot meet the standard the options ask for (PDF/A-1b and an image
/// with transparency over other printed items).
pub fn try_write_pdf(scene: &Scene, options: &PdfOptions) -> Result<Vec<u8>> {
    scene_writer(scene, options).try_finish()
}

fn scene_writer<'a>(scene: &'a Scene, options: &PdfOptions) -> PdfWriter<'a> {
    let mut w = PdfWriter::new(&scene.fonts, &scene.title);
    w.set_author(&scene.author);
    w.set_options(*options);
    for page in &scene.pages {
        w.add_page(page);
    }
    w
}

/// How to write a PDF. The default writes the Scene as it is.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PdfOptions {
    /// A standard the file conforms to (default none).
    pub standard: Option<PdfStandard>,
    /// `CreationDate` and `ModDate`, in seconds since 1970-01-01 UTC
    /// (default none: no dates, except in PDF/X-4, which requires them and
    /// is given 1970-01-01T00:00:00Z). Callers wanting reproducible dates
    /// pass `SOURCE_DATE_EPOCH` here.
    pub date: Option<i64>,
}

/// A page's [`Transform`] as a PDF `cm` matrix for its MediaBox `full_h`
/// points high, bleed `b`: PDF space (origin bottom-left, y up) to the
/// page's items (top-left of the trim, y down), transformed, and back.
fn matrix(t: &Transform, b: f32, full_h: f32) -> [f32; 6] {
    let (b, h) = (b as f64, full_h as f64);
    let (sx, sy) = (t.scale[0] as f64, t.scale[1] as f64);
    let (dx, dy) = (t.offset[0] as f64, t.offset[1] as f64);
    // X' = sx (X - b) + dx + b;  Y' = h - (sy (h - Y - b) + dy + b).
    let e = dx + b - sx * b;
    let f = h - sy * (h - b) - dy - b;
    [sx, 0.0, 0.0, sy, e, f].map(|v| v as f32)
}

/// What the file holds of one font so far.
struct FontState<'a> {
    face: ttf_parser::Face<'a>,
    /// The font's subsets, each one PDF font of at most [`cmap::CODES`]
    /// glyphs (so that every code is one byte); a face with more glyphs in
    /// use is embedded as several.
    parts: Vec<Part>,
    /// Per original glyph id: the glyph's part and CID and /W width
    /// (1/1000 em) once it is used, and the text it extracts as (first seen
    /// wins).
    glyphs: Vec<GlyphUse>,
    used: bool,
}

/// One subset of a font, written as one Type0 font.
struct Part {
    /// Original glyph id -> CID (dense, in order of first use; 0 is .notdef).
    remapper: GlyphRemapper,
    /// The Type0 font object.
    id: Ref,
}

/// What the file holds of one glyph.
#[derive(Debug, Clone, Default)]
struct GlyphUse {
    /// Which of the font's parts holds it.
    part: u16,
    /// Its CID in that part's subset, once used.
    cid: Option<u16>,
    /// Its /W width in 1/1000 em.
    width: f32,
    /// The text it extracts as.
    text: Option<Box<str>>,
}

impl FontState<'_> {
    /// Whether registering glyph `gid` would change nothing: it has its
    /// code and its text (or is not in the font).
    fn knows(&self, gid: u16) -> bool {
        self.glyphs
            .get(gid as usize)
            .is_none_or(|s| s.cid.is_some() && s.text.is_some())
    }

    /// A glyph's use (an unused default for an id past the font's glyphs).
    fn glyph(&self, gid: u16) -> &GlyphUse {
        static NONE: GlyphUse = GlyphUse {
            part: 0,
            cid: None,
            width: 0.0,
            text: None,
        };
        self.glyphs.get(gid as usize).unwrap_or(&NONE)
    }
}

/// An image written into the file once, with the object pages refer to.
struct ImageObject {
    image: Arc<ImageData>,
    id: Ref,
}

/// The name of the `/All` separation in every page's resources.
const ALL: &str = "All";

/// A PDF built page by page.
pub struct PdfWriter<'a> {
    fonts: &'a [Arc<Font>],
    states: Vec<FontState<'a>>,
    out: Out<'a>,
    next: Ref,
    catalog_id: Ref,
    tree_id: Ref,
    info_id: Ref,
    /// One resource dictionary for every page: the fonts the document uses.
    resources_id: Ref,
    page_ids: Vec<Ref>,
    /// The first page's media box, which the page tree gives every page
    /// that does not set its own.
    first_media: Option<Rect>,
    /// Images written so far, in order of first use; page `i` refers to `/Im{i}`.
    images: Vec<ImageObject>,
    title: String,
    author: String,
    options: PdfOptions,
    /// Whether a page draws in the `/All` separation.
    uses_all: bool,
    /// Why the content cannot meet the standard asked for.
    problems: Vec<Diagnostic>,
    /// Two-sided intent for the catalog's `/ViewerPreferences /Duplex`.
    duplex: Option<DuplexFlip>,
}

/// How a two-sided document is meant to be printed: the sheet turned over
/// its short or its long edge (`/ViewerPreferences /Duplex`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DuplexFlip {
    /// `/DuplexFlipShortEdge`.
    ShortEdge,
    /// `/DuplexFlipLongEdge`.
    LongEdge,
}

impl<'a> PdfWriter<'a> {
    /// A writer for pages whose text runs use `fonts` (indices as in the Scene).
    pub fn new(fonts: &'a [Arc<Font>], title: &str) -> PdfWriter<'a> {
        PdfWriter::with_sink(fonts, title, None)
    }

    /// A writer that gives the file to `sink` as it grows (a batch of
    /// thousands of cards is never held whole); [`Self::finish`] then
    /// returns nothing. An error of the sink stops the writing; the sink's
    /// owner reports it.
    pub fn streaming(
        fonts: &'a [Arc<Font>],
        title: &str,
        sink: &'a mut dyn std::io::Write,
    ) -> PdfWriter<'a> {
        PdfWriter::with_sink(fonts, title, Some(sink))
    }

    fn with_sink(
        fonts: &'a [Arc<Font>],
        title: &str,
        sink: Option<&'a mut dyn std::io::Write>,
    ) -> PdfWriter<'a> {
        let mut next = Ref::new(1);
        let catalog_id = next.bump();
        let tree_id = next.bump();
        let info_id = next.bump();
        let resources_id = next.bump();
        let states = fonts
            .iter()
            .map(|f| FontState {
                face: f.face(),
                parts: vec![Part {
                    remapper: GlyphRemapper::new(),
                    id: next.bump(),
                }],
                glyphs: vec![GlyphUse::default(); f.face().number_of_glyphs() as usize],
                used: false,
            })
            .collect();
        PdfWriter {
            fonts,
            states,
            out: Out::new(sink),
            next,
            catalog_id,
            tree_id,
            info_id,
            resources_id,
            page_ids: Vec::new(),
            first_media: None,
            images: Vec::new(),
            title: title.to_string(),
            author: String::new(),
            options: PdfOptions::default(),
            uses_all: false,
            problems: Vec::new(),
            duplex: None,
        }
    }

    /// Sets how the file is written: the standard and dates. Set them
    /// before the first page.
    pub fn set_options(&mut self, options: PdfOptions) {
        self.options = options;
        let (major, minor) = options.standard.map_or((1, 7), PdfStandard::version);
        self.out.set_version(major, minor);
    }

    /// Sets the document's author (`/Author` and XMP `dc:creator`): the
    /// signer. Empty: none.
    pub fn set_author(&mut self, author: &str) {
        self.author = author.trim().to_string();
    }

    /// Records that the document is to be printed on both sides, turned
    /// over this edge (`/ViewerPreferences /Duplex` in the catalog).
    pub fn set_duplex(&mut self, flip: Option<DuplexFlip>) {
        self.duplex = flip;
    }

    /// Adds a page: its content is written now, its fonts at the end.
    pub fn add_page(&mut self, page: &Page) {
        self.add_pages(std::slice::from_ref(page), 1);
    }

    /// Adds pages in order, building and compressing their content streams
    /// on up to `threads` threads. Glyphs and images are registered first,
    /// in page order, so the bytes do not depend on the number of threads.
    /// Items marked preview-only are left out. An image is written once, the
    /// first time a page shows it; later pages refer to the same object.
    pub fn add_pages(&mut self, pages: &[Page], threads: usize) {
        // A page that shows only glyphs already registered, and no image
        // (most pages of a batch after its first), is made at once on all
        // threads: registering it would change nothing, and registering the
        // others changes no code or text it uses.
        let (states, images) = (&self.states, &self.images[..]);
        let made: Vec<Option<Vec<u8>>> = crate::parallel::map_chunks(pages, threads, |_, chunk| {
            chunk
                .iter()
                .map(|page| {
                    let ready = page.items.iter().all(|item| match item {
                        Item::Text(run) => run.glyphs.iter().all(|g| states[run.font].knows(g.id)),
                        Item::Image(_) => false,
                        _ => true,
                    });
                    ready.then(|| deflate_fast(&page_content(states, images, page)))
                })
                .collect()
        });
        for (page, made) in pages.iter().zip(&made) {
            for (n, item) in page.items.iter().enumerate() {
                match item {
                    Item::Text(run) if made.is_some() => self.states[run.font].used = true,
                    Item::Text(run) => self.register(run),
                    Item::Image(p) => {
                        self.check_flattening(page, n, p);
                        self.image_index(&p.image);
                    }
                    Item::Stroke(s) if s.registration => self.uses_all = true,
                    _ => {}
                }
            }
        }
        // The other pages, now registered, on all threads.
        let rest: Vec<&Page> = pages
            .iter()
            .zip(&made)
            .filter_map(|(page, m)| m.is_none().then_some(page))
            .collect();
        let mut rest_made = if rest.is_empty() {
            Vec::new()
        } else {
            let (states, images) = (&self.states, &self.images[..]);
            crate::parallel::map_chunks(&rest, threads, |_, chunk| {
                chunk
                    .iter()
                    .map(|page| deflate_fast(&page_content(states, images, page)))
                    .collect()
            })
        }
        .into_iter();
        let streams = made.into_iter().map(|m| {
            m.or_else(|| rest_made.next())
                .expect("every page not made at once is made with the rest")
        });
        for (page, compressed) in pages.iter().zip(streams) {
            let page_id = self.next.bump();
            let content_id = self.next.bump();
            self.page_ids.push(page_id);
            self.out
                .at(content_id)
                .stream(content_id, &compressed)
                .filter(Filter::FlateDecode);
            let b = page.bleed;
            let (w, h) = (page.width + 2.0 * b, page.height + 2.0 * b);
            // The media box and resources most pages share are the page
            // tree's, which pages inherit.
            let media = Rect::new(0.0, 0.0, w, h);
            let first = *self.first_media.get_or_insert(media);
            let mut p = self.out.at(page_id).page(page_id);
            p.parent(self.tree_id);
            if media != first {
                p.media_box(media);
            }
            p.trim_box(Rect::new(b, b, page.width + b, page.height + b));
            if b > 0.0 || self.options.standard == Some(PdfStandard::X4) {
                p.bleed_box(Rect::new(0.0, 0.0, w, h));
            }
            if page.rotate != 0 {
                p.rotate(page.rotate);
            }
            p.contents(content_id);
            p.finish();
        }
        self.out.seal();
    }

    /// Writes the fonts, page tree and trailer, or says why the content
    /// cannot meet the standard asked for.
    pub fn try_finish(mut self) -> Result<Vec<u8>> {
        if !self.problems.is_empty() {
            return Err(crate::diag::Error(std::mem::take(&mut self.problems)));
        }
        Ok(self.finish())
    }

    /// Writes the fonts, page tree and trailer. Content that cannot meet
    /// the standard asked for is written as near to it as it can be (an
    /// image with transparency flattened onto white); [`Self::try_finish`]
    /// refuses it instead.
    pub fn finish(mut self) -> Vec<u8> {
        let standard = self.options.standard;
        let srgb_id = (standard == Some(PdfStandard::X4)).then(|| {
            let id = self.next.bump();
            let data = deflate(standards::SRGB_ICC);
            let mut icc = self.out.at(id).icc_profile(id, &data);
            icc.n(3);
            icc.alternate().device_rgb();
            icc.filter(Filter::FlateDecode);
            id
        });
        for i in 0..self.fonts.len() {
            if self.states[i].used {
                for part in 0..self.states[i].parts.len() {
                    self.write_font(i, part);
                }
            }
        }
        let resources_id = self.resources_id;
        let mut res = self.out.start::<Resources>(resources_id);
        let mut fonts = res.fonts();
        for (i, state) in self.states.iter().enumerate() {
            if state.used {
                for (p, part) in state.parts.iter().enumerate() {
                    fonts.pair(Name(font_name(i, p).as_bytes()), part.id);
                }
            }
        }
        fonts.finish();
        if !self.images.is_empty() {
            let mut x = res.x_objects();
            for (i, im) in self.images.iter().enumerate() {
                x.pair(Name(format!("Im{i}").as_bytes()), im.id);
            }
            x.finish();
        }
        if self.uses_all || srgb_id.is_some() {
            let mut spaces = res.color_spaces();
            if self.uses_all {
                // Registration: every plate. Its alternate for a composite
                // device is black (in gray, which PDF/A takes with an RGB intent).
                let mut sep = spaces
                    .insert(Name(ALL.as_bytes()))
                    .start::<ColorSpace>()
                    .separation(Name(b"All"));
                if standard.is_some_and(PdfStandard::is_pdfa) {
                    sep.alternate_color_space().device_gray();
                    sep.tint_exponential()
                        .domain([0.0, 1.0])
                        .c0([1.0])
                        .c1([0.0])
                        .n(1.0);
                } else {
                    sep.alternate_color_space().device_cmyk();
                    sep.tint_exponential()
                        .domain([0.0, 1.0])
                        .c0([0.0; 4])
                        .c1([1.0; 4])
                        .n(1.0);
                }
            }
            if let Some(id) = srgb_id {
                // PDF/X-4: the design's RGB is sRGB, not the device's.
                spaces
                    .insert(Name(b"DefaultRGB"))
                    .start::<ColorSpace>()
                    .icc_based(id);
            }
        }
        res.finish();
        let tree_id = self.tree_id;
        let mut tree = self.out.at(tree_id).pages(tree_id);
        tree.kids(self.page_ids.iter().copied())
            .count(self.page_ids.len() as i32)
            .pair(Name(b"Resources"), self.resources_id);
        if let Some(media) = self.first_media {
            tree.media_box(media);
        }
        tree.finish();

        let intent_id = standard.map(|s| {
            let intent = s.intent();
            let id = self.next.bump();
            let data = deflate(intent.profile);
            let mut icc = self.out.at(id).icc_profile(id, &data);
            icc.n(intent.components);
            icc.filter(Filter::FlateDecode);
            (s, intent, id)
        });
        let date = self
            .options
            .date
            .or((standard == Some(PdfStandard::X4)).then_some(0))
            .map(Moment::from_unix);
        let producer = concat!("Stationer ", env!("CARGO_PKG_VERSION"));
        // The document id from the content so far, so the same Scene gives
        // the same bytes; the XMP says it too.
        let digest = self.out.digest();
        let id = [
            digest.to_be_bytes(),
            fnv(&digest.to_le_bytes()).to_be_bytes(),
        ]
        .concat();
        let hex: String = id.iter().map(|b| format!("{b:02x}")).collect();
        let xmp = standards::xmp(&Meta {
            title: &self.title,
            author: &self.author,
            creator: "Stationer",
            producer,
            date,
            standard,
            id: &hex,
        });
        let metadata_id = self.next.bump();
        // Uncompressed, as PDF/A asks, so that any tool can read it.
        self.out
            .at(metadata_id)
            .metadata(metadata_id, xmp.as_bytes());

        let catalog_id = self.catalog_id;
        let mut catalog = self.out.start::<Catalog>(catalog_id);
        catalog.pages(self.tree_id).metadata(metadata_id);
        if let Some((s, intent, icc_id)) = &intent_id {
            let mut intents = catalog.output_intents();
            let mut oi = intents.push();
            oi.subtype(if s.is_pdfa() {
                OutputIntentSubtype::PDFA
            } else {
                OutputIntentSubtype::PDFX
            })
            .output_condition_identifier(TextStr(intent.identifier))
            .info(TextStr(intent.info))
            .dest_output_profile(*icc_id);
            if let Some(r) = intent.registry {
                oi.registry_name(TextStr(r));
            }
        }
        if let Some(flip) = self.duplex {
            let name: &[u8] = match flip {
                DuplexFlip::ShortEdge => b"DuplexFlipShortEdge",
                DuplexFlip::LongEdge => b"DuplexFlipLongEdge",
            };
            catalog
                .viewer_preferences()
                .pair(Name(b"Duplex"), Name(name));
        }
        catalog.finish();

        let info_id = self.info_id;
        let mut info = self.out.start::<DocumentInfo>(info_id);
        info.title(TextStr(&self.title));
        if !self.author.is_empty() {
            info.author(TextStr(&self.author));
        }
        info.creator(TextStr("Stationer"))
            .producer(TextStr(producer));
        if let Some(d) = date {
            info.creation_date(d.pdf()).modified_date(d.pdf());
        }
        if standard == Some(PdfStandard::X4) {
            info.trapped(TrappingStatus::NotTrapped);
            info.pair(Name(b"GTS_PDFXVersion"), TextStr("PDF/X-4"));
        }
        info.finish();

        if standard == Some(PdfStandard::A1b) {
            // PDF/A-1 (PDF 1.4) forbids cross-reference streams.
            self.out.finish(catalog_id, info_id, &id, None)
        } else {
            // A cross-reference stream: 5 bytes an object instead of 20.
            let xref_id = self.next.bump();
            self.out.finish(catalog_id, info_id, &id, Some(xref_id))
        }
    }

    /// In PDF/A-1b, an image with transparency is flattened onto the white
    /// card: refused when something printed lies beneath it.
    fn check_flattening(&mut self, page: &Page, index: usize, picture: &Picture) {
        let flatten = self
            .options
            .standard
            .is_some_and(|s| !s.allows_transparency());
        if !flatten || !picture.image.has_alpha || picture.image.jpeg.is_some() {
            return;
        }
        let [x0, y0, x1, y1] = picture.rect;
        let beneath = page.items[..index].iter().filter(|i| i.prints()).any(|i| {
            let [a0, b0, a1, b1] = i.bbox(self.fonts);
            a0 < x1 && x0 < a1 && b0 < y1 && y0 < b1
        });
        if beneath {
            let standard = self.options.standard.map_or("", PdfStandard::title);
            self.problems.push(
                Diagnostic::new(format!(
                    "{}: the image has transparency, which {standard} forbids, and lies over \
                     other printed items, so it cannot be flattened onto the card",
                    picture.image.name
                ))
                .hint("choose PDF/A-2b or PDF/X-4, which allow transparency, or an image without an alpha channel"),
            );
        }
    }

    /// The index of an image among those written, writing it on first use.
    /// Equal images (same key and pixels) share one object.
    fn image_index(&mut self, image: &Arc<ImageData>) -> usize {
        if let Some(i) = image_position(&self.images, image) {
            return i;
        }
        let id = self.next.bump();
        let (w, h) = (image.width as i32, image.height as i32);
        match &image.jpeg {
            // A JPEG goes in as it is: no decoding, no loss.
            Some((data, components)) => {
                let mut x = self.out.at(id).image_xobject(id, data);
                x.filter(Filter::DctDecode);
                x.width(w).height(h);
                if *components == 1 {
                    x.color_space().device_gray();
                } else {
                    x.color_space().device_rgb();
                }
                x.bits_per_component(8);
            }
            // Anything else losslessly, with its transparency as a soft
            // mask, or flattened onto the white card where the standard
            // forbids transparency.
            None => {
                let flatten = self
                    .options
                    .standard
                    .is_some_and(|s| !s.allows_transparency());
                let over_white = |p: &[u8], c: usize| {
                    let a = p[3] as u32;
                    ((p[c] as u32 * a + 255 * (255 - a) + 127) / 255) as u8
                };
                let px = image.rgba.chunks_exact(4);
                let samples: Vec<u8> = match (image.gray, flatten) {
                    (true, false) => px.map(|p| p[0]).collect(),
                    (false, false) => px.flat_map(|p| [p[0], p[1], p[2]]).collect(),
                    (true, true) => px.map(|p| over_white(p, 0)).collect(),
                    (false, true) => px
                        .flat_map(|p| [over_white(p, 0), over_white(p, 1), over_white(p, 2)])
                        .collect(),
                };
                let mask = (image.has_alpha && !flatten).then(|| {
                    let mask_id = self.next.bump();
                    let alpha: Vec<u8> = image.rgba.chunks_exact(4).map(|p| p[3]).collect();
                    let alpha = deflate(&alpha);
                    let mut m = self.out.at(mask_id).image_xobject(mask_id, &alpha);
                    m.filter(Filter::FlateDecode);
                    m.width(w).height(h);
                    m.color_space().device_gray();
                    m.bits_per_component(8);
                    mask_id
                });
                let samples = deflate(&samples);
                let mut x = self.out.at(id).image_xobject(id, &samples);
                x.filter(Filter::FlateDecode);
                x.width(w).height(h);
                if image.gray {
                    x.color_space().device_gray();
                } else {
                    x.color_space().device_rgb();
                }
                x.bits_per_component(8);
                if let Some(m) = mask {
                    x.s_mask(m);
                }
            }
        }
        self.images.push(ImageObject {
            image: image.clone(),
            id,
        });
        self.images.len() - 1
    }

    /// Registers a run's glyphs: CIDs, widths and the text each maps to.
    fn register(&mut self, run: &TextRun) {
        let font = &self.fonts[run.font];
        let (state, next) = (&mut self.states[run.font], &mut self.next);
        state.used = true;
        // Most runs of a batch hold only glyphs already registered, with
        // their text: nothing to do.
        if run.glyphs.iter().all(|g| state.knows(g.id)) {
            return;
        }
        for (glyphs, text) in clusters(run) {
            for g in glyphs {
                let Some(slot) = state.glyphs.get_mut(g.id as usize) else {
                    continue;
                };
                if slot.cid.is_none() {
                    // A full part (.notdef and 186 glyphs) starts the next.
                    let full = state
                        .parts
                        .last()
                        .is_some_and(|p| usize::from(p.remapper.num_gids()) >= cmap::CODES);
                    if full {
                        state.parts.push(Part {
                            remapper: GlyphRemapper::new(),
                            id: next.bump(),
                        });
                    }
                    let part = state.parts.len() - 1;
                    slot.part = part as u16;
                    slot.cid = Some(state.parts[part].remapper.remap(g.id));
                    slot.width = pdf_width(font, &state.face, g.id);
                }
            }
            match glyphs {
                [g] => {
                    if let Some(slot) = state.glyphs.get_mut(g.id as usize) {
                        slot.text.get_or_insert_with(|| text.into());
                    }
                }
                _ => {
                    // Glyphs of a decomposed letter map to their own characters.
                    for g in glyphs {
                        let missing = state
                            .glyphs
                            .get(g.id as usize)
                            .is_some_and(|s| s.text.is_none());
                        if missing {
                            if let Some(c) = char_of(&state.face, g.id) {
                                state.glyphs[g.id as usize].text = Some(c.to_string().into());
                            }
                        }
                    }
                }
            }
        }
    }

    /// Writes part `part` of font `index`: its subset, descriptor and maps.
    fn write_font(&mut self, index: usize, part: usize) {
        let font = &self.fonts[index];
        let state = &self.states[index];
        let Part { remapper, id } = &state.parts[part];
        let cid_id = self.next.bump();
        let descriptor_id = self.next.bump();
        let file_id = self.next.bump();
        let cmap_id = self.next.bump();
        let pdf = &mut self.out;

        // The six-letter subset tag, from the font and its glyph set.
        let mut key = font.postscript_name.as_bytes().to_vec();
        for g in remapper.remapped_gids() {
            key.extend(g.to_be_bytes());
        }
        key.push(index as u8);
        key.extend((part as u16).to_be_bytes());
        let mut h = fnv(&key);
        let tag: String = (0..6)
            .map(|_| {
                let c = (b'A' + (h % 26) as u8) as char;
                h /= 26;
                c
            })
            .collect();
        let base_font = format!("{tag}+{}", font.postscript_name);

        // Fonts are checked for subsetting when loaded; should it fail here
        // all the same, the whole font goes in, addressed through a CID-to-GID map.
        let (data, whole) = match subsetter::subset(font.data(), 0, remapper) {
            Ok(data) => (data, false),
            Err(_) => (font.data().to_vec(), true),
        };
        // A CFF subset goes in as its bare (CID-keyed) CFF table, as PDF/A
        // and pdf.js expect; the whole font, should subsetting have failed,
        // as OpenType.
        let bare_cff = (font.is_cff && !whole).then(|| cff_table(&data)).flatten();
        let compressed = deflate_fast(bare_cff.unwrap_or(&data));
        let mut stream = pdf.at(file_id).stream(file_id, &compressed);
        stream.filter(Filter::FlateDecode);
        if font.is_cff {
            let subtype = if bare_cff.is_some() {
                &b"CIDFontType0C"[..]
            } else {
                b"OpenType"
            };
            stream.pair(Name(b"Subtype"), Name(subtype));
        }
        stream.finish();
        // Which CIDs the subset holds: all of 0..n.
        let cid_set_id = (!whole).then(|| {
            let n = remapper.num_gids() as usize;
            let mut bits = vec![0u8; n.div_ceil(8)];
            for cid in 0..n {
                bits[cid / 8] |= 0x80 >> (cid % 8);
            }
            let id = self.next.bump();
            pdf.at(id)
                .stream(id, &deflate_fast(&bits))
                .filter(Filter::FlateDecode);
            id
        });
        let gid_map_id = (whole && !font.is_cff).then(|| {
            let id = self.next.bump();
            let map: Vec<u8> = remapper
                .remapped_gids()
                .flat_map(u16::to_be_bytes)
                .collect();
            pdf.at(id)
                .stream(id, &deflate_fast(&map))
                .filter(Filter::FlateDecode);
            id
        });

        let encoding_id = self.next.bump();
        let codes = cmap::encoding(remapper.num_gids());
        let codes = deflate_fast(&codes);
        pdf.at(encoding_id)
            .cmap(encoding_id, &codes)
            .name(Name(cmap::ENCODING_NAME))
            .system_info(SYSTEM_INFO)
            .writing_mode(pdf_writer::writers::WMode::Horizontal)
            .filter(Filter::FlateDecode);
        pdf.at(*id)
            .type0_font(*id)
            .base_font(Name(base_font.as_bytes()))
            .encoding_cmap(encoding_id)
            .descendant_font(cid_id)
            .to_unicode(cmap_id);

        let upem = font.units_per_em as f32;
        let to_pdf = |v: i16| v as f32 * 1000.0 / upem;
        let mut cid = pdf.at(cid_id).cid_font(cid_id);
        cid.subtype(if font.is_cff {
            CidFontType::Type0
        } else {
            CidFontType::Type2
        })
        .base_font(Name(base_font.as_bytes()))
        .system_info(SYSTEM_INFO)
        .font_descriptor(descriptor_id);
        match gid_map_id {
            Some(id) => {
                cid.cid_to_gid_map_stream(id);
            }
            None if !font.is_cff => {
                cid.cid_to_gid_map_predefined(Name(b"Identity"));
            }
            None => {}
        }
        let widths: Vec<f32> = remapper
            .remapped_gids()
            .map(|old| state.glyph(old).width)
            .collect();
        cid.widths().consecutive(0, widths);
        cid.finish();

        let mut flags = FontFlags::NON_SYMBOLIC;
        if font.is_italic {
            flags |= FontFlags::ITALIC;
        }
        let [x0, y0, x1, y1] = font.bbox;
        let mut fd = pdf.at(descriptor_id).font_descriptor(descriptor_id);
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
        if let Some(id) = cid_set_id {
            fd.cid_set(id);
        }
        fd.finish();

        let mut pairs: Vec<(u16, &str)> = state
            .glyphs
            .iter()
            .enumerate()
            .filter(|(_, u)| usize::from(u.part) == part)
            .filter_map(|(g, u)| Some((remapper.get(g as u16)?, u.text.as_deref()?)))
            .collect();
        pairs.sort_unstable();
        let cmap_data = cmap::to_unicode(pairs.into_iter());
        pdf.at(cmap_id)
            .stream(cmap_id, &deflate_fast(&cmap_data))
            .filter(Filter::FlateDecode);
    }
}

/// The resource name of part `part` of font `font`: `F0`, then `F0.1`, …
fn font_name(font: usize, part: usize) -> String {
    if part == 0 {
        format!("F{font}")
    } else {
        format!("F{font}.{part}")
    }
}

/// Where an image is among those written: the same `Arc`, or an equal image.
fn image_position(images: &[ImageObject], image: &Arc<ImageData>) -> Option<usize> {
    images.iter().position(|o| {
        Arc::ptr_eq(&o.image, image) || (o.image.key == image.key && *o.image == **image)
    })
}

/// The page's content stream: one text object for runs in a row, the
/// font, size and colour set only when they change, each line placed
/// relative to the one before, glyph codes as binary strings. Graphics
/// (rules, panels, images) each sit in their own `q … Q`.
/// A page's [`Transform`] wraps it all in one `q … cm … Q`.
fn page_content(states: &[FontState], images: &[ImageObject], page: &Page) -> Vec<u8> {
    let b = page.bleed;
    let full_h = page.height + 2.0 * b;
    let tx = |x: f32| x + b;
    let ty = |y: f32| full_h - (y + b);
    // A card's page is a kilobyte or two.
    let mut c = Ops(Vec::with_capacity(4096));
    if let Some(t) = &page.transform {
        c.op("q").nums(&matrix(t, b, full_h)).op("cm");
    }
    // Text state: in a text object, the last line's start; font and colour.
    let mut line: Option<[f32; 2]> = None;
    // The font, its part and the size last set.
    let mut font: Option<(usize, u16, f32)> = None;
    let mut fill: Option<[f32; 3]> = None;
    for item in &page.items {
        match item {
            Item::Stroke(Stroke {
                from,
                to,
                width,
                color,
                registration,
            }) => {
                if line.take().is_some() {
                    c.op("ET");
                }
                c.op("q");
                c.num(*width).op("w");
                if *registration {
                    c.name(ALL).op("CS").num(1.0).op("SCN");
                } else {
                    c.stroke_color(*color);
                }
                c.num(tx(from[0])).num(ty(from[1])).op("m");
                c.num(tx(to[0])).num(ty(to[1])).op("l");
                c.op("S").op("Q");
            }
            Item::Panel(Panel { rect, fill, stroke }) => {
                if line.take().is_some() {
                    c.op("ET");
                }
                c.op("q");
                if let Some(f) = fill {
                    c.fill_color(*f);
                }
                if let Some((color, width)) = stroke {
                    c.num(*width).op("w");
                    c.stroke_color(*color);
                }
                let [x0, y0, x1, y1] = *rect;
                c.nums(&[tx(x0), ty(y1), x1 - x0, y1 - y0]).op("re");
                c.op(match (fill, stroke) {
                    (Some(_), Some(_)) => "B",
                    (Some(_), None) => "f",
                    _ => "S",
                });
                c.op("Q");
            }
            Item::Image(Picture { image, rect }) => {
                // Registered before any content is built.
                let Some(i) = image_position(images, image) else {
                    continue;
                };
                if line.take().is_some() {
                    c.op("ET");
                }
                let [x0, y0, x1, y1] = *rect;
                c.op("q");
                c.nums(&[x1 - x0, 0.0, 0.0, y1 - y0, tx(x0), ty(y1)])
                    .op("cm");
                c.name(&format!("Im{i}")).op("Do");
                c.op("Q");
            }
            // Drawn in previews only.
            Item::Preview(_) => {}
            Item::Text(run) => {
                let state = &states[run.font];
                let at = [tx(run.x), ty(run.y)];
                match line {
                    None => {
                        c.op("BT");
                        c.nums(&[1.0, 0.0, 0.0, 1.0, at[0], at[1]]).op("Tm");
                    }
                    Some(prev) => {
                        c.num(at[0] - prev[0]).num(at[1] - prev[1]).op("Td");
                    }
                }
                line = Some(at);
                if fill != Some(run.color.0) {
                    c.fill_color(run.color);
                    fill = Some(run.color.0);
                }
                show_run(&mut c, run, state, &mut font);
            }
        }
    }
    if line.is_some() {
        c.op("ET");
    }
    if page.transform.is_some() {
        c.op("Q");
    }
    c.0
}

/// A run's clusters: the glyphs of each and the text they stand for.
fn clusters(run: &TextRun) -> impl Iterator<Item = (&[PlacedGlyph], &str)> {
    let mut i = 0;
    // Left-to-right runs have their clusters in order, and each ends where
    // the next glyph's starts; only right-to-left ones need them sorted.
    let in_order = run.glyphs.windows(2).all(|w| w[0].cluster <= w[1].cluster);
    let mut starts: Vec<u32> = Vec::new();
    if !in_order {
        starts = run.glyphs.iter().map(|g| g.cluster).collect();
        starts.sort_unstable();
        starts.dedup();
    }
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
        // The cluster's text ends where the next cluster in the text
        // starts (right-to-left words have their glyphs in visual order,
        // so that need not be the next glyph's).
        let end_byte = if in_order {
            g.get(i).map_or(run.text.len(), |n| n.cluster as usize)
        } else {
            match starts.binary_search(&cluster) {
                Ok(k) | Err(k) => starts.get(k + 1).map_or(run.text.len(), |&c| c as usize),
            }
        };
        let text = run.text.get(cluster as usize..end_byte).unwrap_or("");
        Some((&g[start..i], text))
    })
}

/// The character a glyph stands for, from the font's own cmap.
fn char_of(face: &ttf_parser::Face, gid: u16) -> Option<char> {
    let cmap = face.tables().cmap?;
    let mut found = None;
    for sub in cmap.subtables.into_iter().filter(|s| s.is_unicode()) {
        sub.codepoints(|cp| {
            if found.is_none() && sub.glyph_index(cp).map(|g| g.0) == Some(gid) {
                found = char::from_u32(cp);
            }
        });
        if found.is_some() {
            break;
        }
    }
    found
}

/// Width of a glyph in PDF text space units (1/1000 em), as written in /W.
fn pdf_width(font: &Font, face: &ttf_parser::Face, gid: u16) -> f32 {
    let adv = face
        .glyph_hor_advance(ttf_parser::GlyphId(gid))
        .unwrap_or(0);
    adv as f32 * 1000.0 / font.units_per_em as f32
}

/// A TJ array being written straight into the content: glyph codes as
/// literal strings, adjustments as numbers between them.
#[derive(Default)]
struct Tj {
    open: bool,
    in_string: bool,
}

impl Tj {
    fn start(&mut self, c: &mut Ops) {
        if !self.open {
            c.0.push(b'[');
            self.open = true;
        }
    }

    fn glyph(&mut self, c: &mut Ops, code: &[u8]) {
        self.start(c);
        if !self.in_string {
            c.0.push(b'(');
            self.in_string = true;
        }
        c.escaped(code);
    }

    fn adjust(&mut self, c: &mut Ops, a: f32) {
        self.start(c);
        if self.in_string {
            c.0.push(b')');
            self.in_string = false;
        }
        c.num(a);
    }

    /// Ends the array with `TJ`, if one is open.
    fn end(&mut self, c: &mut Ops) {
        if !self.open {
            return;
        }
        if self.in_string {
            c.0.push(b')');
        }
        c.0.push(b']');
        c.op("TJ");
        *self = Tj::default();
    }
}

/// Shows a run's glyphs at their exact positions: TJ adjustments for
/// kerning and justification, a text rise for marks, and an ActualText span
/// around clusters whose glyphs would not extract as their text.
fn show_run(c: &mut Ops, run: &TextRun, state: &FontState, font: &mut Option<(usize, u16, f32)>) {
    let mut pen = 0.0f32;
    let mut rise = 0.0f32;
    let mut tj = Tj::default();
    for (glyphs, text) in clusters(run) {
        let text_of = |g: &PlacedGlyph| state.glyph(g.id).text.as_deref().unwrap_or("");
        let actual = match glyphs {
            // Most clusters: one glyph.
            [g] => text_of(g) != text,
            _ => !glyphs.iter().map(text_of).eq_by_text(text),
        };
        if actual {
            tj.end(c);
            c.name("Span").actual_text(text).op("BDC");
        }
        for g in glyphs {
            if (g.dy - rise).abs() > 1e-4 {
                tj.end(c);
                // Scene dy is downwards; PDF rise is upwards.
                c.num(-g.dy).op("Ts");
                rise = g.dy;
            }
            let used = state.glyph(g.id);
            // Each part of the font is a font of its own.
            let part = used.part;
            if *font != Some((run.font, part, run.size)) {
                tj.end(c);
                c.name(&font_name(run.font, usize::from(part)))
                    .num(run.size)
                    .op("Tf");
                *font = Some((run.font, part, run.size));
            }
            // Adjustments in whole thousandths of an em, the pen kept where
            // the PDF puts it, so rounding never adds up along a line.
            let adjust = (-(g.x - pen) * 1000.0 / run.size).round();
            if adjust != 0.0 {
                tj.adjust(c, adjust);
                pen -= adjust * run.size / 1000.0;
            }
            tj.glyph(c, &[cmap::code(used.cid.unwrap_or(0))]);
            pen += used.width * run.size / 1000.0;
        }
        if actual {
            tj.end(c);
            c.op("EMC");
        }
    }
    tj.end(c);
    if rise != 0.0 {
        c.num(0.0).op("Ts");
    }
}

/// Whether pieces of text, joined, equal a text (without allocating).
trait EqByText<'s> {
    fn eq_by_text(self, text: &str) -> bool;
}

impl<'s, I: Iterator<Item = &'s str>> EqByText<'s> for I {
    fn eq_by_text(self, text: &str) -> bool {
        let mut rest = text;
        for piece in self {
            match rest.strip_prefix(piece) {
                Some(r) => rest = r,
                None => return false,
            }
        }
        rest.is_empty()
    }
}

/// A content stream being written: operands and operators, numbers with
/// at most three decimals.
#[derive(Default)]
struct Ops(Vec<u8>);

impl Ops {
    fn sep(&mut self) {
        if let Some(&last) = self.0.last() {
            if !matches!(last, b'\n' | b' ' | b'[' | b'(' | b')' | b'<' | b'>' | b']') {
                self.0.push(b' ');
            }
        }
    }

    fn num(&mut self, v: f32) -> &mut Self {
        self.sep();
        let milli = (v as f64 * 1000.0).round() as i64;
        if milli < 0 {
            self.0.push(b'-');
        }
        let m = milli.unsigned_abs();
        let (int, frac) = (m / 1000, m % 1000);
        self.digits(int);
        if frac != 0 {
            let f = [
                b'0' + (frac / 100) as u8,
                b'0' + (frac / 10 % 10) as u8,
                b'0' + (frac % 10) as u8,
            ];
            let mut len = 3;
            while f[len - 1] == b'0' {
                len -= 1;
            }
            self.0.push(b'.');
            self.0.extend_from_slice(&f[..len]);
        }
        self
    }

    /// The decimal digits of `n`.
    fn digits(&mut self, n: u64) {
        let mut buf = [0u8; 20];
        let mut i = buf.len();
        let mut n = n;
        loop {
            i -= 1;
            buf[i] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        self.0.extend_from_slice(&buf[i..]);
    }

    /// The fill colour: pure black as DeviceGray `0 g` (black ink only,
    /// never four-colour black), any other as RGB.
    fn fill_color(&mut self, color: Rgb) -> &mut Self {
        if color.0 == [0.0; 3] {
            self.num(0.0).op("g")
        } else {
            self.nums(&color.0).op("rg")
        }
    }

    /// The stroke colour, as [`Ops::fill_color`] writes it.
    fn stroke_color(&mut self, color: Rgb) -> &mut Self {
        if color.0 == [0.0; 3] {
            self.num(0.0).op("G")
        } else {
            self.nums(&color.0).op("RG")
        }
    }

    fn nums(&mut self, vs: &[f32]) -> &mut Self {
        for &v in vs {
            self.num(v);
        }
        self
    }

    fn name(&mut self, n: &str) -> &mut Self {
        self.sep();
        self.0.push(b'/');
        self.0.extend(n.as_bytes());
        self
    }

    fn op(&mut self, op: &str) -> &mut Self {
        self.sep();
        self.0.extend(op.as_bytes());
        self.0.push(b'\n');
        self
    }

    /// The bytes of a literal string: only `(`, `)`, `\\`, CR and LF escaped.
    fn escaped(&mut self, bytes: &[u8]) {
        for &b in bytes {
            match b {
                b'(' | b')' | b'\\' => self.0.extend([b'\\', b]),
                // Line ends escaped too: a reader may fold raw ones (Ghostscript
                // reads two raw LFs in a row as one).
                b'\r' => self.0.extend(br"\r"),
                b'\n' => self.0.extend(br"\n"),
                _ => self.0.push(b),
            }
        }
    }

    /// `<< /ActualText <FEFF…> >>`: the text as UTF-16BE.
    fn actual_text(&mut self, text: &str) -> &mut Self {
        self.sep();
        self.0.extend(b"<</ActualText <FEFF");
        for unit in text.encode_utf16() {
            self.0.extend(format!("{unit:04X}").as_bytes());
        }
        self.0.extend(b">>>");
        self
    }
}

/// Deflates (zlib, level 6) with libdeflate, one compressor per thread
/// (making one costs more than compressing a stream of a kilobyte or two):
/// for images and ICC profiles. On W1's 1,000 page contents libdeflate at 6
/// is 1.4% smaller than zlib-rs at 6, in about three fifths of the time.
fn deflate(data: &[u8]) -> Vec<u8> {
    thread_local! {
        static COMPRESSOR: RefCell<Compressor> = RefCell::new(compressor(6));
    }
    COMPRESSOR.with_borrow_mut(|c| deflate_with(c, 6, data))
}

/// [`deflate`] at level 1 (greedy matching), for page contents, most of a
/// batch's deflating (on W1 it saves 6% of all instructions for 2,003 more
/// bytes, 0.3%), and for fonts and their maps, so that a card without
/// images makes one compressor, not two: a new compressor's first stream
/// costs 0.1 to 0.3 ms more, as its tables are first touched.
fn deflate_fast(data: &[u8]) -> Vec<u8> {
    thread_local! {
        static COMPRESSOR: RefCell<Compressor> = RefCell::new(compressor(1));
    }
    COMPRESSOR.with_borrow_mut(|c| deflate_with(c, 1, data))
}

/// A libdeflate compressor at `level` (1 to 12).
fn compressor(level: i32) -> Compressor {
    Compressor::new(CompressionLvl::new(level).unwrap_or_default())
}

/// A zlib stream (RFC 1950) of `data` from `c`, made at `level`: the
/// header, saying how hard it compresses as libdeflate's own zlib writer
/// says it, the raw deflate stream, and the Adler-32 of `data`. Framed here
/// rather than by `zlib_compress`, whose Adler-32 first asks the CPU for its
/// features: four CPUID instructions, each trapped by this machine's
/// hypervisor (7 to 12 us each), in every process that writes a PDF.
fn deflate_with(c: &mut Compressor, level: i32, data: &[u8]) -> Vec<u8> {
    // CM 8 (deflate) with a 32 KB window, the level's hint (fastest, fast,
    // default, slowest) and the check bits that make it a multiple of 31.
    let hint = match level {
        ..2 => 0,
        2..6 => 1,
        6..8 => 2,
        _ => 3,
    };
    let header = 0x7800 | hint << 6;
    let header: u16 = header + 31 - header % 31;
    let mut out = vec![0; 2 + c.deflate_compress_bound(data.len()) + 4];
    out[..2].copy_from_slice(&header.to_be_bytes());
    // The output holds the bound, so compressing cannot fail.
    let n = c.deflate_compress(data, &mut out[2..]).unwrap_or(0);
    out.truncate(2 + n);
    out.extend(adler2::adler32_slice(data).to_be_bytes());
    out
}

/// The `CFF ` table of an OpenType font.
fn cff_table(data: &[u8]) -> Option<&[u8]> {
    let face = ttf_parser::RawFace::parse(data, 0).ok()?;
    face.table(ttf_parser::Tag::from_bytes(b"CFF "))
}

/// 64-bit FNV-1a: a stable hash for subset tags and the document id.
fn fnv(data: &[u8]) -> u64 {
    data.iter().fold(0xcbf29ce484222325u64, |h, &b| {
        (h ^ b as u64).wrapping_mul(0x100000001b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_the_zlib_streams_libdeflate_writes() {
        let text: Vec<u8> = (0..20_000u32)
            .flat_map(|i| format!("{} {} Td ", i % 97, i % 13).into_bytes())
            .collect();
        for data in [&b""[..], b"q", &text, standards::SRGB_ICC] {
            for (level, ours) in [(1, deflate_fast(data)), (6, deflate(data))] {
                let mut c = compressor(level);
                let mut theirs = vec![0; c.zlib_compress_bound(data.len())];
                let n = c.zlib_compress(data, &mut theirs).unwrap();
                assert_eq!(ours, theirs[..n], "level {level}, {} bytes", data.len());
            }
        }
    }
}
