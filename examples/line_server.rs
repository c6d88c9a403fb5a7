//! A line-oriented TCP server whose session is an async generator.
//!
//! The generator owns the server's end of a real socket on 127.0.0.1: it reads a line, yields it,
//! and writes back whatever reply the consumer `asend`s. When the consumer is done it calls
//! `aclose()`; the generator receives `Resume::Close` at its catching yield point and runs async
//! cleanup there: it writes a goodbye line and shuts the socket down, before `aclose()` returns.
//!
//! A client task on the same runtime sends three lines and records everything it reads. The
//! example checks the replies, the goodbye and the end of stream the client saw, and that it saw
//! them while the generator (and so the socket) was still alive: the goodbye and the shutdown came
//! from the async cleanup, not from dropping the socket. Everything runs under a timeout, so the
//! example cannot hang.
//!
//! Run it with `cargo run --example line_server`.

use std::io;
use std::time::Duration;

use agen_runtime::{async_generator, yield_catch, Resume, Step};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::timeout;

/// One client's session, seen from the server. Yields each line the client sends; a value sent in
/// with `asend` is written back as the reply. Returns how many lines it served.
#[async_generator(yield = String, send = String)]
async fn session(socket: TcpStream) -> io::Result<usize> {
    let (reader, mut writer) = socket.into_split();
    let mut lines = BufReader::new(reader).lines();
    let mut served = 0;
    // `?` works in the body: an I/O error ends the generator with `Err` as its return value.
    while let Some(line) = lines.next_line().await? {
        served += 1;
        match yield_catch!(line) {
            Resume::Next => {} // no reply for this line
            Resume::Send(reply) => {
                writer.write_all(reply.as_bytes()).await?;
                writer.write_all(b"\n").await?;
            }
            Resume::Throw(never) => match never {},
            Resume::Close => {
                // Async cleanup: `aclose()` waits for these writes and the shutdown.
                writer.write_all(b"goodbye\n").await?;
                writer.shutdown().await?;
                return Ok(served);
            }
        }
    }
    Ok(served) // the client hung up first
}

/// The client: sends each line, then reads one line back, and finally reads to the end of the
/// stream. Returns every line it read, and whether it reached the end of the stream.
async fn client(addr: std::net::SocketAddr, to_send: &[&str]) -> io::Result<(Vec<String>, bool)> {
    let socket = TcpStream::connect(addr).await?;
    let (reader, mut writer) = socket.into_split();
    let mut reader = BufReader::new(reader);
    let mut seen = Vec::new();
    for line in to_send {
        writer.write_all(format!("{line}\n").as_bytes()).await?;
        let mut reply = String::new();
        if reader.read_line(&mut reply).await? == 0 {
            return Ok((seen, true));
        }
        println!("client   <- {:?}", reply.trim_end());
        seen.push(reply.trim_end().to_owned());
    }
    let mut rest = String::new();
    loop {
        rest.clear();
        if reader.read_line(&mut rest).await? == 0 {
            println!("client   <- end of stream");
            return Ok((seen, true));
        }
        println!("client   <- {:?}", rest.trim_end());
        seen.push(rest.trim_end().to_owned());
    }
}

async fn run() -> io::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    println!("server listening on {addr}");

    let client = tokio::spawn(async move { client(addr, &["hello", "ping", "quit"]).await });

    let (socket, peer) = listener.accept().await?;
    println!("server accepted {peer}");
    let mut gen = std::pin::pin!(session(socket));

    // The first line starts the body; each `asend` delivers a reply and returns the next line.
    let mut step = gen.anext().await;
    let mut received = Vec::new();
    loop {
        let line = match step {
            Step::Yielded(line) => line,
            other => panic!("the client hung up early: {other:?}"),
        };
        println!("server   -> got {line:?}");
        received.push(line.clone());
        if line == "quit" {
            break;
        }
        let reply = match line.as_str() {
            "ping" => "pong".to_owned(),
            other => other.to_uppercase(),
        };
        println!("server   asend({reply:?})");
        step = gen
            .asend(reply)
            .await
            .expect("the session is suspended at a yield point");
    }

    println!("server   aclose()");
    let closed = gen.aclose().await;
    println!("server   aclose() -> {closed:?}");
    let served = match closed {
        Ok(Some(Ok(served))) => served,
        other => panic!("the session's cleanup did not finish: {other:?}"),
    };

    // The generator is still alive here (it is dropped at the end of this fn), so the goodbye
    // and the end of stream the client saw were sent by the cleanup.
    let (seen, eof) = client.await.expect("the client task panicked")?;

    assert_eq!(received, ["hello", "ping", "quit"]);
    assert_eq!(served, 3);
    assert_eq!(seen, ["HELLO", "pong", "goodbye"], "the client's view");
    assert!(eof, "the client did not see the socket shut down");
    assert!(matches!(gen.anext().await, Step::Exhausted));
    println!("\nok: replies delivered by asend, goodbye and shutdown sent by the async cleanup");
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    match timeout(Duration::from_secs(10), run()).await {
        Ok(Ok(())) => {}
        Ok(Err(error)) => panic!("I/O error: {error}"),
        Err(_) => panic!("timed out: the example hung"),
    }
}
