//! How a printer takes card stock, and the loading guide: the words that
//! tell the user how to put the stack in for a job.
//!
//! A profile records three feed settings (see
//! [`Profile::feed`](crate::printer::profile::Profile::feed)): which way the
//! side to print faces in the tray, which edge of the page (as it is read)
//! goes into the printer first, and where the guides hold stock narrower
//! than the tray (centred, or against the left or right edge). The last is
//! the printer's feed geometry: where the card lands on a larger sheet.

use crate::batch::impose::Duplex;
use crate::diag::Diagnostic;

/// Which way the side to be printed faces as the stack sits in the tray.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Face {
    /// The side to print on faces up.
    Up,
    /// The side to print on faces down.
    Down,
}

/// An edge of the page as it is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edge {
    /// The top edge.
    Top,
    /// The bottom edge.
    Bottom,
    /// The left edge.
    Left,
    /// The right edge.
    Right,
}

/// Where the tray's guides hold stock narrower than the tray.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Centred between the guides (most laser printers' bypass trays).
    Center,
    /// Against the tray's left edge (as seen facing the printer).
    Left,
    /// Against the tray's right edge.
    Right,
}

/// A printer's feed settings; each `None` when not yet known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Feed {
    /// Which way the side to print faces in the tray.
    pub face: Option<Face>,
    /// Which edge of the page goes into the printer first.
    pub leading_edge: Option<Edge>,
    /// Where stock narrower than the tray sits.
    pub align: Option<Align>,
}

impl Face {
    /// Parses `up` or `down`.
    pub fn parse(s: &str) -> Option<Face> {
        match s.trim().to_ascii_lowercase().as_str() {
            "up" => Some(Face::Up),
            "down" => Some(Face::Down),
            _ => None,
        }
    }
    /// The keyword: `up` or `down`.
    pub fn name(self) -> &'static str {
        match self {
            Face::Up => "up",
            Face::Down => "down",
        }
    }
    fn other(self) -> Face {
        match self {
            Face::Up => Face::Down,
            Face::Down => Face::Up,
        }
    }
}

impl Edge {
    /// Parses `top`, `bottom`, `left` or `right`.
    pub fn parse(s: &str) -> Option<Edge> {
        match s.trim().to_ascii_lowercase().as_str() {
            "top" => Some(Edge::Top),
            "bottom" => Some(Edge::Bottom),
            "left" => Some(Edge::Left),
            "right" => Some(Edge::Right),
            _ => None,
        }
    }
    /// The keyword.
    pub fn name(self) -> &'static str {
        match self {
            Edge::Top => "top",
            Edge::Bottom => "bottom",
            Edge::Left => "left",
            Edge::Right => "right",
        }
    }
}

impl Align {
    /// Parses `center` (or `centre`), `left` or `right`.
    pub fn parse(s: &str) -> Option<Align> {
        match s.trim().to_ascii_lowercase().as_str() {
            "center" | "centre" => Some(Align::Center),
            "left" => Some(Align::Left),
            "right" => Some(Align::Right),
            _ => None,
        }
    }
    /// The keyword.
    pub fn name(self) -> &'static str {
        match self {
            Align::Center => "center",
            Align::Left => "left",
            Align::Right => "right",
        }
    }
}

/// A refused feed setting, naming the option and the words it takes.
pub fn bad_setting(option: &'static str, value: &str, words: &str) -> Diagnostic {
    Diagnostic::for_option(option, format!("\"{value}\" is not one of {words}"))
}

impl Feed {
    /// Whether nothing is known.
    pub fn is_empty(&self) -> bool {
        self.face.is_none() && self.leading_edge.is_none() && self.align.is_none()
    }
}

/// The loading guide for a job: how to put the stack of card stock in, in
/// words, one sentence per line. `size` is the first page `[w, h]` as it
/// prints, `tray` the tray the job goes to, `duplex` how a two-sided job is
/// turned. Settings the profile does not know are said to be unknown, with
/// how to find them out.
pub fn loading_guide(
    feed: &Feed,
    tray: Option<&str>,
    size: [f32; 2],
    duplex: Option<Duplex>,
) -> Vec<String> {
    let mut out = Vec::new();
    let tray = match tray {
        Some(t) => format!("tray {t}"),
        None => "the printer's default tray".to_string(),
    };
    let orientation = if size[0] > size[1] {
        "landscape"
    } else {
        "portrait"
    };
    let first = match duplex {
        Some(_) => "the outside (page 1)",
        None => "the side to print",
    };
    let face = match feed.face {
        Some(f) => format!("{first} facing {}", f.name()),
        None => format!("{first} facing as your printer needs (the profile does not say)"),
    };
    let edge = match feed.leading_edge {
        Some(e) => {
            let kind = match (e, orientation) {
                (Edge::Top | Edge::Bottom, "landscape")
                | (Edge::Left | Edge::Right, "portrait") => "a long edge",
                _ => "a short edge",
            };
            format!(
                "the {} edge of the card as you read it ({kind}) going in first",
                e.name()
            )
        }
        None => "whichever edge first (the profile does not say which edge leads)".to_string(),
    };
    out.push(format!(
        "load the {orientation} card stock in {tray}, {face}, {edge}"
    ));
    match feed.align {
        Some(Align::Center) => out.push("centre the stack between the tray's guides".into()),
        Some(Align::Left) => out.push("push the stack against the tray's left edge".into()),
        Some(Align::Right) => out.push("push the stack against the tray's right edge".into()),
        None => {}
    }
    if let Some(d) = duplex {
        let turn = match d {
            Duplex::Long => "long",
            Duplex::Short => "short",
        };
        let back = match feed.face {
            Some(f) => format!("facing {}", f.other().name()),
            None => "on the other side".into(),
        };
        out.push(format!(
            "the printer prints the inside (page 2) on the back, {back} in the tray, \
             turning the card over its {turn} edge: load each card once"
        ));
    }
    if feed.is_empty() {
        out.push(
            "the profile does not say how this printer takes card stock: print a calibration \
             sheet and answer its questions (stationer calibrate)"
                .into(),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_round_trip() {
        for f in [Face::Up, Face::Down] {
            assert_eq!(Face::parse(f.name()), Some(f));
        }
        for e in [Edge::Top, Edge::Bottom, Edge::Left, Edge::Right] {
            assert_eq!(Edge::parse(e.name()), Some(e));
        }
        for a in [Align::Center, Align::Left, Align::Right] {
            assert_eq!(Align::parse(a.name()), Some(a));
        }
        assert_eq!(Align::parse("Centre"), Some(Align::Center));
        assert_eq!(Face::parse("sideways"), None);
    }
}
