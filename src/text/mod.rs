//! Fonts and shaping: bundled and user fonts, shaped words with glyph ids,
//! advances (with GPOS and `kern` kerning), ligatures and the text each glyph
//! came from.

pub mod bidi;
pub mod breaks;
pub mod fonts;
pub mod hyphen;
pub mod shape;

pub use fonts::{Font, FontSet, FontSources};
pub use shape::{ShapedWord, Shaper};
