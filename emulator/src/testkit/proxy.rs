//! A TCP proxy that delays every chunk of bytes by a fixed one-way time in each direction, and
//! a new connection by one round trip (the TCP handshake's SYN / SYN-ACK): a network with a
//! real round-trip time, for measuring what a client's round trips and connections cost.
//! Bytes keep their order; nothing is lost. It counts the connections it accepted.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio::time::Instant;

/// A running delay proxy (stops when dropped).
pub struct DelayProxy {
    address: SocketAddr,
    connections: Arc<AtomicU64>,
    task: tokio::task::JoinHandle<()>,
}

impl DelayProxy {
    /// Listens on 127.0.0.1 and forwards to `upstream` with `one_way` added to every chunk in
    /// each direction (a round-trip time of twice `one_way`), and one round trip before a new
    /// connection carries data.
    pub async fn start(upstream: SocketAddr, one_way: Duration) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a local port for the proxy");
        let address = listener.local_addr().expect("the proxy's address");
        let connections = Arc::new(AtomicU64::new(0));
        let counted = Arc::clone(&connections);
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                counted.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(relay(client, upstream, one_way));
            }
        });
        Self {
            address,
            connections,
            task,
        }
    }

    /// `http://127.0.0.1:PORT`: the endpoint to give a client.
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.address)
    }

    /// How many connections clients opened through the proxy.
    pub fn connections(&self) -> u64 {
        self.connections.load(Ordering::SeqCst)
    }
}

impl Drop for DelayProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn relay(client: TcpStream, upstream: SocketAddr, one_way: Duration) {
    // The handshake: one round trip before the connection carries anything.
    tokio::time::sleep(one_way * 2).await;
    let Ok(server) = TcpStream::connect(upstream).await else {
        return;
    };
    let _ = client.set_nodelay(true);
    let _ = server.set_nodelay(true);
    let (client_read, client_write) = client.into_split();
    let (server_read, server_write) = server.into_split();
    tokio::join!(
        pipe(client_read, server_write, one_way),
        pipe(server_read, client_write, one_way)
    );
}

/// Copies `from` to `to`, each chunk written `delay` after it was read.
async fn pipe(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    delay: Duration,
) {
    let (sender, mut receiver) = mpsc::unbounded_channel::<(Instant, Vec<u8>)>();
    let writer = async move {
        while let Some((due, chunk)) = receiver.recv().await {
            tokio::time::sleep_until(due).await;
            if to.write_all(&chunk).await.is_err() {
                break;
            }
        }
        let _ = to.shutdown().await;
    };
    let reader = async move {
        let mut buffer = vec![0u8; 16 * 1024];
        loop {
            match from.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    if sender
                        .send((Instant::now() + delay, buffer[..n].to_vec()))
                        .is_err()
                    {
                        break;
                    }
                }
            }
        }
    };
    tokio::join!(reader, writer);
}
