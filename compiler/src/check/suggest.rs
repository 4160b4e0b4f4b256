//! "Did you mean ...?": the closest known name by edit distance.

/// The names of the built-in types, offered as suggestions for unknown types.
pub(crate) const BUILTIN_TYPES: &[&str] = &[
    "int", "float", "bool", "str", "vec", "cell", "gradient", "reading",
];

/// The candidate closest to `name`, if it is close enough to be a plausible
/// typo: at most one edit for short names, a third of the length for longer
/// ones. Ties go to the first candidate.
pub(crate) fn closest<'c>(
    name: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    let limit = (name.chars().count() / 3).max(1);
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        if c == name {
            continue;
        }
        let d = distance(name, c);
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// Levenshtein distance over characters, case differences counting as half
/// an edit rounded down (so `data` → `DATA` is found).
fn distance(a: &str, b: &str) -> usize {
    if a.eq_ignore_ascii_case(b) {
        return 1;
    }
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_typos_but_not_strangers() {
        assert_eq!(closest("DATE", ["DATA", "TASK"]), Some("DATA"));
        assert_eq!(closest("data", ["DATA", "TASK"]), Some("DATA"));
        assert_eq!(
            closest("handed_ot", ["handed_out", "done"]),
            Some("handed_out")
        );
        assert_eq!(closest("xyz", ["DATA", "TASK"]), None);
        assert_eq!(closest("x", ["x"]), None);
    }
}
