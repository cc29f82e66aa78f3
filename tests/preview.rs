//! `stationer preview`: the PNG matches what prints, guides never print,
//! bad backgrounds are refused, and golden pictures guard the look.
//!
//! Outside programs: `pdftoppm` (poppler-utils). Without it the comparison
//! prints "SKIPPED" and passes, unless `STATIONER_REQUIRE_TOOLS=1` (set by CI).
//! `STATIONER_UPDATE_REFS=1` rewrites the reference pictures in `tests/ref/`.

mod common;

use common::{blur, differing_share, grey, have_tool, png_claiming, root};
use image::{Rgb, RgbImage};
use stationer::export::png::{self, PngOptions};
use stationer::input::bundled::BUNDLED;
use stationer::{design_for, layout_card, load_note, Card};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_stationer");

fn sample() -> PathBuf {
    root().join("samples/note.toml")
}

/// Runs `stationer` in the current folder (paths here are absolute).
fn stationer(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .output()
        .expect("run stationer")
}

fn ok(out: &Output) {
    assert!(
        out.status.success(),
        "stationer failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// `stationer preview` of the sample note on a bundled design, to `out`.
fn preview_sample(design: &str, dpi: u32, out: &Path) {
    let dpi = dpi.to_string();
    ok(&stationer(&[
        "preview",
        s(&sample()),
        "--layout",
        design,
        "--dpi",
        &dpi,
        "-o",
        s(out),
    ]));
}

/// The sample note laid out on a bundled design, in process.
fn sample_card(design: &str) -> Card {
    let note = load_note(&sample()).unwrap();
    let design = design_for(&note, Some(design)).unwrap();
    layout_card(&note, &design).unwrap()
}

/// For a design with preview-only items: the sample at 100 dpi without
/// them, as the PDF prints it. `None` when everything prints.
fn printed_only(design: &str) -> Option<RgbImage> {
    let mut card = sample_card(design);
    let page = &mut card.scene.pages[0];
    if page.items.iter().all(|i| i.prints()) {
        return None;
    }
    page.items.retain(|i| i.prints());
    let options = PngOptions {
        dpi: 100,
        ..Default::default()
    };
    Some(png::render_png(&card.scene, 0, &options))
}

#[test]
fn preview_matches_pdftoppm_for_every_bundled_design() {
    if !have_tool("pdftoppm") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for (name, _) in BUNDLED {
        let pdf = dir.path().join(format!("{name}.pdf"));
        let ours = dir.path().join(format!("{name}.png"));
        let theirs = dir.path().join(format!("{name}-poppler"));
        ok(&stationer(&[
            "render",
            s(&sample()),
            "--layout",
            name,
            "-o",
            s(&pdf),
        ]));
        preview_sample(name, 100, &ours);
        let out = Command::new("pdftoppm")
            .args(["-r", "100", "-png", "-singlefile", s(&pdf), s(&theirs)])
            .output()
            .unwrap();
        assert!(out.status.success(), "pdftoppm failed on {name}");
        // Pre-printed stationery: the preview shows the design, the PDF only
        // the text; compare the PDF with the preview of what prints.
        let a = match printed_only(name) {
            Some(img) => img,
            None => image::open(&ours).unwrap().into_rgb8(),
        };
        let b = image::open(theirs.with_extension("png"))
            .unwrap()
            .into_rgb8();
        assert!(
            a.width().abs_diff(b.width()) <= 1 && a.height().abs_diff(b.height()) <= 1,
            "{name}: preview {:?} but pdftoppm {:?}",
            a.dimensions(),
            b.dimensions()
        );
        let (w, h) = (
            a.width().min(b.width()) as usize,
            a.height().min(b.height()) as usize,
        );
        let share = differing_share(&a, &b);
        let differ = (share * (w * h) as f64).round() as usize;
        let ink = blur(&grey(&a), w, h)
            .iter()
            .flatten()
            .filter(|p| **p < 192.0)
            .count();
        let pct = 100.0 * share;
        eprintln!(
            "{name}: {differ} of {} pixels differ by more than 64 after a 3x3 blur: {pct:.3}% \
             (inked pixels: {ink})",
            w * h
        );
        assert!(ink > 1000, "{name}: the preview shows no text");
        assert!(
            pct < 0.5,
            "{name}: {pct:.3}% of pixels differ from pdftoppm"
        );
    }
}

#[test]
fn every_design_previews_the_pixels_render_png_draws_in_grey_when_it_can() {
    let dir = tempfile::tempdir().unwrap();
    let mut grey = Vec::new();
    for (name, _) in BUNDLED {
        let ours = dir.path().join(format!("{name}.png"));
        preview_sample(name, 100, &ours);
        let card = sample_card(name);
        let options = PngOptions {
            dpi: 100,
            ..Default::default()
        };
        let picture = image::open(&ours).unwrap();
        if picture.color() == image::ColorType::L8 {
            grey.push(*name);
        } else {
            assert_eq!(picture.color(), image::ColorType::Rgb8, "{name}");
        }
        assert!(
            picture.to_rgb8() == png::render_png(&card.scene, 0, &options),
            "{name}: the preview's pixels are not render_png's"
        );
    }
    // The designs in black and grey only; those with a coloured rule or
    // name (navy, green, red) stay RGB.
    assert_eq!(grey, ["classic-a2", "portrait-a6", "folded-a2"]);
}

#[test]
fn preview_is_the_card_size_times_dpi_over_72() {
    let dir = tempfile::tempdir().unwrap();
    for (name, _) in BUNDLED {
        let design = stationer::input::bundled::bundled(name).unwrap().unwrap();
        for dpi in [50u32, 150, 300] {
            let out = dir.path().join(format!("{name}-{dpi}.png"));
            preview_sample(name, dpi, &out);
            let (w, h) = image::image_dimensions(&out).unwrap();
            let k = dpi as f32 / 72.0;
            let bleed = 2.0 * design.bleed.0;
            let (ew, eh) = ((design.width.0 + bleed) * k, (design.height.0 + bleed) * k);
            assert!(
                (w as f32 - ew).abs() <= 1.0 && (h as f32 - eh).abs() <= 1.0,
                "{name} at {dpi} dpi: {w} x {h}, expected {ew:.1} x {eh:.1}"
            );
        }
    }
}

#[test]
fn dpi_out_of_range_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("card.png");
    for dpi in ["5", "5000"] {
        let r = stationer(&["preview", s(&sample()), "--dpi", dpi, "-o", s(&out)]);
        let err = String::from_utf8_lossy(&r.stderr);
        // A command-line mistake: exit 2, refused by the argument parser.
        assert_eq!(r.status.code(), Some(2), "{err}");
        assert!(err.contains("--dpi") && err.contains("10..=1200"), "{err}");
        assert!(!out.exists());
    }
}

#[test]
fn bad_backgrounds_are_refused_without_writing() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.png");
    let corrupt = dir.path().join("corrupt.png");
    // Random-looking bytes, fixed so the test is repeatable.
    let mut x = 0x2545_f491u32;
    let noise: Vec<u8> = (0..4096)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as u8
        })
        .collect();
    std::fs::write(&corrupt, noise).unwrap();
    let huge = dir.path().join("huge.png");
    std::fs::write(&huge, png_claiming(100_000, 100_000)).unwrap();
    let truncated = dir.path().join("truncated.png");
    let mut t = png_claiming(3000, 2000);
    t.truncate(t.len() - 20);
    std::fs::write(&truncated, t).unwrap();

    for (file, says) in [
        (&missing, "no such file"),
        (&corrupt, "not a png or jpeg"),
        (&huge, "too large"),
        (&truncated, "damaged"),
    ] {
        let out = dir.path().join("card.png");
        let r = stationer(&[
            "preview",
            s(&sample()),
            "-o",
            s(&out),
            "--background",
            s(file),
        ]);
        let err = String::from_utf8_lossy(&r.stderr);
        eprintln!("{err}");
        assert_eq!(r.status.code(), Some(1), "{}: {err}", file.display());
        assert!(!err.contains("panicked"), "{err}");
        assert!(err.contains(s(file)), "the message names the file: {err}");
        assert!(err.contains(says), "expected \"{says}\": {err}");
        assert!(!out.exists(), "no output after a failure");
    }
}

