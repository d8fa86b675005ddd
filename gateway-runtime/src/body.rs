//! Request body inspection (`body { deny ... }`): the first `inspect` bytes
//! of the body are held back, searched, and forwarded only if nothing is
//! denied; an upstream never receives a byte of a denied body.

use bytes::Bytes;
use pingora::{Error, ErrorType};
use regex::bytes::Regex;

/// A route's body rules.
#[derive(Debug)]
pub struct BodyRules {
    /// Texts that deny a body containing them.
    pub literals: &'static [&'static [u8]],
    /// The status of a denied request.
    pub status: u16,
    /// How many bytes are held and inspected; what follows passes unread.
    pub inspect: usize,
}

/// The part of a body held back so far, in the request's context.
#[derive(Debug, Default)]
pub struct BodyState {
    held: Vec<u8>,
    inspected: bool,
}

impl BodyState {
    pub fn new() -> BodyState {
        BodyState::default()
    }
}

/// Inspects a chunk of request body (`request_body_filter`): holds it until
/// `inspect` bytes or the end have arrived, then denies the request (an
/// error with the rules' status) or releases what was held.
pub fn inspect(
    state: &mut BodyState,
    body: &mut Option<Bytes>,
    end_of_stream: bool,
    rules: &BodyRules,
    regexes: &[&Regex],
) -> pingora::Result<()> {
    if state.inspected {
        return Ok(());
    }
    if let Some(chunk) = body.take() {
        state.held.extend_from_slice(&chunk);
    }
    if !end_of_stream && state.held.len() < rules.inspect {
        // An empty chunk is not sent; `None` would end the upstream body.
        *body = Some(Bytes::new());
        return Ok(());
    }
    let window = &state.held[..state.held.len().min(rules.inspect)];
    let denied = rules.literals.iter().any(|literal| memchr::memmem::find(window, literal).is_some())
        || regexes.iter().any(|regex| regex.is_match(window));
    if denied {
        return Err(Error::explain(ErrorType::HTTPStatus(rules.status), "request body denied by `body { deny }`"));
    }
    state.inspected = true;
    let held = std::mem::take(&mut state.held);
    *body = if held.is_empty() && end_of_stream { None } else { Some(Bytes::from(held)) };
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    static RULES: BodyRules = BodyRules { literals: &[b"rogue"], status: 403, inspect: 8 };

    #[test]
    fn holds_until_inspected_then_releases() {
        let mut state = BodyState::new();
        let mut chunk = Some(Bytes::from_static(b"abc"));
        inspect(&mut state, &mut chunk, false, &RULES, &[]).expect("held");
        assert_eq!(chunk, Some(Bytes::new()));
        let mut chunk = Some(Bytes::from_static(b"defghij"));
        inspect(&mut state, &mut chunk, false, &RULES, &[]).expect("released");
        assert_eq!(chunk, Some(Bytes::from_static(b"abcdefghij")));
        let mut chunk = Some(Bytes::from_static(b"rogue"));
        inspect(&mut state, &mut chunk, true, &RULES, &[]).expect("past the window");
        assert_eq!(chunk, Some(Bytes::from_static(b"rogue")));
    }

    #[test]
    fn denies_across_chunks_and_by_regex() {
        let mut state = BodyState::new();
        inspect(&mut state, &mut Some(Bytes::from_static(b"ro")), false, &RULES, &[]).expect("held");
        let error = inspect(&mut state, &mut Some(Bytes::from_static(b"gue")), true, &RULES, &[]).expect_err("denied");
        assert_eq!(error.etype(), &ErrorType::HTTPStatus(403));
        let regex = Regex::new("(?i)drop +table").expect("regex");
        let wide = BodyRules { inspect: 64, ..RULES };
        let mut state = BodyState::new();
        let result = inspect(&mut state, &mut Some(Bytes::from_static(b"DROP  TABLE")), true, &wide, &[&regex]);
        assert!(result.is_err());
    }
}
