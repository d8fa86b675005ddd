//! What the gateway does on each signal, in place of Pingora's own watcher
//! (`UnixShutdownSignalWatch`), whose behaviour loses traffic or hangs:
//!
//! - `SIGQUIT` (graceful upgrade): Pingora sends the listening sockets to
//!   `upgrade_sock` and then shuts down *even when no new process took
//!   them*, which leaves nothing serving. Here the signal is acted on only
//!   when a new process is waiting on `upgrade_sock` (a listening Unix
//!   socket at that path, read from `/proc/net/unix` without connecting to
//!   it, since the waiting process accepts exactly one connection);
//!   otherwise it is refused with an error in the log and the gateway goes
//!   on serving.
//! - `SIGINT` (fast shutdown): Pingora's accept loops are not told to stop,
//!   and once their runtime shuts down `accept()` fails at once, for ever:
//!   a thread spins, logging, and Pingora waits for it. Here the process
//!   exits at the latest [`EXIT_WATCHDOG`] after the signal, whatever state
//!   it is in, a graceful shutdown or upgrade already under way included.
//! - `SIGTERM` (graceful shutdown): as Pingora's, and a `SIGINT` after it
//!   still stops the process at once.

use std::io;
use std::path::Path;
use std::time::Duration;

use async_trait::async_trait;
use pingora::server::{ShutdownSignal, ShutdownSignalWatch};
use tokio::signal::unix::{SignalKind, signal};

/// How long a fast shutdown may take before the process ends itself.
pub const EXIT_WATCHDOG: Duration = Duration::from_millis(500);

/// The gateway's signal watcher; `upgrade_sock` is the server's.
pub struct Signals {
    upgrade_sock: String,
}

impl Signals {
    pub fn new(upgrade_sock: &str) -> Signals {
        Signals { upgrade_sock: upgrade_sock.to_string() }
    }
}

#[async_trait]
impl ShutdownSignalWatch for Signals {
    async fn recv(&self) -> ShutdownSignal {
        let (mut quit, mut terminate, mut interrupt) =
            match (signal(SignalKind::quit()), signal(SignalKind::terminate()), signal(SignalKind::interrupt())) {
                (Ok(quit), Ok(terminate), Ok(interrupt)) => (quit, terminate, interrupt),
                _ => {
                    log::error!("cannot listen for signals; stopping");
                    exit_soon();
                    return ShutdownSignal::FastShutdown;
                }
            };
        loop {
            tokio::select! {
                _ = quit.recv() => match upgrade_waiting(Path::new(&self.upgrade_sock)) {
                    Ok(true) => {
                        log::info!("SIGQUIT: handing the listeners to the new process on {}", self.upgrade_sock);
                        exit_on_interrupt(interrupt);
                        return ShutdownSignal::GracefulUpgrade;
                    }
                    Ok(false) => log::error!(
                        "SIGQUIT refused: no new process is waiting for the listeners on {} (start the new binary \
                         with `-u` and the same `-c` file first); still serving",
                        self.upgrade_sock
                    ),
                    Err(error) => log::error!(
                        "SIGQUIT refused: cannot tell whether a new process waits on {}: {error}; still serving",
                        self.upgrade_sock
                    ),
                },
                _ = terminate.recv() => {
                    exit_on_interrupt(interrupt);
                    return ShutdownSignal::GracefulTerminate;
                }
                _ = interrupt.recv() => {
                    exit_soon();
                    return ShutdownSignal::FastShutdown;
                }
            }
        }
    }
}

/// After a graceful shutdown or upgrade has begun, a `SIGINT` still stops
/// the process at once.
fn exit_on_interrupt(mut interrupt: tokio::signal::unix::Signal) {
    tokio::spawn(async move {
        if interrupt.recv().await.is_some() {
            log::info!("SIGINT during a graceful shutdown: exiting now");
            exit_soon();
        }
    });
}

/// Ends the process [`EXIT_WATCHDOG`] from now unless Pingora has ended it
/// by then.
fn exit_soon() {
    let watchdog = std::thread::Builder::new().name("gw-exit".to_string()).spawn(|| {
        std::thread::sleep(EXIT_WATCHDOG);
        log::warn!("the server did not stop within {EXIT_WATCHDOG:?} of the signal; exiting");
        log::logger().flush();
        std::process::exit(0)
    });
    if watchdog.is_err() {
        std::process::exit(0)
    }
}

/// Whether a process listens on the Unix socket at `path` (Linux: an entry
/// of `/proc/net/unix` with that path in the listening state). Nothing
/// connects to it: the waiting process accepts one connection, the one
/// that brings the sockets.
pub fn upgrade_waiting(path: &Path) -> io::Result<bool> {
    use std::os::unix::fs::FileTypeExt;
    match std::fs::metadata(path) {
        Ok(metadata) if metadata.file_type().is_socket() => {}
        Ok(_) => return Ok(false),
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(false),
        Err(error) => return Err(error),
    }
    let wanted = std::fs::canonicalize(path)?;
    let table = std::fs::read_to_string("/proc/net/unix")?;
    Ok(listening_paths(&table).any(|listening| {
        Path::new(listening) == path || std::fs::canonicalize(listening).is_ok_and(|found| found == wanted)
    }))
}

/// The paths of the listening sockets in a `/proc/net/unix` table
/// (`Num RefCount Protocol Flags Type St Inode Path`; a listening socket
/// has `__SO_ACCEPTCON`, 0x10000, in its flags).
fn listening_paths(table: &str) -> impl Iterator<Item = &str> {
    const ACCEPTING: u32 = 0x10000;
    table.lines().skip(1).filter_map(|line| {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let flags = u32::from_str_radix(fields.get(3)?, 16).ok()?;
        let path = fields.get(7)?;
        (flags & ACCEPTING != 0 && path.starts_with('/')).then_some(*path)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listening_sockets_are_found_by_path() {
        let table = "Num       RefCount Protocol Flags    Type St Inode Path\n\
            0000000000000000: 00000002 00000000 00010000 0001 01 20001 /tmp/gw/upgrade.sock\n\
            0000000000000000: 00000002 00000000 00000000 0001 03 20002 /tmp/gw/connected.sock\n\
            0000000000000000: 00000002 00000000 00010000 0001 01 20003 @abstract\n\
            0000000000000000: 00000002 00000000 00010000 0001 01 20004\n";
        assert_eq!(listening_paths(table).collect::<Vec<_>>(), ["/tmp/gw/upgrade.sock"]);
    }

    #[test]
    fn a_waiting_process_is_seen_and_a_stale_file_is_not() {
        let dir = std::env::temp_dir().join(format!("gw-signals-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("upgrade.sock");
        let _ = std::fs::remove_file(&path);
        assert!(!upgrade_waiting(&path).expect("absent"));
        let listener = std::os::unix::net::UnixListener::bind(&path).expect("bind");
        assert!(upgrade_waiting(&path).expect("listening"));
        // The socket file outlives the process that listened on it.
        drop(listener);
        assert!(path.exists());
        assert!(!upgrade_waiting(&path).expect("stale"));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
