//! A generator reading an `async_io::Async<TcpStream>` under smol, while the consumer polls the
//! body again and again (it races each `next()` against an `async_io::Timer`).
//!
//! async-io's reactor keeps the waker a socket's read was last polled with and, polled with a
//! waker for which `will_wake` is false, wakes the kept one before keeping the new one: a body
//! whose futures see a waker of their own on every poll wakes the consumer on every poll, and
//! the consumer busy-loops. The peer, on 127.0.0.1, writes each chunk only after the consumer's
//! timer has won [`TICKS_PER_ITEM`] more races. Each test first runs the same consumer on a
//! hand-written stream over a socket (`futures_util::stream::unfold`), as the control for the
//! poll bound.

use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use agen_executor_tests::{drain_counting, within, Run, LIMIT, TICKS_PER_ITEM};
use agen_runtime::{async_generator, yield_};
use async_io::{Async, Timer};
use futures_core::Stream;
use smol::io::AsyncReadExt;

/// Chunks the peer writes.
const ITEMS: usize = 5;

/// Bytes in each chunk.
const CHUNK: usize = 16;

/// What the peer writes, in all.
fn expected() -> Vec<u8> {
    (0..ITEMS).flat_map(|i| [i as u8; CHUNK]).collect()
}

/// Yields what each read of `socket` returns, until the peer closes it.
#[async_generator(yield = Vec<u8>)]
async fn chunks(mut socket: Async<TcpStream>) {
    let mut buf = [0; 4 * CHUNK];
    loop {
        let n = socket
            .read(&mut buf)
            .await
            .expect("the read should succeed");
        if n == 0 {
            return;
        }
        yield_!(buf[..n].to_vec());
    }
}

/// The same as [`chunks`], written by hand: the control.
fn chunks_by_hand(socket: Async<TcpStream>) -> impl Stream<Item = Vec<u8>> {
    futures_util::stream::unfold(socket, |mut socket| async move {
        let mut buf = [0; 4 * CHUNK];
        let n = socket
            .read(&mut buf)
            .await
            .expect("the read should succeed");
        (n > 0).then(|| (buf[..n].to_vec(), socket))
    })
}

/// A connected pair on 127.0.0.1: the consumer's end, made async, and the peer's end.
fn connected() -> (Async<TcpStream>, TcpStream) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a listener on 127.0.0.1");
    let consumer = TcpStream::connect(listener.local_addr().unwrap()).expect("connect");
    let (peer, _) = listener.accept().expect("accept");
    (Async::new(consumer).expect("a non-blocking socket"), peer)
}

/// Writes [`ITEMS`] chunks to `peer`, each after the consumer's timer has won
/// [`TICKS_PER_ITEM`] more races, then closes it. Gives up at the time limit.
fn write_paced(mut peer: TcpStream, ticks: Arc<AtomicUsize>) -> thread::JoinHandle<()> {
    thread::spawn(move || {
        let deadline = Instant::now() + LIMIT;
        for i in 0..ITEMS {
            while ticks.load(Ordering::SeqCst) < TICKS_PER_ITEM * (i + 1) {
                if Instant::now() > deadline {
                    return;
                }
                thread::sleep(Duration::from_micros(200));
            }
            peer.write_all(&[i as u8; CHUNK])
                .expect("the write should succeed");
        }
    })
}

/// The stream a consumer drains: a generator, or the hand-written control.
type Chunks = Pin<Box<dyn Stream<Item = Vec<u8>> + Send>>;

/// Which smol executor runs the consumer.
#[derive(Clone, Copy)]
enum Runner {
    /// `smol::block_on`: the consumer is the future it blocks on.
    BlockOn,
    /// A task spawned on a `smol::Executor`.
    Task,
}

/// One run: the consumer drains the stream `make` builds over a fresh connection, racing each
/// `next()` against a 1 ms `async_io::Timer`, while the peer writes.
fn run(runner: Runner, make: fn(Async<TcpStream>) -> Chunks) -> (Vec<u8>, Run) {
    within(move || {
        let (socket, peer) = connected();
        let ticks = Arc::new(AtomicUsize::new(0));
        let writer = write_paced(peer, ticks.clone());
        let consume = async move {
            drain_counting(
                make(socket),
                || Timer::after(Duration::from_millis(1)),
                &ticks,
            )
            .await
        };
        let (items, run) = match runner {
            Runner::BlockOn => smol::block_on(consume),
            Runner::Task => {
                let executor = smol::Executor::new();
                smol::block_on(executor.run(executor.spawn(consume)))
            }
        };
        writer.join().expect("the peer should not panic");
        (items.concat(), run)
    })
}

/// Checks one run: every byte in order, and the poll bound.
fn check(what: &str, (bytes, run): (Vec<u8>, Run)) {
    println!("{what}: {run:?}");
    assert_eq!(bytes, expected(), "{what}: the bytes read");
    run.assert_no_busy_loop(what, ITEMS);
}

/// The control, then the generator, under `runner`.
fn reads_without_busy_looping(runner: Runner) {
    check(
        "hand-written stream over Async<TcpStream> (control)",
        run(runner, |socket| Box::pin(chunks_by_hand(socket))),
    );
    check(
        "generator over Async<TcpStream>",
        run(runner, |socket| Box::pin(chunks(socket))),
    );
}

/// Guards that a read of an `Async<TcpStream>` in a body, polled again and again while it waits
/// for data, keeps the consumer's waker in async-io's reactor instead of waking the consumer at
/// every poll, with the consumer as `smol::block_on`'s future.
#[test]
fn async_io_tcp_read_in_a_body_does_not_busy_loop_the_consumer_under_block_on() {
    reads_without_busy_looping(Runner::BlockOn);
}

/// Guards that a read of an `Async<TcpStream>` in a body, polled again and again while it waits
/// for data, keeps the consumer's waker in async-io's reactor instead of waking the consumer at
/// every poll, with the consumer as a task of a `smol::Executor`.
#[test]
fn async_io_tcp_read_in_a_body_does_not_busy_loop_the_consumer_in_a_smol_task() {
    reads_without_busy_looping(Runner::Task);
}
