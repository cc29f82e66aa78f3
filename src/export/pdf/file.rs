//! The file around the objects: the header, the objects as they are
//! written (given to a sink as the document grows, when there is one, so a
//! batch of thousands of cards is never held whole), the cross-reference
//! table or stream and the trailer.
//!
//! Objects are written with `pdf-writer`'s [`Chunk`]; this module knows
//! where each one starts, because every object is begun through
//! [`Out::at`].

use pdf_writer::{Chunk, Finish, Name, Ref, Settings, Str};
use std::io::Write;

/// Bytes at most held before they go to the sink.
const FLUSH_AT: usize = 1 << 20;

/// A PDF file being written.
pub struct Out<'s> {
    /// Bytes not yet given to the sink (all of them, without a sink).
    buf: Vec<u8>,
    /// Objects being written, moved to `buf` by [`Out::seal`].
    chunk: Chunk,
    /// Bytes given to the sink so far.
    flushed: usize,
    /// Where each object starts, from the start of the file.
    offsets: Vec<(Ref, usize)>,
    sink: Option<&'s mut dyn Write>,
    /// The digest of the bytes given to the sink.
    digest: Digest,
    /// The sink's first error; nothing more is written after it (the
    /// sink's owner reports it).
    failed: bool,
}

/// A file's digest, for its id: FNV-1a (64 bits) over its bytes taken as
/// little-endian 8-byte words, the last few bytes one by one; the same
/// however the bytes come. (A multiply per word, not per byte: the digest
/// is made on one thread, after the pages.)
#[derive(Clone, Copy)]
struct Digest {
    h: u64,
    /// Bytes short of a word, waiting for the rest.
    tail: [u8; 8],
    n: usize,
}

const FNV_PRIME: u64 = 0x100000001b3;

impl Digest {
    fn new() -> Digest {
        Digest {
            h: 0xcbf29ce484222325,
            tail: [0; 8],
            n: 0,
        }
    }

    fn feed(&mut self, mut data: &[u8]) {
        let step = |h: u64, w: u64| (h ^ w).wrapping_mul(FNV_PRIME);
        if self.n > 0 {
            let take = (8 - self.n).min(data.len());
            self.tail[self.n..self.n + take].copy_from_slice(&data[..take]);
            self.n += take;
            data = &data[take..];
            if self.n < 8 {
                return;
            }
            self.h = step(self.h, u64::from_le_bytes(self.tail));
            self.n = 0;
        }
        let mut words = data.chunks_exact(8);
        for w in &mut words {
            let mut word = [0; 8];
            word.copy_from_slice(w);
            self.h = step(self.h, u64::from_le_bytes(word));
        }
        let rest = words.remainder();
        self.tail[..rest.len()].copy_from_slice(rest);
        self.n = rest.len();
    }

    fn value(&self) -> u64 {
        self.tail[..self.n]
            .iter()
            .fold(self.h, |h, &b| (h ^ b as u64).wrapping_mul(FNV_PRIME))
    }
}

fn chunk() -> Chunk {
    Chunk::with_settings(Settings { pretty: false })
}

