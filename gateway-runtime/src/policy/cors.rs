//! `cors { origins ...; methods ...; headers ...; expose ...; credentials;
//! max_age D }` (the CORS protocol of the WHATWG Fetch standard).
//!
//! Preflights (`OPTIONS` with `Origin` and `Access-Control-Request-Method`)
//! are answered by the gateway before the limits and `auth`, since browsers
//! send them without credentials: 204 with the `Access-Control-Allow-*`
//! fields when the origin, method and headers are allowed, 403 without them
//! otherwise. Other requests go on; their responses (proxied, or written by
//! the gateway, refusals included) get `Access-Control-Allow-Origin` and
//! the others when the origin is allowed. The upstream's own
//! `Access-Control-*` fields are replaced: the gateway's policy is the one
//! browsers see. When the answer depends on the request's `Origin`, the
//! response says `Vary: Origin`, so that caches keep one per origin.

use pingora::http::{RequestHeader, ResponseHeader};
use pingora::proxy::Session;

use super::Refusal;

/// Which origins may read responses.
#[derive(Debug, Clone, Copy)]
pub enum Origins {
    /// `*`: any origin (never with credentials).
    Any,
    /// Serialized origins (`https://app.example.com`), compared exactly.
    List(&'static [&'static str]),
}

/// A route's CORS policy, as the `.gw` file says it.
#[derive(Debug, Clone, Copy)]
pub struct Cors {
    pub origins: Origins,
    /// Allowed methods, upper case.
    pub methods: &'static [&'static str],
    /// Allowed request headers, lower case; `["*"]` for any (without credentials).
    pub headers: &'static [&'static str],
    /// `methods`, `headers` and the response headers scripts may read, as
    /// the fields say them (joined with `, ` at build time).
    pub allow_methods: &'static str,
    pub allow_headers: &'static str,
    pub expose_headers: &'static str,
    pub credentials: bool,
    /// `Access-Control-Max-Age`, seconds.
    pub max_age: Option<u64>,
}

/// The methods a preflight never needs to be allowed (CORS-safelisted).
const SAFELISTED: [&str; 3] = ["GET", "HEAD", "POST"];

/// The fields whose values the gateway sets on responses.
const OWN: [&str; 4] = [
    "access-control-allow-origin",
    "access-control-allow-credentials",
    "access-control-expose-headers",
    "access-control-max-age",
];

impl Cors {
    /// Whether the request's answer depends on its `Origin`.
    fn varies(&self) -> bool {
        !matches!(self.origins, Origins::Any) || self.credentials
    }

    /// The value of `Access-Control-Allow-Origin` for a request from
    /// `origin`, if it is allowed.
    fn allow_origin(&self, origin: &[u8]) -> Option<String> {
        let origin = std::str::from_utf8(origin).ok()?;
        match self.origins {
            Origins::Any if self.credentials => Some(origin.to_string()),
            Origins::Any => Some("*".to_string()),
            Origins::List(list) => list.contains(&origin).then(|| origin.to_string()),
        }
    }

    /// Answers a preflight: `None` if the request is not one (it goes on),
    /// `Some(Ok(headers))` for a 204 with `headers`, `Some(Err(_))` for a
    /// refused one.
    pub fn preflight(&self, session: &Session) -> Option<Result<Vec<(&'static str, String)>, Refusal>> {
        let request = session.req_header();
        if request.method != http::Method::OPTIONS {
            return None;
        }
        let origin = request.headers.get(http::header::ORIGIN)?;
        let method = request.headers.get(http::header::ACCESS_CONTROL_REQUEST_METHOD)?;
        let Some(allow_origin) = self.allow_origin(origin.as_bytes()) else {
            return Some(Err(Refusal::status(403)));
        };
        let method = method.to_str().unwrap_or("");
        if !SAFELISTED.contains(&method) && !self.methods.contains(&method) {
            return Some(Err(Refusal::status(403)));
        }
        let requested = request
            .headers
            .get_all(http::header::ACCESS_CONTROL_REQUEST_HEADERS)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .map(str::trim)
            .filter(|name| !name.is_empty());
        let any = self.headers == ["*"];
        for name in requested {
            let name = name.to_ascii_lowercase();
            // `*` never covers `Authorization` (Fetch: a non-wildcard name).
            let allowed = self.headers.contains(&name.as_str()) || (any && name != "authorization");
            if !allowed {
                return Some(Err(Refusal::status(403)));
            }
        }
        let mut headers = vec![("Access-Control-Allow-Origin", allow_origin)];
        if self.credentials {
            headers.push(("Access-Control-Allow-Credentials", "true".to_string()));
        }
        headers.push(("Access-Control-Allow-Methods", self.allow_methods.to_string()));
        if !self.allow_headers.is_empty() {
            headers.push(("Access-Control-Allow-Headers", self.allow_headers.to_string()));
        }
        if let Some(max_age) = self.max_age {
            headers.push(("Access-Control-Max-Age", max_age.to_string()));
        }
        if self.varies() {
            headers.push(("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers".to_string()));
        }
        Some(Ok(headers))
    }

