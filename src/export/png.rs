//! The PNG exporter: a picture of a Scene page, for previews.
//!
//! The picture covers the whole page, bleed included, as `pdftoppm` renders
//! the PDF: white paper, then (optionally) a scan of the user's pre-printed
//! stationery stretched to the trim box, then the Scene's items in painting
//! order, then (optionally) guides that never print. Text is drawn from the
//! same glyph ids at the same positions the PDF uses, anti-aliased; rules are
//! anti-aliased lines with butt ends, as in the PDF; panels are filled and
//! outlined with mitred corners; images are resampled to whole pixels and
//! laid over the page by their transparency. Items the PDF leaves out
//! (preview-only design elements, the design of pre-printed stationery) are
//! drawn too, unless a background scan is given: the scan then stands for
//! what is already printed on the stock.
//!
//! Units: the Scene is in points (1/72 in); the picture has `dpi / 72` pixels
//! per point. Colours are blended in sRGB, as poppler does.
//!
//! Glyphs are rasterised with `ab_glyph` rather than `rusttype`: rusttype is
//! no longer maintained, both read TrueType and CFF outlines, and ab_glyph
//! rasterised a US A2 card at 150 dpi in 1.25 ms where rusttype took 2.7 ms.
//! Either library's scale (`PxScale`, `Scale`) sets the font's
//! ascent−descent height, not its em, so sizes are converted through the
//! font's units per em (see [`render_png`]); drawing at the bare pixel size
//! would set text at about 87% of the printed size.
//!
//! Limitations: no hinting (neither has the PDF's rasteriser, `pdftoppm`,
//! by default); the background is stretched, not cropped, to the trim box;
//! only PNG and JPEG backgrounds are read.

use crate::diag::{Diagnostic, Result};
use crate::input::design::{FontChoice, Rgb, Style};
use crate::input::image::{decode, ImageLimits};
use crate::layout::run::Setter;
use crate::scene::{
    CardBoxes, Item, Page, Panel, Picture, PlacedGlyph, Rect, Scene, Stroke, TextRun, Transform,
};
use crate::text::FontSet;
use ab_glyph::{
    point, Font as _, FontRef, GlyphId, Outline, OutlineCurve, PxScale, PxScaleFactor,
    ScaleFont as _,
};
use ab_glyph_rasterizer::Rasterizer;
use image::{DynamicImage, RgbImage};
use rustc_hash::FxHashMap;
use std::collections::hash_map::Entry;
use std::path::Path;

/// The resolution of a preview when none is given, in dots per inch.
pub const DEFAULT_DPI: u32 = 150;
/// The lowest resolution accepted, in dots per inch.
pub const MIN_DPI: u32 = 10;
/// The highest resolution accepted, in dots per inch.
pub const MAX_DPI: u32 = 1200;
/// The largest preview, in pixels (width × height): 64 megapixels, about
/// 190 MB in memory. A 48 x 48 in card at 1200 dpi would be 3.3 gigapixels.
pub const MAX_PREVIEW_PIXELS: u64 = 64_000_000;

/// The largest background file read, in bytes.
pub const MAX_BACKGROUND_BYTES: u64 = 100 * 1024 * 1024;
/// The widest or tallest background image decoded, in pixels.
pub const MAX_BACKGROUND_SIDE: u32 = 20_000;
/// The largest background image decoded, in pixels (width × height): 50
/// megapixels, more than a 600-dpi scan of a letter-size sheet.
pub const MAX_BACKGROUND_PIXELS: u64 = 50_000_000;
/// The most memory the image decoder may allocate for a background, in bytes.
pub const MAX_BACKGROUND_ALLOC: u64 = 512 * 1024 * 1024;

/// Guide colour of the trim edge (where the card is cut): magenta.
pub const GUIDE_TRIM: [u8; 3] = [214, 0, 143];
/// Guide colour of the bleed edge (the page edge when the design has bleed): cyan.
pub const GUIDE_BLEED: [u8; 3] = [0, 166, 214];
/// Guide colour of the text area inside the margins (the safe area), dashed: green.
pub const GUIDE_TEXT_AREA: [u8; 3] = [30, 158, 58];
/// Guide colour of the body box (greeting, body, closing): blue.
pub const GUIDE_BODY: [u8; 3] = [47, 91, 234];
/// Guide colour of the signature area, its outline, shading and label: orange.
pub const GUIDE_SIGNATURE: [u8; 3] = [240, 138, 0];

/// How to draw a preview.
#[derive(Debug, Clone, PartialEq)]
pub struct PngOptions {
    /// Resolution in dots per inch: the picture has `dpi / 72` pixels per
    /// point. Default [`DEFAULT_DPI`] (150).
    pub dpi: u32,
    /// Draw guides that never print: trim and bleed edges, text area, body
    /// box and the signature area (shaded and labelled). They come from the
    /// page's [`CardBoxes`]; a page without them gets only the edges.
    /// Default false.
    pub guides: bool,
    /// A picture of the pre-printed stationery, stretched to the trim box
    /// under the text; with it, preview-only items are not drawn (the scan
    /// shows what is on the stock). Default none.
    pub background: Option<Background>,
}

impl Default for PngOptions {
    fn default() -> PngOptions {
        PngOptions {
            dpi: DEFAULT_DPI,
            guides: false,
            background: None,
        }
    }
}

/// A decoded picture of the user's pre-printed stationery, ready to draw:
/// 8-bit RGB, any transparency already laid on white paper.
#[derive(Debug, Clone, PartialEq)]
pub struct Background {
    image: RgbImage,
}

impl Background {
    /// Reads a PNG or JPEG file. Missing, damaged or oversized files are
    /// refused with a message naming the file; nothing is decoded past
    /// [`MAX_BACKGROUND_SIDE`], [`MAX_BACKGROUND_PIXELS`] or
    /// [`MAX_BACKGROUND_ALLOC`].
    pub fn load(path: &Path) -> Result<Background> {
        let limits = ImageLimits {
            bytes: MAX_BACKGROUND_BYTES,
            side: MAX_BACKGROUND_SIDE,
            pixels: MAX_BACKGROUND_PIXELS,
            alloc: MAX_BACKGROUND_ALLOC,
        };
        Ok(Background::from_image(
            decode(path, "background", &limits)?.image,
        ))
    }

    /// A decoded image; transparent parts become white paper.
    pub fn from_image(image: DynamicImage) -> Background {
        if !image.color().has_alpha() {
            return Background {
                image: image.into_rgb8(),
            };
        }
        let rgba = image.into_rgba8();
        let (w, h) = rgba.dimensions();
        let mut rgb = RgbImage::new(w, h);
        for (d, s) in rgb.pixels_mut().zip(rgba.pixels()) {
            let a = s.0[3] as u32;
            for c in 0..3 {
                d.0[c] = ((s.0[c] as u32 * a + 255 * (255 - a) + 127) / 255) as u8;
            }
        }
        Background { image: rgb }
    }

    /// Width and height in pixels.
    pub fn dimensions(&self) -> (u32, u32) {
        self.image.dimensions()
    }
}

/// The preview's size in pixels for a page at a resolution: the whole page,
/// bleed included, `round((width + 2 bleed) × dpi / 72)` by the same for height.
pub fn pixel_size(page: &Page, dpi: u32) -> (u32, u32) {
    let k = dpi as f64 / 72.0;
    let side = |v: f32| ((v as f64 + 2.0 * page.bleed as f64) * k).round().max(1.0);
    (
        side(page.width).min(u32::MAX as f64) as u32,
        side(page.height).min(u32::MAX as f64) as u32,
    )
}

