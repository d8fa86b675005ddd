//! Typed literals: the words the checker expects at a position, parsed with
//! an error that says what a valid one looks like.

use std::net::SocketAddr;
use std::time::Duration;

/// A rate: `count` events per `window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    pub count: u64,
    pub window: Duration,
}

const DURATION_HELP: &str =
    "a duration is a whole number followed by `ms`, `s`, `m`, `h` or `d`, e.g. `500ms` or `30s`";

/// `500ms`, `30s`, `2m`, `1h`, `730d`.
pub fn duration(text: &str) -> Result<Duration, String> {
    let digits_end = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (digits, unit) = text.split_at(digits_end);
    if digits.is_empty() {
        return Err(format!("invalid duration `{text}`: {DURATION_HELP}"));
    }
    let value: u64 = digits.parse().map_err(|_| format!("duration `{text}` is too large"))?;
    let millis_per_unit: u64 = match unit {
        "ms" => 1,
        "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        "" => return Err(format!("duration `{text}` has no unit: {DURATION_HELP}")),
        _ => return Err(format!("invalid duration `{text}`: unknown unit `{unit}`; {DURATION_HELP}")),
    };
    value
        .checked_mul(millis_per_unit)
        .map(Duration::from_millis)
        .ok_or_else(|| format!("duration `{text}` is too large"))
}

/// `100/s`, `5/m`, `1000/h` (also `/min`, `/sec`, `/hour`).
pub fn rate(text: &str) -> Result<Rate, String> {
    const HELP: &str = "a rate is a whole number of requests per `s`, `m` or `h`, e.g. `100/s` or `5/m`";
    let Some((count, per)) = text.split_once('/') else {
        return Err(format!("invalid rate `{text}`: {HELP}"));
    };
    let count: u64 =
        count.parse().map_err(|_| format!("invalid rate `{text}`: `{count}` is not a whole number; {HELP}"))?;
    if count == 0 {
        return Err(format!("rate `{text}` allows no request at all; {HELP}"));
    }
    let window = match per {
        "s" | "sec" => Duration::from_secs(1),
        "m" | "min" => Duration::from_secs(60),
        "h" | "hour" => Duration::from_secs(3600),
        _ => return Err(format!("invalid rate `{text}`: unknown unit `{per}`; {HELP}")),
    };
    Ok(Rate { count, window })
}

/// `512B`, `64KiB`, `1MiB`, `2GiB` (and decimal `KB`, `MB`, `GB`).
pub fn size(text: &str) -> Result<u64, String> {
    const HELP: &str =
        "a size is a whole number followed by `B`, `KiB`, `MiB` or `GiB` (or `KB`, `MB`, `GB`), e.g. `64MiB`";
    let digits_end = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (digits, unit) = text.split_at(digits_end);
    let value: u64 = digits.parse().map_err(|_| format!("invalid size `{text}`: {HELP}"))?;
    let multiplier: u64 = match unit {
        "B" => 1,
        "KiB" => 1 << 10,
        "MiB" => 1 << 20,
        "GiB" => 1 << 30,
        "KB" => 1_000,
        "MB" => 1_000_000,
        "GB" => 1_000_000_000,
        _ => return Err(format!("invalid size `{text}`: {HELP}")),
    };
    value.checked_mul(multiplier).ok_or_else(|| format!("size `{text}` is too large"))
}

