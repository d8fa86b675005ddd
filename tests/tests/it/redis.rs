//! Real Redis for the shared-limit tests: `redis-server` (Debian's package,
//! installed by `scripts/setup`) started on a loopback address as a child
//! process, standalone or as a 3-node cluster, with nothing saved to disk;
//! stopped (SIGKILL) on drop.

use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Redis {
    ip: String,
    ports: Vec<u16>,
    cluster: bool,
    nodes: Vec<Option<Child>>,
    dir: PathBuf,
}

impl Redis {
    /// One server on `ip:port`.
    pub fn standalone(ip: &str, port: u16) -> Redis {
        Redis::start(ip, &[port], false)
    }

    /// A cluster of three masters (no replicas) on `ip` and `ports`, slots
    /// spread over them by `redis-cli --cluster create`.
    pub fn cluster(ip: &str, ports: &[u16; 3]) -> Redis {
        let redis = Redis::start(ip, ports, true);
        let nodes: Vec<String> = ports.iter().map(|port| format!("{ip}:{port}")).collect();
        let mut create = Command::new("redis-cli")
            .args(["--cluster", "create"])
            .args(&nodes)
            .args(["--cluster-replicas", "0", "--cluster-yes"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-cli --cluster create");
        let deadline = Instant::now() + Duration::from_secs(30);
        let status = loop {
            if let Some(status) = create.try_wait().expect("wait for redis-cli") {
                break status;
            }
            if Instant::now() > deadline {
                let _ = create.kill();
                panic!("redis-cli --cluster create did not finish");
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        assert!(status.success(), "redis-cli --cluster create: {status}");
        let deadline = Instant::now() + Duration::from_secs(20);
        for port in ports {
            while !redis.command(*port, &["CLUSTER", "INFO"]).contains("cluster_state:ok") {
                assert!(Instant::now() < deadline, "the cluster did not become ready");
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        redis
    }

    fn start(ip: &str, ports: &[u16], cluster: bool) -> Redis {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("redis-{ip}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("redis directory");
        let mut redis = Redis { ip: ip.to_string(), ports: ports.to_vec(), cluster, nodes: Vec::new(), dir };
        for index in 0..ports.len() {
            let child = redis.spawn(index);
            redis.nodes.push(Some(child));
        }
        for port in ports {
            redis.wait_ready(*port);
        }
        redis
    }

    fn spawn(&self, index: usize) -> Child {
        let port = self.ports[index].to_string();
        let dir = self.dir.join(&port);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("node directory");
        let mut command = Command::new("redis-server");
        command
            .args(["--port", &port, "--bind", &self.ip, "--save", "", "--appendonly", "no"])
            .args(["--protected-mode", "no"])
            .arg("--dir")
            .arg(&dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if self.cluster {
            command.args(["--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf"]);
            // Nodes tell each other this address: on 127.0.0.0/8 the
            // cluster bus would otherwise be dialled back on 127.0.0.1.
            command.args(["--cluster-node-timeout", "2000", "--cluster-announce-ip", &self.ip]);
        }
        command.spawn().expect("start redis-server (scripts/setup installs it)")
    }

    fn wait_ready(&self, port: u16) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.ping(port).is_none() {
            assert!(Instant::now() < deadline, "redis-server on {}:{port} did not start", self.ip);
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn ping(&self, port: u16) -> Option<()> {
        let addr: SocketAddr = format!("{}:{port}", self.ip).parse().ok()?;
        let mut stream = TcpStream::connect_timeout(&addr, Duration::from_millis(200)).ok()?;
        stream.set_read_timeout(Some(Duration::from_millis(500))).ok()?;
        stream.write_all(b"PING\r\n").ok()?;
        let mut reply = [0u8; 7];
        stream.read_exact(&mut reply).ok()?;
        (&reply == b"+PONG\r\n").then_some(())
    }

    /// `redis-cli -h IP -p PORT ARGS...`, its output.
    pub fn command(&self, port: u16, args: &[&str]) -> String {
        let output = Command::new("redis-cli")
            .args(["-h", &self.ip, "-p", &port.to_string()])
            .args(args)
            .output()
            .expect("redis-cli");
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// The number of keys on each node.
    pub fn key_counts(&self) -> Vec<usize> {
        self.ports.iter().map(|port| self.command(*port, &["DBSIZE"]).trim().parse().unwrap_or(0)).collect()
    }

    /// Kills every node (SIGKILL: as a crash would).
    pub fn kill(&mut self) {
        for node in &mut self.nodes {
            if let Some(mut child) = node.take() {
                let _ = child.kill();
                let _ = child.wait();
            }
        }
    }

    /// Starts a standalone server again, empty.
    pub fn restart(&mut self) {
        assert!(!self.cluster, "restart is for a standalone server");
        self.kill();
        let child = self.spawn(0);
        self.nodes[0] = Some(child);
        self.wait_ready(self.ports[0]);
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        self.kill();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