/// Checks a resolution and the size it gives a page: `dpi` must lie in
/// [`MIN_DPI`]..=[`MAX_DPI`] and the picture within [`MAX_PREVIEW_PIXELS`].
/// Returns the size in pixels.
pub fn check_size(page: &Page, dpi: u32) -> Result<(u32, u32)> {
    if !(MIN_DPI..=MAX_DPI).contains(&dpi) {
        return Err(Diagnostic::for_option(
            "dpi",
            format!("{dpi} is out of range; it must be between {MIN_DPI} and {MAX_DPI}"),
        )
        .hint(format!("{DEFAULT_DPI} is a good size for a screen"))
        .into());
    }
    let (w, h) = pixel_size(page, dpi);
    let pixels = w as u64 * h as u64;
    if pixels > MAX_PREVIEW_PIXELS {
        let fit = (dpi as f64 * (MAX_PREVIEW_PIXELS as f64 / pixels as f64).sqrt()).floor();
        let d = Diagnostic::for_option(
            "dpi",
            format!(
                "a preview at {dpi} dpi would be {w} x {h} pixels; the limit is {} megapixels",
                MAX_PREVIEW_PIXELS / 1_000_000
            ),
        );
        return Err(if fit >= MIN_DPI as f64 {
            d.hint(format!("use a resolution of {fit} dpi or less"))
        } else {
            d.hint(format!(
                "the page is too large to preview even at {MIN_DPI} dpi, the least there is"
            ))
        }
        .into());
    }
    Ok((w, h))
}

/// Draws one page of a Scene.
///
/// The picture is [`pixel_size`] of the page; text glyphs sit at the run's
/// origin plus each glyph's offset, `(run.x + g.x, run.y + g.dy)` points from
/// the trim box's top-left corner, at `run.size` points per em, like the PDF,
/// each placed to a quarter pixel across and its baseline on a whole pixel
/// down, as poppler places text: a glyph is rasterised once for each size
/// and phase it is drawn at. On the sample card at 150 dpi, the 311 glyphs
/// with ink take 100 rasterisations.
/// Rendering a valid Scene cannot fail; sizes are not limited here, so check
/// them first with [`check_size`].
///
/// # Panics
/// If `page_index` is not a page of the Scene.
pub fn render_png(scene: &Scene, page_index: usize, options: &PngOptions) -> RgbImage {
    let (w, h) = pixel_size(&scene.pages[page_index], options.dpi);
    let mut data = vec![255; w as usize * h as usize * 3];
    draw::<3>(scene, page_index, options, &mut data);
    RgbImage::from_raw(w, h, data).expect("buffer has the image's size")
}

/// A page of a Scene drawn and encoded as PNG: the pixels of
/// `render_png(scene, page_index, options)`, encoded as [`encode_png`] does.
///
/// A page drawn only in greys (its text, rules, panels and images grey, no
/// background scan, no guides) has grey pixels only, so it is drawn one
/// byte a pixel and written as a greyscale PNG: the same pixels, a third of
/// the memory to whiten, blend, filter and compress.
///
/// A 150-dpi card is 1.6 MB of pixels in colour (0.5 MB in grey), new
/// memory the kernel hands out a 4 KB page at a time, with a page fault for
/// each (386 on the sample card in colour, 130 in grey). So the pixels are
/// drawn in an anonymous mapping the kernel is asked to back with 2 MB pages
/// (`madvise`, on Linux; where it says no, or the mapping fails, in ordinary
/// memory): the sample's preview, in colour, took 1.0 to 1.3 ms less, of 8
/// to 9 ms; in grey, 255 page faults for the whole run instead of 388.
///
/// # Panics
/// If `page_index` is not a page of the Scene.
pub fn page_png(scene: &Scene, page_index: usize, options: &PngOptions) -> Vec<u8> {
    if is_grey(&scene.pages[page_index], options) {
        draw_and_encode::<1>(scene, page_index, options)
    } else {
        draw_and_encode::<3>(scene, page_index, options)
    }
}

/// Whether every pixel of the page's picture is grey: it has no background
/// scan and no guides (they are in colour), its images are grey, and each
/// colour it draws in is grey once in 8 bits. Blending, resampling and
/// premultiplying grey gives grey, as each channel is treated alike.
fn is_grey(page: &Page, options: &PngOptions) -> bool {
    fn grey(c: &Rgb) -> bool {
        let [r, g, b] = rgb8(c.0);
        r == g && g == b
    }
    fn item_is_grey(item: &Item) -> bool {
        match item {
            Item::Text(run) => grey(&run.color),
            Item::Stroke(s) => grey(&s.color),
            Item::Panel(p) => {
                p.fill.as_ref().is_none_or(grey) && p.stroke.is_none_or(|(c, _)| grey(&c))
            }
            Item::Image(p) => p.image.gray,
            Item::Preview(inner) => item_is_grey(inner),
        }
    }
    options.background.is_none() && !options.guides && page.items.iter().all(item_is_grey)
}

/// [`page_png`] with `N` bytes a pixel: 3 (RGB) or 1 (grey, for a page
/// [`is_grey`]).
fn draw_and_encode<const N: usize>(
    scene: &Scene,
    page_index: usize,
    options: &PngOptions,
) -> Vec<u8> {
    let (w, h) = pixel_size(&scene.pages[page_index], options.dpi);
    let len = w as usize * h as usize * N;
    let mut mapped = large_page_memory(len);
    let mut owned: Vec<u8>;
    let data = match &mut mapped {
        Some(m) => {
            let white = &mut m[..len];
            white.fill(255);
            white
        }
        None => {
            owned = vec![255; len];
            &mut owned[..]
        }
    };
    draw::<N>(scene, page_index, options, data);
    let color = if N == 1 {
        png::ColorType::Grayscale
    } else {
        png::ColorType::Rgb
    };
    encode(w, h, color, data, options.dpi)
}

/// Memory for `len` bytes of pixels in 2 MB pages, when it is worth asking
/// for (at least 256 KB) and can be had.
fn large_page_memory(len: usize) -> Option<memmap2::MmapMut> {
    const LARGE: usize = 2 << 20;
    if len < LARGE / 8 {
        return None;
    }
    // A whole number of large pages: recent Linux kernels align such a
    // mapping to them (an older one may not, and gives ordinary pages).
    let map = memmap2::MmapMut::map_anon(len.checked_next_multiple_of(LARGE)?).ok()?;
    #[cfg(target_os = "linux")]
    let _ = map.advise(memmap2::Advice::HugePage);
    Some(map)
}