/// `127.0.0.1:8080` or `[::1]:8080`.
pub fn socket_addr(text: &str) -> Result<SocketAddr, String> {
    const HELP: &str = "an address is IP:PORT, e.g. `127.0.0.1:8080` or `[::1]:8080`";
    if let Ok(addr) = text.parse::<SocketAddr>() {
        if addr.port() == 0 {
            return Err(format!("address `{text}` has port 0; name the port to use"));
        }
        return Ok(addr);
    }
    let Some((host, port)) = text.rsplit_once(':') else {
        return Err(format!("invalid address `{text}`: no port; {HELP}"));
    };
    if port.parse::<u16>().is_err() {
        return Err(format!("invalid address `{text}`: `{port}` is not a port number (1 to 65535); {HELP}"));
    }
    if host.parse::<std::net::Ipv6Addr>().is_ok() {
        return Err(format!("invalid address `{text}`: an IPv6 address needs brackets, as in `[{host}]:{port}`"));
    }
    if host.split('.').all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_digit())) {
        return Err(format!("invalid address `{text}`: `{host}` is not a valid IPv4 address"));
    }
    Err(format!("invalid address `{text}`: `{host}` is not an IP address; {HELP}"))
}

/// A backend: `IP:PORT`, `NAME:PORT` (resolved by DNS in the background) or
/// `unix:/path/to.sock`.
pub fn backend(text: &str, weight: usize) -> Result<crate::ir::BackendSpec, String> {
    use crate::ir::BackendSpec;
    if let Some(path) = text.strip_prefix("unix:") {
        if !path.starts_with('/') {
            return Err(format!("invalid unix socket `{text}`: write an absolute path, `unix:/run/app.sock`"));
        }
        if path.len() > 107 {
            return Err(format!("unix socket path `{path}` is longer than the 107 bytes a socket address holds"));
        }
        return Ok(BackendSpec::Unix { path: path.to_string(), weight });
    }
    if let Ok(addr) = socket_addr(text) {
        return Ok(BackendSpec::Addr { addr, weight });
    }
    let Some((host, port)) = text.rsplit_once(':') else {
        return Err(format!("invalid backend `{text}`: write IP:PORT, NAME:PORT or unix:/path"));
    };
    let port: u16 = match port.parse() {
        Ok(0) | Err(_) => return Err(format!("invalid backend `{text}`: `{port}` is not a port number (1 to 65535)")),
        Ok(port) => port,
    };
    if host.parse::<std::net::IpAddr>().is_ok() || host.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return socket_addr(text).map(|addr| BackendSpec::Addr { addr, weight });
    }
    let host = host_name(host).map_err(|message| format!("invalid backend `{text}`: {message}"))?;
    Ok(BackendSpec::Dns { host, port, weight })
}

/// An HTTP status code a gateway may answer with: 200 to 599.
pub fn response_status(text: &str) -> Result<u16, String> {
    match text.parse::<u16>() {
        Ok(status @ 200..=599) => Ok(status),
        _ => Err(format!("invalid status `{text}`: a response status is a number from 200 to 599")),
    }
}

/// A positive whole number that fits `max`.
pub fn count(text: &str, max: u64) -> Result<u64, String> {
    match text.parse::<u64>() {
        Ok(0) => Err(format!("`{text}` must be at least 1")),
        Ok(value) if value <= max => Ok(value),
        Ok(_) => Err(format!("`{text}` is too large; the limit is {max}")),
        Err(_) => Err(format!("`{text}` is not a whole number")),
    }
}

/// An HTTP field name (RFC 9110 §5.1: a token).
pub fn header_name(text: &str) -> Result<String, String> {
    let is_tchar = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    if text.is_empty() || !text.chars().all(is_tchar) {
        return Err(format!("invalid header name `{text}`: header names are letters, digits and `!#$%&'*+-.^_`|~`"));
    }
    let lower = text.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "content-length" | "transfer-encoding" | "connection" | "upgrade" | "te" | "trailer" | "keep-alive"
    ) {
        return Err(format!("header `{text}` frames the message and is managed by the proxy; it cannot be edited"));
    }
    Ok(text.to_string())
}

/// A header name to match on: any field name (RFC 9110 §5.1).
pub fn header_name_to_match(text: &str) -> Result<String, String> {
    if text.is_empty() || !text.chars().all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)) {
        return Err(format!("invalid header name `{text}`: header names are letters, digits and `!#$%&'*+-.^_`|~`"));
    }
    Ok(text.to_string())
}