    /// The fields of a response to `request`.
    pub fn response_headers(&self, request: &RequestHeader) -> Vec<(&'static str, String)> {
        let mut headers = Vec::new();
        let allowed = request.headers.get(http::header::ORIGIN).and_then(|origin| self.allow_origin(origin.as_bytes()));
        if let Some(allow_origin) = allowed {
            headers.push(("Access-Control-Allow-Origin", allow_origin));
            if self.credentials {
                headers.push(("Access-Control-Allow-Credentials", "true".to_string()));
            }
            if !self.expose_headers.is_empty() {
                headers.push(("Access-Control-Expose-Headers", self.expose_headers.to_string()));
            }
        }
        if self.varies() {
            headers.push(("Vary", "Origin".to_string()));
        }
        headers
    }

    /// Sets the fields on a proxied response, replacing the upstream's.
    pub fn apply(&self, request: &RequestHeader, response: &mut ResponseHeader) -> pingora::Result<()> {
        for name in OWN {
            response.remove_header(name);
        }
        for (name, value) in self.response_headers(request) {
            if name == "Vary" {
                response.append_header(name, value)?;
            } else {
                response.insert_header(name, value)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CORS: Cors = Cors {
        origins: Origins::List(&["https://app.example"]),
        methods: &["GET", "PUT"],
        headers: &["content-type"],
        allow_methods: "GET, PUT",
        allow_headers: "content-type",
        expose_headers: "x-request-id",
        credentials: true,
        max_age: Some(600),
    };

    fn request(origin: Option<&str>) -> RequestHeader {
        let mut request = RequestHeader::build("GET", b"/", None).expect("request");
        if let Some(origin) = origin {
            request.insert_header("Origin", origin).expect("header");
        }
        request
    }

    #[test]
    fn allowed_origins_are_reflected_with_credentials_and_vary() {
        let headers = CORS.response_headers(&request(Some("https://app.example")));
        let get = |name: &str| headers.iter().find(|(known, _)| *known == name).map(|(_, value)| value.as_str());
        assert_eq!(get("Access-Control-Allow-Origin"), Some("https://app.example"));
        assert_eq!(get("Access-Control-Allow-Credentials"), Some("true"));
        assert_eq!(get("Access-Control-Expose-Headers"), Some("x-request-id"));
        assert_eq!(get("Vary"), Some("Origin"));
        let other = CORS.response_headers(&request(Some("https://app.example.evil")));
        assert_eq!(other, vec![("Vary", "Origin".to_string())], "another origin gets nothing but Vary");
        let any = Cors { origins: Origins::Any, credentials: false, ..CORS };
        assert_eq!(any.response_headers(&request(Some("https://x.example")))[0].1, "*");
        assert!(!any.response_headers(&request(None)).iter().any(|(name, _)| *name == "Vary"));
    }

    #[test]
    fn the_upstreams_fields_are_replaced_and_vary_kept() {
        let mut response = ResponseHeader::build(200, None).expect("response");
        response.insert_header("Access-Control-Allow-Origin", "*").expect("header");
        response.insert_header("Vary", "Accept-Encoding").expect("header");
        CORS.apply(&request(Some("https://app.example")), &mut response).expect("apply");
        let values = |name: &str| -> Vec<String> {
            response.headers.get_all(name).iter().map(|value| value.to_str().unwrap_or("").to_string()).collect()
        };
        assert_eq!(values("access-control-allow-origin"), ["https://app.example"]);
        assert_eq!(values("vary"), ["Accept-Encoding", "Origin"]);
    }
}