/// Draws a page into white pixels (`pixel_size` of the page, rows top down,
/// `N` bytes a pixel: RGB, or grey for a page [`is_grey`]): see
/// [`render_png`].
fn draw<const N: usize>(scene: &Scene, page_index: usize, options: &PngOptions, data: &mut [u8]) {
    let page = &scene.pages[page_index];
    let (w, h) = pixel_size(page, options.dpi);
    let mut canvas = Canvas::<N> {
        width: w,
        height: h,
        data,
        outlines: FxHashMap::default(),
        masks: FxHashMap::default(),
        uses: FxHashMap::default(),
        scratch: Vec::new(),
        raster: Rasterizer::new(0, 0),
    };
    let k = options.dpi as f32 / 72.0;
    let b = page.bleed;
    if let Some(bg) = &options.background {
        canvas.draw_background(bg, to_px([b, b, b + page.width, b + page.height], k));
    }
    // Fonts that ab_glyph cannot read draw nothing; all fonts in a Scene
    // were validated by ttf-parser, which ab_glyph also uses.
    let px = Px {
        t: page.transform,
        b,
        k,
    };
    let fonts: Vec<Option<FontRef>> = scene
        .fonts
        .iter()
        .map(|f| FontRef::try_from_slice(f.data()).ok())
        .collect();
    // A scan of the stationery stands for what is already on it.
    let drawn = || {
        page.items
            .iter()
            .filter(|item| options.background.is_none() || item.prints())
    };
    canvas.uses = mask_uses(drawn(), scene, &fonts, &px);
    for item in drawn() {
        canvas.draw_item(item, scene, &fonts, &px);
    }
    if options.guides {
        canvas.draw_guides(page, &px);
    }
}

/// How many times each glyph mask is drawn by `items`. When glyphs had
/// quarter phases down as well, 140 of the sample card's 218 masks at 150
/// dpi were drawn once: not keeping them took
/// the preview from 271–278 page faults to 246–262 (fresh copies of each
/// binary, six rounds). A contact sheet of four cards draws 31 of its 348
/// masks once.
fn mask_uses<'a>(
    items: impl Iterator<Item = &'a Item>,
    scene: &Scene,
    fonts: &[Option<FontRef>],
    m: &Px,
) -> FxHashMap<MaskKey, u32> {
    fn text(item: &Item) -> Option<&TextRun> {
        match item {
            Item::Text(run) => Some(run),
            Item::Preview(inner) => text(inner),
            _ => None,
        }
    }
    let mut uses = FxHashMap::default();
    for run in items.filter_map(text) {
        let Some(font) = &fonts[run.font] else {
            continue;
        };
        let upem = scene.fonts[run.font].units_per_em as f32;
        let scale = run_scale(font, upem, run, m);
        let snap = baseline_snap(m, run);
        for g in &run.glyphs {
            let (_, [fx, fy]) = place(m, run, g, snap);
            let key = (run.font, g.id, scale.x.to_bits(), scale.y.to_bits(), fx, fy);
            *uses.entry(key).or_insert(0) += 1;
        }
    }
    uses
}

/// The scale ab_glyph draws a run's glyphs at: its size, in pixels, under
/// the page's transform. (PxScale is the ascent−descent height in pixels,
/// not the em.)
fn run_scale(font: &FontRef, units_per_em: f32, run: &TextRun, m: &Px) -> PxScale {
    let px_per_em = run.size * m.k;
    let scale = PxScale::from(px_per_em * font.height_unscaled() / units_per_em);
    if m.t.is_none() {
        return scale;
    }
    let [sx, sy] = m.scale();
    PxScale {
        x: scale.x * sx,
        y: scale.y * sy,
    }
}

/// Where a glyph of a run is drawn: the whole pixel, and the quarter-pixel
/// phase (0 to 3) across and down from it. As poppler sets text, a glyph
/// is placed to a quarter of a pixel across (at most 1/8 pixel from the
/// Scene's point) and its baseline on a whole pixel down (at most half a
/// pixel away; moving the sample card's page a quarter pixel down, pdftoppm
/// redrew one line of glyphs, a whole pixel lower, and left the others as
/// they were). A glyph raised or lowered from its run's baseline (a mark, a
/// superscript) keeps its offset to a quarter of a pixel. The baseline
/// snapped, a glyph has at most four phases, not sixteen: on the sample card
/// at 150 dpi, 8.5 M instructions for the preview instead of 10.0 M.
/// `snap` is the run's [`baseline_snap`].
fn place(m: &Px, run: &TextRun, g: &PlacedGlyph, snap: f32) -> ([i64; 2], [u8; 2]) {
    let [x, y] = m.point([run.x + g.x, run.y + g.dy]);
    let [x, y] = [x, y + snap].map(|v| (v * 4.0).round() as i64);
    (
        [x.div_euclid(4), y.div_euclid(4)],
        [x.rem_euclid(4) as u8, y.rem_euclid(4) as u8],
    )
}

/// How far down a run's baseline moves to its nearest whole pixel, in
/// pixels (once a run, for [`place`]).
fn baseline_snap(m: &Px, run: &TextRun) -> f32 {
    let baseline = m.point([run.x, run.y])[1];
    baseline.round() - baseline
}

/// Encodes a picture drawn at `dpi` as PNG bytes, with fast compression (a
/// preview is written once and looked at; speed matters more than the last
/// kilobytes). The file records its resolution (a `pHYs` chunk, in pixels
/// per metre, so a 150-dpi preview opens at its printed size) and that its
/// colours are sRGB (an `sRGB` chunk, perceptual intent).
pub fn encode_png(image: &RgbImage, dpi: u32) -> Vec<u8> {
    let (w, h) = image.dimensions();
    encode(w, h, png::ColorType::Rgb, image.as_raw(), dpi)
}

/// [`encode_png`] of pixels of `color` (RGB or grey), `width` by `height`.
fn encode(width: u32, height: u32, color: png::ColorType, pixels: &[u8], dpi: u32) -> Vec<u8> {
    // Room for a card's file at once (the sample's is a tenth of its pixels'
    // bytes), rather than growing it by copies.
    let mut out = Vec::with_capacity(pixels.len() / 8 + 4096);
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(color);
    encoder.set_depth(png::BitDepth::Eight);
    // fdeflate with every row filtered Up: on the sample card at 150 dpi,
    // 18% fewer instructions for the whole preview than choosing each row's
    // filter (Adaptive), for a file 14% larger (139 KB, not 122 KB).
    encoder.set_compression(png::Compression::Fastest);
    let per_metre = (dpi as f64 / 0.0254).round() as u32;
    encoder.set_pixel_dims(Some(png::PixelDimensions {
        xppu: per_metre,
        yppu: per_metre,
        unit: png::Unit::Meter,
    }));
    encoder.set_source_srgb(png::SrgbRenderingIntent::Perceptual);
    let mut writer = encoder
        .write_header()
        .expect("encoding into memory cannot fail");
    writer
        .write_image_data(pixels)
        .expect("encoding into memory cannot fail");
    writer.finish().expect("encoding into memory cannot fail");
    out
}

/// A box in points (trim coordinates plus bleed offset already applied) to pixels.
fn to_px(r: Rect, k: f32) -> Rect {
    [r[0] * k, r[1] * k, r[2] * k, r[3] * k]
}

/// Points of a page's items to pixels: the page's transform (when it has
/// one), the bleed, the resolution.
struct Px {
    t: Option<Transform>,
    b: f32,
    k: f32,
}

impl Px {
    /// A point of an item, in pixels.
    fn point(&self, p: [f32; 2]) -> [f32; 2] {
        let [x, y] = self.t.map_or(p, |t| t.apply(p));
        [(x + self.b) * self.k, (y + self.b) * self.k]
    }

    /// A box of an item, in pixels.
    fn rect(&self, r: Rect) -> Rect {
        let r = self.t.map_or(r, |t| t.apply_rect(r));
        r.map(|v| (v + self.b) * self.k)
    }

