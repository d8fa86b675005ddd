//! Stopping and graceful upgrades (docs/operations.md): an upgrade under
//! keep-alive and close-mode load loses no request, a SIGQUIT with no new
//! process waiting is refused, and SIGINT and SIGTERM always stop.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use gateway_runtime::signals::upgrade_waiting;
use nix::sys::signal::Signal;

use crate::support::{Gateway, Origin, origin};

/// The listeners of `lifecycle.gw`, then its admin listener.
const LISTENERS: [&str; 8] = [
    "127.71.0.30:18080",
    "127.71.0.30:18081",
    "127.71.0.30:18082",
    "127.71.0.30:18083",
    "127.71.0.30:18084",
    "127.71.0.30:18085",
    "127.71.0.30:18086",
    "127.71.0.30:18087",
];
const ADMIN: &str = "127.71.0.30:19100";
const ORIGIN: &str = "127.71.0.30:18001";

/// The tests of `lifecycle.gw` bind the same addresses: one at a time.
static SERIAL: Mutex<()> = Mutex::new(());

/// A `-c` file of its own for each test: the upgrade socket and pid file
/// in a directory of the test's, not Pingora's machine-wide defaults.
struct Conf {
    dir: PathBuf,
    file: String,
    sock: PathBuf,
}

impl Conf {
    fn new(name: &str) -> Conf {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("lifecycle-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("conf dir");
        let sock = dir.join("upgrade.sock");
        let file = dir.join("gw.yaml");
        let yaml =
            format!("---\nversion: 1\nupgrade_sock: {}\npid_file: {}\n", sock.display(), dir.join("gw.pid").display());
        std::fs::write(&file, yaml).expect("conf file");
        Conf { dir, file: file.display().to_string(), sock }
    }
}

impl Drop for Conf {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// What one client saw.
#[derive(Default)]
struct Tally {
    answered: u64,
    failed: Vec<String>,
}

/// Clients sending requests one after another until told to stop (or for
/// at most a minute): on keep-alive connections, opening a new one only
/// when the gateway says `Connection: close`, or one connection per
/// request. A request that gets no complete `200` is a failure: nothing is
/// retried.
struct Load {
    stop: Arc<AtomicBool>,
    clients: Vec<JoinHandle<Tally>>,
}

impl Load {
    fn start(clients: &[(&'static str, &'static str, bool)]) -> Load {
        let stop = Arc::new(AtomicBool::new(false));
        let clients = clients
            .iter()
            .map(|&(addr, path, keep_alive)| {
                let stop = stop.clone();
                std::thread::spawn(move || client(addr, path, keep_alive, &stop))
            })
            .collect();
        Load { stop, clients }
    }

