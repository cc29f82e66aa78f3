//! The card PDF checked with independent programs: poppler's pdfinfo,
//! pdffonts and pdftotext, and qpdf. Each note is rendered with the bundled
//! designs and the checks of issue 2 run on every result.

mod common;

use common::*;
use serde_json::Value;
use stationer::input::Design;
use stationer::scene::{Item, Role};
use std::path::Path;

/// A note with what Caladea must build from a base letter and combining
/// marks ("ễ"), curly quotes, an em dash and fi/fl words.
const CALADEA_ACCENTS: &str = r#"
greeting = "Dear Mr. Nguyễn,"
body = """
Thank you — truly — for the “fine” office tour and the flexible schedule you described.
José’s workflow demo was the highlight of my afternoon.
"""
closing = "Warmly,"
signer = "Zoë Brontë"
"#;

struct Rendered {
    pdf: Vec<u8>,
    report: Value,
    words: Vec<BboxWord>,
    text: String,
}

fn render(dir: &Path, note: &str, layout: &str, tag: &str) -> Rendered {
    let out = dir.join(format!("{tag}.pdf"));
    let report = dir.join(format!("{tag}.json"));
    let o = stationer(
        dir,
        &[
            "render",
            note,
            "-o",
            out.to_str().unwrap(),
            "--layout",
            layout,
            "--report",
            report.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "render failed: {}", stderr(&o));
    assert!(
        o.stdout.is_empty() && o.stderr.is_empty(),
        "render is quiet on success"
    );
    let report: Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    let words = bbox_words(&out).remove(0);
    let text = run_tool("pdftotext", &[out.to_str().unwrap(), "-"]);
    Rendered {
        pdf: std::fs::read(&out).unwrap(),
        report,
        words,
        text,
    }
}

fn rect(v: &Value) -> [f32; 4] {
    let a = v.as_array().unwrap();
    [0, 1, 2, 3].map(|i| a[i].as_f64().unwrap() as f32)
}

/// The note's text with white space and hyphens removed, in reading order.
fn squeeze(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect()
}

fn note_text(path: &Path) -> String {
    let v: toml::Value = toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    ["greeting", "body", "closing", "signer"]
        .iter()
        .filter_map(|k| v.get(k).and_then(|s| s.as_str()))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The design's lettering that prints for a note: text and box (points,
/// from the trim box's top-left corner).
fn printed_lettering(note: &Path, design: &Design) -> Vec<(String, [f32; 4])> {
    let n = stationer::load_note(note).unwrap();
    let card = stationer::layout_card(&n, design).unwrap();
    card.scene.pages[0]
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Text(run) if run.role == Role::Decoration => {
                Some((run.text.clone(), run.bbox(&card.scene)))
            }
            _ => None,
        })
        .collect()
}

