//! Entry points for the fuzz targets in `fuzz/` and for the regression
//! tests that replay their findings (`tests/fuzz_regressions.rs`). Each
//! takes arbitrary bytes and must return without panicking.

use crate::batch::merge::{parse_csv, Template};
use crate::batch::{run_batch, BatchOptions};
use crate::export::png::{render_png, PngOptions};
use crate::export::write_pdf;
use crate::input::design::{parse_design, FontChoice, Rgb};
use crate::input::note::parse_note;
use crate::input::DesignSource;
use crate::layout::run::RunBuilder;
use crate::scene::{Item, Page, Role, Scene};
use crate::text::{Font, Shaper};
use std::borrow::Cow;
use std::path::Path;
use std::sync::Arc;

/// Splits input text at a line `%%` into two parts.
fn split(text: &str) -> (&str, Option<&str>) {
    match text.split_once("\n%%\n") {
        Some((a, b)) => (a, Some(b)),
        None => (text, None),
    }
}

fn png_options() -> PngOptions {
    PngOptions {
        dpi: 12,
        guides: true,
        background: None,
    }
}

/// A note (and optionally, after a `%%` line, a design) through layout to
/// PDF and PNG. Designs that name font or image files are skipped: the
/// fuzzer does not read the file system.
pub fn card(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (note_text, design_text) = split(text);
    let Ok(note) = parse_note(Path::new("fuzz.toml"), note_text) else {
        return;
    };
    if design_text.is_some_and(|t| t.contains("image")) {
        return;
    }
    let design = match design_text {
        Some(t) => parse_design(DesignSource::File("fuzz-design.toml".into()), t),
        None => {
            crate::input::bundled::bundled(crate::input::bundled::DEFAULT).expect("bundled default")
        }
    };
    let Ok(design) = design else {
        return;
    };
    if matches!(design.font, FontChoice::Files { .. }) {
        return;
    }
    if let Ok(card) = crate::layout_card(&note, &design) {
        let _ = write_pdf(&card.scene);
        let _ = render_png(&card.scene, 0, &png_options());
    }
}

/// A note template and (after a `%%` line) a recipient list, merged and
/// checked as a batch with the default design.
pub fn merge(data: &[u8]) {
    let (template_text, csv) = match data.windows(4).position(|w| w == b"\n%%\n") {
        Some(i) => (&data[..i], &data[i + 4..]),
        None => (&b"greeting = \"Dear {name},\"\nbody = \"Thanks, {name}, for {topic}.\"\nsigner = \"A\"\n"[..], data),
    };
    let Ok(template_text) = std::str::from_utf8(template_text) else {
        return;
    };
    let Ok(note) = parse_note(Path::new("fuzz.toml"), template_text) else {
        return;
    };
    let Ok(recipients) = parse_csv(Path::new("fuzz.csv"), csv) else {
        return;
    };
    if Template::new(&note, &recipients).is_err() {
        return;
    }
    let design =
        crate::input::bundled::bundled(crate::input::bundled::DEFAULT).expect("bundled default");
    let Ok(design) = design else {
        return;
    };
    let options = BatchOptions {
        write: true,
        threads: 1,
        max_cards: 64,
        ..BatchOptions::default()
    };
    let _ = run_batch(&note, &design, &recipients, &options, &|_, _| {});
}

/// Font bytes: loaded, shaped, subset into a PDF and rasterised.
pub fn font(data: &[u8]) {
    let Ok(font) = Font::from_data(Cow::Owned(data.to_vec()), "fuzz font") else {
        return;
    };
    // As `Font::from_file` does for every font a user names.
    if font.check_glyph_boxes("fuzz font").is_err() {
        return;
    }
    let fonts = vec![Arc::new(font)];
    let mut shaper = Shaper::new(&fonts);
    let spacing = shaper.spacing(0);
    let mut b = RunBuilder::new(fonts[0].scale(12.0));
    for (i, word) in ["Thank", "you", "office", "Nguyễn", "—"]
        .into_iter()
        .enumerate()
    {
        if i > 0 {
            b.push_glyph(spacing.space.0, spacing.space.1 as f32 * b.scale, " ");
        }
        if let Ok(w) = shaper.word(0, word, true) {
            b.push_word(&w, 0..w.glyphs.len());
        }
    }
    let mut page = Page::blank(200.0, 100.0);
    page.items.push(Item::Text(b.finish(
        0,
        12.0,
        [10.0, 50.0],
        Rgb::INK,
        Role::Body,
    )));
    let scene = Scene {
        fonts,
        pages: vec![page],
        title: "fuzz".into(),
        author: String::new(),
    };
    let _ = write_pdf(&scene);
    let _ = render_png(&scene, 0, &png_options());
}

