//! The upstreams of the example gateway: origins `web-1` and `web-2` (on
//! 127.0.0.1:8001 and 8002) and `api` (8003), each answering every request
//! with a JSON echo of what it received. Runs until interrupted.

use std::net::SocketAddr;

use routes::origin::Origin;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut origins = Vec::new();
    for (name, port) in [("web-1", 8001), ("web-2", 8002), ("api", 8003)] {
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let origin = Origin::start(name, addr).map_err(|error| format!("cannot listen on {addr}: {error}"))?;
        println!("{name} listening on http://{addr}");
        origins.push(origin);
    }
    // Park until killed; the origins serve on their own threads.
    loop {
        std::thread::park();
    }
}