/// A query parameter name, as it reads decoded: visible characters other than `&`, `=` and `#`.
pub fn query_name(text: &str) -> Result<String, String> {
    if text.is_empty() || !text.chars().all(|c| !c.is_control() && !c.is_whitespace() && !"&=#".contains(c)) {
        return Err(format!("invalid query parameter name `{text}`"));
    }
    Ok(text.to_string())
}

/// A cookie name (RFC 6265: a token).
pub fn cookie_name(text: &str) -> Result<String, String> {
    if text.is_empty() || !text.chars().all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)) {
        return Err(format!("invalid cookie name `{text}`"));
    }
    Ok(text.to_string())
}

/// An HTTP field value (RFC 9110 §5.5): visible ASCII, spaces and tabs, no
/// leading or trailing white space.
pub fn header_value(text: &str) -> Result<String, String> {
    if let Some(bad) = text.chars().find(|c| !(*c == ' ' || *c == '\t' || c.is_ascii_graphic())) {
        return Err(format!(
            "invalid header value: character {bad:?} is not allowed (only visible ASCII, spaces and tabs)"
        ));
    }
    if text.trim() != text {
        return Err("invalid header value: it starts or ends with white space".to_string());
    }
    Ok(text.to_string())
}

/// A host name to match requests on, without port, in lower case.
pub fn host_name(text: &str) -> Result<String, String> {
    if let Some((_, port)) = text.rsplit_once(':')
        && port.chars().all(|c| c.is_ascii_digit())
    {
        return Err(format!("host `{text}` has a port; hosts are matched without the port, so write the name alone"));
    }
    let name = text.trim_end_matches('.');
    let valid_label = |label: &str| {
        !label.is_empty()
            && label.len() <= 63
            && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !label.starts_with('-')
            && !label.ends_with('-')
    };
    if name.is_empty() || name.len() > 253 || !name.split('.').all(valid_label) {
        return Err(format!(
            "invalid host `{text}`: a host is DNS labels (letters, digits, `-`) separated by dots, e.g. `api.example.com`"
        ));
    }
    Ok(name.to_ascii_lowercase())
}

/// A path pattern, in the normal form requests are matched in
/// (`gateway_http::path::normalize`, the runtime's): starts with `/`; no
/// query, fragment, empty or dot segment; percent-encoding only for
/// characters that need it, with upper-case hex digits.
pub fn path(text: &str) -> Result<String, String> {
    if !text.starts_with('/') {
        return Err(format!("invalid path `{text}`: a path starts with `/`"));
    }
    if let Some(c) = text.chars().find(|c| matches!(c, '?' | '#')) {
        return Err(format!(
            "invalid path `{text}`: {c:?} cannot appear in a path pattern (paths are matched without the query)"
        ));
    }
    let is_path_char = |c: char| c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=:@/%".contains(c);
    if let Some(c) = text.chars().find(|c| !is_path_char(*c)) {
        return Err(format!("invalid path `{text}`: {c:?} must be percent-encoded (e.g. `%20` for a space)"));
    }
    for (index, _) in text.match_indices('%') {
        let hex = text.get(index + 1..index + 3).filter(|hex| hex.chars().all(|c| c.is_ascii_hexdigit()));
        let Some(hex) = hex else {
            return Err(format!("invalid path `{text}`: `%` must be followed by two hex digits"));
        };
        let value = u8::from_str_radix(hex, 16).unwrap_or(0);
        if value.is_ascii_alphanumeric() || b"-._~".contains(&value) {
            return Err(format!(
                "invalid path `{text}`: `%{hex}` encodes `{}`, and requests are matched decoded; write `{}`",
                char::from(value),
                char::from(value)
            ));
        }
        if value == b'/' || value == b'\\' {
            return Err(format!(
                "invalid path `{text}`: requests with an encoded `/` or `\\` are refused, so `%{hex}` never matches"
            ));
        }
        if hex.chars().any(|c| c.is_ascii_lowercase()) {
            return Err(format!(
                "invalid path `{text}`: write percent-encodings in upper case (`%{}`)",
                hex.to_ascii_uppercase()
            ));
        }
    }
    let inner = text.trim_start_matches('/');
    let inner = inner.strip_suffix('/').unwrap_or(inner);
    if text.len() > 1
        && (text.starts_with("//") || (!inner.is_empty() && inner.split('/').any(|segment| segment.is_empty())))
    {
        return Err(format!("invalid path `{text}`: it has an empty segment (`//`), which no request path can have"));
    }
    if inner.split('/').any(|segment| segment == "." || segment == "..") {
        return Err(format!(
            "invalid path `{text}`: `.` and `..` segments are resolved before matching, so no request path has them"
        ));
    }
    // The rules above explain the usual mistakes; what decides is the
    // runtime's own normaliser: a pattern is accepted only if it is its own
    // normal form, the form every request path is matched in.
    match gateway_http::path::normalize(text) {
        Ok(normal) if normal == text => Ok(text.to_string()),
        Ok(normal) => {
            Err(format!("invalid path `{text}`: requests are matched in normal form, here `{normal}`; write that"))
        }
        Err(_) => Err(format!("invalid path `{text}`: no request path normalises to it, so it never matches")),
    }
}

