//! Property tests: the line breaker never overfills a line and is stable
//! at its own measured width; a fitted card never puts text in the
//! signature area or outside its box.

use proptest::prelude::*;
use stationer::layout::linebreak::{break_lines, measured_width, After, Measure, Piece};
use stationer::scene::{Item, Role};
use std::path::Path;

fn piece() -> impl Strategy<Value = Piece> {
    (2.0f32..70.0, 0u8..10).prop_map(|(width, k)| Piece {
        width,
        after: match k {
            0 => After::Hyphen,
            1 => After::Joint,
            _ => After::Space,
        },
    })
}

fn paragraph() -> impl Strategy<Value = Vec<Piece>> {
    prop::collection::vec(piece(), 1..80).prop_map(|mut v| {
        v.last_mut().unwrap().after = After::End;
        v
    })
}

/// Pieces of any width up to `max`, joined any way (glue and hyphens
/// included), the last ending the paragraph.
fn any_paragraph(max: f32) -> impl Strategy<Value = Vec<Piece>> {
    prop::collection::vec((0.5f32..max, 0u8..4), 1..40).prop_map(|v| {
        let n = v.len();
        v.into_iter()
            .enumerate()
            .map(|(i, (width, k))| Piece {
                width,
                after: match k {
                    _ if i + 1 == n => After::End,
                    0 => After::Hyphen,
                    1 => After::Joint,
                    2 => After::Glue,
                    _ => After::Space,
                },
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Whatever the pieces, the breaker answers (never panics): lines within
    /// the measure, or the first piece of a run that cannot fit.
    #[test]
    fn any_paragraph_is_broken_or_refused(pieces in any_paragraph(120.0), width in 60.0f32..130.0, justify: bool) {
        let m = Measure { width, space: 3.2, hyphen: 4.0, justify };
        match break_lines(&pieces, &m) {
            Ok(lines) => {
                prop_assert_eq!(lines.last().unwrap().end, pieces.len());
                for l in &lines {
                    prop_assert!(l.set_width() <= width + 1e-2, "{:?} wider than {}", l, width);
                }
            }
            Err(e) => prop_assert!(e.piece < pieces.len()),
        }
    }

    #[test]
    fn no_line_is_wider_than_its_measure(pieces in paragraph(), width in 75.0f32..400.0, justify: bool) {
        let m = Measure { width, space: 3.2, hyphen: 4.0, justify };
        let lines = break_lines(&pieces, &m).unwrap();
        // Lines cover the pieces in order, without gaps.
        prop_assert_eq!(lines[0].start, 0);
        prop_assert_eq!(lines.last().unwrap().end, pieces.len());
        for pair in lines.windows(2) {
            prop_assert_eq!(pair[0].end, pair[1].start);
        }
        for l in &lines {
            prop_assert!(l.set_width() <= width + 1e-2, "{:?} wider than {}", l, width);
            prop_assert!(l.start < l.end);
        }
    }

    #[test]
    fn breaking_again_at_the_measured_width_gives_the_same_lines(pieces in paragraph(), width in 75.0f32..400.0) {
        let m = Measure { width, space: 3.2, hyphen: 4.0, justify: false };
        let lines = break_lines(&pieces, &m).unwrap();
        let again = break_lines(&pieces, &Measure { width: measured_width(&lines), ..m }).unwrap();
        let ends = |ls: &[stationer::layout::linebreak::Line]| ls.iter().map(|l| l.end).collect::<Vec<_>>();
        prop_assert_eq!(ends(&lines), ends(&again));
    }

    #[test]
    fn a_piece_wider_than_the_measure_is_reported(pieces in paragraph(), extra in 1.0f32..50.0) {
        let widest = pieces.iter().map(|p| p.width).fold(0.0, f32::max);
        let m = Measure { width: widest - extra.min(widest - 1.0), space: 3.0, hyphen: 3.0, justify: false };
        if m.width < widest - 1e-2 {
            prop_assert!(break_lines(&pieces, &m).is_err());
        }
    }
}

const WORDS: &[&str] = &[
    "thank",
    "you",
    "for",
    "the",
    "conversation",
    "about",
    "catalogue",
    "team",
    "role",
    "editor",
    "Tuesday",
    "opportunity",
    "eager",
    "welcome",
    "experience",
    "offices",
    "fluent",
    "affirm",
    "collaboration",
    "responsibilities",
    "—",
    "“spring”",
    "Núñez’s",
    "a",
    "I",
    "of",
    "to",
];

fn note() -> impl Strategy<Value = (Vec<Vec<usize>>, bool, usize)> {
    (
        prop::collection::vec(prop::collection::vec(0..WORDS.len(), 1..60), 1..4),
        any::<bool>(),
        0..stationer::input::bundled::BUNDLED.len(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(120))]

    #[test]
    fn fitted_text_never_enters_the_signature_area((paras, greeting, design) in note()) {
        let body: Vec<String> = paras
            .iter()
            .map(|p| p.iter().map(|&i| WORDS[i]).collect::<Vec<_>>().join(" "))
            .collect();
        let src = format!(
            "{}body = \"\"\"\n{}\n\"\"\"\nclosing = \"With gratitude,\"\nsigner = \"Alex Morgan\"\n",
            if greeting { "greeting = \"Dear Ms. Rivera,\"\n" } else { "" },
            body.join("\n\n")
        );
        let note = stationer::input::note::parse_note(Path::new("n.toml"), &src).unwrap();
        let design = stationer::input::bundled::bundled(stationer::input::bundled::BUNDLED[design].0).unwrap().unwrap();
        match stationer::layout_card(&note, &design) {
            Ok(card) => {
                let page = &card.scene.pages[0];
                let boxes = page.card.unwrap();
                prop_assert!(card.fitted.size >= design.size_min - 1e-3 && card.fitted.size <= design.size_max + 1e-3);
                let sig = boxes.signature_box;
                for item in &page.items {
                    let Item::Text(run) = item else { continue };
                    if run.role == Role::Decoration {
                        continue;
                    }
                    let b = run.bbox(&card.scene);
                    let overlaps = b[0] < sig[2] && sig[0] < b[2] && b[1] < sig[3] && sig[1] < b[3];
                    prop_assert!(!overlaps, "{:?} {:?} enters {:?}", run.text, b, sig);
                    let area = boxes.text_area;
                    // Optical margins: punctuation at a body line's ends
                    // hangs into the margin, never by more than 0.4 em.
                    let hang = if run.role == Role::Body { 0.4 * run.size } else { 0.0 } + 1e-3;
                    prop_assert!(b[0] >= area[0] - hang && b[2] <= area[2] + hang && b[1] >= area[1] - 1e-3 && b[3] <= area[3] + 1e-3,
                        "{:?} {:?} outside the text area {:?}", run.text, b, area);
                    if run.role != Role::Signer {
                        prop_assert!(b[3] <= boxes.body_box[3] + 1e-3, "{:?} below the body box", run.text);
                    }
                }
            }
            Err(e) => {
                let msg = e.to_string();
                prop_assert!(msg.contains("does not fit") || msg.contains("wider than"), "{}", msg);
            }
        }
    }
}
