//! An origin for the security suite that records the raw bytes it receives.
//!
//! It reads requests the way a lenient origin would (bare LF line ends,
//! `Transfer-Encoding: chunked` anywhere in the list wins over
//! `Content-Length`), so that anything a gateway lets through that could be
//! read as a second request shows up as one. Every request it reads gets
//! `200` with the body `ok`; the connection stays open for the next.

use std::io::{ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long a connection may stay silent before the origin closes it.
const IDLE: Duration = Duration::from_secs(5);
/// Largest connection the origin records.
const MAX_BYTES: usize = 4 << 20;

/// A request as the origin read it: the head as text and the body.
#[derive(Debug, Clone)]
pub struct Seen {
    pub head: String,
    pub body: Vec<u8>,
}

impl Seen {
    /// The request line.
    pub fn line(&self) -> &str {
        self.head.lines().next().unwrap_or_default()
    }

    /// The values of header `name` (case-insensitive), in order.
    pub fn headers(&self, name: &str) -> Vec<String> {
        self.head
            .lines()
            .skip(1)
            .filter_map(|line| line.split_once(':'))
            .filter(|(field, _)| field.trim().eq_ignore_ascii_case(name))
            .map(|(_, value)| value.trim().to_string())
            .collect()
    }
}

#[derive(Default)]
struct Log {
    /// Every byte received, by connection.
    connections: Vec<Vec<u8>>,
    requests: Vec<Seen>,
}

/// A running recording origin; it stops when dropped.
pub struct Recorder {
    log: Arc<Mutex<Log>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Recorder {
    pub fn start(addr: &str) -> Recorder {
        let listener = TcpListener::bind(addr).unwrap_or_else(|error| panic!("recorder {addr}: {error}"));
        listener.set_nonblocking(true).expect("nonblocking");
        let log = Arc::new(Mutex::new(Log::default()));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (log, stop) = (log.clone(), stop.clone());
            std::thread::spawn(move || {
                let mut connections = Vec::new();
                while !stop.load(Ordering::Relaxed) {
                    match listener.accept() {
                        Ok((stream, _)) => {
                            let (log, stop) = (log.clone(), stop.clone());
                            connections.push(std::thread::spawn(move || serve(stream, &log, &stop)));
                        }
                        Err(error) if error.kind() == ErrorKind::WouldBlock => {
                            std::thread::sleep(Duration::from_millis(5))
                        }
                        Err(_) => break,
                    }
                }
                for connection in connections {
                    let _ = connection.join();
                }
            })
        };
        Recorder { log, stop, thread: Some(thread) }
    }

    /// The requests read so far, in order.
    pub fn requests(&self) -> Vec<Seen> {
        self.log.lock().map(|log| log.requests.clone()).unwrap_or_default()
    }

    /// Every byte received so far, all connections in order of opening.
    pub fn bytes(&self) -> Vec<u8> {
        self.log.lock().map(|log| log.connections.concat()).unwrap_or_default()
    }

    /// Forgets what was received (between the cases of a test).
    pub fn clear(&self) {
        // Connections still open keep their slot, emptied.
        if let Ok(mut log) = self.log.lock() {
            log.connections.iter_mut().for_each(Vec::clear);
            log.requests.clear();
        }
    }

    /// Waits up to two seconds until `count` requests were read, and returns them.
    pub fn wait_for(&self, count: usize) -> Vec<Seen> {
        let deadline = Instant::now() + Duration::from_secs(2);
        loop {
            let requests = self.requests();
            if requests.len() >= count || Instant::now() > deadline {
                return requests;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn serve(mut stream: TcpStream, log: &Mutex<Log>, stop: &AtomicBool) {
    let index = match log.lock() {
        Ok(mut log) => {
            log.connections.push(Vec::new());
            log.connections.len() - 1
        }
        Err(_) => return,
    };
    let _ = stream.set_read_timeout(Some(Duration::from_millis(100)));
    let mut pending: Vec<u8> = Vec::new();
    let mut silent_since = Instant::now();
    let mut chunk = [0u8; 16 * 1024];
    while !stop.load(Ordering::Relaxed) && silent_since.elapsed() < IDLE && pending.len() < MAX_BYTES {
        match stream.read(&mut chunk) {
            Ok(0) => break,
            Ok(read) => {
                silent_since = Instant::now();
                pending.extend_from_slice(&chunk[..read]);
                if let Ok(mut log) = log.lock() {
                    log.connections[index].extend_from_slice(&chunk[..read]);
                }
            }
            Err(error) if matches!(error.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(_) => break,
        }
        // Answer every complete request read so far.
        while let Some((seen, used)) = parse(&pending) {
            pending.drain(..used);
            if let Ok(mut log) = log.lock() {
                log.requests.push(seen);
            }
            if stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Recorder: 1\r\n\r\nok").is_err() {
                return;
            }
        }
    }
}

/// One request from the start of `bytes`, and how many bytes it took; `None`
/// until it is complete.
fn parse(bytes: &[u8]) -> Option<(Seen, usize)> {
    let end = find(bytes, b"\n\r\n").map(|at| at + 3).into_iter().chain(find(bytes, b"\n\n").map(|at| at + 2)).min()?;
    let head = String::from_utf8_lossy(&bytes[..end]).replace("\r\n", "\n");
    let head = head.trim_end().to_string();
    let seen = Seen { head, body: Vec::new() };
    let chunked = seen.headers("transfer-encoding").iter().any(|value| value.to_ascii_lowercase().contains("chunked"));
    let length = seen.headers("content-length").first().and_then(|value| value.parse::<usize>().ok());
    let rest = &bytes[end..];
    let (body, used) = if chunked {
        dechunk(rest)?
    } else {
        let length = length.unwrap_or(0);
        (rest.get(..length)?.to_vec(), length)
    };
    Some((Seen { body, ..seen }, end + used))
}

/// A chunked body from the start of `bytes` (sizes in hex, extensions
/// ignored, bare LF accepted), and how many bytes it took.
fn dechunk(bytes: &[u8]) -> Option<(Vec<u8>, usize)> {
    let mut body = Vec::new();
    let mut at = 0;
    loop {
        let line_end = at + bytes[at..].iter().position(|byte| *byte == b'\n')?;
        let line = String::from_utf8_lossy(&bytes[at..line_end]);
        let size = usize::from_str_radix(line.trim().split(';').next().unwrap_or("").trim(), 16).ok()?;
        at = line_end + 1;
        if size == 0 {
            // Trailers, up to an empty line.
            loop {
                let line_end = at + bytes[at..].iter().position(|byte| *byte == b'\n')?;
                let empty = bytes[at..line_end].iter().all(|byte| *byte == b'\r');
                at = line_end + 1;
                if empty {
                    return Some((body, at));
                }
            }
        }
        body.extend_from_slice(bytes.get(at..at + size)?);
        at += size;
        // The CRLF after the data.
        while at < bytes.len() && matches!(bytes[at], b'\r' | b'\n') {
            at += 1;
            if bytes[at - 1] == b'\n' {
                break;
            }
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|window| window == needle)
}
