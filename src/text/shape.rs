//! Shaping: words into positioned glyphs with rustybuzz (GPOS and `kern`
//! kerning, standard ligatures, mark positioning), each glyph keeping the byte
//! offset of the text it came from, and the places a word may break.

use super::Font;
use rustc_hash::FxHashMap;
use std::sync::{Arc, OnceLock};

/// One shaped glyph, in font units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Glyph {
    /// Glyph id in the font.
    pub id: u16,
    /// Horizontal advance, kerning included.
    pub advance: i32,
    /// Horizontal offset from the pen position (marks).
    pub x_offset: i32,
    /// Vertical offset from the baseline, upwards (marks).
    pub y_offset: i32,
    /// Byte offset into the word of the text this glyph's cluster starts at.
    pub cluster: u32,
}

/// A place a word may break across lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Break {
    /// Byte offset into the word where the second part starts.
    pub offset: usize,
    /// Index of the first glyph of the second part.
    pub glyph: usize,
    /// Whether the first part takes an added hyphen (false after an explicit dash).
    pub adds_hyphen: bool,
}

/// A word shaped in one face: the unit of line breaking.
#[derive(Debug, Clone, PartialEq)]
pub struct ShapedWord {
    /// The word's text (no white space).
    pub text: String,
    /// Its glyphs in logical order (visual order when `rtl`).
    pub glyphs: Vec<Glyph>,
    /// Total advance, in font units.
    pub width: i32,
    /// Where it may break, in order.
    pub breaks: Vec<Break>,
    /// Whether it was shaped right to left (Hebrew, Arabic): its glyphs are
    /// then in visual order, left to right, and it does not break.
    pub rtl: bool,
}

impl ShapedWord {
    /// Advance of glyphs `from..to`, in font units.
    pub fn advance(&self, from: usize, to: usize) -> i32 {
        self.glyphs[from..to].iter().map(|g| g.advance).sum()
    }
}

/// A character the font cannot draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MissingGlyph {
    /// The character.
    pub ch: char,
    /// Its byte offset in the shaped text.
    pub offset: usize,
}

/// Glyphs every line needs: the word space and the hyphen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spacing {
    /// The space glyph and its advance (font units).
    pub space: (u16, i32),
    /// The hyphen glyph and its advance (font units).
    pub hyphen: (u16, i32),
}

/// Shaped words by face, hyphenation and text: shared by the threads of a
/// batch (one note, so one language) so each distinct word is shaped once
/// per batch.
/// Looked up by `&str`, so finding a word allocates nothing.
#[derive(Default)]
pub struct WordCache(FxHashMap<(usize, bool), FxHashMap<Box<str>, Arc<ShapedWord>>>);

impl WordCache {
    fn get(&self, font: usize, hyphenate: bool, text: &str) -> Option<&Arc<ShapedWord>> {
        self.0.get(&(font, hyphenate))?.get(text)
    }

    fn insert(&mut self, font: usize, hyphenate: bool, text: &str, word: Arc<ShapedWord>) {
        self.0
            .entry((font, hyphenate))
            .or_default()
            .insert(text.into(), word);
    }
}

impl FromIterator<WordCache> for WordCache {
    /// The words of several caches in one.
    fn from_iter<I: IntoIterator<Item = WordCache>>(caches: I) -> WordCache {
        let mut all = WordCache::default();
        for cache in caches {
            for (key, words) in cache.0 {
                all.0.entry(key).or_default().extend(words);
            }
        }
        all
    }
}

/// Shapes words in a set of faces, each distinct word once.
pub struct Shaper<'f> {
    /// Words shaped earlier (read only), looked up before shaping and
    /// copied into `cache` when found.
    shared: Option<&'f WordCache>,
    fonts: &'f [Arc<Font>],
    /// Each face parsed for shaping when first used (a card uses one or
    /// two of its set's faces; parsing one reads its layout tables).
    faces: Vec<OnceLock<rustybuzz::Face<'f>>>,
    /// One Latin shaping plan per face, made when first used (making a plan
    /// costs more than shaping a word).
    plans: Vec<OnceLock<rustybuzz::ShapePlan>>,
    cache: WordCache,
    /// The note's language (`input::note::LANGS`), for hyphenation.
    pub lang: String,
}

impl<'f> Shaper<'f> {
    /// A shaper for the given faces (indices as in the `FontSet`).
    pub fn new(fonts: &'f [Arc<Font>]) -> Shaper<'f> {
        Shaper {
            shared: None,
            fonts,
            faces: fonts.iter().map(|_| OnceLock::new()).collect(),
            plans: fonts.iter().map(|_| OnceLock::new()).collect(),
            cache: WordCache::default(),
            lang: "en-US".into(),
        }
    }

    /// A shaper that first looks words up in a cache shaped beforehand.
    pub fn with_shared(fonts: &'f [Arc<Font>], shared: &'f WordCache) -> Shaper<'f> {
        Shaper {
            shared: Some(shared),
            ..Shaper::new(fonts)
        }
    }