#[test]
fn background_is_drawn_under_the_text() {
    let dir = tempfile::tempdir().unwrap();
    let paper = [236u8, 226, 200];
    let bg = dir.path().join("stationery.png");
    RgbImage::from_pixel(60, 40, Rgb(paper)).save(&bg).unwrap();
    let jpg = dir.path().join("stationery.jpg");
    RgbImage::from_pixel(60, 40, Rgb(paper)).save(&jpg).unwrap();
    for file in [&bg, &jpg] {
        let out = dir.path().join("card.png");
        ok(&stationer(&[
            "preview",
            s(&sample()),
            "--dpi",
            "50",
            "-o",
            s(&out),
            "--background",
            s(file),
        ]));
        let img = image::open(&out).unwrap().into_rgb8();
        let corner = img.get_pixel(3, 3).0;
        for c in 0..3 {
            assert!(corner[c].abs_diff(paper[c]) <= 3, "{corner:?}");
        }
        // Text still shows on top.
        assert!(img.pixels().any(|p| p.0.iter().all(|&v| v < 100)));
    }
}

/// Whether a colour is one of the saturated guide colours.
fn guide_coloured(p: [u8; 3]) -> bool {
    let max = *p.iter().max().unwrap() as i32;
    let min = *p.iter().min().unwrap() as i32;
    max - min > 40
}

