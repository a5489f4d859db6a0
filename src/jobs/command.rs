//! Commands printed for the user to paste (run.json's reproduce command, a sweep's merge
//! hint and the commands that run its missing shards): each word quoted once, here, the
//! way a POSIX shell reads it back, so a path with a space, `$(...)` or `;` stays one word
//! and never runs anything.

/// A word as a POSIX shell reads it back: quoted when it holds anything but letters,
/// digits and `_ . / = - +`.
pub fn shell_word(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_./=-+".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// A command line of `words`, each quoted with [`shell_word`].
pub fn shell_line<S: AsRef<str>>(words: &[S]) -> String {
    let quoted: Vec<String> = words.iter().map(|w| shell_word(w.as_ref())).collect();
    quoted.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_that_a_shell_would_split_or_expand_are_quoted() {
        assert_eq!(
            shell_word("scenarios/dki-2023.toml"),
            "scenarios/dki-2023.toml"
        );
        assert_eq!(shell_word("a b"), "'a b'");
        assert_eq!(shell_word(""), "''");
        assert_eq!(
            shell_word("/t/q/$(touch x)/d;id.toml"),
            "'/t/q/$(touch x)/d;id.toml'"
        );
        assert_eq!(shell_word("it's"), "'it'\\''s'");
        assert_eq!(
            shell_line(&["wfhsim", "sweep", "a b"]),
            "wfhsim sweep 'a b'"
        );
    }
}
