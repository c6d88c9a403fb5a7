//! A tour of the protocol: Python's `echo` generator, from the language reference, as an async
//! generator in Rust. It is started, sent a value, has an error thrown in, and is closed with
//! async cleanup; each step prints what happened and checks it.
//!
//! ```python
//! def echo(value=None):
//!     print("Execution starts when 'next()' is called for the first time.")
//!     try:
//!         while True:
//!             try:
//!                 value = (yield value)
//!             except Exception as e:
//!                 value = e
//!     finally:
//!         print("Don't forget to clean up when 'close()' is called.")
//! ```
//!
//! Run it with `cargo run --example tour`.

use std::fmt;
use std::time::Duration;

use agen_runtime::{async_generator, yield_catch, GenState, Resume, Step};

/// The error the tour throws in: Python's `TypeError("spam")`.
#[derive(Debug, Clone, PartialEq)]
struct TypeError(&'static str);

impl fmt::Display for TypeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TypeError({:?})", self.0)
    }
}

/// What `echo` yields: Python's `value`, which is `None`, a sent value, or a caught exception.
#[derive(Debug, Clone, PartialEq)]
enum Echoed {
    Nothing,
    Value(i64),
    Caught(TypeError),
}

#[async_generator(yield = Echoed, send = i64, throw = TypeError)]
async fn echo(first: i64, log: &mut Vec<String>) {
    log.push("execution starts when anext() is called for the first time".into());
    let mut value = Echoed::Value(first);
    loop {
        // `yield_catch!` hands the value out and evaluates to how the consumer resumed us.
        value = match yield_catch!(value) {
            Resume::Next => Echoed::Nothing,
            Resume::Send(sent) => Echoed::Value(sent),
            Resume::Throw(error) => Echoed::Caught(error),
            Resume::Close => {
                // Async cleanup: real awaits, run before `aclose()` returns.
                tokio::time::sleep(Duration::from_millis(5)).await;
                log.push("don't forget to clean up when aclose() is called".into());
                return;
            }
        };
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mut log = Vec::new();
    {
        let mut gen = std::pin::pin!(echo(1, &mut log));
        println!("created:            state = {:?}", gen.state());
        assert_eq!(gen.state(), GenState::Created);

        let step = gen.anext().await;
        println!("anext()          -> {step:?}");
        assert_eq!(step, Step::Yielded(Echoed::Value(1)));

        let step = gen.anext().await;
        println!("anext()          -> {step:?}");
        assert_eq!(step, Step::Yielded(Echoed::Nothing));

        let step = gen.asend(2).await;
        println!("asend(2)         -> {step:?}");
        assert_eq!(step, Ok(Step::Yielded(Echoed::Value(2))));

        let step = gen.athrow(TypeError("spam")).await;
        println!("athrow(spam)     -> {step:?}");
        assert_eq!(step, Ok(Step::Yielded(Echoed::Caught(TypeError("spam")))));

        let closed = gen.aclose().await;
        println!("aclose()         -> {closed:?}");
        assert_eq!(closed, Ok(Some(())));
        println!("closed:             state = {:?}", gen.state());
        assert_eq!(gen.state(), GenState::Closed);

        let step = gen.anext().await;
        println!("anext()          -> {step:?} (and so on, for ever)");
        assert_eq!(step, Step::Exhausted);
    }
    println!("\nwhat the generator logged:");
    for line in &log {
        println!("  {line}");
    }
    assert_eq!(
        log,
        [
            "execution starts when anext() is called for the first time",
            "don't forget to clean up when aclose() is called",
        ]
    );
}