/// A design with elements and images: the design's text and, after a line
/// `%%`, bytes that the design can name as an image (`a.png` or `a.jpg`,
/// in a throw-away folder beside it), through layout to both exporters.
/// Designs naming font files are skipped.
pub fn design(data: &[u8]) {
    let (text, image) = match data.windows(4).position(|w| w == b"\n%%\n") {
        Some(i) => (&data[..i], &data[i + 4..]),
        None => (data, &[][..]),
    };
    let Ok(text) = std::str::from_utf8(text) else {
        return;
    };
    let Ok(dir) = tempfile::tempdir() else {
        return;
    };
    for name in ["a.png", "a.jpg"] {
        if std::fs::write(dir.path().join(name), image).is_err() {
            return;
        }
    }
    let Ok(design) = parse_design(DesignSource::File(dir.path().join("d.toml")), text) else {
        return;
    };
    if matches!(design.font, FontChoice::Files { .. }) {
        return;
    }
    let note = "greeting = \"Dear Ann,\"\nbody = \"Thank you for the tour.\"\n\
                signer = \"Alex Morgan\"\ncontact = \"alex@example.com\"\n";
    let note = parse_note(Path::new("fuzz.toml"), note).expect("the fuzz note is valid");
    if let Ok(card) = crate::layout_card(&note, &design) {
        let _ = write_pdf(&card.scene);
        let _ = render_png(&card.scene, 0, &png_options());
    }
}

/// A printer profiles file: parsed; each profile validated, written back
/// (and what is written must read back the same), and applied to a card.
pub fn profiles(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("profiles.toml");
    let Ok(profiles) = crate::printer::profile::parse_profiles(path, text) else {
        return;
    };
    let file = crate::printer::profile::ProfileFile {
        path: path.into(),
        exists: true,
        profiles: profiles.clone(),
    };
    let again = crate::printer::profile::parse_profiles(path, &file.to_toml())
        .expect("a profiles file Stationer writes reads back");
    assert_eq!(again.len(), profiles.len());
    let design =
        crate::input::bundled::bundled(crate::input::bundled::DEFAULT).expect("bundled default");
    let Ok(design) = design else {
        return;
    };
    let note = parse_note(
        Path::new("fuzz.toml"),
        "body = \"Thanks.\"\nsigner = \"A\"\n",
    )
    .expect("the fuzz note is valid");
    let card = crate::layout_card(&note, &design).expect("the fuzz card fits");
    for p in profiles.iter().take(4) {
        let _ = p.validate();
        let mut scene = card.scene.clone();
        p.correct(&mut scene, true);
        let _ = crate::printer::preflight::preflight(&scene, p);
        let _ = crate::export::pdf::write_pdf(&scene);
    }
}

/// A recipient list (optionally after a split-name template and a line
/// `%%`) made into one PDF per card: the file names must be safe and
/// distinct on every system (NFC, case-insensitive, at most 100 bytes, no
/// separators, hidden characters or reserved names).
pub fn split_names(data: &[u8]) {
    let (template, csv) = match data.windows(4).position(|w| w == b"\n%%\n") {
        Some(i) => (std::str::from_utf8(&data[..i]).ok(), &data[i + 4..]),
        None => (Some("{row}-{name}"), data),
    };
    let Some(template) = template else {
        return;
    };
    let Ok(recipients) = parse_csv(Path::new("fuzz.csv"), csv) else {
        return;
    };
    let note = parse_note(
        Path::new("fuzz.toml"),
        "body = \"Thanks.\"\nsigner = \"A\"\n",
    )
    .expect("the fuzz note is valid");
    let design =
        crate::input::bundled::bundled(crate::input::bundled::DEFAULT).expect("bundled default");
    let Ok(design) = design else {
        return;
    };
    let options = BatchOptions {
        write: true,
        threads: 1,
        max_cards: 16,
        split_name: Some(template.to_string()),
        ..BatchOptions::default()
    };
    let Ok(out) = run_batch(&note, &design, &recipients, &options, &|_, _| {}) else {
        return;
    };
    let mut seen = std::collections::HashSet::new();
    for (name, _) in &out.split {
        use unicode_normalization::UnicodeNormalization;
        let stem = name.strip_suffix(".pdf").expect("split names end .pdf");
        assert!(stem.len() <= crate::batch::MAX_STEM_BYTES, "{name:?}");
        assert!(!stem.is_empty() && !stem.starts_with('.'), "{name:?}");
        assert!(
            !name.contains(['/', '\\', ':', '*', '?', '"', '<', '>', '|']),
            "{name:?}"
        );
        assert!(!name.chars().any(crate::diag::is_hidden_char), "{name:?}");
        assert!(name.nfc().eq(name.chars()), "{name:?} is not NFC");
        assert_eq!(crate::batch::safe_file_stem(stem), stem, "{name:?}");
        assert!(seen.insert(name.to_lowercase()), "{name:?} twice");
    }
}