    /// The scale across and down (1 without a transform).
    fn scale(&self) -> [f32; 2] {
        self.t.map_or([1.0, 1.0], |t| t.scale.map(f32::abs))
    }
}

/// Lays `color` over one pixel's `N` channels with coverage `alpha` (0
/// leaves it as it was, to the bit; 1 or more covers it), as [`mix8`] at
/// its [`weight`].
#[inline]
fn mix(pixel: &mut [u8], color: [u8; 3], alpha: f32) {
    mix8(pixel, color, weight(alpha));
}

/// Coverage (0 to 1 or more) as the weight, 0 to 255, a pixel is mixed by
/// (`as` saturates: more than 1 is 255; less than 0, and NaN, are 0).
#[inline]
fn weight(alpha: f32) -> u8 {
    (alpha * 255.0 + 0.5) as u8
}

/// Lays `color` over one pixel's `N` channels by weight `a` (0 leaves it
/// as it was, 255 covers it), rounded to the nearest level, in whole
/// numbers.
#[inline]
fn mix8(pixel: &mut [u8], color: [u8; 3], a: u8) {
    let a = u32::from(a);
    for (d, s) in pixel.iter_mut().zip(color) {
        *d = ((u32::from(*d) * (255 - a) + u32::from(s) * a + 127) / 255) as u8;
    }
}

fn rgb8(c: [f32; 3]) -> [u8; 3] {
    c.map(|v| (v.clamp(0.0, 1.0) * 255.0).round() as u8)
}

/// A pixel buffer with blending, `N` bytes a pixel: RGB, or grey (each
/// colour then stands for its first channel, the page being [`is_grey`]).
struct Canvas<'a, const N: usize> {
    width: u32,
    height: u32,
    data: &'a mut [u8],
    /// Each glyph's outline (font units), read from its font once, by the
    /// Scene's font index and glyph id: a card draws most glyphs many times.
    outlines: FxHashMap<(usize, u16), Option<Outline>>,
    /// Each glyph's coverage at each quarter-pixel position it is drawn at,
    /// rasterised once: see [`Canvas::draw_text`].
    masks: FxHashMap<MaskKey, Option<Mask>>,
    /// How many times the page draws each glyph mask ([`mask_uses`]): one
    /// drawn once is not kept.
    uses: FxHashMap<MaskKey, u32>,
    /// The memory of the last mask let go, for the next glyph's coverage.
    scratch: Vec<u8>,
    /// The rasteriser each glyph's mask is drawn with.
    raster: Rasterizer,
}

/// A glyph of a Scene font at a size, placed a quarter-pixel phase across
/// and down from a whole pixel: the Scene's font index, the glyph id, the
/// bits of the scale across and down, and the phases (0 to 3).
type MaskKey = (usize, u16, u32, u32, u8, u8);

/// The most pixels of a glyph's mask kept for drawing it again: 64 KB of
/// coverage (a text glyph at 150 dpi has a few hundred).
const MAX_KEPT_MASK: usize = 1 << 16;

/// A glyph's coverage, as the [`weight`] each pixel is mixed by, over its
/// box of `width` pixels across, whose top-left pixel is `(x, y)` from the
/// whole pixel the glyph is placed at. A byte a pixel, not the
/// rasteriser's `f32`: a quarter of the memory (new memory is a page fault
/// for each 4 KB), and mixing in whole numbers.
struct Mask {
    x: i64,
    y: i64,
    width: usize,
    coverage: Vec<u8>,
}

impl Mask {
    /// A glyph's outline rasterised at `position` (less than a pixel from
    /// the origin), as `OutlinedGlyph::draw` does, into `raster` (kept
    /// from glyph to glyph), its coverage written into `coverage`'s memory
    /// (a mask let go lends its memory to the next); `None` when its box
    /// is empty.
    fn new(
        outline: &Outline,
        position: ab_glyph::Point,
        scale_factor: PxScaleFactor,
        raster: &mut Rasterizer,
        mut coverage: Vec<u8>,
    ) -> Option<Mask> {
        let bounds = outline.px_bounds(scale_factor, position);
        let (width, height) = (bounds.width() as usize, bounds.height() as usize);
        if width == 0 || height == 0 {
            return None;
        }
        let offset = position - bounds.min;
        let (across, down) = (scale_factor.horizontal, -scale_factor.vertical);
        let at = |p: &ab_glyph::Point| point(p.x * across, p.y * down) + offset;
        raster.reset(width, height);
        for curve in &outline.curves {
            match curve {
                OutlineCurve::Line(a, b) => raster.draw_line(at(a), at(b)),
                OutlineCurve::Quad(a, b, c) => raster.draw_quad(at(a), at(b), at(c)),
                OutlineCurve::Cubic(a, b, c, d) => raster.draw_cubic(at(a), at(b), at(c), at(d)),
            }
        }
        // Written in place, not pushed: on the sample card at 150 dpi,
        // 0.83 M instructions here, not 1.03 M (callgrind).
        coverage.clear();
        coverage.resize(width * height, 0);
        raster.for_each_pixel(|i, c| coverage[i] = weight(c));
        Some(Mask {
            x: bounds.min.x as i64,
            y: bounds.min.y as i64,
            width,
            coverage,
        })
    }
}

