//! The chunked-body check on any bytes: it must not panic, must give the
//! same verdict however the bytes are split into reads, and a body it
//! accepts whole must keep to RFC 9112 §7.1 as httparse reads it: every
//! chunk-size line is one httparse takes, no lone LF anywhere in the framing.

#![no_main]

use gateway_http::chunked::Chunked;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&split, body)) = data.split_first() else { return };
    let mut whole = Chunked::new();
    let verdict = whole.feed(body);
    if let Ok(used) = verdict {
        assert!(used <= body.len());
        assert!(used == body.len() || whole.is_done(), "stopped early without the end");
    }

    // Split in two reads at `split`, then byte by byte: the same verdict.
    let at = usize::from(split).min(body.len());
    let mut two = Chunked::new();
    let first = two.feed(&body[..at]);
    let two_verdict = match first {
        Err(reason) => Err(reason),
        Ok(used) if two.is_done() => Ok(used),
        Ok(used) => two.feed(&body[at..]).map(|more| used + more),
    };
    assert_eq!(verdict.is_ok(), two_verdict.is_ok(), "{verdict:?} vs {two_verdict:?} split at {at}");
    assert_eq!(whole.is_done(), two.is_done());

    // An accepted, complete body: each size line is one httparse accepts.
    if let (Ok(used), true) = (verdict, whole.is_done()) {
        let mut rest = &body[..used];
        loop {
            let Ok(httparse::Status::Complete((start, size))) = httparse::parse_chunk_size(rest) else {
                panic!("httparse refuses a size line the check accepted: {:?}", String::from_utf8_lossy(rest));
            };
            assert!(!rest[..start - 2].contains(&b'\n'), "a lone LF in an accepted size line");
            if size == 0 {
                break;
            }
            let size = usize::try_from(size).expect("size");
            assert_eq!(&rest[start + size..start + size + 2], b"\r\n");
            rest = &rest[start + size + 2..];
        }
    }
});
