//! Knuth–Liang hyphenation, read in place from the `hyphenation` crate's
//! dictionaries (`src/text/hyphenation/*.standard.bincode`, copied
//! unchanged from the crate).
//!
//! The crate loads a dictionary by deserialising it into owned maps: for
//! en-US, 1,439 exception words each become a `String` and a `Vec` in a
//! SipHash map, a quarter of a one-card render's instructions. Here the
//! pattern trie (an `fst`) is used where it lies in the binary, and a load
//! only indexes the tallies and the exceptions. The patterns, the scoring
//! and the exceptions are the crate's; a test checks every dictionary
//! against the crate, word by word.

use fst::raw::{Fst, Output};
use std::hash::BuildHasher;
use std::sync::OnceLock;

macro_rules! dictionary {
    ($name:literal) => {
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src/text/hyphenation/",
            $name,
            ".standard.bincode"
        )) as &'static [u8]
    };
}

/// The dictionaries (see `src/text/hyphenation/README.md`), in the order
/// of [`for_lang`].
const DICTIONARIES: [&[u8]; 7] = [
    dictionary!("en-us"),
    dictionary!("en-gb"),
    dictionary!("de-1996"),
    dictionary!("fr"),
    dictionary!("es"),
    dictionary!("nl"),
    dictionary!("it"),
];

/// The hyphenation patterns of a note language (`input::note::LANGS`;
/// en-US for any other), each read once per process when first needed
/// (en-US: 0.11 M instructions).
pub fn for_lang(lang: &str) -> Option<&'static Dictionary> {
    static H: [OnceLock<Option<Dictionary>>; 7] = [const { OnceLock::new() }; 7];
    let i = match lang {
        "en-GB" => 1,
        "de" => 2,
        "fr" => 3,
        "es" => 4,
        "nl" => 5,
        "it" => 6,
        _ => 0,
    };
    H[i].get_or_init(|| Dictionary::read(DICTIONARIES[i]))
        .as_ref()
}

/// One language's patterns and exceptions.
pub struct Dictionary {
    /// Pattern → tally number.
    trie: Fst<&'static [u8]>,
    /// Each tally: its loci, as (index, value) byte pairs.
    tallies: Vec<&'static [u8]>,
    /// The dictionary's bytes.
    data: &'static [u8],
    /// The exceptions: a hash table (open addressing, by word) of where
    /// each entry starts in `data`, 0 for none; a power of two long.
    exceptions: Vec<u32>,
    /// Characters at the start and at the end of a word that never break.
    minima: (usize, usize),
}