    /// The words this shaper has shaped or copied from the shared cache
    /// since it was made or this was last asked, leaving it none.
    pub fn take_cache(&mut self) -> WordCache {
        std::mem::take(&mut self.cache)
    }

    /// Face `font`, parsed for shaping.
    fn face(&self, font: usize) -> &rustybuzz::Face<'f> {
        self.faces[font].get_or_init(|| {
            rustybuzz::Face::from_slice(self.fonts[font].data(), 0)
                .expect("font was validated when loaded")
        })
    }

    /// Shapes a run of text without white space handling or breaks: in the
    /// script and direction of its letters (Hebrew and Arabic right to
    /// left, Arabic with its joining forms), Latin and neutral text with
    /// the face's Latin plan. Returns the glyphs and whether they are right
    /// to left (then in visual order).
    fn shape_raw(&self, font: usize, text: &str) -> (Vec<Glyph>, bool) {
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        let script = buffer.script();
        let latin = [
            rustybuzz::script::LATIN,
            rustybuzz::script::COMMON,
            rustybuzz::script::INHERITED,
            rustybuzz::script::UNKNOWN,
        ]
        .contains(&script);
        let (out, rtl) = if latin {
            buffer.set_direction(rustybuzz::Direction::LeftToRight);
            buffer.set_script(rustybuzz::script::LATIN);
            let face = self.face(font);
            let plan = self.plans[font].get_or_init(|| {
                rustybuzz::ShapePlan::new(
                    face,
                    rustybuzz::Direction::LeftToRight,
                    Some(rustybuzz::script::LATIN),
                    None,
                    &[],
                )
            });
            (rustybuzz::shape_with_plan(face, plan, buffer), false)
        } else {
            let rtl = buffer.direction() == rustybuzz::Direction::RightToLeft;
            (rustybuzz::shape(self.face(font), &[], buffer), rtl)
        };
        let glyphs = out
            .glyph_infos()
            .iter()
            .zip(out.glyph_positions())
            .map(|(info, pos)| Glyph {
                id: info.glyph_id as u16,
                advance: pos.x_advance,
                x_offset: pos.x_offset,
                y_offset: pos.y_offset,
                cluster: info.cluster,
            })
            .collect();
        (glyphs, rtl)
    }

    /// Whether face `font` draws every character of `text` (those that
    /// print nothing always), read from the face parsed once for shaping.
    pub fn covers(&self, font: usize, text: &str) -> bool {
        let face = self.face(font);
        text.chars().all(|c| super::fonts::draws(face, c))
    }

    /// The space and hyphen glyphs of a face.
    pub fn spacing(&self, font: usize) -> Spacing {
        // The character map and advances only: no need to parse for shaping.
        let face = self.fonts[font].face();
        let glyph = |c: char| {
            let id = face.glyph_index(c).map_or(0, |g| g.0);
            let adv = face.glyph_hor_advance(ttf_parser::GlyphId(id)).unwrap_or(0) as i32;
            (id, adv)
        };
        let space = glyph(' ');
        let hyphen = match glyph('-') {
            (0, _) => glyph('\u{2010}'),
            h => h,
        };
        Spacing { space, hyphen }
    }

    /// Shapes one word (no white space inside), finding where it may break.
    /// With `hyphenate`, dictionary hyphenation points are included.
    pub fn word(
        &mut self,
        font: usize,
        text: &str,
        hyphenate: bool,
    ) -> Result<Arc<ShapedWord>, MissingGlyph> {
        if let Some(w) = self.cache.get(font, hyphenate, text) {
            return Ok(w.clone());
        }
        if let Some(w) = self.shared.and_then(|s| s.get(font, hyphenate, text)) {
            // A shared word is copied, once per shaper, so each thread
            // counts references to words of its own: two threads counting
            // references to one word fight over its cache line (before,
            // this function took four times as long on W1's two threads as
            // on one, shaping no more words).
            let w = Arc::new(ShapedWord::clone(w));
            self.cache.insert(font, hyphenate, text, w.clone());
            return Ok(w);
        }
        let prepared = super::breaks::prepare(text);
        let (glyphs, rtl) = self.shape_raw(font, &prepared.text);
        if let Some(g) = glyphs.iter().find(|g| g.id == 0) {
            let offset = g.cluster as usize;
            let ch = prepared.text[offset..].chars().next().unwrap_or('\u{FFFD}');
            // The offset in the word as written (invisible characters put back).
            let offset = text.find(ch).unwrap_or(offset);
            return Err(MissingGlyph { ch, offset });
        }
        let width = glyphs.iter().map(|g| g.advance).sum();
        let text = prepared.text.as_str();
        let mut offsets = prepared.breaks.clone();
        if hyphenate && !prepared.soft_hyphens {
            offsets.extend(
                hyphenation_points(text, &self.lang)
                    .into_iter()
                    .map(|i| (i, true)),
            );
        }
        offsets.sort_unstable();
        offsets.dedup_by_key(|o| o.0);
        let breaks = if rtl {
            Vec::new()
        } else {
            offsets
                .into_iter()
                .filter_map(|(offset, adds_hyphen)| {
                    // Only at a cluster boundary: never inside a ligature or before a mark.
                    let glyph = glyphs.iter().position(|g| g.cluster as usize >= offset)?;
                    (glyphs[glyph].cluster as usize == offset && glyph > 0).then_some(Break {
                        offset,
                        glyph,
                        adds_hyphen,
                    })
                })
                .collect()
        };
        let word = Arc::new(ShapedWord {
            text: text.to_string(),
            glyphs,
            width,
            breaks,
            rtl,
        });
        self.cache.insert(font, hyphenate, text, word.clone());
        Ok(word)
    }
}

