//! One-byte glyph codes, and the two CMaps that say what they mean.
//!
//! Content streams show glyphs by code. `Identity-H` spends two bytes on
//! every glyph; a card's text uses a few dozen glyphs of each face, so each
//! PDF font holds at most [`CODES`] glyphs and shows each with one byte:
//! every byte below `C0` that a literal string need not escape. A face
//! with more glyphs in use is embedded as several fonts (the PDF writer's
//! parts). An embedded encoding CMap maps each code to its CID, and the
//! ToUnicode CMap, with the same code space, maps it to text. CIDs stay
//! inside the code space, as readers that key the ToUnicode map by CID
//! (MuPDF) expect. On the 1,000 cards of the benchmark this takes a sixth
//! off the compressed content.

/// The one-byte codes: `<00>`–`<BF>` but for the bytes a literal string
/// would have to escape (line ends, parentheses and the backslash).
const ONE_BYTE: [u8; CODES] = one_byte_codes();

/// How many glyphs (.notdef included) one PDF font holds.
pub const CODES: usize = 187;

const fn one_byte_codes() -> [u8; CODES] {
    let mut codes = [0u8; CODES];
    let (mut b, mut i) = (0u8, 0);
    while b < 0xC0 {
        if !matches!(b, b'\n' | b'\r' | b'(' | b')' | b'\\') {
            codes[i] = b;
            i += 1;
        }
        b += 1;
    }
    codes
}

const CODESPACE: &str = "1 begincodespacerange\n<00> <BF>\nendcodespacerange\n";

/// The name of the encoding CMap (`/CMapName`).
pub const ENCODING_NAME: &[u8] = b"Stationer-Codes";

/// The code of `cid` (below [`CODES`]; a larger one shows as .notdef).
pub fn code(cid: u16) -> u8 {
    ONE_BYTE.get(usize::from(cid)).copied().unwrap_or(0)
}

fn header(out: &mut String, name: &str, ordering: &str) {
    out.push_str("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n");
    out.push_str(&format!(
        "/CIDSystemInfo 3 dict dup begin\n/Registry (Adobe) def\n/Ordering ({ordering}) def\n/Supplement 0 def\nend def\n"
    ));
    out.push_str(&format!(
        "/CMapName /{name} def\n/CMapVersion 1 def\n/CMapType {} def\n/WMode 0 def\n",
        if ordering == "UCS" { 2 } else { 1 }
    ));
    out.push_str(CODESPACE);
}

const FOOTER: &str = "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";

/// Writes `entries` in blocks of at most 100, as CMaps require.
fn blocks(out: &mut String, keyword: &str, entries: &[String]) {
    for block in entries.chunks(100) {
        out.push_str(&format!("{} begin{keyword}\n", block.len()));
        for e in block {
            out.push_str(e);
            out.push('\n');
        }
        out.push_str(&format!("end{keyword}\n"));
    }
}

/// The encoding CMap for a subset of `n` CIDs: each code to its CID, one
/// range per run of consecutive codes.
pub fn encoding(n: u16) -> Vec<u8> {
    let n = usize::from(n).min(CODES);
    let mut out = String::new();
    header(&mut out, "Stationer-Codes", "Identity");
    let mut ranges = Vec::new();
    let mut start = 0;
    while start < n {
        let mut end = start;
        while end + 1 < n && ONE_BYTE[end + 1] == ONE_BYTE[end] + 1 {
            end += 1;
        }
        ranges.push(format!(
            "<{:02X}> <{:02X}> {start}",
            ONE_BYTE[start], ONE_BYTE[end]
        ));
        start = end + 1;
    }
    blocks(&mut out, "cidrange", &ranges);
    out.push_str(FOOTER);
    out.into_bytes()
}

/// The ToUnicode CMap: each code to the text its glyph stands for.
pub fn to_unicode<'t>(pairs: impl Iterator<Item = (u16, &'t str)>) -> Vec<u8> {
    let mut out = String::new();
    header(&mut out, "Stationer-UTF16", "UCS");
    let entries: Vec<String> = pairs
        .filter(|(cid, text)| !text.is_empty() && usize::from(*cid) < CODES)
        .map(|(cid, text)| {
            let mut e = format!("<{:02X}> <", code(cid));
            for unit in text.encode_utf16() {
                e.push_str(&format!("{unit:04X}"));
            }
            e.push('>');
            e
        })
        .collect();
    blocks(&mut out, "bfchar", &entries);
    out.push_str(FOOTER);
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_bytes_a_literal_string_need_not_escape() {
        assert_eq!(code(0), 0);
        assert_eq!(code(10), 0x0B, "LF is skipped");
        assert_eq!(code(186), 0xBF);
        let all: std::collections::HashSet<u8> = (0..CODES as u16).map(code).collect();
        assert_eq!(all.len(), CODES);
        assert!(all.iter().all(|b| *b < 0xC0 && !b"\n\r()\\".contains(b)));
    }

    #[test]
    fn the_encoding_maps_each_code_to_its_cid() {
        let text = String::from_utf8(encoding(187)).unwrap();
        for range in [
            "<00> <09> 0\n",
            "<0B> <0C> 10\n",
            "<0E> <27> 12\n",
            "<2A> <5B> 38\n",
            "<5D> <BF> 88\n",
        ] {
            assert!(text.contains(range), "{range} in {text}");
        }
        let text = String::from_utf8(encoding(20)).unwrap();
        assert!(text.contains("<0E> <15> 12\n"), "{text}");
        assert!(!text.contains("<16>"), "{text}");
    }

    #[test]
    fn to_unicode_uses_the_same_codes() {
        let text =
            String::from_utf8(to_unicode([(10, "l"), (100, "\u{1F600}")].into_iter())).unwrap();
        assert!(text.contains("<0B> <006C>"), "{text}");
        assert!(text.contains("<69> <D83DDE00>"), "{text}");
    }
}
