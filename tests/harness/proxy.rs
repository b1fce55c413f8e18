//! A TCP proxy a test can cut and restore: the network between a host and its database, to
//! prove what happens while the database is unreachable without stopping the shared test
//! server (other tests use it at the same time).

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use tokio::net::{TcpListener, TcpStream};
use tokio::task::AbortHandle;

/// Forwards connections to `target` while up; while cut, closes every connection it has and
/// every new one at once.
pub struct Proxy {
    addr: SocketAddr,
    up: Arc<AtomicBool>,
    live: Arc<Mutex<Vec<AbortHandle>>>,
    accept: AbortHandle,
}

impl Proxy {
    /// Listen on a free local port and forward to `target`.
    pub async fn start(target: SocketAddr) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind the proxy");
        let addr = listener.local_addr().unwrap();
        let (up, live) =
            (Arc::new(AtomicBool::new(true)), Arc::new(Mutex::new(Vec::<AbortHandle>::new())));
        let (up2, live2) = (up.clone(), live.clone());
        let accept = tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                if !up2.load(Ordering::SeqCst) {
                    drop(client);
                    continue;
                }
                let pipe = tokio::spawn(async move {
                    if let Ok(mut server) = TcpStream::connect(target).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
                live2.lock().unwrap().push(pipe.abort_handle());
            }
        })
        .abort_handle();
        Proxy { addr, up, live, accept }
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// The database is unreachable: every open connection breaks, new ones are closed at once.
    pub fn cut(&self) {
        self.up.store(false, Ordering::SeqCst);
        for pipe in self.live.lock().unwrap().drain(..) {
            pipe.abort();
        }
    }

    /// The database is reachable again.
    pub fn restore(&self) {
        self.up.store(true, Ordering::SeqCst);
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.cut();
        self.accept.abort();
    }
}