/// A cursor over the bincode of a `hyphenation_commons::Standard`.
struct Reader(&'static [u8]);

impl Reader {
    fn take(&mut self, n: usize) -> Option<&'static [u8]> {
        if n > self.0.len() {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    fn len(&mut self) -> Option<usize> {
        usize::try_from(self.u64()?).ok()
    }

    /// A length-prefixed sequence of `size`-byte items.
    fn seq(&mut self, size: usize) -> Option<&'static [u8]> {
        let n = self.len()?;
        self.take(n.checked_mul(size)?)
    }
}

impl Dictionary {
    /// Reads a dictionary in the layout bincode gives the crate's
    /// `Standard`: the language (`u32`), the tallies (each a sequence of
    /// `Locus { index: u8, value: u8 }`), the trie's bytes, the exceptions
    /// (word → byte offsets) and the minima; `None` when it is not one.
    pub fn read(data: &'static [u8]) -> Option<Dictionary> {
        let mut r = Reader(data);
        r.take(4)?;
        let n = r.len()?;
        let mut tallies = Vec::with_capacity(n.min(r.0.len() / 8));
        for _ in 0..n {
            tallies.push(r.seq(2)?);
        }
        let trie = Fst::new(r.seq(1)?).ok()?;
        let n = r.len()?;
        // Every entry takes at least 16 bytes, so the table, twice as many
        // slots as there can be entries, is never more than half full.
        let size = n.min(r.0.len() / 16).saturating_mul(2).next_power_of_two();
        let mut exceptions = vec![0u32; size];
        for _ in 0..n {
            let at = u32::try_from(data.len() - r.0.len()).ok()?;
            let word = r.seq(1)?;
            r.seq(8)?;
            let mut slot = slot_of(word, size);
            while exceptions[slot] != 0 {
                slot = (slot + 1) & (size - 1);
            }
            exceptions[slot] = at;
        }
        let minima = (r.len()?, r.len()?);
        r.0.is_empty().then_some(Dictionary {
            trie,
            tallies,
            data,
            exceptions,
            minima,
        })
    }

    /// An exception entry's word and breaks (little-endian `u64`s).
    fn entry(&self, at: u32) -> (&'static [u8], &'static [u8]) {
        let mut r = Reader(&self.data[at as usize..]);
        let word = r.seq(1).unwrap_or_default();
        (word, r.seq(8).unwrap_or_default())
    }

    /// The breaks the exception list gives `word`, if it has it.
    fn exception(&self, word: &[u8]) -> Option<&'static [u8]> {
        let size = self.exceptions.len();
        let mut slot = slot_of(word, size);
        loop {
            let at = *self.exceptions.get(slot)?;
            if at == 0 {
                return None;
            }
            let (w, breaks) = self.entry(at);
            if w == word {
                return Some(breaks);
            }
            slot = (slot + 1) & (size - 1);
        }
    }

    /// Byte offsets inside a lower-case `word` where it may be hyphenated,
    /// in order: what `hyphenation::Hyphenator::hyphenate` gives for it.
    pub fn hyphenate(&self, word: &str) -> Vec<usize> {
        let (l_min, r_min) = self.minima;
        let count = word.chars().count();
        if count < l_min + r_min || count == 0 {
            return Vec::new();
        }
        // Breaks lie from the start of the character `l_min` to that of the
        // character `r_min` from the end.
        let lo = word.char_indices().nth(l_min).map_or(word.len(), |c| c.0);
        let hi = word
            .char_indices()
            .rev()
            .nth(r_min.saturating_sub(1))
            .map_or(0, |c| c.0);
        if let Some(known) = self.exception(word.as_bytes()) {
            return known
                .chunks_exact(8)
                .filter_map(|b| usize::try_from(u64::from_le_bytes(b.try_into().ok()?)).ok())
                .filter(|&i| i >= lo && i <= hi)
                .collect();
        }
        let len = word.len();
        let mut dotted = Vec::with_capacity(len + 2);
        dotted.push(b'.');
        dotted.extend_from_slice(word.as_bytes());
        dotted.push(b'.');
        // The score between bytes k - 1 and k is at k - 2; odd allows a break.
        let mut values = vec![0u8; len.saturating_sub(1)];
        for i in 0..dotted.len() - 1 {
            // Every pattern that is a prefix of `dotted[i..]`.
            let mut node = self.trie.root();
            let mut out = Output::zero();
            for &b in &dotted[i..] {
                let Some(t) = node.find_input(b) else {
                    break;
                };
                let t = node.transition(t);
                out = out.cat(t.out);
                node = self.trie.node(t.addr);
                if !node.is_final() {
                    continue;
                }
                let tally = usize::try_from(out.cat(node.final_output()).value()).ok();
                for locus in tally
                    .and_then(|t| self.tallies.get(t))
                    .map_or(&[][..], |t| t)
                    .chunks_exact(2)
                {
                    let k = i + locus[0] as usize;
                    if k > 1 && k <= len && locus[1] > values[k - 2] {
                        values[k - 2] = locus[1];
                    }
                }
            }
        }
        (1..len)
            .zip(values)
            .filter(|&(i, v)| v % 2 == 1 && i >= lo && i <= hi && word.is_char_boundary(i))
            .map(|(i, _)| i)
            .collect()
    }
}

