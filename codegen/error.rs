//! Errors of generation, located in the spec: what `build.rs` reports through
//! `cargo::error` and `cargo xtask codegen` prints, one line each.

use std::fmt;
use std::path::{Path, PathBuf};

use super::pointer::line_of_pointer;

/// Where in the spec a problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A position in the spec file.
    Line {
        /// The line, 1-based.
        line: usize,
        /// The column, 1-based.
        column: usize,
    },
    /// A JSON pointer into the spec document.
    Pointer(String),
    /// Nowhere more precise than the whole file.
    File,
}

/// Why the spec could not become Rust code.
#[derive(Debug, Clone)]
pub struct CodegenError {
    /// The spec file.
    pub file: PathBuf,
    /// Where in it.
    pub location: Location,
    /// What is wrong, as one sentence.
    pub message: String,
}

impl fmt::Display for CodegenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = self.file.display();
        match &self.location {
            Location::Line { line, column } => {
                write!(f, "{file}:{line}:{column}: {}", self.message)
            }
            Location::Pointer(pointer) => write!(f, "{file} at {pointer}: {}", self.message),
            Location::File => write!(f, "{file}: {}", self.message),
        }
    }
}

impl std::error::Error for CodegenError {}

/// Builds an error for a JSON pointer, with the line of the spec where the
/// pointer's last key stands when it can be found, or else the line of the
/// nearest key above it (a pointer into a flow-style list, `tags: [a]`, has
/// no line of its own).
pub fn error_at(path: &Path, text: &str, pointer: &str, message: String) -> CodegenError {
    let mut ancestors = std::iter::successors(Some(pointer), |p| {
        p.rsplit_once('/')
            .map(|(parent, _)| parent)
            .filter(|p| !p.is_empty())
    });
    let line = ancestors.find_map(|p| line_of_pointer(text, p));
    let location = match line {
        Some(line) => Location::Line { line, column: 1 },
        None => Location::Pointer(pointer.to_string()),
    };
    CodegenError {
        file: path.to_path_buf(),
        location,
        message: format!("{message} (at {pointer})"),
    }
}

/// An error of the whole file, located nowhere more precisely.
pub fn error_in_file(path: &Path, message: String) -> CodegenError {
    CodegenError {
        file: path.to_path_buf(),
        location: Location::File,
        message,
    }
}