fn check_card(dir: &Path, note: &Path, layout: &str) {
    let tag = format!("{}-{layout}", note.file_stem().unwrap().to_str().unwrap());
    let note_s = note.to_str().unwrap();
    let r = render(dir, note_s, layout, &tag);
    let pdf_path = dir.join(format!("{tag}.pdf"));
    let pdf_s = pdf_path.to_str().unwrap();
    let card = &r.report["cards"][0];
    let (w, h) = (
        card["width"].as_f64().unwrap(),
        card["height"].as_f64().unwrap(),
    );

    // The design's size, from the library, and the page size from pdfinfo.
    let design = stationer::input::bundled::bundled(layout).unwrap().unwrap();
    assert!((design.width.0 as f64 - w).abs() < 0.01 && (design.height.0 as f64 - h).abs() < 0.01);
    let info = run_tool("pdfinfo", &["-box", pdf_s]);
    let size_line = info.lines().find(|l| l.starts_with("Page size:")).unwrap();
    let nums: Vec<f64> = size_line
        .split_whitespace()
        .filter_map(|t| t.parse().ok())
        .collect();
    let bleed = design.bleed.0 as f64;
    assert!(
        (nums[0] - (w + 2.0 * bleed)).abs() < 0.01 && (nums[1] - (h + 2.0 * bleed)).abs() < 0.01,
        "{tag}: {size_line} vs {w} x {h}"
    );
    let trim = info.lines().find(|l| l.starts_with("TrimBox:")).unwrap();
    let t: Vec<f64> = trim
        .split_whitespace()
        .filter_map(|t| t.parse().ok())
        .collect();
    assert!(
        (t[2] - t[0] - w).abs() < 0.01 && (t[3] - t[1] - h).abs() < 0.01,
        "{tag}: {trim}"
    );

    // Fonts: embedded, subset, with ToUnicode.
    let fonts = run_tool("pdffonts", &[pdf_s]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "{tag}: no fonts");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        let n = cols.len();
        assert_eq!(&cols[n - 5..n - 2], ["yes", "yes", "yes"], "{tag}: {row}");
    }

    // The design's printed lettering (monogram, header) extracts as set;
    // everything else is the note.
    let b = bleed as f32;
    let lettering = printed_lettering(note, &design);
    let in_lettering = |wd: &BboxWord, l: &[f32; 4]| {
        let (cx, cy) = (
            (wd.bbox[0] + wd.bbox[2]) / 2.0 - b,
            (wd.bbox[1] + wd.bbox[3]) / 2.0 - b,
        );
        cx > l[0] && cx < l[2] && cy > l[1] && cy < l[3]
    };
    for (text, l) in &lettering {
        let found: String = r
            .words
            .iter()
            .filter(|wd| in_lettering(wd, l))
            .map(|wd| wd.text.as_str())
            .collect();
        assert_eq!(squeeze(&found), squeeze(text), "{tag}: lettering");
    }
    let note_words: Vec<&BboxWord> = r
        .words
        .iter()
        .filter(|wd| !lettering.iter().any(|(_, l)| in_lettering(wd, l)))
        .collect();

    // Every word, in order.
    let extracted: Vec<&str> = note_words.iter().map(|wd| wd.text.as_str()).collect();
    assert_eq!(
        squeeze(&extracted.join(" ")),
        squeeze(&note_text(note)),
        "{tag}: extracted text differs:\n{}",
        r.text
    );
    if lettering.is_empty() {
        assert_eq!(squeeze(&r.text), squeeze(&note_text(note)), "{tag}");
    }

    // Positions: inside the card; body words inside the body box; nothing in
    // the signature area; the printed name below it.
    let signer = card["lines"].as_array().unwrap().last().unwrap()["text"]
        .as_str()
        .unwrap()
        .to_string();
    let body_box = rect(&card["body_box"]);
    let sig = rect(&card["signature_box"]);
    let signer_words: Vec<&str> = signer.split_whitespace().collect();
    for word in &note_words {
        let bb = [
            word.bbox[0] - b,
            word.bbox[1] - b,
            word.bbox[2] - b,
            word.bbox[3] - b,
        ];
        assert!(
            inside(bb, [0.0, 0.0, w as f32, h as f32], 0.0),
            "{tag}: {word:?} off the card"
        );
        assert!(
            !overlaps(bb, sig, 0.5),
            "{tag}: {word:?} enters the signature area {sig:?}"
        );
        if !signer_words.contains(&word.text.as_str()) || bb[1] < sig[1] {
            // Optical margins: punctuation at a line's ends hangs into the
            // margin, by at most 0.4 em of the body size.
            let hang = 0.4 * card["font_size"].as_f64().unwrap() as f32;
            let hung = [
                body_box[0] - hang,
                body_box[1],
                body_box[2] + hang,
                body_box[3],
            ];
            assert!(
                inside(bb, hung, 0.5),
                "{tag}: {word:?} outside the body box {body_box:?}"
            );
        } else {
            assert!(
                bb[1] >= sig[3],
                "{tag}: printed name {word:?} not below the signature area"
            );
        }
    }

    // The report's line boxes agree with where poppler finds the words.
    for line in card["lines"].as_array().unwrap() {
        let lb = rect(&line["box"]);
        let mine: Vec<&BboxWord> = r
            .words
            .iter()
            .filter(|wd| {
                let cy = (wd.bbox[1] + wd.bbox[3]) / 2.0 - b;
                let cx = (wd.bbox[0] + wd.bbox[2]) / 2.0 - b;
                cy > lb[1] && cy < lb[3] && cx > lb[0] && cx < lb[2]
            })
            .collect();
        assert!(!mine.is_empty(), "{tag}: no words found for line {line}");
        let union = mine
            .iter()
            .fold([f32::MAX, f32::MAX, f32::MIN, f32::MIN], |u, wd| {
                [
                    u[0].min(wd.bbox[0] - b),
                    u[1].min(wd.bbox[1] - b),
                    u[2].max(wd.bbox[2] - b),
                    u[3].max(wd.bbox[3] - b),
                ]
            });
        for i in 0..4 {
            assert!(
                (union[i] - lb[i]).abs() <= 0.5,
                "{tag}: line {} box {lb:?} vs pdftotext {union:?}",
                line["text"]
            );
        }
    }

    // Structure, and the same bytes again.
    let q = std::process::Command::new("qpdf")
        .args(["--check", pdf_s])
        .output()
        .unwrap();
    assert!(
        q.status.success(),
        "{tag}: qpdf --check: {}",
        String::from_utf8_lossy(&q.stdout)
    );
    let gs = std::process::Command::new("gs")
        .args([
            "-q",
            "-dNOPAUSE",
            "-dBATCH",
            "-dSAFER",
            "-sDEVICE=nullpage",
            pdf_s,
        ])
        .output()
        .unwrap();
    let gs_out = format!(
        "{}{}",
        String::from_utf8_lossy(&gs.stdout),
        String::from_utf8_lossy(&gs.stderr)
    );
    assert!(
        gs.status.success() && !gs_out.contains("Error") && !gs_out.contains("****"),
        "{tag}: ghostscript: {gs_out}"
    );
    let again = render(dir, note_s, layout, &format!("{tag}-again"));
    assert!(r.pdf == again.pdf, "{tag}: two runs differ");
}

