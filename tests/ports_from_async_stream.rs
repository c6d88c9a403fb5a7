//! The three async-stream programs a user ports first, each written with async-stream and with
//! agen side by side: a `stream!` over a tokio `mpsc` receiver, a `try_stream!` over the lines of
//! a `TcpStream` with `?`, and a paginated client. Each test checks that both versions produce
//! the same items, and `no_port_is_longer_than_its_original` checks, from this file's own text,
//! that no agen version has more lines than the async-stream one.
#![cfg(not(miri))]

use std::io;
use std::pin::pin;

use futures_core::Stream;
use futures_util::StreamExt;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;

mod original {
    use super::*;
    use async_stream::{stream, try_stream};

    // port: messages
    pub fn messages(mut rx: mpsc::Receiver<String>) -> impl Stream<Item = String> {
        stream! {
            while let Some(message) = rx.recv().await {
                yield message;
            }
        }
    }
    // end

    // port: lines
    pub fn lines(socket: TcpStream) -> impl Stream<Item = io::Result<String>> {
        try_stream! {
            let mut lines = BufReader::new(socket).lines();
            while let Some(line) = lines.next_line().await? {
                yield line;
            }
        }
    }
    // end

    // port: all_items
    pub fn all_items(api: &Api) -> impl Stream<Item = Result<u32, ApiError>> + '_ {
        try_stream! {
            let mut cursor = Some(0);
            while let Some(at) = cursor {
                let page = api.page(at).await?;
                for item in page.items {
                    yield item;
                }
                cursor = page.next;
            }
        }
    }
    // end
}

mod ported {
    use super::*;
    use agen_runtime::async_gen;

    // port: messages
    pub fn messages(mut rx: mpsc::Receiver<String>) -> impl Stream<Item = String> {
        async_gen! {
            while let Some(message) = rx.recv().await {
                yield message;
            }
        }
    }
    // end

    // port: lines
    pub fn lines(socket: TcpStream) -> impl Stream<Item = io::Result<String>> {
        async_gen!(try => {
            let mut lines = BufReader::new(socket).lines();
            while let Some(line) = lines.next_line().await? {
                yield line;
            }
        })
    }
    // end

    // port: all_items
    pub fn all_items(api: &Api) -> impl Stream<Item = Result<u32, ApiError>> + '_ {
        async_gen!(try => {
            let mut cursor = Some(0);
            while let Some(at) = cursor {
                let page = api.page(at).await?;
                for item in page.items {
                    yield item;
                }
                cursor = page.next;
            }
        })
    }
    // end
}

/// A paginated API: three pages, then the end; `failing_at` makes that page fail.
pub struct Api {
    failing_at: Option<usize>,
}

pub struct Page {
    items: Vec<u32>,
    next: Option<usize>,
}

#[derive(Debug, PartialEq)]
pub struct ApiError(usize);

impl Api {
    async fn page(&self, at: usize) -> Result<Page, ApiError> {
        tokio::task::yield_now().await;
        if self.failing_at == Some(at) {
            return Err(ApiError(at));
        }
        let first = 10 * at as u32;
        Ok(Page {
            items: vec![first, first + 1],
            next: (at < 2).then_some(at + 1),
        })
    }
}

async fn collect<S: Stream>(stream: S) -> Vec<S::Item> {
    pin!(stream).collect().await
}

#[tokio::test]
async fn a_stream_over_an_mpsc_receiver() {
    async fn run<S: Stream<Item = String>>(port: fn(mpsc::Receiver<String>) -> S) -> Vec<String> {
        let (tx, rx) = mpsc::channel(1);
        let sender = tokio::spawn(async move {
            for word in ["one", "two", "three"] {
                tx.send(word.to_owned()).await.unwrap();
            }
        });
        let received = collect(port(rx)).await;
        sender.await.unwrap();
        received
    }
    let original = run(original::messages).await;
    assert_eq!(original, ["one", "two", "three"]);
    assert_eq!(run(ported::messages).await, original);
}

#[tokio::test]
async fn a_try_stream_over_the_lines_of_a_tcp_stream() {
    async fn run<S: Stream<Item = io::Result<String>>>(port: fn(TcpStream) -> S) -> Vec<String> {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let client = tokio::spawn(async move {
            let mut socket = TcpStream::connect(addr).await.unwrap();
            socket.write_all(b"first\nsecond\n").await.unwrap();
        });
        let (socket, _) = listener.accept().await.unwrap();
        let lines = collect(port(socket)).await;
        client.await.unwrap();
        lines.into_iter().map(Result::unwrap).collect()
    }
    let original = run(original::lines).await;
    assert_eq!(original, ["first", "second"]);
    assert_eq!(run(ported::lines).await, original);
}

#[tokio::test]
async fn a_paginated_client() {
    let api = Api { failing_at: None };
    let original = collect(original::all_items(&api)).await;
    assert_eq!(original, [Ok(0), Ok(1), Ok(10), Ok(11), Ok(20), Ok(21)]);
    assert_eq!(collect(ported::all_items(&api)).await, original);

    // A failing page ends the stream with its error, as the last item, in both.
    let api = Api {
        failing_at: Some(1),
    };
    let original = collect(original::all_items(&api)).await;
    assert_eq!(original, [Ok(0), Ok(1), Err(ApiError(1))]);
    assert_eq!(collect(ported::all_items(&api)).await, original);
}

/// The lines of each `// port: NAME` … `// end` section of one module of this file.
fn sections(module: &str) -> Vec<(String, usize)> {
    let source = include_str!("ports_from_async_stream.rs");
    let start = source
        .find(&format!("mod {module} {{"))
        .expect("the module is in this file");
    let end = source[start..].find("\n}\n").expect("the module ends") + start;
    let mut found = Vec::new();
    let mut current: Option<(String, usize)> = None;
    for line in source[start..end].lines() {
        let line = line.trim();
        if let Some(name) = line.strip_prefix("// port: ") {
            current = Some((name.to_owned(), 0));
        } else if line == "// end" {
            found.extend(current.take());
        } else if let Some((_, lines)) = &mut current {
            *lines += 1;
        }
    }
    found
}

#[test]
fn no_port_is_longer_than_its_original() {
    let originals = sections("original");
    let ports = sections("ported");
    assert_eq!(originals.len(), 3);
    assert_eq!(
        originals.iter().map(|(name, _)| name).collect::<Vec<_>>(),
        ports.iter().map(|(name, _)| name).collect::<Vec<_>>(),
    );
    for ((name, original), (_, port)) in originals.iter().zip(&ports) {
        assert!(
            port <= original,
            "the port of `{name}` has {port} lines, the original {original}"
        );
    }
}
