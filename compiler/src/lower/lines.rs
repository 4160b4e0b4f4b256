//! Byte offsets → 1-based line and column, for runtime error locations.

use myco_vm::bytecode::SourceLoc;

/// Line starts of one source file.
#[derive(Debug, Clone)]
pub struct LineIndex {
    file: u32,
    starts: Vec<usize>,
    text: String,
}

impl LineIndex {
    /// Indexes `text`, which is file number `file`.
    pub fn new(file: u32, text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex {
            file,
            starts,
            text: text.to_string(),
        }
    }

    /// The location of byte `offset` (clamped into the text).
    pub fn loc(&self, offset: usize) -> SourceLoc {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts.get(line - 1).copied().unwrap_or(0);
        let col = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count())
            + 1;
        SourceLoc {
            file: self.file,
            line: line as u32,
            col: col as u32,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_map_to_lines_and_columns() {
        let idx = LineIndex::new(2, "ab\ncd\n\nxé z");
        assert_eq!(
            idx.loc(0),
            SourceLoc {
                file: 2,
                line: 1,
                col: 1
            }
        );
        assert_eq!(
            idx.loc(1),
            SourceLoc {
                file: 2,
                line: 1,
                col: 2
            }
        );
        assert_eq!(
            idx.loc(3),
            SourceLoc {
                file: 2,
                line: 2,
                col: 1
            }
        );
        assert_eq!(
            idx.loc(6),
            SourceLoc {
                file: 2,
                line: 3,
                col: 1
            }
        );
        // "xé z": 'é' is two bytes; 'z' is the 4th character.
        assert_eq!(
            idx.loc(11),
            SourceLoc {
                file: 2,
                line: 4,
                col: 4
            }
        );
    }
}