#[test]
fn bundled_designs_pass_poppler_and_qpdf_checks() {
    if !(have_tool("pdftotext") && have_tool("qpdf") && have_tool("gs")) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let caladea = dir.path().join("caladea-accents.toml");
    std::fs::write(&caladea, CALADEA_ACCENTS).unwrap();
    let notes = [
        root().join("samples/note.toml"),
        root().join("samples/accents.toml"),
        caladea,
    ];
    for (name, _) in stationer::input::bundled::BUNDLED {
        for note in &notes {
            check_card(dir.path(), note, name);
        }
    }
}

#[test]
fn ligatures_and_decomposed_letters_extract_as_written() {
    if !have_tool("pdftotext") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let note = dir.path().join("n.toml");
    std::fs::write(&note, CALADEA_ACCENTS).unwrap();
    let pdf = dir.path().join("n.pdf");
    for layout in ["classic-a2", "portrait-a6"] {
        let o = stationer(
            dir.path(),
            &["render", "n.toml", "-o", "n.pdf", "--layout", layout],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        let text = run_tool("pdftotext", &[pdf.to_str().unwrap(), "-"]);
        for word in [
            "Nguyễn",
            "“fine”",
            "office",
            "flexible",
            "workflow",
            "José’s",
            "—",
            "Zoë",
            "Brontë",
        ] {
            assert!(
                text.contains(word),
                "{layout}: {word} not extracted from:\n{text}"
            );
        }
    }
}

/// A face with more than 187 glyphs in use is embedded as several fonts of
/// one-byte codes: a note with some 380 letters of Cyrillic, Greek and Latin
/// extended extracts as written with poppler, and letter for letter with
/// Ghostscript and MuPDF (other readers of the embedded code CMap and the
/// ToUnicode map), and draws what the preview draws, in a TrueType and a CFF
/// face.
#[test]
fn hundreds_of_glyphs_in_one_face_extract_as_written() {
    if !(have_tool("pdftotext") && have_tool("gs") && have_tool("mutool")) {
        return;
    }
    let ranges = [
        0x410..0x450,
        0x391..0x3A2,
        0x3A3..0x3AA,
        0x3B1..0x3CA,
        0x100..0x17F,
        0x1E00..0x1E60,
    ];
    let letters: Vec<char> = ranges
        .into_iter()
        .flatten()
        .filter_map(char::from_u32)
        .collect();
    let words: Vec<String> = letters.chunks(6).map(|c| c.iter().collect()).collect();
    let body = words.join(" ");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("n.toml"),
        format!("greeting = \"Dear Ana,\"\nbody = \"\"\"\n{body}\n\"\"\"\nclosing = \"Best,\"\nsigner = \"Zoë\"\n"),
    )
    .unwrap();
    let pdf = dir.path().join("n.pdf");
    for layout in ["classic-a2", "correspondence"] {
        let o = stationer(
            dir.path(),
            &["render", "n.toml", "-o", "n.pdf", "--layout", layout],
        );
        assert!(o.status.success(), "{layout}: {}", stderr(&o));
        let p = pdf.to_str().unwrap();
        let poppler = squeeze(&run_tool("pdftotext", &[p, "-"]));
        let gs = squeeze(&run_tool(
            "gs",
            &[
                "-q",
                "-dNOPAUSE",
                "-dBATCH",
                "-sDEVICE=txtwrite",
                "-o",
                "-",
                p,
            ],
        ));
        let mupdf = squeeze(&run_tool(
            "mutool",
            &["draw", "-q", "-F", "txt", "-o", "-", p],
        ));
        assert!(
            poppler.contains(&squeeze(&body)),
            "{layout}: pdftotext did not extract the note:\n{poppler}"
        );
        // Ghostscript and MuPDF read a letter built from a base and a mark
        // glyph by glyph (they ignore ActualText): they get the rest right
        // (with codes read wrongly, they would lose every letter of a font's
        // second part).
        for (reader, text) in [("gs txtwrite", &gs), ("mutool", &mupdf)] {
            let mut left: Vec<char> = text.chars().collect();
            let found = letters
                .iter()
                .filter(|c| match left.iter().position(|g| g == *c) {
                    Some(i) => {
                        left.remove(i);
                        true
                    }
                    None => false,
                })
                .count();
            assert!(
                found * 10 >= letters.len() * 9,
                "{layout}: {reader} extracted {found} of {} letters:\n{text}",
                letters.len()
            );
        }
        // The glyphs drawn are the ones the Scene holds: poppler's picture of
        // the PDF against the preview, which is drawn from the Scene.
        let o = stationer(
            dir.path(),
            &[
                "preview", "n.toml", "-o", "n.png", "--layout", layout, "--dpi", "100",
            ],
        );
        assert!(o.status.success(), "{layout}: {}", stderr(&o));
        let poppler_png = dir.path().join("pp");
        run_tool(
            "pdftoppm",
            &[
                "-r",
                "100",
                "-png",
                "-singlefile",
                p,
                poppler_png.to_str().unwrap(),
            ],
        );
        let a = image::open(dir.path().join("n.png")).unwrap().into_rgb8();
        let b = image::open(poppler_png.with_extension("png"))
            .unwrap()
            .into_rgb8();
        let pct = 100.0 * differing_share(&a, &b);
        assert!(
            pct < 0.5,
            "{layout}: {pct:.3}% of pixels differ between the preview and pdftoppm"
        );
    }
}