impl<const N: usize> Canvas<'_, N> {
    /// Lays `color` over the pixel at `(x, y)` with coverage `alpha` (0..1);
    /// pixels outside the canvas are ignored.
    #[inline]
    fn blend(&mut self, x: i64, y: i64, color: [u8; 3], alpha: f32) {
        if x < 0 || y < 0 || x >= self.width as i64 || y >= self.height as i64 || alpha <= 0.0 {
            return;
        }
        let i = (y as usize * self.width as usize + x as usize) * N;
        mix(&mut self.data[i..i + N], color, alpha);
    }

    /// Lays a glyph's mask over the canvas with its top-left pixel at
    /// `(x, y)`, in `color`; what falls outside the canvas is left out.
    fn blend_mask(&mut self, mask: &Mask, x: i64, y: i64, color: [u8; 3]) {
        let (w, h) = (self.width as i64, self.height as i64);
        let rows = (mask.coverage.len() / mask.width) as i64;
        let (x0, x1) = (x.max(0), (x + mask.width as i64).min(w));
        if x0 >= x1 {
            return;
        }
        let across = (x1 - x0) as usize;
        for row in y.max(0)..(y + rows).min(h) {
            let from = (row - y) as usize * mask.width + (x0 - x) as usize;
            let at = (row as usize * w as usize + x0 as usize) * N;
            let pixels = self.data[at..at + across * N].chunks_exact_mut(N);
            // Coverage 0 leaves a pixel as it was, so every pixel is mixed:
            // a loop without a branch, which the compiler vectorises (on
            // the sample card at 150 dpi, 0.99 M instructions, not 1.29 M,
            // when coverage was kept as f32; 0.63 M in bytes).
            for (d, &a) in pixels.zip(&mask.coverage[from..from + across]) {
                mix8(d, color, a);
            }
        }
    }

    /// Fills whole pixels `[x0, x1) × [y0, y1)`, clipped to the canvas.
    fn fill(&mut self, x0: i64, y0: i64, x1: i64, y1: i64, color: [u8; 3], alpha: f32) {
        for y in y0.max(0)..y1.min(self.height as i64) {
            for x in x0.max(0)..x1.min(self.width as i64) {
                self.blend(x, y, color, alpha);
            }
        }
    }

    /// A straight line with butt ends, as PDF strokes it. Lines thinner than
    /// a pixel are drawn one pixel wide and proportionally lighter.
    fn draw_stroke(&mut self, s: &Stroke, m: &Px) {
        let a = m.point(s.from);
        let b = m.point(s.to);
        let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
        let len = (dx * dx + dy * dy).sqrt();
        if len == 0.0 || s.width <= 0.0 {
            return;
        }
        // Under a scale the pen's width across the line scales by
        // |det| / (how much the line's direction stretches).
        let across = match m.t {
            None => 1.0,
            Some(_) => {
                let [sx, sy] = m.scale();
                let (ux, uy) = (s.to[0] - s.from[0], s.to[1] - s.from[1]);
                let n = (ux * ux + uy * uy).sqrt();
                sx * sy / ((sx * ux / n).powi(2) + (sy * uy / n).powi(2)).sqrt()
            }
        };
        let width = s.width * m.k * across;
        let (half, alpha) = if width < 1.0 {
            (0.5, width)
        } else {
            (width / 2.0, 1.0)
        };
        let (nx, ny) = (-dy / len * half, dx / len * half);
        let quad = [
            [a[0] + nx, a[1] + ny],
            [b[0] + nx, b[1] + ny],
            [b[0] - nx, b[1] - ny],
            [a[0] - nx, a[1] - ny],
        ];
        self.fill_contours(&[&quad], rgb8(s.color.0), alpha);
    }

    /// One item of the Scene; preview-only items are drawn like the rest.
    fn draw_item(&mut self, item: &Item, scene: &Scene, fonts: &[Option<FontRef>], m: &Px) {
        match item {
            Item::Text(run) => {
                if let Some(font) = &fonts[run.font] {
                    let upem = scene.fonts[run.font].units_per_em as f32;
                    self.draw_text(font, upem, run, m, Some(run.font));
                }
            }
            Item::Stroke(s) => self.draw_stroke(s, m),
            Item::Panel(p) => self.draw_panel(p, m),
            Item::Image(p) => self.draw_picture(p, m),
            Item::Preview(inner) => self.draw_item(inner, scene, fonts, m),
        }
    }

    /// Fills contours (pixel coordinates, each closed) by the non-zero rule,
    /// anti-aliased: a ring is its outer edge one way round and its inner edge
    /// the other. Contours are clipped to the canvas (exact for boxes and
    /// for lines that run along an axis).
    fn fill_contours(&mut self, contours: &[&[[f32; 2]]], color: [u8; 3], alpha: f32) {
        let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
        for p in contours.iter().flat_map(|c| c.iter()) {
            x0 = x0.min(p[0]);
            y0 = y0.min(p[1]);
            x1 = x1.max(p[0]);
            y1 = y1.max(p[1]);
        }
        let ox = x0.floor().max(0.0);
        let oy = y0.floor().max(0.0);
        let w = (x1.ceil().min(self.width as f32) - ox).max(0.0) as usize;
        let h = (y1.ceil().min(self.height as f32) - oy).max(0.0) as usize;
        if w == 0 || h == 0 {
            return;
        }
        let mut r = Rasterizer::new(w, h);
        let clip = |p: [f32; 2]| {
            point(
                (p[0] - ox).clamp(0.0, w as f32),
                (p[1] - oy).clamp(0.0, h as f32),
            )
        };
        for points in contours {
            for i in 0..points.len() {
                let (a, b) = (points[i], points[(i + 1) % points.len()]);
                r.draw_line(clip(a), clip(b));
            }
        }
        r.for_each_pixel_2d(|x, y, c| {
            self.blend(ox as i64 + x as i64, oy as i64 + y as i64, color, c * alpha)
        });
    }

    /// A rectangle: its fill, then its outline (mitred corners, as the PDF
    /// draws it). Outlines thinner than a pixel are drawn one pixel wide and
    /// proportionally lighter, like strokes.
    fn draw_panel(&mut self, p: &Panel, m: &Px) {
        let [x0, y0, x1, y1] = m.rect(p.rect);
        let [sx, sy] = m.scale();
        // The outline's half width, across (scaled like x) and down.
        let corners = |d: f32| {
            let (dx, dy) = (d * sx, d * sy);
            [
                [x0 - dx, y0 - dy],
                [x1 + dx, y0 - dy],
                [x1 + dx, y1 + dy],
                [x0 - dx, y1 + dy],
            ]
        };
        if let Some(fill) = p.fill {
            self.fill_contours(&[&corners(0.0)], rgb8(fill.0), 1.0);
        }
        if let Some((color, width)) = p.stroke {
            let width = width * m.k;
            if width <= 0.0 {
                return;
            }
            let (half, alpha) = if width < 1.0 {
                (0.5, width)
            } else {
                (width / 2.0, 1.0)
            };
            let outer = corners(half);
            let mut inner = corners(-half);
            inner.reverse();
            self.fill_contours(&[&outer, &inner], rgb8(color.0), alpha);
        }
    }

    /// An image stretched to its rectangle, resampled to whole pixels (as
    /// poppler does: enlarged without smoothing, reduced by averaging, with
    /// premultiplied alpha so transparent pixels lend no colour), laid over
    /// the page by its transparency.
    fn draw_picture(&mut self, p: &Picture, m: &Px) {
        let img = &p.image;
        let [x0, y0, x1, y1] = m.rect(p.rect).map(|v| v.round() as i64);
        let (w, h) = ((x1 - x0).max(1) as u32, (y1 - y0).max(1) as u32);
        let premultiplied: Vec<u8> = img
            .rgba
            .chunks_exact(4)
            .flat_map(|px| {
                let a = px[3] as u32;
                let m = |c: u8| ((c as u32 * a + 127) / 255) as u8;
                [m(px[0]), m(px[1]), m(px[2]), px[3]]
            })
            .collect();
        let Some(src) = image::ImageBuffer::<image::Rgba<u8>, _>::from_raw(
            img.width,
            img.height,
            premultiplied,
        ) else {
            return;
        };
        let filter = if w >= img.width && h >= img.height {
            image::imageops::FilterType::Nearest
        } else {
            image::imageops::FilterType::Triangle
        };
        let scaled = if src.dimensions() == (w, h) {
            src
        } else {
            image::imageops::resize(&src, w, h, filter)
        };
        for (x, y, px) in scaled.enumerate_pixels() {
            let [r, g, b, a] = px.0;
            self.blend_premultiplied(x0 + x as i64, y0 + y as i64, [r, g, b], a);
        }
    }

    /// Lays a premultiplied colour with alpha `a` (0..=255) over the pixel at
    /// `(x, y)`; pixels outside the canvas are ignored.
    fn blend_premultiplied(&mut self, x: i64, y: i64, color: [u8; 3], a: u8) {
        if x < 0 || y < 0 || x >= self.width as i64 || y >= self.height as i64 || a == 0 {
            return;
        }
        let i = (y as usize * self.width as usize + x as usize) * N;
        for (d, s) in self.data[i..i + N].iter_mut().zip(color) {
            let v = *d as u32 * (255 - a as u32) / 255 + s as u32;
            *d = v.min(255) as u8;
        }
    }

    /// A run's glyphs at the Scene's exact positions.
    /// `cached`: the Scene's index of `font`, to keep its outlines by (a
    /// font not of the Scene is read each time).
    fn draw_text(
        &mut self,
        font: &FontRef,
        units_per_em: f32,
        run: &TextRun,
        m: &Px,
        cached: Option<usize>,
    ) {
        let scale = run_scale(font, units_per_em, run, m);
        let color = rgb8(run.color.0);
        let scale_factor = font.as_scaled(scale).scale_factor();
        let mut masks = std::mem::take(&mut self.masks);
        let snap = baseline_snap(m, run);
        for g in &run.glyphs {
            // A card draws most glyphs many times at a few phases, and each
            // is rasterised once for each.
            let ([px, py], [fx, fy]) = place(m, run, g, snap);
            let position = point(f32::from(fx) / 4.0, f32::from(fy) / 4.0);
            let raster = &mut self.raster;
            let Some(f) = cached else {
                let scratch = &mut self.scratch;
                let mask = font.outline(GlyphId(g.id)).and_then(|o| {
                    Mask::new(&o, position, scale_factor, raster, std::mem::take(scratch))
                });
                if let Some(mask) = mask {
                    self.blend_mask(&mask, px + mask.x, py + mask.y, color);
                    self.scratch = mask.coverage;
                }
                continue;
            };
            let key = (f, g.id, scale.x.to_bits(), scale.y.to_bits(), fx, fy);
            let mask = match masks.entry(key) {
                Entry::Occupied(kept) => kept.into_mut(),
                Entry::Vacant(new) => {
                    // Each outline is read from its font once.
                    let outline = self
                        .outlines
                        .entry((f, g.id))
                        .or_insert_with(|| font.outline(GlyphId(g.id)));
                    // A mask the page draws once, or too big to keep (a
                    // monogram at a high resolution), is drawn and let go,
                    // its memory kept for the next; one kept has its own.
                    let once = self.uses.get(&key).is_none_or(|&n| n < 2);
                    let scratch = &mut self.scratch;
                    let mask = outline.as_ref().and_then(|o| {
                        let memory = if once {
                            std::mem::take(scratch)
                        } else {
                            Vec::new()
                        };
                        Mask::new(o, position, scale_factor, raster, memory)
                    });
                    match mask {
                        Some(let_go) if once || let_go.coverage.len() > MAX_KEPT_MASK => {
                            self.blend_mask(&let_go, px + let_go.x, py + let_go.y, color);
                            self.scratch = let_go.coverage;
                            continue;
                        }
                        kept => new.insert(kept),
                    }
                }
            };
            if let Some(mask) = mask {
                self.blend_mask(mask, px + mask.x, py + mask.y, color);
            }
        }
        self.masks = masks;
    }

    /// The background stretched over a box of pixels.
    fn draw_background(&mut self, bg: &Background, r: Rect) {
        let (x0, y0) = (r[0].round() as i64, r[1].round() as i64);
        let (w, h) = (
            (r[2].round() as i64 - x0).max(1) as u32,
            (r[3].round() as i64 - y0).max(1) as u32,
        );
        let scaled = if bg.image.dimensions() == (w, h) {
            bg.image.clone()
        } else {
            image::imageops::resize(&bg.image, w, h, image::imageops::FilterType::Triangle)
        };
        for (x, y, p) in scaled.enumerate_pixels() {
            let (cx, cy) = (x0 + x as i64, y0 + y as i64);
            if cx >= 0 && cy >= 0 && cx < self.width as i64 && cy < self.height as i64 {
                let i = (cy as usize * self.width as usize + cx as usize) * N;
                self.data[i..i + N].copy_from_slice(&p.0[..N]);
            }
        }
    }

    /// The outline of a box, whole pixels wide, drawn just inside it, or
    /// just outside when `outside` (so two boxes with a common edge both
    /// show); `dash` is `(on, off)` in pixels.
    fn outline(
        &mut self,
        r: Rect,
        line: i64,
        color: [u8; 3],
        dash: Option<(i64, i64)>,
        outside: bool,
    ) {
        let [mut x0, mut y0, mut x1, mut y1] = r.map(|v| v.round() as i64);
        if outside {
            (x0, y0, x1, y1) = (x0 - line, y0 - line, x1 + line, y1 + line);
        }
        let on = |t: i64| dash.is_none_or(|(a, b)| t.rem_euclid(a + b) < a);
        for x in x0..x1 {
            if on(x - x0) {
                self.fill(x, y0, x + 1, y0 + line, color, 1.0);
                self.fill(x, y1 - line, x + 1, y1, color, 1.0);
            }
        }
        for y in y0..y1 {
            if on(y - y0) {
                self.fill(x0, y, x0 + line, y + 1, color, 1.0);
                self.fill(x1 - line, y, x1, y + 1, color, 1.0);
            }
        }
    }

    /// Guides from the page's boxes; none of them is in the Scene.
    /// The card's boxes follow the page's transform (they frame the text
    /// where it is drawn); the trim and bleed edges are the paper's.
    fn draw_guides(&mut self, page: &Page, m: &Px) {
        let (b, k) = (page.bleed, m.k);
        let shift = |r: Rect| to_px([r[0] + b, r[1] + b, r[2] + b, r[3] + b], k);
        let moved = |r: Rect| m.rect(r);
        let line = ((0.5 * k).round() as i64).max(1);
        let dash = Some((
            ((3.0 * k).round() as i64).max(3),
            ((2.0 * k).round() as i64).max(2),
        ));
        if let Some(CardBoxes {
            text_area,
            body_box,
            signature_box,
            ..
        }) = page.card
        {
            let sig = moved(signature_box);
            let [sx0, sy0, sx1, sy1] = sig.map(|v| v.round() as i64);
            self.fill(sx0, sy0, sx1, sy1, GUIDE_SIGNATURE, 0.14);
            self.outline(sig, line, GUIDE_SIGNATURE, None, false);
            self.draw_label(sig, line, k);
            self.outline(moved(body_box), line, GUIDE_BODY, None, false);
            self.outline(moved(text_area), line, GUIDE_TEXT_AREA, dash, true);
        }
        self.outline(
            shift([0.0, 0.0, page.width, page.height]),
            line,
            GUIDE_TRIM,
            None,
            false,
        );
        if let Some([a, z]) = page.fold_line {
            // The fold: a dashed trim-coloured line across the sheet.
            let r = shift([a[0], a[1], z[0], z[1]]);
            self.outline(r, line, GUIDE_TRIM, dash, false);
        }
        if b > 0.0 {
            let (w, h) = (self.width as f32, self.height as f32);
            self.outline([0.0, 0.0, w, h], line, GUIDE_BLEED, None, false);
        }
    }

    /// "signature" in the top-left corner of the signature area, in the
    /// bundled Caladea, 7 pt (at least 8 pixels), set by the one run builder
    /// (shaped and kerned as any text) and drawn as any text run.
    fn draw_label(&mut self, sig: Rect, line: i64, k: f32) {
        let Ok(set) = FontSet::load(&FontChoice::Bundled("caladea".into()), Path::new("")) else {
            return;
        };
        let face = set.get(Style::Regular);
        let Ok(font) = FontRef::try_from_slice(face.data()) else {
            return;
        };
        let upem = face.units_per_em as f32;
        let size = (7.0 * k).max(8.0) / k;
        let pad = line as f32 + (2.0 * k).max(2.0);
        let x = (sig[0] + pad) / k;
        let baseline = (sig[1] + pad) / k + font.ascent_unscaled() * size / upem;
        for mut run in Setter::new(&set).run(Style::Regular, size, x, baseline, "signature") {
            run.color = Rgb([184.0 / 255.0, 98.0 / 255.0, 0.0]);
            self.draw_text(&font, upem, &run, &Px { t: None, b: 0.0, k }, None);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scene::CardBoxes;

    fn page(width: f32, height: f32, bleed: f32) -> Page {
        Page {
            bleed,
            ..Page::blank(width, height)
        }
    }

    /// `blend_mask` mixes every pixel of a mask, those of coverage 0 too,
    /// so mixing at coverage 0 must leave each channel exactly as it was.
    #[test]
    fn mixing_at_no_coverage_changes_nothing() {
        for d in 0..=255u8 {
            for s in 0..=255u8 {
                let mut pixel = [d; 3];
                mix(&mut pixel, [s, 255 - s, s / 2], 0.0);
                assert_eq!(pixel, [d; 3], "colour {s} over {d}");
            }
        }
        let mut pixel = [200u8];
        mix(&mut pixel, [0, 0, 0], 1.0);
        assert_eq!(pixel, [0], "full coverage covers");
    }

    #[test]
    fn mixing_by_weight_gives_the_nearest_level() {
        for d in (0..=255u8).step_by(3) {
            for s in (0..=255u8).step_by(5) {
                for a in 0..=255u8 {
                    let mut pixel = [d];
                    mix8(&mut pixel, [s, 0, 0], a);
                    let exact = (d as f64 * (255 - a) as f64 + s as f64 * a as f64) / 255.0;
                    assert!(
                        (pixel[0] as f64 - exact).abs() <= 0.5,
                        "{s} over {d} by {a}: {} for {exact}",
                        pixel[0]
                    );
                }
            }
        }
        assert_eq!((weight(0.0), weight(0.5), weight(1.0)), (0, 128, 255));
        assert_eq!((weight(-0.1), weight(1.7), weight(f32::NAN)), (0, 255, 0));
    }

    #[test]
    fn size_includes_bleed() {
        assert_eq!(pixel_size(&page(396.0, 306.0, 0.0), 72), (396, 306));
        assert_eq!(pixel_size(&page(396.0, 306.0, 9.0), 144), (828, 648));
        assert_eq!(pixel_size(&page(396.0, 306.0, 0.0), 150), (825, 638));
    }

    #[test]
    fn size_limits_are_errors() {
        let p = page(396.0, 306.0, 0.0);
        assert!(check_size(&p, 9).is_err());
        assert!(check_size(&p, 1201).is_err());
        assert!(check_size(&p, 1200).is_ok());
        let big = page(48.0 * 72.0, 48.0 * 72.0, 0.0);
        let e = check_size(&big, 1200).unwrap_err().to_string();
        assert!(e.contains("megapixels") && e.contains("dpi: "), "{e}");
        assert!(e.contains("dpi or less"), "{e}");
    }

    #[test]
    fn strokes_are_drawn_at_their_place() {
        let mut p = page(72.0, 72.0, 0.0);
        p.items.push(Item::Stroke(Stroke {
            from: [10.0, 36.0],
            to: [62.0, 36.0],
            width: 2.0,
            color: crate::input::design::Rgb([0.0, 0.0, 0.0]),
            registration: false,
        }));
        let scene = Scene {
            fonts: Vec::new(),
            pages: vec![p],
            title: String::new(),
            author: String::new(),
        };
        let img = render_png(
            &scene,
            0,
            &PngOptions {
                dpi: 72,
                ..Default::default()
            },
        );
        assert_eq!(img.get_pixel(36, 35).0, [0, 0, 0]);
        assert_eq!(img.get_pixel(36, 36).0, [0, 0, 0]);
        assert_eq!(img.get_pixel(36, 33).0, [255, 255, 255]);
        assert_eq!(img.get_pixel(5, 35).0, [255, 255, 255]);
    }

    #[test]
    fn page_png_is_render_png_encoded() {
        use crate::input::design::Rgb;
        let mut p = page(72.0, 72.0, 2.0);
        p.items.push(Item::Panel(Panel {
            rect: [10.0, 10.0, 62.0, 62.0],
            fill: Some(Rgb([0.9, 0.8, 0.7])),
            stroke: Some((Rgb([0.0, 0.0, 0.5]), 2.0)),
        }));
        let scene = Scene {
            fonts: Vec::new(),
            pages: vec![p],
            title: String::new(),
            author: String::new(),
        };
        // 76 pixels square in ordinary memory; 1,267 (4.8 MB) in large pages.
        for dpi in [72, 1200] {
            let o = PngOptions {
                dpi,
                ..Default::default()
            };
            let (w, h) = pixel_size(&scene.pages[0], dpi);
            assert_eq!(
                large_page_memory(w as usize * h as usize * 3).is_some(),
                dpi > 72
            );
            let png = page_png(&scene, 0, &o);
            assert!(
                png == encode_png(&render_png(&scene, 0, &o), dpi),
                "at {dpi} dpi"
            );
        }
    }

    #[test]
    fn a_page_in_greys_is_a_greyscale_png_of_the_same_pixels() {
        use crate::input::design::Rgb;
        let grey_page = || {
            let mut p = page(144.0, 72.0, 0.0);
            p.items.push(Item::Panel(Panel {
                rect: [10.0, 10.0, 62.0, 62.0],
                fill: Some(Rgb([0.8, 0.8, 0.8])),
                stroke: Some((Rgb([0.2, 0.2, 0.2]), 1.5)),
            }));
            p.items.push(Item::Stroke(Stroke {
                from: [20.0, 5.0],
                to: [130.0, 66.0],
                width: 0.7,
                color: Rgb([0.0, 0.0, 0.0]),
                registration: false,
            }));
            p
        };
        let scene = |p: Page| Scene {
            fonts: Vec::new(),
            pages: vec![p],
            title: String::new(),
            author: String::new(),
        };
        let decode = |png: &[u8]| image::load_from_memory(png).unwrap();
        // 300 pixels by 150 in ordinary memory; 2,400 by 1,200 (2.9 MB in
        // grey) in large pages.
        for dpi in [150, 1200] {
            let o = PngOptions {
                dpi,
                ..Default::default()
            };
            let grey = scene(grey_page());
            let picture = decode(&page_png(&grey, 0, &o));
            assert_eq!(picture.color(), image::ColorType::L8, "at {dpi} dpi");
            assert!(
                picture.to_rgb8() == render_png(&grey, 0, &o),
                "the same pixels at {dpi} dpi"
            );
            // A colour anywhere, guides or a picture: RGB, as before.
            let mut tinted = grey_page();
            if let Item::Stroke(s) = &mut tinted.items[1] {
                s.color = Rgb([0.0, 0.0, 0.01]);
            }
            let tinted = scene(tinted);
            let picture = |rgba: Vec<u8>| {
                let mut p = grey_page();
                p.items.push(Item::Image(Picture {
                    rect: [70.0, 10.0, 90.0, 20.0],
                    image: std::sync::Arc::new(crate::scene::ImageData {
                        width: 2,
                        height: 1,
                        gray: rgba.chunks(4).all(|c| c[0] == c[1] && c[1] == c[2]),
                        rgba,
                        has_alpha: true,
                        jpeg: None,
                        key: 1,
                        name: "t.png".into(),
                    }),
                }));
                scene(p)
            };
            // A grey picture (here half transparent) keeps the page grey.
            let grey_picture = picture(vec![90, 90, 90, 255, 200, 200, 200, 128]);
            let png = page_png(&grey_picture, 0, &o);
            assert_eq!(decode(&png).color(), image::ColorType::L8);
            assert!(decode(&png).to_rgb8() == render_png(&grey_picture, 0, &o));
            let image = picture(vec![90, 90, 90, 255, 200, 0, 0, 128]);
            let guided = PngOptions {
                guides: true,
                ..o.clone()
            };
            for (what, s, o) in [
                ("a colour", &tinted, &o),
                ("a picture", &image, &o),
                ("guides", &grey, &guided),
            ] {
                let png = page_png(s, 0, o);
                assert_eq!(decode(&png).color(), image::ColorType::Rgb8, "{what}");
                assert!(png == encode_png(&render_png(s, 0, o), dpi), "{what}");
            }
        }
    }

    #[test]
    fn panels_images_and_preview_items_are_drawn() {
        use crate::input::design::Rgb;
        use crate::scene::{ImageData, Panel, Picture};
        let navy = Rgb([0.0, 0.0, 0.5]);
        let mut p = page(72.0, 72.0, 0.0);
        p.items.push(Item::Panel(Panel {
            rect: [10.0, 10.0, 62.0, 62.0],
            fill: None,
            stroke: Some((navy, 2.0)),
        }));
        // A 2x1 image: opaque red, then fully transparent.
        let image = std::sync::Arc::new(ImageData {
            width: 2,
            height: 1,
            rgba: vec![255, 0, 0, 255, 0, 255, 0, 0],
            has_alpha: true,
            gray: false,
            jpeg: None,
            key: 1,
            name: "t.png".into(),
        });
        p.items.push(Item::Preview(Box::new(Item::Image(Picture {
            image,
            rect: [20.0, 30.0, 40.0, 40.0],
        }))));
        let scene = Scene {
            fonts: Vec::new(),
            pages: vec![p],
            title: String::new(),
            author: String::new(),
        };
        let o = PngOptions {
            dpi: 72,
            ..Default::default()
        };
        let img = render_png(&scene, 0, &o);
        assert_eq!(img.get_pixel(10, 36).0, [0, 0, 128], "the outline");
        assert_eq!(
            img.get_pixel(36, 20).0,
            [255, 255, 255],
            "inside the outline"
        );
        assert_eq!(img.get_pixel(25, 35).0, [255, 0, 0], "the opaque half");
        assert_eq!(
            img.get_pixel(35, 35).0,
            [255, 255, 255],
            "the transparent half"
        );
        // A background scan stands for preview-only items.
        let bg = Background::from_image(DynamicImage::ImageRgb8(RgbImage::from_pixel(
            4,
            4,
            image::Rgb([250, 250, 250]),
        )));
        let img = render_png(
            &scene,
            0,
            &PngOptions {
                background: Some(bg),
                ..o
            },
        );
        assert_eq!(img.get_pixel(25, 35).0, [250, 250, 250]);
    }

    #[test]
    fn guides_shade_the_signature_area() {
        let mut p = page(100.0, 100.0, 0.0);
        p.card = Some(CardBoxes {
            font_size: 10.0,
            text_area: [10.0, 10.0, 90.0, 90.0],
            body_box: [10.0, 10.0, 90.0, 60.0],
            signature_box: [40.0, 65.0, 90.0, 90.0],
        });
        let scene = Scene {
            fonts: Vec::new(),
            pages: vec![p],
            title: String::new(),
            author: String::new(),
        };
        let mut o = PngOptions {
            dpi: 72,
            ..Default::default()
        };
        let plain = render_png(&scene, 0, &o);
        assert!(plain.pixels().all(|p| p.0 == [255, 255, 255]));
        o.guides = true;
        let g = render_png(&scene, 0, &o);
        let inside = g.get_pixel(80, 85).0;
        assert!(inside[0] > inside[2] + 20, "{inside:?}");
        assert_eq!(g.get_pixel(0, 0).0, GUIDE_TRIM);
    }

    #[test]
    fn glyphs_are_drawn_as_ab_glyph_draws_them_on_the_baseline_pixel() {
        let path = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/samples/note.toml"));
        let note = crate::input::load_note(path).unwrap();
        let design = crate::input::design_for(&note, None).unwrap();
        let mut card = crate::layout::layout_card(&note, &design).unwrap();
        let page = &mut card.scene.pages[0];
        page.items.retain(|i| matches!(i, Item::Text(_)));
        // One glyph again, a quarter pixel along: it needs a mask of its own.
        let Some(Item::Text(first)) = page.items.first() else {
            panic!("the sample has text")
        };
        let mut moved = first.clone();
        moved.y += 40.0;
        moved.x += 0.12;
        page.items.push(Item::Text(moved));
        let (page, dpi) = (&card.scene.pages[0], 150);
        let ours = render_png(
            &card.scene,
            0,
            &PngOptions {
                dpi,
                ..Default::default()
            },
        );
        // The reference: each glyph outlined and drawn by ab_glyph itself at
        // its place rounded to a quarter pixel across, its run's baseline to
        // a whole pixel down, with no mask kept.
        let (w, h) = pixel_size(page, dpi);
        let mut reference = RgbImage::from_pixel(w, h, image::Rgb([255; 3]));
        let k = dpi as f32 / 72.0;
        let px = |v: f32| (v + page.bleed) * k;
        let quarter = |v: f32| (v * 4.0).round() / 4.0;
        let mut glyphs = 0;
        for item in &page.items {
            let Item::Text(run) = item else { continue };
            let face = &card.scene.fonts[run.font];
            let font = FontRef::try_from_slice(face.data()).unwrap();
            let em = run.size * k * font.height_unscaled() / face.units_per_em as f32;
            let color = rgb8(run.color.0);
            for g in &run.glyphs {
                let glyph = ab_glyph::Glyph {
                    id: GlyphId(g.id),
                    scale: PxScale::from(em),
                    position: point(
                        quarter(px(run.x + g.x)),
                        quarter(px(run.y + g.dy) + (px(run.y).round() - px(run.y))),
                    ),
                };
                let Some(outlined) = font.outline_glyph(glyph) else {
                    continue;
                };
                glyphs += 1;
                let min = outlined.px_bounds().min;
                outlined.draw(|x, y, c| {
                    let (x, y) = (min.x as i64 + x as i64, min.y as i64 + y as i64);
                    if c > 0.0 && x >= 0 && y >= 0 && x < w as i64 && y < h as i64 {
                        mix(&mut reference.get_pixel_mut(x as u32, y as u32).0, color, c);
                    }
                });
            }
        }
        assert!(glyphs > 300, "{glyphs} glyphs drawn");
        let differ = ours
            .pixels()
            .zip(reference.pixels())
            .filter(|(a, b)| a != b)
            .count();
        assert_eq!(differ, 0, "{differ} pixels differ from ab_glyph's drawing");
    }

    #[test]
    fn transparent_background_is_white_paper() {
        let img = image::RgbaImage::from_pixel(2, 2, image::Rgba([0, 0, 0, 0]));
        let bg = Background::from_image(DynamicImage::ImageRgba8(img));
        assert!(bg.image.pixels().all(|p| p.0 == [255, 255, 255]));
    }
}
