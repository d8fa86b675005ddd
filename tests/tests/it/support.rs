//! Starting and stopping fixture gateways and origins, and a client.

use std::fs::File;
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
pub use routes::origin::Origin;

/// How long a gateway may take to start listening, or to stop.
const START_TIMEOUT: Duration = Duration::from_secs(20);
const STOP_TIMEOUT: Duration = Duration::from_secs(10);

/// A fixture gateway running as a child process; stopped with SIGINT on drop.
pub struct Gateway {
    name: String,
    child: Child,
    log: PathBuf,
}

impl Gateway {
    /// Starts `gw-fixtures NAME` and waits until `addr` accepts connections.
    pub fn start(name: &str, addr: &str, env: &[(&str, &str)]) -> Gateway {
        let mut gateway = Gateway::spawn(name, &[], env);
        gateway.wait_listening(addr);
        gateway
    }

    /// Starts fixture `name` in directory `dir` (where its relative paths
    /// lead) and waits until it listens on `addr`.
    pub fn start_in(name: &str, addr: &str, env: &[(&str, &str)], dir: &std::path::Path) -> Gateway {
        let mut gateway = Gateway::spawn_with(name, &[], env, Some(dir));
        gateway.wait_listening(addr);
        gateway
    }

    /// Starts `gw-fixtures NAME ARGS...` with `env` and returns at once.
    pub fn spawn(name: &str, args: &[&str], env: &[(&str, &str)]) -> Gateway {
        Gateway::spawn_with(name, args, env, None)
    }

    fn spawn_with(name: &str, args: &[&str], env: &[(&str, &str)], dir: Option<&std::path::Path>) -> Gateway {
        // One log per start: several tests may run the same fixture at once.
        static STARTS: AtomicUsize = AtomicUsize::new(0);
        let start = STARTS.fetch_add(1, Ordering::Relaxed);
        let log_name = format!("gw-{name}-{}-{start}.log", std::process::id());
        let log = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(log_name);
        let log_file = File::create(&log).expect("gateway log file");
        let mut command = Command::new(env!("CARGO_BIN_EXE_gw-fixtures"));
        command.arg(name).args(args).stdin(Stdio::null()).stdout(Stdio::null()).stderr(log_file);
        command.env_remove("GW_TEST_TOKEN").env("RUST_LOG", "info");
        if let Some(dir) = dir {
            command.current_dir(dir);
        }
        for (key, value) in env {
            command.env(key, value);
        }
        let child = command.spawn().expect("start gw-fixtures");
        Gateway { name: name.to_string(), child, log }
    }

    /// Waits for a gateway that is expected to exit by itself.
    pub fn wait_for_exit(&mut self) -> ExitStatus {
        let deadline = Instant::now() + STOP_TIMEOUT;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status;
            }
            assert!(Instant::now() < deadline, "gateway `{}` did not exit:\n{}", self.name, self.log_text());
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits at most `limit` for the gateway to exit by itself.
    pub fn exit_within(&mut self, limit: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + limit;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            if Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Sends `signal` to the gateway.
    pub fn signal(&self, signal: Signal) {
        let pid = i32::try_from(self.child.id()).expect("pid");
        kill(Pid::from_raw(pid), signal).expect("signal the gateway");
    }

    /// Waits until `addr` accepts connections, at most for the start time.
    pub fn wait_listening(&mut self, addr: &str) {
        let addr: SocketAddr = addr.parse().expect("address");
        let deadline = Instant::now() + START_TIMEOUT;
        while TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("gateway `{}` exited with {status}:\n{}", self.name, self.log_text());
            }
            assert!(
                Instant::now() < deadline,
                "gateway `{}` did not listen on {addr}:\n{}",
                self.name,
                self.log_text()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// What the gateway wrote to standard error so far.
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Gateway {
    fn drop(&mut self) {
        self.stop();
        if !std::thread::panicking() {
            let _ = std::fs::remove_file(&self.log);
        }
    }
}

impl Gateway {
    /// Kills the gateway as a crash would (SIGKILL): nothing is cleaned up.
    pub fn crash(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    fn stop(&mut self) {
        if let Ok(Some(_)) = self.child.try_wait() {
            return;
        }
        if let Ok(pid) = i32::try_from(self.child.id()) {
            let _ = kill(Pid::from_raw(pid), Signal::SIGINT);
        }
        let deadline = Instant::now() + STOP_TIMEOUT;
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts an origin named `name` on `addr`.
pub fn origin(name: &str, addr: &str) -> Origin {
    Origin::start(name, addr.parse().expect("origin address")).unwrap_or_else(|error| panic!("origin {addr}: {error}"))
}

/// A client that does not follow redirects, reuses connections, and gives up after 10 s.
pub fn client() -> reqwest::blocking::Client {
    client_builder().build().expect("client")
}

pub fn client_builder() -> reqwest::blocking::ClientBuilder {
    reqwest::blocking::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .no_proxy()
}

/// A client for `https://gw.test:PORT` at `ip`, trusting the repository's
/// test CA (`certs/`); HTTP/2 by ALPN unless `http1_only`.
pub fn https_client(ip: &str, http1_only: bool) -> reqwest::blocking::Client {
    let ca_path = concat!(env!("CARGO_MANIFEST_DIR"), "/../certs/ca.crt");
    let ca = std::fs::read(ca_path).expect("test CA");
    let mut builder = client_builder()
        .add_root_certificate(reqwest::Certificate::from_pem(&ca).expect("CA certificate"))
        .resolve("gw.test", format!("{ip}:0").parse().expect("address"));
    if http1_only {
        builder = builder.http1_only();
    }
    builder.build().expect("client")
}

/// A response, read whole.
pub struct Reply {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
    pub version: reqwest::Version,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    /// The origin's JSON echo.
    pub fn echo(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|error| panic!("not an origin echo ({error}): {}", self.body))
    }

    /// Which origin answered, from its echo.
    pub fn server(&self) -> String {
        self.echo()["server"].as_str().unwrap_or_default().to_string()
    }

    /// A header the origin received, from its echo.
    pub fn received(&self, name: &str) -> Option<String> {
        self.echo()["headers"][name].as_str().map(str::to_string)
    }
}

pub fn send(request: reqwest::blocking::RequestBuilder) -> Reply {
    let response = request.send().expect("request");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let version = response.version();
    let body = response.text().expect("body");
    Reply { status, headers, body, version }
}

pub fn get(client: &reqwest::blocking::Client, url: &str) -> Reply {
    send(client.get(url))
}

/// Sends `request` (raw bytes) on a new connection and returns the status of
/// the response and the whole response. For requests a client library would
/// rewrite (dot segments, odd encodings) or refuse to send.
pub fn raw(addr: &str, request: &[u8]) -> (u16, String) {
    use std::io::{Read, Write};
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
    stream.write_all(request).expect("send");
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let response = String::from_utf8_lossy(&response).into_owned();
    let status = response.split(' ').nth(1).and_then(|status| status.parse().ok()).unwrap_or(0);
    (status, response)
}

/// `GET path` with `Connection: close` and the given extra header lines, over a raw socket.
pub fn raw_get(addr: &str, path: &str, headers: &str) -> (u16, String) {
    raw(addr, format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n{headers}Connection: close\r\n\r\n").as_bytes())
}
