//! Typography a typesetter signs off on: every corpus note (tests/corpus,
//! 2 to 169 words) on every bundled design sets without faults — counted
//! by the layout and, independently, from the PDF (`pdftotext -bbox`) and
//! the report — wherever the design's size range allows; the breaker's
//! TeX rules; signature areas people can sign in; short notes that sit
//! where the design puts them.

mod common;

use common::*;
use stationer::input::bundled::{bundled, BUNDLED};
use stationer::input::design::Align;
use stationer::layout::linebreak::{break_lines, After, Measure, Piece};
use stationer::scene::Role;
use stationer::{layout_card, load_note, Note};
use std::path::PathBuf;

fn corpus() -> Vec<(PathBuf, Note)> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root().join("tests/corpus"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 30, "the corpus has {} notes", paths.len());
    paths
        .into_iter()
        .map(|p| {
            let n = load_note(&p).unwrap();
            (p, n)
        })
        .collect()
}

/// Faults counted from the outside: the report's lines (greeting first,
/// closing and printed name last) and the PDF's word boxes.
fn faults_from_pdf(
    report: &serde_json::Value,
    pdf: &std::path::Path,
    justified: bool,
) -> Vec<String> {
    let card = &report["cards"][0];
    let size = card["font_size"].as_f64().unwrap() as f32;
    let all = card["lines"].as_array().unwrap();
    let lines = &all[1..all.len() - 2];
    let bx = |l: &serde_json::Value| -> [f32; 4] {
        let b = l["box"].as_array().unwrap();
        [0, 1, 2, 3].map(|i| b[i].as_f64().unwrap() as f32)
    };
    let text = |l: &serde_json::Value| l["text"].as_str().unwrap().to_string();
    let body = card["body_box"].as_array().unwrap();
    let measure = (body[2].as_f64().unwrap() - body[0].as_f64().unwrap()) as f32;
    let words = &bbox_words(pdf)[0];
    // Paragraphs: a wider step between lines starts a new one.
    let pitch = lines
        .windows(2)
        .map(|w| bx(&w[1])[1] - bx(&w[0])[1])
        .fold(f32::INFINITY, f32::min);
    let mut paras: Vec<Vec<&serde_json::Value>> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if i == 0 || bx(l)[1] - bx(&lines[i - 1])[1] > pitch * 1.2 {
            paras.push(Vec::new());
        }
        paras.last_mut().unwrap().push(l);
    }
    let mut found = Vec::new();
    for p in &paras {
        let mut run = 0;
        for l in p.iter().map(|l| text(l)).chain([String::new()]) {
            if l.ends_with('-') {
                run += 1;
            } else {
                if run >= 3 {
                    found.push(format!("{run} hyphens in a row"));
                }
                run = 0;
            }
        }
        if p.len() >= 2 && !text(p[p.len() - 1]).trim().contains(' ') {
            let last = p[p.len() - 1];
            if text(p[p.len() - 2]).ends_with('-') {
                found.push(format!("hyphenated tail \"{}\"", text(last)));
            } else if bx(last)[2] - bx(last)[0] < measure / 4.0 {
                found.push(format!("runt \"{}\"", text(last)));
            }
        }
        if justified {
            for l in &p[..p.len() - 1] {
                let b = bx(l);
                let mut row: Vec<_> = words
                    .iter()
                    .filter(|w| w.bbox[1] >= b[1] - 1.0 && w.bbox[3] <= b[3] + 1.0)
                    .collect();
                row.sort_by(|a, b| a.bbox[0].total_cmp(&b.bbox[0]));
                for pair in row.windows(2) {
                    let em = (pair[1].bbox[0] - pair[0].bbox[2]) / size;
                    if !(0.16 - 0.005..=0.5 + 0.005).contains(&em) {
                        found.push(format!("word space {em:.2} em in \"{}\"", text(l)));
                    }
                }
            }
        }
    }
    found
}

#[test]
fn the_corpus_sets_without_faults_on_every_design() {
    let notes = corpus();
    let check_pdf = have_tool("pdftotext");
    let dir = tempfile::tempdir().unwrap();
    let mut faults = Vec::new();
    let mut set = 0;
    for (name, _) in BUNDLED {
        let design = bundled(name).unwrap().unwrap();
        let justified = design.align == Align::Justified;
        for (path, note) in &notes {
            let Ok(card) = layout_card(note, &design) else {
                continue; // too long for this design at its smallest size
            };
            set += 1;
            let note_name = path.file_name().unwrap().to_string_lossy();
            // The layout's own count: a clean size exists in every range
            // for this corpus, so fitting must have found it.
            for f in &card.fitted.faults {
                faults.push(format!("{name} {note_name}: {} (layout)", f.kind));
            }
            assert!(card.fitted.size >= design.size_min - 1e-3);
            if check_pdf {
                let pdf = dir.path().join(format!("{name}-{note_name}.pdf"));
                std::fs::write(&pdf, stationer::export::write_pdf(&card.scene)).unwrap();
                let report: serde_json::Value =
                    serde_json::from_slice(&stationer::export::write_report(&card.scene)).unwrap();
                for f in faults_from_pdf(&report, &pdf, justified) {
                    faults.push(format!("{name} {note_name}: {f} (pdf)"));
                }
            }
        }
    }
    eprintln!(
        "corpus: {} notes, {set} cards set on {} designs, {} faults (layout{})",
        notes.len(),
        BUNDLED.len(),
        faults.len(),
        if check_pdf { " and pdf" } else { " only" }
    );
    assert!(set >= 30 * BUNDLED.len(), "only {set} cards set");
    assert!(
        faults.is_empty(),
        "{} faults:\n{}",
        faults.len(),
        faults.join("\n")
    );
}

