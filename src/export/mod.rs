//! Exporters: each reads the Scene and nothing else.

pub mod pdf;
pub mod png;
pub mod report;

pub use pdf::write_pdf;
pub use report::write_report;