/// A host pattern: a name, or `*.` and a name (any name ending in `.` and it).
pub fn host_pattern(text: &str) -> Result<crate::ir::HostPattern, String> {
    match text.strip_prefix("*.") {
        Some(suffix) => host_name(suffix).map(crate::ir::HostPattern::Wildcard),
        None if text.contains('*') => {
            Err(format!("invalid host `{text}`: a wildcard host is `*.` followed by a name, e.g. `*.example.com`"))
        }
        None => host_name(text).map(crate::ir::HostPattern::Exact),
    }
}

/// An HTTP method: a token, in upper case as the standard methods are.
pub fn method(text: &str) -> Result<String, String> {
    if text.is_empty() || !text.chars().all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)) {
        return Err(format!("invalid method `{text}`"));
    }
    if text.chars().any(|c| c.is_ascii_lowercase()) {
        return Err(format!("methods are case-sensitive: write `{}`", text.to_ascii_uppercase()));
    }
    Ok(text.to_string())
}

/// A redirect status: 301, 302, 303, 307 or 308.
pub fn redirect_status(text: &str) -> Result<u16, String> {
    match text.parse::<u16>() {
        Ok(status @ (301 | 302 | 303 | 307 | 308)) => Ok(status),
        _ => Err(format!("invalid redirect status `{text}`: use 301, 302, 303, 307 or 308")),
    }
}

/// An error status a page can be given for: 400 to 599.
pub fn error_status(text: &str) -> Result<u16, String> {
    match text.parse::<u16>() {
        Ok(status @ 400..=599) => Ok(status),
        _ => Err(format!("invalid status `{text}`: error pages are for statuses 400 to 599")),
    }
}

/// A media type for `Content-Type`: `type/subtype`, optionally with parameters.
pub fn media_type(text: &str) -> Result<String, String> {
    let essence = text.split(';').next().unwrap_or("").trim();
    let is_token = |part: &str| {
        !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c))
    };
    match essence.split_once('/') {
        Some((kind, subtype)) if is_token(kind) && is_token(subtype) => header_value(text),
        _ => Err(format!("invalid content type `{text}`: a media type is `type/subtype`, e.g. `application/json`")),
    }
}

