//! Early exits of a `for_await!` loop in other macros' arguments (`println!`, `assert!`,
//! `vec!`), which the loop rewrites: they close the generator and go where they say, and the loop
//! stays `Send` when its generator is.

use std::sync::{Arc, Mutex};

use agen_runtime::{async_generator, for_await, yield_catch, Resume};

type Log = Arc<Mutex<Vec<String>>>;

fn push(log: &Log, entry: impl Into<String>) {
    log.lock().unwrap().push(entry.into());
}

#[async_generator(yield = u32)]
async fn numbers(n: u32, log: Log) {
    for i in 0..n {
        if let Resume::Close = yield_catch!(i) {
            push(&log, "closed");
            return;
        }
    }
    push(&log, "finished");
}

fn assert_send<F: std::future::Future + Send>(future: F) -> F {
    future
}

async fn in_println(log: Log) -> u32 {
    for_await!(for i in numbers(5, log.clone()) {
        println!(
            "{} {}",
            i,
            match i {
                0 => "zero",
                _ => break,
            }
        );
    });
    for_await!(for i in numbers(5, log.clone()) {
        let v = vec![i, if i == 1 { return i * 10 } else { i }];
        push(&log, format!("vec {v:?}"));
    });
    0
}

async fn in_assert(log: Log) -> Result<u32, String> {
    for_await!(for i in numbers(5, log.clone()) {
        assert!(i < 3 || Err(format!("at {i}"))?, "unreachable");
    });
    Ok(0)
}

#[tokio::test]
async fn exits_in_macro_arguments_close_the_generator() {
    let log = Log::default();
    assert_eq!(assert_send(in_println(log.clone())).await, 10);
    assert_eq!(*log.lock().unwrap(), ["closed", "vec [0, 0]", "closed"]);
    let log = Log::default();
    assert_eq!(
        assert_send(in_assert(log.clone())).await,
        Err("at 3".to_string())
    );
    assert_eq!(*log.lock().unwrap(), ["closed"]);
}