/// Where `word` starts its search in an exception table of `size` slots.
fn slot_of(word: &[u8], size: usize) -> usize {
    rustc_hash::FxBuildHasher.hash_one(word) as usize & (size - 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use fst::Streamer;
    use hyphenation::{Hyphenator, Language, Load, Standard};

    /// The crate's language of each of [`DICTIONARIES`], in order.
    const LANGUAGES: [Language; 7] = [
        Language::EnglishUS,
        Language::EnglishGB,
        Language::German1996,
        Language::French,
        Language::Spanish,
        Language::Dutch,
        Language::Italian,
    ];

    /// Words that meet the patterns: each pattern's letters joined to
    /// another's (so patterns match across the join and at both ends),
    /// every exception word, and a few plain words.
    fn words(dict: &Dictionary) -> Vec<String> {
        let mut patterns = Vec::new();
        let mut keys = dict.trie.stream();
        while let Some((key, _)) = keys.next() {
            patterns.push(String::from_utf8_lossy(key).replace('.', ""));
        }
        let n = patterns.len();
        assert!(n > 100, "{n} patterns");
        let step = (n / 4000).max(1);
        let mut words: Vec<String> = (0..n)
            .step_by(step)
            .flat_map(|i| {
                let a = &patterns[i];
                let b = &patterns[(i * 7 + 3) % n];
                let c = &patterns[(i * 13 + 5) % n];
                [format!("{a}{b}"), format!("{b}{a}{c}"), format!("{c}{a}")]
            })
            .collect();
        words.extend(exception_words(dict));
        words.extend(
            [
                "conversation",
                "opportunity",
                "zusammenarbeit",
                "déjà",
                "ab",
                "",
            ]
            .map(String::from),
        );
        // As the caller gives them: lower-case letters only.
        words.retain(|w| w.chars().all(|c| c.is_alphabetic() && c.is_lowercase()));
        words
    }

    fn exception_words(dict: &Dictionary) -> Vec<String> {
        dict.exceptions
            .iter()
            .filter(|&&at| at != 0)
            .map(|&at| String::from_utf8_lossy(dict.entry(at).0).into_owned())
            .collect()
    }

    #[test]
    fn every_dictionary_hyphenates_as_the_crate_does() {
        for (language, data) in LANGUAGES.into_iter().zip(DICTIONARIES) {
            let ours = Dictionary::read(data).expect("reads");
            let theirs = Standard::from_reader(language, &mut &data[..]).expect("crate reads");
            assert_eq!(ours.minima, theirs.minima, "{language:?}");
            let words = words(&ours);
            let mut broken = 0;
            for w in &words {
                let want = theirs.hyphenate(w).breaks;
                assert_eq!(ours.hyphenate(w), want, "{language:?}: {w:?}");
                broken += usize::from(!want.is_empty());
            }
            // The words exercise the patterns: many of them break somewhere.
            assert!(
                broken * 3 > words.len(),
                "{language:?}: {broken} of {}",
                words.len()
            );
        }
    }

    #[test]
    fn exceptions_override_the_patterns() {
        let mut us = Dictionary::read(DICTIONARIES[0]).expect("reads");
        let words = exception_words(&us);
        assert_eq!(words.len(), 1439);
        let theirs =
            Standard::from_reader(Language::EnglishUS, &mut &DICTIONARIES[0][..]).expect("reads");
        for w in &words {
            assert!(theirs.exceptions.0.contains_key(w), "{w}");
        }
        let with: Vec<_> = words.iter().map(|w| us.hyphenate(w)).collect();
        us.exceptions.iter_mut().for_each(|at| *at = 0);
        let differ = words
            .iter()
            .zip(&with)
            .filter(|(w, b)| us.hyphenate(w) != **b)
            .count();
        // The list exists because the patterns get these words wrong.
        assert!(differ > 100, "{differ} of {} differ", words.len());
    }

    #[test]
    fn damaged_data_is_refused_not_a_panic() {
        let data = DICTIONARIES[5];
        for cut in [0, 3, 4, 12, data.len() / 2, data.len() - 1] {
            assert!(Dictionary::read(&data[..cut]).is_none(), "cut at {cut}");
        }
        let mut longer = data.to_vec();
        longer.push(0);
        assert!(Dictionary::read(Box::leak(longer.into_boxed_slice())).is_none());
    }
}
