//! The library's face for one card: note and design in, Scene out.

use crate::diag::{Place, Result};
use crate::layout::{self, Fitted};
use crate::layouts;
use crate::scene::Scene;
use crate::spec::note::parse_note;
use crate::spec::{Design, Note};
use crate::text::{FontSet, Shaper};
use std::path::Path;

/// A card laid out: the Scene (one page) and the layout decisions.
#[derive(Debug, Clone)]
pub struct Card {
    /// The display list every exporter reads.
    pub scene: Scene,
    /// Size, lines and boxes chosen by fitting.
    pub fitted: Fitted,
}

/// Reads and validates a note file.
pub fn load_note(path: &Path) -> Result<Note> {
    let text = layouts::read_text(path, None)?;
    parse_note(path, &text)
}

/// The design for a note: `--layout` if given, else the note's `layout`,
/// else the default design. A note's `layout` path is relative to the note.
pub fn design_for(note: &Note, layout_flag: Option<&str>) -> Result<Design> {
    match layout_flag {
        Some(l) => layouts::resolve(l, Path::new(""), None),
        None => match &note.layout {
            Some(l) => {
                let base = note.path.parent().unwrap_or(Path::new(""));
                let place = Place::file(&note.path);
                layouts::resolve(l, base, Some(&place))
            }
            None => layouts::resolve(layouts::DEFAULT, Path::new(""), None),
        },
    }
}

/// Lays out one card: shape, fit, place.
pub fn layout_card(note: &Note, design: &Design) -> Result<Card> {
    let fonts = FontSet::load(&design.font, &design.source.display_path())?;
    let mut shaper = Shaper::new(&fonts.fonts);
    let content = layout::prepare(note, design, &fonts, &mut shaper)?;
    let fitted = layout::fit(&content, design, &fonts, &note.path)?;
    let page = layout::place(&fitted, &content, design, &fonts);
    let title = match &note.greeting {
        Some(g) => format!(
            "{} — {}",
            g.text.trim().trim_end_matches(','),
            note.signer.text.trim()
        ),
        None => format!("A note from {}", note.signer.text.trim()),
    };
    Ok(Card {
        scene: Scene {
            fonts: fonts.fonts.clone(),
            pages: vec![page],
            title,
        },
        fitted,
    })
}
