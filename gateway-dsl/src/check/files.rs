//! Files a gateway names (certificates and keys): they must exist when the
//! gateway is built, parse, and belong together. The gateway reads them
//! again at start-up, from the same absolute path.

use std::path::{Path, PathBuf};

use openssl::pkey::{PKey, Private};
use openssl::x509::X509;

use super::Checker;
use crate::diagnostics::{Diagnostic, Span};

/// A file path from the `.gw` file, resolved against the `.gw` file's directory.
pub(crate) fn resolve(base_dir: &Path, written: &str) -> PathBuf {
    base_dir.join(written)
}

/// Reads a file, or says why it cannot be read. A file read is one the
/// build depends on: it is listed in `ir::Gateway::files`, so that the
/// generated code makes rustc (or a build script, cargo) build again when
/// it changes.
pub(crate) fn read(ck: &Checker<'_>, path: &Path, written: &str, span: Span, what: &str) -> Option<Vec<u8>> {
    let cx = ck.cx;
    match std::fs::read(path) {
        Ok(bytes) => {
            let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
            ck.files.borrow_mut().push(absolute);
            Some(bytes)
        }
        Err(error) => {
            let reason =
                if error.kind() == std::io::ErrorKind::NotFound { "not found".to_string() } else { error.to_string() };
            cx.push(
                Diagnostic::new(span, format!("{what} file `{written}`: {reason}"))
                    .label("cannot read this file")
                    .note(format!("looked for {}", path.display()))
                    .help("paths are relative to the directory of the .gw file"),
            );
            None
        }
    }
}

/// A PEM private key, refused rather than asked a passphrase for.
pub(crate) fn no_passphrase(bytes: &[u8]) -> Result<PKey<Private>, openssl::error::ErrorStack> {
    PKey::private_key_from_pem_callback(bytes, |_passphrase| Ok(0))
}

/// Whether a PEM key is encrypted (PKCS#8 `ENCRYPTED PRIVATE KEY`, or a
/// traditional key with `Proc-Type: 4,ENCRYPTED`).
fn is_encrypted(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(bytes);
    text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") || text.contains("Proc-Type: 4,ENCRYPTED")
}

/// Checks that `cert` is a PEM certificate (chain), `key` a PEM private key,
/// and that the key is the certificate's; the chain's first certificate
/// when all is well.
pub(crate) fn check_cert_and_key(
    ck: &Checker<'_>,
    cert: (&Path, &str, Span),
    key: (&Path, &str, Span),
) -> Option<X509> {
    let cx = ck.cx;
    let cert_bytes = read(ck, cert.0, cert.1, cert.2, "certificate");
    let key_bytes = read(ck, key.0, key.1, key.2, "key");
    let certificate: Option<X509> = cert_bytes.and_then(|bytes| match X509::stack_from_pem(&bytes) {
        Ok(mut chain) if !chain.is_empty() => Some(chain.remove(0)),
        _ => {
            cx.push(
                Diagnostic::new(cert.2, format!("certificate file `{}` holds no PEM certificate", cert.1))
                    .label("expected `-----BEGIN CERTIFICATE-----`"),
            );
            None
        }
    });
    // Read with a passphrase callback that gives none: without one, OpenSSL
    // asks for the passphrase of an encrypted key on the terminal, and the
    // build would stop and wait.
    let private_key: Option<PKey<Private>> = key_bytes.and_then(|bytes| match no_passphrase(&bytes) {
        Ok(private_key) => Some(private_key),
        Err(_) if is_encrypted(&bytes) => {
            cx.push(
                Diagnostic::new(key.2, format!("key file `{}` is encrypted", key.1))
                    .label("it needs a passphrase, which the gateway cannot ask for")
                    .help(format!(
                        "decrypt it: `openssl pkey -in {0} -out {0}.plain`, and keep that file private",
                        key.1
                    )),
            );
            None
        }
        Err(_) => {
            cx.push(
                Diagnostic::new(key.2, format!("key file `{}` holds no PEM private key", key.1))
                    .label("expected `-----BEGIN PRIVATE KEY-----` (unencrypted)"),
            );
            None
        }
    });
    let (certificate, private_key) = (certificate?, private_key?);
    let matches = certificate.public_key().is_ok_and(|public_key| public_key.public_eq(&private_key));
    if !matches {
        cx.push(
            Diagnostic::new(key.2, format!("key `{}` does not belong to certificate `{}`", key.1, cert.1))
                .label("this key's public half differs from the certificate's"),
        );
        return None;
    }
    Some(certificate)
}

/// Checks that a file holds PEM certificates (a CA bundle).
pub(crate) fn check_certificates(ck: &Checker<'_>, path: &Path, written: &str, span: Span) -> Option<()> {
    let cx = ck.cx;
    let bytes = read(ck, path, written, span, "CA certificate")?;
    match X509::stack_from_pem(&bytes) {
        Ok(chain) if !chain.is_empty() => Some(()),
        _ => {
            cx.push(
                Diagnostic::new(span, format!("CA file `{written}` holds no PEM certificate"))
                    .label("expected `-----BEGIN CERTIFICATE-----`"),
            );
            None
        }
    }
}
