//! "Did you mean" suggestions: the valid name nearest to a misspelt one, and the message
//! for a name that is not known.

/// The rule for a scenario's `name`: a name as every name of the program is
/// ([`crate::text::name_problem`]: it names files and folders and is typed on command
/// lines), written only with a-z, 0-9 and '-' (it appears in every table).
pub fn is_valid_name(name: &str) -> bool {
    crate::text::name_problem(name).is_none()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// What [`is_valid_name`] asks, as the end of a message about `name`.
pub fn name_rule(name: &str) -> String {
    format!(
        "'{}' must be non-empty, use only a-z, 0-9 and '-', not begin with '-', and have at most {} characters",
        crate::text::escape_controls(name),
        crate::text::MAX_NAME_BYTES
    )
}

/// Edit distance, for "did you mean" suggestions.
pub fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            cur.push(
                (prev[j] + usize::from(ca != *cb))
                    .min(prev[j + 1] + 1)
                    .min(cur[j] + 1),
            );
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The valid name closest to `name`, if it is close enough to be a likely misspelling.
pub fn nearest<'v>(name: &str, valid: &[&'v str]) -> Option<&'v str> {
    valid
        .iter()
        .min_by_key(|v| levenshtein(name, v))
        .filter(|b| levenshtein(name, b) <= name.chars().count().max(3) / 2)
        .copied()
}

pub(super) fn unknown_name(what: &str, name: &str, valid: &[&str]) -> String {
    // Long lists (parameter keys) are pointed to rather than printed.
    let list = if valid.len() <= 20 {
        format!("valid: {}", valid.join(", "))
    } else {
        "`wfhsim data` lists them".to_string()
    };
    match nearest(name, valid) {
        Some(b) => format!("unknown {what} '{name}'; did you mean '{b}'? ({list})"),
        None => format!("unknown {what} '{name}' ({list})"),
    }
}