#[test]
fn a_note_that_cannot_set_cleanly_gets_the_size_with_fewest_faults_and_they_are_listed() {
    // A design whose justified word spaces may not stretch at all: every
    // size has loose lines, so fitting reports them instead of pretending.
    let dir = tempfile::tempdir().unwrap();
    let design = std::fs::read_to_string(root().join("layouts/portrait-a6.toml"))
        .unwrap()
        .replace(
            "valign = \"center\"",
            "valign = \"center\"\nmax_space = 0.26\nmin_space = 0.25",
        );
    std::fs::write(dir.path().join("d.toml"), design).unwrap();
    let note = std::fs::read_to_string(root().join("tests/corpus/note-11.toml")).unwrap();
    std::fs::write(
        dir.path().join("n.toml"),
        format!("layout = \"d.toml\"\n{note}"),
    )
    .unwrap();
    let out = stationer(dir.path(), &["check", "n.toml"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("faults  "), "{text}");
    assert!(!text.contains("faults  none"), "{text}");
    assert!(text.contains("em, wider than the design allows"), "{text}");
    // The JSON lists the same faults, each with its line and text.
    let out = stationer(dir.path(), &["check", "n.toml", "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let faults = v["faults"].as_array().unwrap();
    let listed = text.lines().filter(|l| l.starts_with("  line ")).count();
    assert!(listed > 0);
    assert_eq!(faults.len(), listed, "{v}");
    for f in faults {
        let (line, message, words) = (
            f["line"].as_u64().unwrap(),
            f["message"].as_str().unwrap(),
            f["text"].as_str().unwrap(),
        );
        assert!(
            text.contains(&format!("  line {line:>2}: {message}: \"{words}\"")),
            "{f} not in {text}"
        );
    }
    // The sample note sets cleanly on the bundled design.
    let out = stationer(
        &root(),
        &["check", "samples/note.toml", "--layout", "portrait-a6"],
    );
    assert!(stdout(&out).contains("faults  none"), "{}", stdout(&out));
}

#[test]
fn hyphens_leave_two_letters_before_and_three_after() {
    let fonts = stationer::text::FontSet::load(
        &stationer::input::design::FontChoice::Bundled("libertine".into()),
        std::path::Path::new("t"),
    )
    .unwrap();
    let mut shaper = stationer::text::Shaper::new(&fonts.fonts);
    let mut points = 0;
    for (_, note) in corpus() {
        for w in note.body.text.split_whitespace() {
            let s = shaper.word(0, w, true).unwrap();
            for b in s.breaks.iter().filter(|b| b.adds_hyphen) {
                let at = s.glyphs[b.glyph].cluster as usize;
                let letters = |t: &str| t.chars().filter(|c| c.is_alphabetic()).count();
                assert!(letters(&w[..at]) >= 2, "{w} at {at}");
                assert!(letters(&w[at..]) >= 3, "{w} at {at}");
                points += 1;
            }
        }
    }
    assert!(points > 100, "{points}");
}

fn piece(width: f32, after: After) -> Piece {
    Piece { width, after }
}

#[test]
fn the_breaker_avoids_three_hyphens_in_a_row_and_a_hyphenated_last_line() {
    // Five hyphenatable words that fill lines exactly when each is broken:
    // TeX's doublehyphendemerits only discourage this; a breaking without
    // three hyphens in a row exists, so it is taken.
    let m = Measure {
        width: 100.0,
        space: 3.0,
        hyphen: 3.0,
        justify: true,
    };
    let mut p = Vec::new();
    for _ in 0..6 {
        p.push(piece(30.0, After::Space));
        p.push(piece(30.0, After::Space));
        p.push(piece(31.0, After::Hyphen));
        p.push(piece(30.0, After::Space));
    }
    p.last_mut().unwrap().after = After::End;
    let lines = break_lines(&p, &m).unwrap();
    let mut run = 0;
    for l in &lines {
        run = if l.hyphen { run + 1 } else { 0 };
        assert!(run < 3, "{lines:?}");
    }
    let last = lines.last().unwrap();
    assert!(
        !(lines[lines.len() - 2].hyphen && last.spaces == 0),
        "{lines:?}"
    );
}

#[test]
fn punctuation_hangs_into_the_margin_and_the_report_says_where() {
    let note = load_note(&root().join("tests/corpus/note-11.toml")).unwrap();
    let design = bundled("portrait-a6").unwrap().unwrap();
    let card = layout_card(&note, &design).unwrap();
    let [x0, _, x1, _] = card.fitted.boxes.text_area;
    let report: serde_json::Value =
        serde_json::from_slice(&stationer::export::write_report(&card.scene)).unwrap();
    let lines = report["cards"][0]["lines"].as_array().unwrap();
    let mut hung = 0;
    let runs: Vec<_> = card.scene.pages[0]
        .items
        .iter()
        .filter_map(|i| match i {
            stationer::scene::Item::Text(r) if r.role != Role::Decoration => Some(r),
            _ => None,
        })
        .collect();
    assert_eq!(runs.len(), lines.len());
    for (run, r) in runs.iter().zip(lines) {
        // The report's box is where the glyphs are, hanging or not.
        let b = run.bbox(&card.scene);
        let rb: Vec<f32> = (0..4)
            .map(|i| r["box"][i].as_f64().unwrap() as f32)
            .collect();
        assert!(
            (rb[0] - b[0]).abs() < 0.01 && (rb[2] - b[2]).abs() < 0.01,
            "{rb:?} {b:?}"
        );
        if run.role != Role::Body {
            continue;
        }
        let t = run.text.as_str();
        if b[2] > x1 + 0.3 {
            hung += 1;
            assert!(
                t.ends_with(['-', ',', '.', ';', ':']),
                "{t} hangs at {} > {x1}",
                b[2]
            );
            assert!(b[2] < x1 + 0.4 * run.size, "{t}");
        }
        assert!(b[0] <= x0 + 1e-3, "{t}");
    }
    assert!(hung >= 2, "{hung} lines hang");
    // A design key turns it off.
    let flat = std::fs::read_to_string(root().join("layouts/portrait-a6.toml"))
        .unwrap()
        .replace(
            "valign = \"center\"",
            "valign = \"center\"\nprotrusion = false",
        );
    let flat = stationer::input::design::parse_design(
        stationer::input::design::DesignSource::File("flat.toml".into()),
        &flat,
    )
    .unwrap();
    let card = layout_card(&note, &flat).unwrap();
    for run in card.scene.pages[0].items.iter().filter_map(|i| match i {
        stationer::scene::Item::Text(r) if r.role == Role::Body => Some(r),
        _ => None,
    }) {
        assert!(
            run.x >= x0 - 1e-3 && run.x + run.width <= x1 + 1e-2,
            "{}",
            run.text
        );
    }
}

#[test]
fn every_bundled_design_leaves_room_to_sign_and_a_short_note_is_not_lost_at_the_top() {
    let short = load_note(&root().join("tests/corpus/note-01.toml")).unwrap();
    for (name, _) in BUNDLED {
        let design = bundled(name).unwrap().unwrap();
        assert!(
            design.signature_height.0 >= 0.5 * 72.0 - 1e-3,
            "{name}: signature area {}in",
            design.signature_height.0 / 72.0
        );
        let card = layout_card(&short, &design).unwrap();
        assert!(
            card.fitted.warnings.is_empty(),
            "{name}: {:?}",
            card.fitted.warnings
        );
        // The empty band below the last of the note's ink (signature area
        // included) is less than half the card.
        let bottom = card
            .fitted
            .lines
            .iter()
            .map(|l| l.baseline)
            .fold(card.fitted.boxes.signature_box[3], f32::max);
        let [_, y0, _, y1] = design.panel();
        let empty = (y1 - bottom) / (y1 - y0);
        assert!(
            empty < 0.5,
            "{name}: {:.0}% of the card empty below the note",
            empty * 100.0
        );
    }
}

#[test]
fn a_signature_area_under_0_4in_is_warned_about_with_its_height() {
    let text = std::fs::read_to_string(root().join("layouts/classic-a2.toml"))
        .unwrap()
        .replace("height = \"0.5in\"", "height = \"0.3in\"");
    let design = stationer::input::design::parse_design(
        stationer::input::design::DesignSource::File("small.toml".into()),
        &text,
    )
    .unwrap();
    let note = load_note(&root().join("samples/note.toml")).unwrap();
    let card = layout_card(&note, &design).unwrap();
    assert_eq!(card.fitted.warnings.len(), 1);
    let w = card.fitted.warnings[0].to_string();
    assert!(w.contains("0.30in") && w.contains("7.6mm"), "{w}");
    assert_eq!(
        card.fitted.warnings[0].severity,
        stationer::Severity::Warning
    );
    // And the command line prints it.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("small.toml"), &text).unwrap();
    let note = std::fs::read_to_string(root().join("samples/note.toml")).unwrap();
    std::fs::write(
        dir.path().join("n.toml"),
        note.replace("layout = \"classic-a2\"", "layout = \"small.toml\""),
    )
    .unwrap();
    let out = stationer(dir.path(), &["check", "n.toml"]);
    assert!(stderr(&out).contains("0.30in"), "{}", stderr(&out));
}
