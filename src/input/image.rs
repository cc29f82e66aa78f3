//! Image files (PNG, JPEG): read within limits, decoded, and turned into the
//! Scene's [`ImageData`]. Used for a design's logo or artwork and for the
//! preview's background scan.

use crate::diag::{Diagnostic, Result};
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader};
use std::io::Cursor;
use std::path::Path;
use std::sync::Arc;

/// A raster image, decoded, with the file it came from.
///
/// Shared (`Arc`) by every card that shows it; the PDF exporter writes it
/// once per file, keyed by [`ImageData::key`].
#[derive(Clone, PartialEq)]
pub struct ImageData {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Pixels, row by row from the top, 8-bit RGBA with straight
    /// (not premultiplied) alpha: `width * height * 4` bytes.
    pub rgba: Vec<u8>,
    /// Whether any pixel is not fully opaque.
    pub has_alpha: bool,
    /// Whether every pixel is grey (red = green = blue).
    pub gray: bool,
    /// For a JPEG file that a PDF can carry as it is: the file's bytes and
    /// its number of colour components (1 or 3).
    pub jpeg: Option<(Arc<[u8]>, u8)>,
    /// A hash of the pixels and the file: equal images share one copy in a PDF.
    pub key: u64,
    /// The file it was read from, for messages.
    pub name: String,
}

impl std::fmt::Debug for ImageData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImageData")
            .field("name", &self.name)
            .field("width", &self.width)
            .field("height", &self.height)
            .field("has_alpha", &self.has_alpha)
            .field("jpeg", &self.jpeg.as_ref().map(|j| j.1))
            .finish_non_exhaustive()
    }
}

/// How much of an image file is read and decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageLimits {
    /// The largest file, in bytes.
    pub bytes: u64,
    /// The widest or tallest image, in pixels.
    pub side: u32,
    /// The most pixels (width × height).
    pub pixels: u64,
    /// The most memory the decoder may allocate, in bytes.
    pub alloc: u64,
}

/// Limits for a design's logo or artwork: a 32 MiB file, 12,000 pixels a
/// side, 40 megapixels (a 5 x 7 in card at 1,000 dpi is 35).
pub const ARTWORK_LIMITS: ImageLimits = ImageLimits {
    bytes: 32 * 1024 * 1024,
    side: 12_000,
    pixels: 40_000_000,
    alloc: 512 * 1024 * 1024,
};

/// A decoded image file.
pub struct Decoded {
    /// PNG or JPEG.
    pub format: ImageFormat,
    /// The file's bytes.
    pub data: Vec<u8>,
    /// The pixels, turned upright when the file says (EXIF orientation).
    pub image: DynamicImage,
    /// Whether the pixels were turned or mirrored from the file's order.
    pub reoriented: bool,
}

/// An image file read and its header checked, not yet decoded.
pub struct Probe {
    /// PNG or JPEG.
    pub format: ImageFormat,
    /// The file's bytes.
    pub data: Vec<u8>,
    /// The size the header claims, in pixels, within the limits.
    pub width: u32,
    /// See `width`.
    pub height: u32,
}

impl Probe {
    /// Width x height.
    pub fn pixels(&self) -> u64 {
        self.width as u64 * self.height as u64
    }
}

fn failure(what: &str, path: &Path) -> impl Fn(String) -> Diagnostic {
    let shown = format!("cannot use {what} {}", crate::diag::path(path));
    move |why: String| Diagnostic::new(format!("{shown}: {why}"))
}