#[test]
fn guides_mark_the_signature_area_and_never_print() {
    let dir = tempfile::tempdir().unwrap();
    let note = load_note(&sample()).unwrap();
    let design = design_for(&note, None).unwrap();
    let card = layout_card(&note, &design).unwrap();
    let page = &card.scene.pages[0];
    let sig = page.card.unwrap().signature_box;
    let (plain, guided) = (dir.path().join("plain.png"), dir.path().join("guides.png"));
    let dpi = 100.0f32;
    ok(&stationer(&[
        "preview",
        s(&sample()),
        "--dpi",
        "100",
        "-o",
        s(&plain),
    ]));
    ok(&stationer(&[
        "preview",
        s(&sample()),
        "--dpi",
        "100",
        "--guides",
        "-o",
        s(&guided),
    ]));
    let (a, b) = (
        image::open(&plain).unwrap().into_rgb8(),
        image::open(&guided).unwrap().into_rgb8(),
    );
    assert!(
        a.pixels().all(|p| !guide_coloured(p.0)),
        "a preview without --guides has guide colours"
    );
    let k = dpi / 72.0;
    let b_ = page.bleed;
    let (x0, y0, x1, y1) = (
        ((sig[0] + b_) * k).ceil() as u32 + 1,
        ((sig[1] + b_) * k).ceil() as u32 + 1,
        ((sig[2] + b_) * k).floor() as u32 - 1,
        ((sig[3] + b_) * k).floor() as u32 - 1,
    );
    let (mut changed, mut total) = (0, 0);
    for y in y0..y1 {
        for x in x0..x1 {
            total += 1;
            if a.get_pixel(x, y) != b.get_pixel(x, y) {
                changed += 1;
            }
        }
    }
    assert!(
        changed * 10 > total * 9,
        "--guides changed only {changed} of {total} pixels in the signature area"
    );
    assert!(b.get_pixel((x0 + x1) / 2, (y0 + y1) / 2).0 != [255, 255, 255]);
    // Outside the guides' boxes, the pictures agree.
    let centre_of_text = ((100.0 + b_) * k) as u32;
    assert_eq!(
        a.get_pixel(centre_of_text, centre_of_text),
        b.get_pixel(centre_of_text, centre_of_text)
    );
}

// ---------------------------------------------------------------------------
// Golden pictures

/// Per-channel difference below which two pixels count as the same.
const CHANNEL_TOLERANCE: u8 = 8;
/// Share of pixels that may differ by more (anti-aliasing noise), in parts per thousand.
const DIFFERING_PER_MILLE: usize = 1;

