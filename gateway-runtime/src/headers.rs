//! Header edits of `request { }` and `response { }` blocks.

use http::HeaderValue;
use pingora::http::{RequestHeader, ResponseHeader};

/// One edit; a route's edits are a static slice applied in order.
#[derive(Debug)]
pub enum Edit {
    /// Replace every value of the header with this one.
    Set(&'static str, HeaderValue),
    /// Add this value, keeping the others.
    Add(&'static str, HeaderValue),
    /// Remove the header.
    Remove(&'static str),
    /// Set the second header to the values of the first (if it has any).
    Copy(&'static str, &'static str),
}

/// Applies `edits` to the request about to be sent upstream
/// (`upstream_request_filter`).
pub fn edit_request(edits: &[Edit], request: &mut RequestHeader) -> pingora::Result<()> {
    apply(edits, request)
}

/// Applies `edits` to a response about to be sent downstream (`response_filter`,
/// or a response the gateway writes itself).
pub fn edit_response(edits: &[Edit], response: &mut ResponseHeader) -> pingora::Result<()> {
    apply(edits, response)
}

/// Pingora's request and response headers have the same editing methods but no
/// trait in common.
trait Headers {
    fn set(&mut self, name: &'static str, value: HeaderValue) -> pingora::Result<()>;
    fn add(&mut self, name: &'static str, value: HeaderValue) -> pingora::Result<()>;
    fn remove(&mut self, name: &'static str);
    fn values(&self, name: &'static str) -> Vec<HeaderValue>;
}

macro_rules! headers_impl {
    ($type:ty) => {
        impl Headers for $type {
            fn set(&mut self, name: &'static str, value: HeaderValue) -> pingora::Result<()> {
                self.insert_header(name, value)
            }
            fn add(&mut self, name: &'static str, value: HeaderValue) -> pingora::Result<()> {
                self.append_header(name, value).map(|_| ())
            }
            fn remove(&mut self, name: &'static str) {
                self.remove_header(name);
            }
            fn values(&self, name: &'static str) -> Vec<HeaderValue> {
                self.headers.get_all(name).iter().cloned().collect()
            }
        }
    };
}

headers_impl!(RequestHeader);
headers_impl!(ResponseHeader);

fn apply(edits: &[Edit], headers: &mut impl Headers) -> pingora::Result<()> {
    for edit in edits {
        match edit {
            Edit::Set(name, value) => headers.set(name, value.clone())?,
            Edit::Add(name, value) => headers.add(name, value.clone())?,
            Edit::Remove(name) => headers.remove(name),
            Edit::Copy(from, to) => {
                let values = headers.values(from);
                if let Some((first, rest)) = values.split_first() {
                    headers.set(to, first.clone())?;
                    for value in rest {
                        headers.add(to, value.clone())?;
                    }
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_add_remove_copy_in_order() {
        let mut response = ResponseHeader::build(200, None).expect("response");
        response.insert_header("Date", "Sun, 22 Nov 2026 07:00:00 GMT").expect("header");
        response.insert_header("X-Old", "1").expect("header");
        let edits = [
            Edit::Set("X-A", HeaderValue::from_static("1")),
            Edit::Add("X-A", HeaderValue::from_static("2")),
            Edit::Remove("X-Old"),
            Edit::Copy("Date", "X-Legacy-Date"),
            Edit::Copy("X-Missing", "X-Nothing"),
        ];
        edit_response(&edits, &mut response).expect("edits");
        let values: Vec<_> = response.headers.get_all("x-a").iter().collect();
        assert_eq!(values, ["1", "2"]);
        assert!(response.headers.get("x-old").is_none());
        assert_eq!(response.headers.get("x-legacy-date"), response.headers.get("date"));
        assert!(response.headers.get("x-nothing").is_none());
    }
}