/// Reads a PNG or JPEG file and checks the size its header claims against
/// `limits`, decoding nothing. `what` names the file's use in messages
/// ("cannot use {what} FILE: ...").
pub fn probe(path: &Path, what: &str, limits: &ImageLimits) -> Result<Probe> {
    let fail = failure(what, path);
    let role = format!("the {what}");
    let data = crate::io::read_bounded(path, limits.bytes, &role).map_err(|e| match e {
        crate::io::ReadError::TooLarge(_) => {
            fail(e.to_string()).hint("save a smaller image, e.g. at 300 dpi")
        }
        e => fail(e.to_string()),
    })?;
    let format = ImageReader::new(Cursor::new(&data))
        .with_guessed_format()
        .ok()
        .and_then(|r| r.format());
    let format = match format {
        Some(f @ (ImageFormat::Png | ImageFormat::Jpeg)) => f,
        _ => {
            return Err(fail("it is not a png or jpeg image".into())
                .hint("save it as .png or .jpg")
                .into())
        }
    };
    // The size the header claims, read before anything is decoded.
    let mut header = ImageReader::new(Cursor::new(&data));
    header.set_format(format);
    header.no_limits();
    let (w, h) = header
        .into_dimensions()
        .map_err(|e| damaged(&fail, format, limits, e))?;
    if w > limits.side || h > limits.side || w as u64 * h as u64 > limits.pixels {
        return Err(fail(format!(
            "the image is too large ({w} x {h} pixels; the limit is {} megapixels, {} pixels a side)",
            limits.pixels / 1_000_000,
            limits.side
        ))
        .hint("scale it down; 300 dpi is plenty")
        .into());
    }
    if w == 0 || h == 0 {
        return Err(fail("the image is empty (0 pixels)".into()).into());
    }
    Ok(Probe {
        format,
        data,
        width: w,
        height: h,
    })
}

fn damaged(
    fail: &impl Fn(String) -> Diagnostic,
    format: ImageFormat,
    limits: &ImageLimits,
    e: image::ImageError,
) -> Diagnostic {
    let name = if format == ImageFormat::Png {
        "png"
    } else {
        "jpeg"
    };
    match e {
        image::ImageError::Limits(_) => fail(format!(
            "the image is too large to decode (limit {} megapixels)",
            limits.pixels / 1_000_000
        )),
        e => fail(format!(
            "the {name} image is damaged ({})",
            crate::diag::foreign_message(&e.to_string().to_lowercase())
        )),
    }
}

/// Reads and decodes a PNG or JPEG file. `what` names the file's use in
/// messages ("cannot use {what} FILE: ..."). Missing, damaged or oversized
/// files are refused; nothing is read or decoded past `limits`.
pub fn decode(path: &Path, what: &str, limits: &ImageLimits) -> Result<Decoded> {
    let p = probe(path, what, limits)?;
    decode_probe(p, path, what, limits)
}

/// Decodes a probed file within `limits` (the `image` crate's own limits
/// set: sides and memory).
pub fn decode_probe(p: Probe, path: &Path, what: &str, limits: &ImageLimits) -> Result<Decoded> {
    let fail = failure(what, path);
    let format = p.format;
    let data = p.data;
    let mut l = image::Limits::default();
    l.max_image_width = Some(limits.side);
    l.max_image_height = Some(limits.side);
    l.max_alloc = Some(limits.alloc);
    let mut reader = ImageReader::new(Cursor::new(&data));
    reader.set_format(format);
    reader.limits(l);
    let mut decoder = reader
        .into_decoder()
        .map_err(|e| damaged(&fail, format, limits, e))?;
    // Photos are often stored sideways with an EXIF note to turn them.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut image =
        DynamicImage::from_decoder(decoder).map_err(|e| damaged(&fail, format, limits, e))?;
    image.apply_orientation(orientation);
    Ok(Decoded {
        format,
        data,
        image,
        reoriented: orientation != Orientation::NoTransforms,
    })
}