/// A URL template of `redirect`: text with `$scheme`, `$host`, `$path` and
/// `$query`; `$$` is a `$`.
pub fn redirect_template(text: &str) -> Result<Vec<crate::ir::TemplatePart>, String> {
    use crate::ir::TemplatePart;
    header_value(text).map_err(|_| format!("invalid redirect URL `{text}`: only visible ASCII characters"))?;
    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut rest = text;
    while let Some(dollar) = rest.find('$') {
        literal.push_str(&rest[..dollar]);
        rest = &rest[dollar + 1..];
        if let Some(after) = rest.strip_prefix('$') {
            literal.push('$');
            rest = after;
            continue;
        }
        let name_end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(rest.len());
        let part = match &rest[..name_end] {
            "scheme" => TemplatePart::Scheme,
            "host" => TemplatePart::Host,
            "path" => TemplatePart::Path,
            "query" => TemplatePart::Query,
            name => {
                let mut message = format!(
                    "unknown variable `${name}` in redirect URL; the variables are `$scheme`, `$host`, `$path` and `$query`"
                );
                if let Some(suggestion) =
                    crate::diagnostics::did_you_mean(name, crate::symbol::REDIRECT_VARIABLES.iter().copied())
                {
                    message.push_str(&format!(" (did you mean `${suggestion}`?)"));
                }
                return Err(message);
            }
        };
        if !literal.is_empty() {
            parts.push(TemplatePart::Literal(std::mem::take(&mut literal)));
        }
        parts.push(part);
        rest = &rest[name_end..];
    }
    literal.push_str(rest);
    if !literal.is_empty() {
        parts.push(TemplatePart::Literal(literal));
    }
    if parts.is_empty() {
        return Err("empty redirect URL".to_string());
    }
    Ok(parts)
}

/// A Rust path to a function: `crate::guards::tenant`, `::other::f`, `guards::tenant`.
pub fn rust_path(text: &str) -> Result<Vec<String>, String> {
    const KEYWORDS: &[&str] = &[
        "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false", "fn", "for",
        "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "static", "struct",
        "trait", "true", "type", "unsafe", "use", "where", "while", "Self", "abstract", "become", "box", "do", "final",
        "gen", "macro", "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
    ];
    let (leading, body) = match text.strip_prefix("::") {
        Some(body) => (true, body),
        None => (false, text),
    };
    let segments: Vec<&str> = body.split("::").collect();
    for (index, segment) in segments.iter().enumerate() {
        let mut chars = segment.chars();
        let is_ident = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
            && *segment != "_";
        let path_keyword = matches!(*segment, "crate" | "self" | "super");
        if !is_ident || KEYWORDS.contains(segment) || (path_keyword && (index > 0 || leading) && *segment != "super") {
            return Err(format!("invalid Rust path `{text}`: `{segment}` is not an identifier"));
        }
    }
    if segments.last().is_some_and(|last| matches!(*last, "crate" | "self" | "super")) {
        return Err(format!("invalid Rust path `{text}`: it must name a function"));
    }
    let mut path: Vec<String> = segments.iter().map(|segment| segment.to_string()).collect();
    if leading {
        path.insert(0, String::new());
    }
    Ok(path)
}

