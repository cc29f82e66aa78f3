//! Design elements: every bundled design keeps its elements out of the text
//! area and printable; pre-printed stationery prints only the text while the
//! preview shows the design; a logo is embedded once however many cards use
//! it (PNG losslessly, JPEG as its own bytes); bad elements are refused with
//! the design's file, line and column.

mod common;

use common::*;
use image::{Rgb, RgbImage, Rgba, RgbaImage};
use stationer::input::design::overlaps;
use stationer::layout::place::GUIDE_GREY;
use stationer::scene::{Item, Role};
use stationer::{layout_card, load_note};
use std::collections::BTreeSet;
use std::path::Path;

/// The sample note with a contact line, so that every header prints.
fn note_with_contact(dir: &Path) -> std::path::PathBuf {
    let mut text = std::fs::read_to_string(root().join("samples/note.toml")).unwrap();
    text.push_str("contact = \"alex.morgan@example.com · +1 503 555 0142\"\n");
    let path = dir.join("contact.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// A design element's ink: everything but the note's lines and the guide.
fn is_element(item: &Item) -> bool {
    match item {
        Item::Text(run) => run.role == Role::Decoration,
        Item::Stroke(s) => s.color != GUIDE_GREY,
        Item::Preview(inner) => is_element(inner),
        Item::Panel(_) | Item::Image(_) => true,
    }
}

/// Where an item's ink is: its box, or for an outline only, the four sides.
fn ink_boxes(item: &Item, bbox: [f32; 4]) -> Vec<[f32; 4]> {
    match item {
        Item::Preview(inner) => ink_boxes(inner, bbox),
        Item::Panel(p) if p.fill.is_none() => {
            let w = p.stroke.map_or(0.0, |s| s.1);
            let [x0, y0, x1, y1] = bbox;
            vec![
                [x0, y0, x1, y0 + w],
                [x0, y1 - w, x1, y1],
                [x0, y0, x0 + w, y1],
                [x1 - w, y0, x1, y1],
            ]
        }
        _ => vec![bbox],
    }
}

#[test]
fn bundled_elements_stay_out_of_the_text_area_and_on_printable_paper() {
    let dir = tempfile::tempdir().unwrap();
    let notes = [
        root().join("samples/note.toml"),
        note_with_contact(dir.path()),
    ];
    let mut with_elements = 0;
    for (name, _) in stationer::input::bundled::BUNDLED {
        let design = stationer::input::bundled::bundled(name).unwrap().unwrap();
        assert!(
            design.elements.iter().all(|e| !e.background),
            "{name}: bundled designs keep every element off the text"
        );
        for note in &notes {
            let card = layout_card(&load_note(note).unwrap(), &design).unwrap();
            let page = &card.scene.pages[0];
            let area = page.card.unwrap().text_area;
            let elements: Vec<&Item> = page.items.iter().filter(|i| is_element(i)).collect();
            if !elements.is_empty() {
                with_elements += 1;
            }
            // Five millimetres: what a home printer can reach.
            let edge = 5.0 * 72.0 / 25.4;
            for item in elements {
                let b = item.bbox(&card.scene.fonts);
                for ink in ink_boxes(item, b) {
                    assert!(!overlaps(ink, area), "{name}: {item:?} enters {area:?}");
                }
                assert!(
                    b[0] >= edge
                        && b[1] >= edge
                        && b[2] <= page.width - edge
                        && b[3] <= page.height - edge,
                    "{name}: {b:?} is closer than 5 mm to the edge of a {} x {} card",
                    page.width,
                    page.height
                );
            }
        }
    }
    assert!(with_elements >= 10, "most bundled designs carry elements");
}

#[test]
fn bundled_designs_cover_the_sizes_asked_for() {
    let sizes: BTreeSet<(i32, i32, bool, bool)> = stationer::input::bundled::BUNDLED
        .iter()
        .map(|(name, _)| {
            let d = stationer::input::bundled::bundled(name).unwrap().unwrap();
            (
                (d.width.0 * 100.0).round() as i32,
                (d.height.0 * 100.0).round() as i32,
                d.fold.is_some(),
                d.preprinted,
            )
        })
        .collect();
    let has = |w: f32, h: f32| {
        sizes
            .iter()
            .any(|s| (s.0 - (w * 100.0) as i32).abs() <= 2 && (s.1 - (h * 100.0) as i32).abs() <= 2)
    };
    let mm = 72.0 / 25.4;
    assert!(has(396.0, 306.0), "US A2 landscape");
    assert!(has(306.0, 396.0), "US A2 portrait");
    assert!(has(612.0, 396.0), "folded US A2");
    assert!(has(504.0, 360.0) || has(360.0, 504.0), "US A7");
    assert!(has(360.0, 252.0) || has(252.0, 360.0), "5 x 3.5 in");
    assert!(
        has(105.0 * mm, 148.0 * mm) || has(148.0 * mm, 105.0 * mm),
        "ISO A6"
    );
    assert!(sizes.iter().any(|s| s.3), "a pre-printed design");
    assert!(stationer::input::bundled::BUNDLED.len() >= 8);
    for (name, _) in stationer::input::bundled::BUNDLED {
        let d = stationer::input::bundled::bundled(name).unwrap().unwrap();
        assert!(!d.description.is_empty(), "{name} has a description");
    }
}

/// Operators of a content stream, skipping strings, hex strings and names.
fn operators(content: &[u8]) -> BTreeSet<String> {
    let mut ops = BTreeSet::new();
    let mut i = 0;
    while i < content.len() {
        match content[i] {
            b'(' => {
                let mut depth = 0;
                while i < content.len() {
                    match content[i] {
                        b'\\' => i += 1,
                        b'(' => depth += 1,
                        b')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
                i += 1;
            }
            b'<' => {
                while i < content.len() && content[i] != b'>' {
                    i += 1;
                }
                while i < content.len() && content[i] == b'>' {
                    i += 1;
                }
            }
            c if c.is_ascii_alphabetic() || c == b'\'' || c == b'"' || c == b'*' => {
                let start = i;
                while i < content.len()
                    && (content[i].is_ascii_alphanumeric() || content[i] == b'*')
                {
                    i += 1;
                }
                ops.insert(String::from_utf8_lossy(&content[start..i.max(start + 1)]).into_owned());
            }
            b'/' => {
                i += 1;
                while i < content.len() && content[i].is_ascii_alphanumeric() {
                    i += 1;
                }
            }
            _ => i += 1,
        }
    }
    ops
}

/// The decompressed content stream of page 1, through qpdf.
fn page_content(pdf: &Path) -> Vec<u8> {
    let pdf = pdf.to_str().unwrap();
    let pages = run_tool("qpdf", &["--show-pages", pdf]);
    let content = pages
        .lines()
        .skip_while(|l| !l.contains("content:"))
        .nth(1)
        .expect("a content stream")
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    let o = std::process::Command::new("qpdf")
        .args([
            &format!("--show-object={content}"),
            "--filtered-stream-data",
            pdf,
        ])
        .output()
        .unwrap();
    assert!(o.status.success());
    o.stdout
}

fn grey_at(img: &RgbImage, x: u32, y: u32) -> u8 {
    let [r, g, b] = img.get_pixel(x, y).0;
    ((r as u32 + g as u32 + b as u32) / 3) as u8
}

#[test]
fn preprinted_stationery_prints_only_the_text_and_previews_the_design() {
    if !(have_tool("qpdf") && have_tool("pdftoppm")) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let sample = root().join("samples/note.toml");
    let sample = sample.to_str().unwrap();
    // The same design on plain stock, for comparison.
    let plain = stationer::input::bundled::BUNDLED
        .iter()
        .find(|b| b.0 == "preprinted-a2")
        .unwrap()
        .1
        .replace("preprinted = true", "preprinted = false");
    std::fs::write(d.join("plain.toml"), plain).unwrap();
    for (layout, pdf) in [("preprinted-a2", "pre.pdf"), ("./plain.toml", "plain.pdf")] {
        let o = stationer(d, &["render", sample, "--layout", layout, "-o", pdf]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let pre = operators(&page_content(&d.join("pre.pdf")));
    let plain = operators(&page_content(&d.join("plain.pdf")));
    for op in ["re", "l", "m", "S", "f", "Do"] {
        assert!(
            !pre.contains(op),
            "pre-printed content draws with {op}: {pre:?}"
        );
    }
    assert!(pre.contains("TJ"), "the text prints: {pre:?}");
    assert!(
        plain.contains("re"),
        "on plain stock the border prints: {plain:?}"
    );

    // The preview shows the border and the name; the PDF leaves them to the stock.
    let o = stationer(
        d,
        &[
            "preview",
            sample,
            "--layout",
            "preprinted-a2",
            "--dpi",
            "100",
            "-o",
            "pre.png",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    run_tool(
        "pdftoppm",
        &[
            "-r",
            "100",
            "-png",
            "-singlefile",
            d.join("pre.pdf").to_str().unwrap(),
            d.join("printed").to_str().unwrap(),
        ],
    );
    let preview = image::open(d.join("pre.png")).unwrap().into_rgb8();
    let printed = image::open(d.join("printed.png")).unwrap().into_rgb8();
    let design = stationer::input::bundled::bundled("preprinted-a2")
        .unwrap()
        .unwrap();
    let stationer::input::design::ElementKind::Border { inset, .. } = design.elements[0].kind
    else {
        panic!("the first element is the border");
    };
    let k = 100.0 / 72.0;
    let (x, y) = ((inset * k).round() as u32, (150.0 * k) as u32);
    let darkest = |img: &RgbImage| (x - 1..=x + 1).map(|x| grey_at(img, x, y)).min().unwrap();
    assert!(darkest(&preview) < 160, "the preview shows the border");
    assert!(darkest(&printed) > 250, "the PDF does not print the border");
    // With a scan of the stock under it, the scan stands for the design.
    RgbImage::from_pixel(40, 30, Rgb([250, 248, 240]))
        .save(d.join("scan.png"))
        .unwrap();
    let o = stationer(
        d,
        &[
            "preview",
            sample,
            "--layout",
            "preprinted-a2",
            "--dpi",
            "100",
            "--background",
            "scan.png",
            "-o",
            "scan-pre.png",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let scanned = image::open(d.join("scan-pre.png")).unwrap().into_rgb8();
    assert!(
        darkest(&scanned) > 240,
        "the scan replaces the drawn design"
    );
    // Elsewhere (the text) they agree.
    let differ = preview
        .pixels()
        .zip(printed.pixels())
        .filter(|(a, b)| a.0.iter().zip(b.0).any(|(p, q)| p.abs_diff(q) > 96))
        .count();
    assert!(
        differ > 200,
        "the design is visible in the preview only ({differ} pixels)"
    );
}

/// A design file with a logo above the text, and a template note.
fn logo_design(dir: &Path, logo: &str) {
    let classic = stationer::input::bundled::BUNDLED[0].1;
    let design = format!(
        "{classic}\n[[image]]\nfile = \"{logo}\"\nat = [\"0.55in\", \"0.12in\"]\nheight = \"0.3in\"\n"
    );
    std::fs::write(dir.join("logo-design.toml"), design).unwrap();
    std::fs::write(
        dir.join("note.toml"),
        "greeting = \"Dear {name},\"\nbody = \"Thank you for your time on Tuesday.\"\nsigner = \"Alex Morgan\"\n",
    )
    .unwrap();
    let mut csv = String::from("name\n");
    for i in 1..=1000 {
        csv.push_str(&format!("Person {i}\n"));
    }
    std::fs::write(dir.join("r.csv"), csv).unwrap();
}

/// `pdfimages -list` rows: (page, type, encoding, object number).
fn image_list(pdf: &Path) -> Vec<(usize, String, String, String)> {
    run_tool("pdfimages", &["-list", pdf.to_str().unwrap()])
        .lines()
        .skip(2)
        .map(|l| {
            let c: Vec<&str> = l.split_whitespace().collect();
            (
                c[0].parse().unwrap(),
                c[2].to_string(),
                c[8].to_string(),
                c[10].to_string(),
            )
        })
        .collect()
}

#[test]
fn a_thousand_cards_hold_one_copy_of_the_logo() {
    if !(have_tool("pdfimages") && have_tool("qpdf")) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // A PNG with transparency: kept losslessly, with a soft mask.
    let logo = RgbaImage::from_fn(90, 30, |x, y| {
        if (x / 10 + y / 10) % 2 == 0 {
            Rgba([31, 45, 77, 255])
        } else {
            Rgba([200, 67, 43, (x * 2) as u8])
        }
    });
    logo.save(d.join("logo.png")).unwrap();
    logo_design(d, "logo.png");
    let o = stationer(
        d,
        &[
            "batch",
            "note.toml",
            "--data",
            "r.csv",
            "-o",
            "cards.pdf",
            "--layout",
            "./logo-design.toml",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let list = image_list(&d.join("cards.pdf"));
    let pages: BTreeSet<usize> = list.iter().map(|r| r.0).collect();
    assert_eq!(pages.len(), 1000, "every card shows the logo");
    let objects: BTreeSet<(&str, &str)> =
        list.iter().map(|r| (r.1.as_str(), r.3.as_str())).collect();
    assert_eq!(
        objects.len(),
        2,
        "one image and its soft mask for 1000 cards: {objects:?}"
    );
    let check = std::process::Command::new("qpdf")
        .args(["--check", d.join("cards.pdf").to_str().unwrap()])
        .output()
        .unwrap();
    assert!(check.status.success());
    // Lossless: the pixels come back as they went in.
    run_tool(
        "pdfimages",
        &[
            "-f",
            "1",
            "-l",
            "1",
            "-png",
            d.join("cards.pdf").to_str().unwrap(),
            d.join("out").to_str().unwrap(),
        ],
    );
    let back = image::open(d.join("out-000.png")).unwrap().into_rgb8();
    assert_eq!(back.dimensions(), (90, 30));
    for (a, b) in back.pixels().zip(logo.pixels()) {
        assert_eq!(a.0, [b.0[0], b.0[1], b.0[2]]);
    }
    let mask = image::open(d.join("out-001.png")).unwrap().into_luma8();
    for (a, b) in mask.pixels().zip(logo.pixels()) {
        assert_eq!(a.0[0], b.0[3]);
    }
}

#[test]
fn a_jpeg_logo_goes_in_as_its_own_bytes() {
    if !have_tool("pdfimages") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let photo = RgbImage::from_fn(64, 48, |x, y| Rgb([(x * 4) as u8, (y * 5) as u8, 120]));
    photo.save(d.join("logo.jpg")).unwrap();
    logo_design(d, "logo.jpg");
    std::fs::write(
        d.join("plain.toml"),
        "body = \"Thank you for your time on Tuesday.\"\nsigner = \"Alex Morgan\"\n",
    )
    .unwrap();
    let o = stationer(
        d,
        &[
            "render",
            "plain.toml",
            "-o",
            "card.pdf",
            "--layout",
            "./logo-design.toml",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let list = image_list(&d.join("card.pdf"));
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].2, "jpeg", "DCTDecode: {list:?}");
    run_tool(
        "pdfimages",
        &[
            "-j",
            d.join("card.pdf").to_str().unwrap(),
            d.join("out").to_str().unwrap(),
        ],
    );
    assert_eq!(
        std::fs::read(d.join("out-000.jpg")).unwrap(),
        std::fs::read(d.join("logo.jpg")).unwrap(),
        "the JPEG is carried unchanged"
    );
}

/// Runs `check` on the sample note with a design file; returns stderr.
fn check_design(dir: &Path, design: &str) -> (Option<i32>, String) {
    std::fs::write(dir.join("bad.toml"), design).unwrap();
    let sample = root().join("samples/note.toml");
    let o = stationer(
        dir,
        &["check", sample.to_str().unwrap(), "--layout", "./bad.toml"],
    );
    (o.status.code(), stderr(&o))
}

#[test]
fn bad_elements_are_refused_with_their_place() {
    let dir = tempfile::tempdir().unwrap();
    let classic = stationer::input::bundled::BUNDLED[0].1;
    let lines = classic.lines().count();
    let cases = [
        (
            "[[rule]]\nfrom = [\"0.55in\", \"1in\"]\nto = [\"4.95in\", \"1in\"]\n",
            "text area",
        ),
        ("[[text]]\ntext = \"{nickname}\"\nat = [\"1in\", \"0.3in\"]\n", "{nickname}"),
        (
            "[[text]]\ntext = \"{signer}\"\nat = [\"5.4in\", \"0.3in\"]\nsize = \"20pt\"\n",
            "past the card's right edge",
        ),
        ("[[rule]]\nfrom = [\"0in\", \"9in\"]\nto = [\"1in\", \"0.2in\"]\n", "off the card"),
        ("[border]\ninset = \"0.2in\"\nstyle = \"triple\"\n", "\"triple\""),
        ("[[image]]\nfile = \"missing.png\"\nat = [\"0.5in\", \"0.1in\"]\nwidth = \"0.3in\"\n", "missing.png"),
        ("[[panel]]\nbox = [\"0in\", \"0in\", \"1in\", \"0.3in\"]\n", "fill"),
        ("[[rule]]\nfrom = [\"0.5in\", \"0.3in\"]\nto = [\"1in\", \"0.3in\"]\ncolour = \"#000000\"\n", "colour"),
    ];
    for (element, says) in cases {
        let (code, err) = check_design(dir.path(), &format!("{classic}\n{element}"));
        assert_eq!(code, Some(1), "{element}: {err}");
        assert!(err.contains(says), "expected \"{says}\": {err}");
        // The message points into the element: bad.toml:LINE:COL after the classic design.
        let line: usize = err
            .split("bad.toml:")
            .nth(1)
            .and_then(|s| s.split(':').next())
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("no line in {err}"));
        assert!(
            line > lines,
            "{element}: line {line} is not in the element: {err}"
        );
    }
    // Marked as a background, an element may lie under the text.
    let tint = "[[panel]]\nbox = [\"0.3in\", \"0.3in\", \"5.2in\", \"3.95in\"]\nfill = \"#f4f1ea\"\nbackground = true\n";
    let (code, err) = check_design(dir.path(), &format!("{classic}\n{tint}"));
    assert_eq!(code, Some(0), "{err}");
}

#[test]
fn lengths_in_messages_are_in_the_unit_the_design_wrote() {
    let dir = tempfile::tempdir().unwrap();
    // A whole design, with one table or value replaced.
    let card = |change: &str| {
        let mut tables = vec![
            ("[card]", "size = \"us-a2\"\norientation = \"landscape\"\n"),
            (
                "[margins]",
                "top = \"0.5in\"\nright = \"0.5in\"\nbottom = \"0.5in\"\nleft = \"0.5in\"\n",
            ),
            (
                "[body]",
                "font = \"caladea\"\nsize = [\"10pt\", \"12pt\"]\nleading = 1.25\n",
            ),
            ("[signature]", "height = \"0.6in\"\n"),
        ];
        let head = change.lines().next().unwrap_or("");
        tables.retain(|(t, _)| *t != head);
        let mut text: String = tables.iter().map(|(t, v)| format!("{t}\n{v}")).collect();
        text.push_str(change);
        text
    };
    let cases = [
        (
            card("[margins]\ntop = \"0.5in\"\nright = \"3in\"\nbottom = \"0.5in\"\nleft = \"2.5in\"\n"),
            "margins: left 2.5in + right 3in leave less than 0.5in of the card's width 5.5in",
        ),
        (
            card("[margins]\ntop = \"12mm\"\nright = \"70mm\"\nbottom = \"12mm\"\nleft = \"65mm\"\n"),
            "margins: left 65mm + right 70mm leave less than 12.7mm of the card's width 139.7mm",
        ),
        (
            card("[body]\nfont = \"caladea\"\nsize = [\"0.5mm\", \"4mm\"]\nleading = 1.25\n"),
            "body.size: sizes must lie between 1.4mm and 25.4mm (got 0.5mm to 4mm)",
        ),
        (
            card("[signature]\nheight = \"8cm\"\n"),
            "signature.height: 8cm leaves no room for text in a text area 8.26cm high",
        ),
        (
            card("[[rule]]\nfrom = [\"10mm\", \"200mm\"]\nto = [\"20mm\", \"5mm\"]\n"),
            "rule.from: the point (10mm, 200mm) is off the card (139.7mm x 108mm)",
        ),
    ];
    for (design, says) in cases {
        let (code, err) = check_design(dir.path(), &design);
        assert_eq!(code, Some(1), "{design}: {err}");
        assert!(err.contains(says), "expected \"{says}\": {err}");
    }
}

#[test]
fn the_gallery_shows_every_bundled_design() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    for (name, _) in stationer::input::bundled::BUNDLED {
        let file = root().join(format!("samples/gallery/{name}.png"));
        let design = stationer::input::bundled::bundled(name).unwrap().unwrap();
        let (w, h) = image::image_dimensions(&file)
            .unwrap_or_else(|e| panic!("{}: {e}; make it with `stationer preview samples/note.toml --layout {name} --dpi 100 -o {}`", file.display(), file.display()));
        let k = 100.0 / 72.0;
        assert!(
            (w as f32 - design.width.0 * k).abs() <= 1.0
                && (h as f32 - design.height.0 * k).abs() <= 1.0,
            "{name}: the gallery picture is {w} x {h}, not the card at 100 dpi"
        );
        assert!(
            readme.contains(&format!("](samples/gallery/{name}.png)")),
            "README's gallery has no picture of {name}"
        );
    }
}

#[test]
fn a_logo_previews_where_it_prints() {
    if !have_tool("pdftoppm") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let note = note_with_contact(d);
    let design = root().join("samples/logo-card.toml");
    let (note, design) = (note.to_str().unwrap(), design.to_str().unwrap());
    let o = stationer(d, &["render", note, "--layout", design, "-o", "card.pdf"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = stationer(
        d,
        &[
            "preview", note, "--layout", design, "--dpi", "100", "-o", "card.png",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    run_tool(
        "pdftoppm",
        &[
            "-r",
            "100",
            "-png",
            "-singlefile",
            d.join("card.pdf").to_str().unwrap(),
            d.join("poppler").to_str().unwrap(),
        ],
    );
    let ours = image::open(d.join("card.png")).unwrap().into_rgb8();
    let theirs = image::open(d.join("poppler.png")).unwrap().into_rgb8();
    let share = differing_share(&ours, &theirs);
    assert!(share < 0.005, "{:.3}% of pixels differ", share * 100.0);
    // The logo is there: navy at its centre (0.65in + 0.15in, 0.42in + 0.15in).
    let (x, y) = ((0.8 * 100.0) as u32, (0.57 * 100.0) as u32);
    for img in [&ours, &theirs] {
        let [r, g, b] = img.get_pixel(x, y).0;
        assert!(b > r + 20 && b < 140 && g < 90, "{:?}", [r, g, b]);
    }
}
