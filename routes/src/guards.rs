//! Functions gateways call with `call` (see docs/language.md, `call`).
//!
//! A called function has this signature, checked by rustc:
//!
//! ```text
//! async fn(&mut Session) -> gateway_runtime::prelude::Result<bool>
//! ```
//!
//! `Ok(false)`: the route goes on. `Ok(true)`: the function wrote the
//! response; the request is done. `Err(e)`: the request fails with the
//! status `e` carries (`ErrorType::HTTPStatus`), or 500.

use gateway_runtime::prelude::{Bytes, Error, ErrorType, ResponseHeader, Result, Session};

/// Requests must name their tenant in `X-Tenant`: 1 to 64 letters, digits
/// or `-`. Without one: 400 with a JSON body written here. With a malformed
/// one: 403, by returning an error.
pub async fn require_tenant(session: &mut Session) -> Result<bool> {
    let tenant = session.req_header().headers.get("x-tenant").map(|value| value.as_bytes().to_vec());
    match tenant {
        Some(tenant) if is_tenant(&tenant) => Ok(false),
        Some(_) => Err(Error::explain(ErrorType::HTTPStatus(403), "malformed X-Tenant")),
        None => {
            let body = Bytes::from_static(b"{\"error\":\"X-Tenant is required\"}");
            let mut response = ResponseHeader::build(400, Some(2))?;
            response.insert_header("Content-Type", "application/json")?;
            response.insert_header("Content-Length", body.len())?;
            session.write_response_header(Box::new(response), false).await?;
            session.write_response_body(Some(body), true).await?;
            Ok(true)
        }
    }
}

fn is_tenant(tenant: &[u8]) -> bool {
    (1..=64).contains(&tenant.len()) && tenant.iter().all(|byte| byte.is_ascii_alphanumeric() || *byte == b'-')
}
