//! The regexes of a gateway, compiled once at start-up. They were compiled
//! at build time too, so this cannot fail unless the process is out of memory.

use crate::StartupError;

/// Compiles every regex of the file (routes, matchers, rewrites).
pub fn compile<const N: usize>(patterns: [&str; N]) -> Result<[regex::Regex; N], StartupError> {
    let compiled: Vec<regex::Regex> =
        patterns.iter().map(|pattern| regex::Regex::new(pattern).map_err(error)).collect::<Result<_, _>>()?;
    compiled.try_into().map_err(|_| StartupError::new("regex count changed"))
}

/// Compiles the regexes over request bodies.
pub fn compile_bytes<const N: usize>(patterns: [&str; N]) -> Result<[regex::bytes::Regex; N], StartupError> {
    let compiled: Vec<regex::bytes::Regex> =
        patterns.iter().map(|pattern| regex::bytes::Regex::new(pattern).map_err(error)).collect::<Result<_, _>>()?;
    compiled.try_into().map_err(|_| StartupError::new("regex count changed"))
}

fn error(error: regex::Error) -> StartupError {
    StartupError::new(format!("cannot compile a regex: {error}"))
}