    fn finish(&mut self) -> Tally {
        self.stop.store(true, Ordering::Relaxed);
        let mut total = Tally::default();
        for client in std::mem::take(&mut self.clients) {
            let tally = client.join().expect("client thread");
            total.answered += tally.answered;
            total.failed.extend(tally.failed);
        }
        total
    }
}

fn client(addr: &str, path: &str, keep_alive: bool, stop: &AtomicBool) -> Tally {
    let deadline = Instant::now() + Duration::from_secs(60);
    let socket: SocketAddr = addr.parse().expect("address");
    let mut tally = Tally::default();
    let mut connection: Option<BufReader<TcpStream>> = None;
    while !stop.load(Ordering::Relaxed) && Instant::now() < deadline {
        let mut stream = match connection.take() {
            Some(stream) => stream,
            None => match TcpStream::connect_timeout(&socket, Duration::from_secs(2)) {
                Ok(stream) => {
                    stream.set_read_timeout(Some(Duration::from_secs(5))).expect("timeout");
                    BufReader::new(stream)
                }
                Err(error) => {
                    tally.failed.push(format!("{addr}: connect: {error}"));
                    std::thread::sleep(Duration::from_millis(10));
                    continue;
                }
            },
        };
        let close = if keep_alive { "" } else { "Connection: close\r\n" };
        let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n{close}\r\n");
        match exchange(&mut stream, request.as_bytes()) {
            Ok((200, closing)) => {
                tally.answered += 1;
                if keep_alive && !closing {
                    connection = Some(stream);
                }
            }
            Ok((status, _)) => tally.failed.push(format!("{addr}{path}: status {status}")),
            Err(error) => tally.failed.push(format!("{addr}{path}: {error}")),
        }
    }
    tally
}

/// Sends `request` and reads its response: the status, and whether the
/// gateway closes the connection after it.
fn exchange(stream: &mut BufReader<TcpStream>, request: &[u8]) -> Result<(u16, bool), String> {
    stream.get_mut().write_all(request).map_err(|error| format!("send: {error}"))?;
    let mut line = String::new();
    let read = stream.read_line(&mut line).map_err(|error| format!("status line: {error}"))?;
    if read == 0 {
        return Err("connection closed with no response".to_string());
    }
    let status = line.split(' ').nth(1).and_then(|status| status.parse().ok()).ok_or(format!("bad status: {line}"))?;
    let (mut length, mut closing) = (None, false);
    loop {
        line.clear();
        stream.read_line(&mut line).map_err(|error| format!("head: {error}"))?;
        let field = line.trim_end();
        if field.is_empty() {
            break;
        }
        let (name, value) = field.split_once(':').ok_or(format!("bad field: {field}"))?;
        match name.to_ascii_lowercase().as_str() {
            "content-length" => length = value.trim().parse::<usize>().ok(),
            "connection" => closing = value.trim().eq_ignore_ascii_case("close"),
            _ => {}
        }
    }
    let mut body = vec![0; length.ok_or("no Content-Length")?];
    stream.read_exact(&mut body).map_err(|error| format!("body: {error}"))?;
    Ok((status, closing))
}

/// Keep-alive clients on every listener, to a route answered by the
/// gateway and to a proxied one, and close-mode clients.
fn busy() -> Load {
    let mut clients: Vec<(&'static str, &'static str, bool)> =
        LISTENERS.iter().map(|addr| (*addr, "/proxied", true)).collect();
    clients.extend([(LISTENERS[0], "/healthz", true), (LISTENERS[1], "/healthz", false), (LISTENERS[2], "/x", false)]);
    Load::start(&clients)
}

fn start(args: &[&str]) -> Gateway {
    let mut gateway = Gateway::spawn("lifecycle", args, &[]);
    for addr in LISTENERS.iter().chain([&ADMIN]) {
        gateway.wait_listening(addr);
    }
    gateway
}

/// `lifecycle.gw` running with a `-c` file of its own, under [`busy`] load.
/// Its fields are dropped in order: the lock is released last.
struct Running {
    gateway: Gateway,
    load: Load,
    conf: Conf,
    _origin: Origin,
    _serial: MutexGuard<'static, ()>,
}

fn running(name: &str) -> Running {
    let serial = SERIAL.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let origin = origin("app", ORIGIN);
    let conf = Conf::new(name);
    let gateway = start(&["-c", &conf.file]);
    Running { gateway, load: busy(), conf, _origin: origin, _serial: serial }
}

#[test]
fn an_upgrade_under_load_loses_no_request() {
    let mut running = running("upgrade");
    let (conf, old) = (&running.conf, &mut running.gateway);
    std::thread::sleep(Duration::from_millis(500));

    // The new binary (here the same one) waits for the listeners, then the
    // old one is told to hand them over.
    let new = Gateway::spawn("lifecycle", &["-u", "-c", &conf.file], &[]);
    let deadline = Instant::now() + Duration::from_secs(20);
    while !upgrade_waiting(&conf.sock).expect("/proc/net/unix") {
        assert!(
            Instant::now() < deadline,
            "the new process never waited on {}:\n{}",
            conf.sock.display(),
            new.log_text()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    old.signal(Signal::SIGQUIT);
    // Pingora's 5 s hand-over, the 2 s grace period, 1 s to stop runtimes.
    let status = old.exit_within(Duration::from_secs(30));
    assert!(status.is_some(), "the old process did not exit:\n{}", old.log_text());
    // The new process alone serves now.
    std::thread::sleep(Duration::from_millis(500));
    let tally = running.load.finish();
    eprintln!("upgrade under load: {} requests answered, {} failed", tally.answered, tally.failed.len());
    assert!(
        tally.failed.is_empty(),
        "{} of {} requests failed across the upgrade: {:?}\nold:\n{}\nnew:\n{}",
        tally.failed.len(),
        tally.answered + tally.failed.len() as u64,
        &tally.failed[..tally.failed.len().min(10)],
        old.log_text(),
        new.log_text()
    );
    assert!(tally.answered > 100, "too little load to tell: {} requests", tally.answered);
    let mut after = Load::start(&[(LISTENERS[7], "/healthz", true), (ADMIN, "/metrics", false)]);
    std::thread::sleep(Duration::from_millis(200));
    let tally = after.finish();
    assert!(tally.failed.is_empty() && tally.answered > 0, "the new process does not serve: {:?}", tally.failed);
}

#[test]
fn a_sigquit_with_no_new_process_waiting_is_refused() {
    let mut running = running("refused");
    let gateway = &mut running.gateway;
    gateway.signal(Signal::SIGQUIT);
    // Pingora alone tries the socket for 5 s, waits 5 s more and stops
    // accepting; the gateway goes on serving.
    std::thread::sleep(Duration::from_secs(11));
    let tally = running.load.finish();
    assert!(gateway.exit_within(Duration::ZERO).is_none(), "the gateway stopped:\n{}", gateway.log_text());
    assert!(tally.failed.is_empty(), "requests failed after the refused SIGQUIT: {:?}", &tally.failed);
    assert!(tally.answered > 100, "too little load to tell: {} requests", tally.answered);
    assert!(gateway.log_text().contains("SIGQUIT refused"), "{}", gateway.log_text());
}

/// `stopping.gw`: 24 listeners and an admin listener.
const STOPPING: &str = "127.71.0.31";

#[test]
fn sigint_and_sigterm_always_stop() {
    let deadline = Instant::now() + Duration::from_secs(240);
    let addrs: Vec<String> = (0..24).map(|port| format!("{STOPPING}:{}", 18100 + port)).collect();
    let mut slowest = Duration::ZERO;
    for round in 0..50 {
        assert!(Instant::now() < deadline, "50 starts and stops took too long (round {round})");
        let mut gateway = Gateway::spawn("stopping", &[], &[]);
        gateway.wait_listening(&addrs[0]);
        gateway.wait_listening(&addrs[23]);
        // Activity: clients sending requests, idle keep-alive connections.
        let stop = Arc::new(AtomicBool::new(false));
        let clients: Vec<_> = (0..4)
            .map(|client| {
                let (addr, stop) = (addrs[client * 5].clone(), stop.clone());
                std::thread::spawn(move || {
                    // Half the clients keep their connection, half open
                    // one per request (the accept loops are busy).
                    let close = if client % 2 == 0 { "" } else { "Connection: close\r\n" };
                    let request = format!("GET /healthz HTTP/1.1\r\nHost: {addr}\r\n{close}\r\n");
                    while !stop.load(Ordering::Relaxed) {
                        let Ok(stream) = TcpStream::connect(&addr) else { continue };
                        let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
                        let mut stream = BufReader::new(stream);
                        while !stop.load(Ordering::Relaxed)
                            && matches!(exchange(&mut stream, request.as_bytes()), Ok((_, false)))
                        {
                        }
                    }
                })
            })
            .collect();
        let idle: Vec<TcpStream> = addrs.iter().step_by(3).filter_map(|addr| TcpStream::connect(addr).ok()).collect();
        std::thread::sleep(Duration::from_millis(50 + (round % 5) * 20));
        let (signal, limit) = if round % 10 == 9 {
            // The grace period (1 s) and the runtimes' shutdown (1 s).
            (Signal::SIGTERM, Duration::from_secs(6))
        } else {
            (Signal::SIGINT, Duration::from_secs(3))
        };
        let sent = Instant::now();
        gateway.signal(signal);
        let status = gateway.exit_within(limit);
        let took = sent.elapsed();
        stop.store(true, Ordering::Relaxed);
        for client in clients {
            client.join().expect("client thread");
        }
        drop(idle);
        let log = gateway.log_text();
        assert!(status.is_some(), "round {round}: {signal} did not stop the gateway within {limit:?}:\n{}", tail(&log));
        assert!(log.len() < 256 * 1024, "round {round}: {} bytes of log:\n{}", log.len(), tail(&log));
        if signal == Signal::SIGINT {
            slowest = slowest.max(took);
        }
    }
    eprintln!("50 starts and stops; slowest SIGINT: {slowest:?}");
}

fn tail(log: &str) -> &str {
    let start = log.len().saturating_sub(4000);
    let start = (start..log.len()).find(|at| log.is_char_boundary(*at)).unwrap_or(log.len());
    &log[start..]
}