impl<'s> Out<'s> {
    /// A file of PDF version 1.7 (see [`Out::set_version`]), held whole,
    /// or given to `sink` as it grows.
    pub fn new(sink: Option<&'s mut dyn Write>) -> Out<'s> {
        Out {
            buf: b"%PDF-1.7\n%\x80\x80\x80\x80\n\n".to_vec(),
            chunk: chunk(),
            flushed: 0,
            offsets: Vec::new(),
            sink,
            digest: Digest::new(),
            failed: false,
        }
    }

    /// Sets the version in the header, before anything is given to the sink.
    pub fn set_version(&mut self, major: u8, minor: u8) {
        if self.flushed == 0 && major < 10 && minor < 10 {
            self.buf[5] = b'0' + major;
            self.buf[7] = b'0' + minor;
        }
    }

    /// The chunk to write object `id` into, noting where it starts. Every
    /// object of the file is begun here.
    pub fn at(&mut self, id: Ref) -> &mut Chunk {
        self.offsets
            .push((id, self.flushed + self.buf.len() + self.chunk.len()));
        &mut self.chunk
    }

    /// Begins object `id` as a dictionary of writer type `W` (resources,
    /// catalog, document information), noting where it starts.
    pub fn start<'c, W: pdf_writer::Writer<'c>>(&'c mut self, id: Ref) -> W {
        self.at(id).indirect(id).start::<W>()
    }

    /// Moves the objects written so far into the file, and gives the file
    /// so far to the sink once enough has gathered.
    pub fn seal(&mut self) {
        if self.chunk.len() > 0 {
            self.buf.extend_from_slice(self.chunk.as_bytes());
            self.chunk = chunk();
        }
        if self.buf.len() >= FLUSH_AT {
            self.flush();
        }
    }

    fn flush(&mut self) {
        let Some(sink) = &mut self.sink else {
            return;
        };
        if !self.failed && sink.write_all(&self.buf).is_err() {
            self.failed = true;
        }
        self.digest.feed(&self.buf);
        self.flushed += self.buf.len();
        self.buf.clear();
    }

    /// The digest of the file so far (see [`Digest`]).
    pub fn digest(&mut self) -> u64 {
        self.seal();
        let mut d = self.digest;
        d.feed(&self.buf);
        d.value()
    }

    /// Writes the cross-reference information and the trailer (naming the
    /// catalog, the document information and the file id): a classic
    /// table, or with `xref_stream` a cross-reference stream of that id.
    /// Returns the file (empty when it went to the sink).
    pub fn finish(
        mut self,
        catalog: Ref,
        info: Ref,
        id: &[u8],
        xref_stream: Option<Ref>,
    ) -> Vec<u8> {
        self.seal();
        let start = self.flushed + self.buf.len();
        let mut offsets = std::mem::take(&mut self.offsets);
        if let Some(x) = xref_stream {
            offsets.push((x, start));
        }
        offsets.sort_unstable();
        let size = offsets.last().map_or(1, |(r, _)| r.get() + 1);
        // Entry 0 heads the list of free numbers (ids allocated, never
        // written), each pointing to the next; the last to 0.
        let mut entries: Vec<Option<usize>> = vec![None; size as usize];
        for &(r, at) in &offsets {
            assert!(
                entries[r.get() as usize].is_none(),
                "object {} written twice",
                r.get()
            );
            entries[r.get() as usize] = Some(at);
        }
        let free: Vec<usize> = (1..size as usize)
            .filter(|&i| entries[i].is_none())
            .collect();
        let next_free = |i: usize| free.iter().copied().find(|&f| f > i).unwrap_or(0);
        match xref_stream {
            None => {
                let b = &mut self.buf;
                b.extend_from_slice(format!("xref\n0 {size}\n").as_bytes());
                for (i, e) in entries.iter().enumerate() {
                    let line = match e {
                        Some(at) => format!("{at:010} 00000 n\r\n"),
                        None if i == 0 => format!("{:010} 65535 f\r\n", next_free(0)),
                        None => format!("{:010} 00000 f\r\n", next_free(i)),
                    };
                    b.extend_from_slice(line.as_bytes());
                }
                b.extend_from_slice(format!("trailer\n<</Size {size}/Root ").as_bytes());
                b.extend_from_slice(
                    format!("{} 0 R/Info {} 0 R/ID[<", catalog.get(), info.get()).as_bytes(),
                );
                let hex: String = id.iter().map(|b| format!("{b:02X}")).collect();
                b.extend_from_slice(format!("{hex}><{hex}>]>>\n").as_bytes());
            }
            Some(x) => {
                let width = (usize::BITS - start.leading_zeros()).div_ceil(8).max(1) as usize;
                let mut data = Vec::with_capacity(entries.len() * (3 + width));
                for (i, e) in entries.iter().enumerate() {
                    let (kind, value, generation): (u8, usize, u16) = match e {
                        Some(at) => (1, *at, 0),
                        None if i == 0 => (0, next_free(0), 65535),
                        None => (0, next_free(i), 0),
                    };
                    data.push(kind);
                    data.extend_from_slice(&(value as u64).to_be_bytes()[8 - width..]);
                    data.extend_from_slice(&generation.to_be_bytes());
                }
                let mut c = chunk();
                let mut s = c.stream(x, &data);
                s.pair(Name(b"Type"), Name(b"XRef"));
                s.pair(Name(b"Size"), size);
                s.pair(Name(b"Root"), catalog);
                s.pair(Name(b"Info"), info);
                s.insert(Name(b"ID")).array().items([Str(id), Str(id)]);
                s.insert(Name(b"W")).array().items([1, width as i32, 2]);
                s.finish();
                self.buf.extend_from_slice(c.as_bytes());
            }
        }
        self.buf
            .extend_from_slice(format!("startxref\n{start}\n%%EOF").as_bytes());
        self.flush();
        if self.sink.is_some() {
            Vec::new()
        } else {
            self.buf
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_digest_does_not_depend_on_how_the_bytes_come() {
        let data: Vec<u8> = (0..1000u32).map(|i| (i * 7 % 251) as u8).collect();
        let mut whole = Digest::new();
        whole.feed(&data);
        for cut in [1, 3, 7, 8, 9, 13, 64, 999] {
            let mut parts = Digest::new();
            for piece in data.chunks(cut) {
                parts.feed(piece);
            }
            assert_eq!(parts.value(), whole.value(), "pieces of {cut}");
        }
        // Every byte counts, the last ones too.
        let mut other = Digest::new();
        other.feed(&data[..999]);
        other.feed(&[data[999] ^ 1]);
        assert_ne!(other.value(), whole.value());
    }

    #[test]
    fn offsets_point_at_their_objects_with_or_without_a_sink() {
        for xref in [None, Some(Ref::new(5))] {
            let mut sunk = Vec::new();
            for sink in [false, true] {
                let mut out = Out::new(sink.then_some(&mut sunk as &mut dyn Write));
                out.set_version(1, 4);
                out.at(Ref::new(1)).indirect(Ref::new(1)).primitive(1);
                out.seal();
                // Object 2 is allocated and never written: a free entry.
                out.at(Ref::new(3)).indirect(Ref::new(3)).primitive(3);
                out.at(Ref::new(4)).indirect(Ref::new(4)).primitive(4);
                let held = out.finish(Ref::new(1), Ref::new(3), b"id", xref);
                let file = if sink { sunk.clone() } else { held };
                assert!(file.starts_with(b"%PDF-1.4\n"));
                // Byte offsets: the header's binary marker is not UTF-8.
                let at = |from: usize, what: &[u8]| file[from..].starts_with(what);
                let tail = file.windows(10).rposition(|w| w == b"startxref\n").unwrap() + 10;
                let end = tail + file[tail..].iter().position(|&b| b == b'\n').unwrap();
                let start: usize = std::str::from_utf8(&file[tail..end])
                    .unwrap()
                    .parse()
                    .unwrap();
                match xref {
                    None => {
                        assert!(at(start, b"xref\n0 5\n0000000002 65535 f\r\n"));
                        for n in [1, 3, 4] {
                            let line = &file[start + 9 + 20 * n..start + 9 + 20 * (n + 1)];
                            let offset: usize =
                                std::str::from_utf8(&line[..10]).unwrap().parse().unwrap();
                            assert!(at(offset, format!("{n} 0 obj").as_bytes()), "{n}");
                        }
                        assert!(at(start + 9 + 40, b"0000000000 00000 f\r\n"));
                    }
                    Some(_) => assert!(at(start, b"5 0 obj")),
                }
                sunk.clear();
            }
        }
    }
}
