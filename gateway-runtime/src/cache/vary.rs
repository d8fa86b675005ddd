//! `Vary` (RFC 9111 §4.1): a stored response is reused only for requests
//! whose fields named by its `Vary` match those of the request that filled
//! it. Pingora keeps one entry per variance hash; this computes the hash
//! (`cache_vary_filter`, called on lookup and on admission, so it must be
//! deterministic). `Vary: *` never matches, so such responses are not
//! stored ([`super::CacheStore::cacheable`]).

use http::header::VARY;
use pingora::cache::key::HashBinary;
use pingora::cache::{CacheMeta, VarianceBuilder};
use pingora::http::{RequestHeader, ResponseHeader};

/// The field names of a response's `Vary`, lower case, without empty items.
fn names(response: &ResponseHeader) -> impl Iterator<Item = String> + '_ {
    response
        .headers
        .get_all(VARY)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(|name| name.trim().to_ascii_lowercase())
        .filter(|name| !name.is_empty())
}

/// Whether a response's `Vary` holds `*`.
pub fn is_star(response: &ResponseHeader) -> bool {
    names(response).any(|name| name == "*")
}

/// The variance of `request` against a stored response (`meta`): a hash of
/// the values of the fields its `Vary` names (several field lines joined
/// with `,`, white space around items dropped; a field absent from the
/// request hashes apart from an empty one). `None` when the response has no
/// `Vary`.
pub fn variance(meta: &CacheMeta, request: &RequestHeader) -> Option<HashBinary> {
    let mut builder = VarianceBuilder::new();
    for name in names(meta.response_header()) {
        let values: Vec<&[u8]> = request.headers.get_all(name.as_str()).iter().map(|value| value.as_bytes()).collect();
        let mut value = Vec::new();
        if values.is_empty() {
            // Absent: a value no field line can hold.
            value.push(b'\n');
        }
        for (index, line) in values.iter().enumerate() {
            for (item_index, item) in line.split(|byte| *byte == b',').enumerate() {
                if index > 0 || item_index > 0 {
                    value.push(b',');
                }
                value.extend_from_slice(item.trim_ascii());
            }
        }
        builder.add_owned_name_value(name, value);
    }
    builder.finalize()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(vary: &[&str]) -> ResponseHeader {
        let mut response = ResponseHeader::build(200, None).expect("response");
        for value in vary {
            response.append_header("Vary", *value).expect("vary");
        }
        response
    }

    #[test]
    fn star_is_found_among_names() {
        assert!(is_star(&response(&["Accept-Encoding, *"])));
        assert!(!is_star(&response(&["Accept-Encoding", "Origin"])));
        assert!(!is_star(&response(&[])));
    }
}