/// Byte offsets inside `word` where hyphenation in `lang` may break it: only
/// in lower-case words of at least six letters (names are never hyphenated),
/// keeping two letters before and three after a break.
fn hyphenation_points(word: &str, lang: &str) -> Vec<usize> {
    let start = word.find(|c: char| c.is_alphabetic());
    let end = word.rfind(|c: char| c.is_alphabetic());
    let (Some(start), Some(end)) = (start, end) else {
        return Vec::new();
    };
    let end = end + word[end..].chars().next().map_or(0, char::len_utf8);
    let core = &word[start..end];
    if core.chars().count() < 6 || !core.chars().all(|c| c.is_alphabetic() && c.is_lowercase()) {
        return Vec::new();
    }
    let Some(h) = super::hyphen::for_lang(lang) else {
        return Vec::new();
    };
    h.hyphenate(core)
        .into_iter()
        .filter(|&b| core[..b].chars().count() >= 2 && core[b..].chars().count() >= 3)
        .map(|b| b + start)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::design::FontChoice;
    use crate::text::FontSet;
    use std::path::Path;

    fn fonts(family: &str) -> FontSet {
        FontSet::load(&FontChoice::Bundled(family.into()), Path::new("t")).unwrap()
    }

    #[test]
    fn caladea_kerns_from_gpos() {
        let set = fonts("caladea");
        let mut shaper = Shaper::new(&set.fonts);
        let kerned = shaper.word(0, "AV", false).unwrap();
        let a = shaper.word(0, "A", false).unwrap().width;
        let v = shaper.word(0, "V", false).unwrap().width;
        assert!(kerned.width < a + v, "AV {} vs A+V {}", kerned.width, a + v);
    }

    #[test]
    fn libertine_ligature_keeps_its_cluster() {
        let set = fonts("libertine");
        let mut shaper = Shaper::new(&set.fonts);
        let w = shaper.word(0, "office", false).unwrap();
        // "ffi" becomes one glyph: fewer glyphs than letters.
        assert!(w.glyphs.len() < 6, "{:?}", w.glyphs);
        assert_eq!(w.glyphs[0].cluster, 0);
        assert_eq!(w.glyphs[1].cluster, 1);
    }

    #[test]
    fn missing_character_is_reported() {
        let set = fonts("caladea");
        let mut shaper = Shaper::new(&set.fonts);
        let err = shaper.word(0, "ab\u{4E2D}", false).unwrap_err();
        assert_eq!(
            err,
            MissingGlyph {
                ch: '\u{4E2D}',
                offset: 2
            }
        );
    }

    #[test]
    fn hyphenates_long_lower_case_words_only() {
        assert!(!hyphenation_points("conversation,", "en-US").is_empty());
        assert!(hyphenation_points("Rivera", "en-US").is_empty());
        assert!(hyphenation_points("team", "en-US").is_empty());
    }

    #[test]
    fn hyphenates_in_the_note_language() {
        // German patterns break "Zusammenarbeit"-like compounds; capitals
        // are names and never hyphenated, in any language.
        let de = hyphenation_points("zusammenarbeit", "de");
        assert!(!de.is_empty());
        assert!(hyphenation_points("Zusammenarbeit", "de").is_empty());
        for lang in ["en-GB", "fr", "es", "nl", "it"] {
            assert!(crate::text::hyphen::for_lang(lang).is_some(), "{lang}");
        }
        assert!(!hyphenation_points("conversation", "fr").is_empty());
        assert_ne!(
            hyphenation_points("conversazione", "it"),
            hyphenation_points("conversazione", "en-US")
        );
    }
}