/// An environment variable name.
pub fn env_name(text: &str) -> Result<String, String> {
    let mut chars = text.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if valid {
        Ok(text.to_string())
    } else {
        Err(format!("invalid environment variable name `{text}`: letters, digits and `_`, not starting with a digit"))
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn accepted_paths_are_their_own_normal_form() {
        for text in ["/", "/api/", "/a/b", "/caf%C3%A9/", "/a%20b", "/~user/", "/v1/users/:id", "/a;b=c/"] {
            let accepted = path(text).unwrap_or_else(|error| panic!("{error}"));
            assert_eq!(gateway_http::path::normalize(&accepted).as_deref(), Ok(text), "{text}");
        }
        for text in ["//a", "/a/../b", "/%61", "/a%2Fb", "/a%c3%a9"] {
            assert!(path(text).is_err(), "{text} accepted");
        }
    }

    use super::*;

    #[test]
    fn durations() {
        assert_eq!(duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(duration("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(duration("1h"), Ok(Duration::from_secs(3600)));
        assert!(duration("5").unwrap_err().contains("no unit"));
        assert!(duration("5x").unwrap_err().contains("unknown unit `x`"));
        assert!(duration("s").is_err());
        assert!(duration("99999999999999999999h").unwrap_err().contains("too large"));
    }

    #[test]
    fn rates() {
        assert_eq!(rate("100/s"), Ok(Rate { count: 100, window: Duration::from_secs(1) }));
        assert_eq!(rate("5/min"), Ok(Rate { count: 5, window: Duration::from_secs(60) }));
        assert!(rate("0/s").unwrap_err().contains("no request"));
        assert!(rate("10/d").unwrap_err().contains("unknown unit"));
        assert!(rate("10").is_err());
    }

    #[test]
    fn sizes() {
        assert_eq!(size("64KiB"), Ok(65_536));
        assert_eq!(size("1MB"), Ok(1_000_000));
        assert!(size("1XB").is_err());
    }

    #[test]
    fn addresses() {
        assert!(socket_addr("127.0.0.1:8080").is_ok());
        assert!(socket_addr("[::1]:8080").is_ok());
        assert!(socket_addr("127.0.0.1").unwrap_err().contains("no port"));
        assert!(socket_addr("127.0.0.1:99999").unwrap_err().contains("not a port"));
        assert!(socket_addr("::1:80").unwrap_err().contains("brackets"));
        assert!(socket_addr("300.0.0.1:80").unwrap_err().contains("not a valid IPv4"));
        assert!(socket_addr("example.com:80").unwrap_err().contains("not an IP address"));
        assert!(socket_addr("127.0.0.1:0").unwrap_err().contains("port 0"));
    }

    #[test]
    fn header_names_and_values() {
        assert!(header_name("X-Request-Id").is_ok());
        assert!(header_name("Bad Header").is_err());
        assert!(header_name("Content-Length").unwrap_err().contains("managed by the proxy"));
        assert!(header_value("a b").is_ok());
        assert!(header_value("a\nb").is_err());
    }

    #[test]
    fn redirect_templates() {
        use crate::ir::TemplatePart::*;
        assert_eq!(
            redirect_template("https://$host$path$query"),
            Ok(vec![Literal("https://".into()), Host, Path, Query])
        );
        assert_eq!(redirect_template("/a$$b"), Ok(vec![Literal("/a$b".into())]));
        assert!(redirect_template("https://$hots/").unwrap_err().contains("did you mean `$host`"));
    }

    #[test]
    fn rust_paths() {
        assert_eq!(rust_path("crate::guards::tenant"), Ok(vec!["crate".into(), "guards".into(), "tenant".into()]));
        assert_eq!(rust_path("::other::f"), Ok(vec!["".into(), "other".into(), "f".into()]));
        assert!(rust_path("guards::fn").is_err());
        assert!(rust_path("a::crate::b").is_err());
        assert!(rust_path("crate").is_err());
        assert!(rust_path("a-b").is_err());
    }

    #[test]
    fn hosts_and_paths() {
        assert!(path("/caf%C3%A9").is_ok());
        assert!(path("/caf%c3%a9").unwrap_err().contains("upper case"));
        assert!(path("/%61dmin").unwrap_err().contains("encodes `a`"));
        assert!(path("/café").unwrap_err().contains("percent-encoded"));
        assert!(host_pattern("*.example.com").is_ok());
        assert!(host_pattern("a.*.com").is_err());
        assert_eq!(host_name("API.Example.com"), Ok("api.example.com".to_string()));
        assert!(host_name("example.com:80").unwrap_err().contains("port"));
        assert!(host_name("exa mple").is_err());
        assert!(path("/api/").is_ok());
        assert!(path("/").is_ok());
        assert!(path("api").is_err());
        assert!(path("/a//b").is_err());
        assert!(path("/a/../b").is_err());
        assert!(path("/a?x=1").is_err());
    }
}