/// Compares two pictures; `Err` says how they differ.
fn compare(expected: &RgbImage, actual: &RgbImage) -> Result<(), String> {
    if expected.dimensions() != actual.dimensions() {
        return Err(format!(
            "size {:?}, expected {:?}",
            actual.dimensions(),
            expected.dimensions()
        ));
    }
    let differ = expected
        .pixels()
        .zip(actual.pixels())
        .filter(|(e, a)| {
            e.0.iter()
                .zip(a.0)
                .any(|(x, y)| x.abs_diff(y) > CHANNEL_TOLERANCE)
        })
        .count();
    let total = (expected.width() * expected.height()) as usize;
    if differ * 1000 > total * DIFFERING_PER_MILLE {
        return Err(format!("{differ} of {total} pixels differ"));
    }
    Ok(())
}

/// expected | diff | actual, side by side, for a person to look at.
fn failure_picture(expected: &RgbImage, actual: &RgbImage) -> RgbImage {
    let (ew, eh) = expected.dimensions();
    let (aw, ah) = actual.dimensions();
    let (dw, dh) = (ew.max(aw), eh.max(ah));
    let gap = 4;
    let mut out = RgbImage::from_pixel(ew + dw + aw + 2 * gap, dh, Rgb([128, 128, 128]));
    image::imageops::replace(&mut out, expected, 0, 0);
    image::imageops::replace(&mut out, actual, (ew + dw + 2 * gap) as i64, 0);
    for y in 0..dh {
        for x in 0..dw {
            let e = expected.get_pixel_checked(x, y).map(|p| p.0);
            let a = actual.get_pixel_checked(x, y).map(|p| p.0);
            let p = match (e, a) {
                (Some(e), Some(a)) => {
                    let d = e.iter().zip(a).map(|(x, y)| x.abs_diff(y)).max().unwrap();
                    if d > CHANNEL_TOLERANCE {
                        [255, 0, 0]
                    } else {
                        let l = 200 + (e[0] as u32 * 55 / 255) as u8;
                        [l, l, l]
                    }
                }
                _ => [255, 0, 255],
            };
            out.put_pixel(ew + gap + x, y, Rgb(p));
        }
    }
    out
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
}

/// Each bundled design with the sample note at 50 dpi, guides on.
fn golden_render(design: &str) -> RgbImage {
    let card = sample_card(design);
    let options = PngOptions {
        dpi: 50,
        guides: true,
        background: None,
    };
    png::render_png(&card.scene, 0, &options)
}

#[test]
fn golden_previews_match_references() {
    let update = std::env::var("STATIONER_UPDATE_REFS").as_deref() == Ok("1");
    let mut failures = Vec::new();
    for (name, _) in BUNDLED {
        let actual = golden_render(name);
        let reference = root().join(format!("tests/ref/{name}.png"));
        if update {
            std::fs::create_dir_all(reference.parent().unwrap()).unwrap();
            actual.save(&reference).unwrap();
            eprintln!("updated {}", reference.display());
            continue;
        }
        let expected = match image::open(&reference) {
            Ok(i) => i.into_rgb8(),
            Err(e) => {
                failures.push(format!(
                    "{name}: cannot read {} ({e}); run with STATIONER_UPDATE_REFS=1 to create it",
                    reference.display()
                ));
                continue;
            }
        };
        if let Err(why) = compare(&expected, &actual) {
            let dir = target_dir().join("preview-failures");
            std::fs::create_dir_all(&dir).unwrap();
            let pic = dir.join(format!("{name}.png"));
            failure_picture(&expected, &actual).save(&pic).unwrap();
            failures.push(format!(
                "{name}: {why}; see {} (expected | diff | actual); \
                 if the change is intended, run with STATIONER_UPDATE_REFS=1",
                pic.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn golden_comparison_catches_a_one_pixel_shift() {
    let actual = golden_render("classic-a2");
    assert_eq!(compare(&actual, &actual), Ok(()));
    let (w, h) = actual.dimensions();
    let shifted = RgbImage::from_fn(w, h, |x, y| {
        if x == 0 {
            Rgb([255, 255, 255])
        } else {
            *actual.get_pixel(x - 1, y)
        }
    });
    let err = compare(&actual, &shifted).expect_err("a shifted picture must not pass");
    assert!(err.contains("pixels differ"), "{err}");
    let pic = failure_picture(&actual, &shifted);
    assert_eq!(pic.dimensions(), (3 * w + 8, h));
    assert!(pic.pixels().any(|p| p.0 == [255, 0, 0]));
}
