//! What is wrong with a scenario: one [`Problem`] per bad value, gathered per file into a
//! [`ScenarioError`], and the errors of several files into [`ScenarioErrors`]. Each renders
//! as `file:line:col: key: message`, one line per problem.

/// One problem found in a scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Dotted key path, e.g. `policy[0].schedule[1].share`; empty for the whole file. For a
    /// problem found in a file, the path in the file the value was written in.
    pub key: String,
    /// 1-based line and column in the file, where known.
    pub at: Option<(usize, usize)>,
    /// The file the value was written in when it is not the one being loaded: a base named
    /// by `extends`. `None` for the file itself (and for a scenario built in code).
    pub file: Option<String>,
    pub message: String,
}

impl Problem {
    /// A problem at a key path, with no position yet.
    pub fn at_key(key: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            key: key.into(),
            at: None,
            file: None,
            message: message.into(),
        }
    }
}

/// Every problem found in one file (or one scenario built in code, named by its origin).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", render(.file, .problems))]
pub struct ScenarioError {
    pub file: String,
    pub problems: Vec<Problem>,
}

/// The errors of every file of a list that has problems, in the order the files were given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
pub struct ScenarioErrors(pub Vec<ScenarioError>);

fn render(file: &str, problems: &[Problem]) -> String {
    let lines: Vec<String> = problems
        .iter()
        .map(|p| {
            let file = p.file.as_deref().unwrap_or(file);
            let at = p.at.map_or(String::new(), |(l, c)| format!(":{l}:{c}"));
            if p.key.is_empty() {
                format!("{file}{at}: {}", p.message)
            } else {
                format!("{file}{at}: {}: {}", p.key, p.message)
            }
        })
        .collect();
    lines.join("\n")
}