/// An image's pixels as 8-bit RGBA, allocating fallibly: a machine short of
/// memory gets an error, never a panic or an abort.
pub fn rgba8(
    image: DynamicImage,
) -> std::result::Result<(u32, u32, Vec<u8>), std::collections::TryReserveError> {
    let (width, height) = (image.width(), image.height());
    if let DynamicImage::ImageRgba8(buffer) = image {
        return Ok((width, height, buffer.into_raw()));
    }
    let len = width as usize * height as usize * 4;
    let mut out = Vec::new();
    out.try_reserve_exact(len)?;
    use image::GenericImageView;
    for (_, _, p) in image.pixels() {
        out.extend_from_slice(&p.0);
    }
    Ok((width, height, out))
}

/// Reads a logo or artwork file into the Scene's form. A JPEG keeps its
/// bytes, so the PDF can carry it unchanged, when it is 8-bit grey or colour
/// and needs no turning.
pub fn load_artwork(path: &Path) -> Result<ImageData> {
    artwork(probe(path, "image", &ARTWORK_LIMITS)?, path)
}

/// A probed logo or artwork file decoded into the Scene's form (see
/// [`load_artwork`]).
pub fn artwork(p: Probe, path: &Path) -> Result<ImageData> {
    let d = decode_probe(p, path, "image", &ARTWORK_LIMITS)?;
    let (w, h) = (d.image.width(), d.image.height());
    let (width, height, rgba) = rgba8(d.image).map_err(|_| {
        failure("image", path)(format!(
            "there is not enough memory to decode it ({w} x {h} pixels)"
        ))
    })?;
    let has_alpha = rgba.chunks_exact(4).any(|p| p[3] != 255);
    let gray = rgba.chunks_exact(4).all(|p| p[0] == p[1] && p[1] == p[2]);
    let jpeg = match (d.format, d.reoriented, jpeg_components(&d.data)) {
        (ImageFormat::Jpeg, false, Some((8, n @ (1 | 3)))) => Some(n),
        _ => None,
    };
    let key = fnv(&d.data) ^ ((width as u64) << 32 | height as u64);
    Ok(ImageData {
        width,
        height,
        rgba,
        has_alpha,
        gray,
        jpeg: jpeg.map(|n| (Arc::from(d.data.into_boxed_slice()), n)),
        key,
        name: path.display().to_string(),
    })
}

/// A JPEG's sample precision and number of components, from its frame header.
fn jpeg_components(data: &[u8]) -> Option<(u8, u8)> {
    let mut i = 2;
    if data.get(..2)? != [0xFF, 0xD8] {
        return None;
    }
    loop {
        // Markers may be padded with 0xFF bytes.
        while *data.get(i)? == 0xFF && *data.get(i + 1)? == 0xFF {
            i += 1;
        }
        if *data.get(i)? != 0xFF {
            return None;
        }
        let marker = *data.get(i + 1)?;
        let len = u16::from_be_bytes([*data.get(i + 2)?, *data.get(i + 3)?]) as usize;
        // Start of frame: baseline, extended, progressive or lossless (not DHT, JPG, DAC).
        if (0xC0..=0xCF).contains(&marker) && !matches!(marker, 0xC4 | 0xC8 | 0xCC) {
            return Some((*data.get(i + 4)?, *data.get(i + 9)?));
        }
        if marker == 0xDA || len < 2 {
            return None;
        }
        i += 2 + len;
    }
}

/// 64-bit FNV-1a.
fn fnv(data: &[u8]) -> u64 {
    data.iter().fold(0xcbf29ce484222325u64, |h, &b| {
        (h ^ b as u64).wrapping_mul(0x100000001b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jpeg_frame_header_is_found() {
        let img = image::RgbImage::from_pixel(3, 2, image::Rgb([10, 20, 30]));
        let mut buf = Vec::new();
        image::codecs::jpeg::JpegEncoder::new(&mut buf)
            .encode_image(&img)
            .unwrap();
        assert_eq!(jpeg_components(&buf), Some((8, 3)));
        assert_eq!(jpeg_components(b"\xFF\xD8\xFF"), None);
        assert_eq!(jpeg_components(b"not a jpeg"), None);
    }
}
