//! Attacks on `try_finally!` and `for_await!`: ways out of the `try` block or the loop body that
//! their rewriting does not see, and a `finally` block that yields while a thrown error waits in
//! it. (The body ending from inside a loop closes the loop's generator: `tests/loop_body_end.rs`.)

use std::cell::RefCell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::pin;
use std::rc::Rc;

use agen_runtime::{async_generator, for_await, try_finally, yield_, yield_catch, Resume, Step};

#[path = "common/log.rs"]
mod logging;
use logging::{entries, log, note, run, Log};

fn message(panic: Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_default()
}

/// Counts the thrown errors alive, so a lost one shows.
struct Tracked(Rc<RefCell<i32>>, &'static str);

impl Tracked {
    fn new(count: &Rc<RefCell<i32>>, name: &'static str) -> Self {
        *count.borrow_mut() += 1;
        Tracked(count.clone(), name)
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        *self.0.borrow_mut() -= 1;
    }
}

impl std::fmt::Debug for Tracked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.1)
    }
}

/// A throw at a plain yield point of the `try` block, whose `finally` block then yields: the
/// `athrow` returns that item, and the error waits in the body. The next `anext` finishes the
/// `finally` block and raises the error out of a step that has no place for it.
#[test]
fn a_finally_block_that_yields_after_a_throw() {
    #[async_generator(yield = u32, throw = Tracked)]
    async fn gen(log: Log) {
        try_finally! {
            try {
                yield_!(1);
            } finally {
                note(&log, "finally starts");
                yield_!(2);
                note(&log, "finally ends");
            }
        }
    }
    let log = log();
    let count = Rc::new(RefCell::new(0));
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        run(async {
            let mut g = pin!(gen(log.clone()));
            assert_eq!(g.anext().await, Step::Yielded(1));
            let thrown = g.athrow(Tracked::new(&count, "boom")).await;
            note(&log, format!("athrow: {thrown:?}"));
            let next = g.anext().await;
            note(&log, format!("anext: {next:?}"));
        })
    }));
    let panicked = outcome.err().map(message);
    println!("log: {:?}\npanic: {panicked:?}", entries(&log));
    assert_eq!(*count.borrow(), 0);
    // The error went nowhere: the step that raised it panics.
    assert_eq!(
        entries(&log),
        ["finally starts", "athrow: Ok(Yielded(2))", "finally ends"]
    );
    assert!(panicked.unwrap().contains("outside an athrow step"));
}

/// A generator the `for_await!` loop owns, with async cleanup.
#[async_generator(yield = u32)]
async fn source(log: Log) {
    for n in 0.. {
        if let Resume::Close = yield_catch!(n) {
            note(&log, "source cleanup");
            return;
        }
    }
}

/// A `break` on `Resume::Close` in a loop body: the loop's generator is closed, then the body
/// goes on after the loop.
#[test]
fn a_close_caught_in_a_for_await_loop_closes_the_loop_generator() {
    #[async_generator(yield = u32)]
    async fn gen(log: Log) {
        for_await!(for n in source(log.clone()) {
            if let Resume::Close = yield_catch!(n) {
                break;
            }
        });
        note(&log, "after the loop");
    }
    let log = log();
    run(async {
        let mut g = pin!(gen(log.clone()));
        assert_eq!(g.anext().await, Step::Yielded(0));
        assert_eq!(g.aclose().await, Ok(Some(())));
    });
    assert_eq!(entries(&log), ["source cleanup", "after the loop"]);
}

/// A labeled `break` inside a macro whose input is not an expression (a label): the rewriting
/// never sees it, and it leaves the `try` block for the enclosing loop. (An unlabeled one is
/// E0695.)
#[test]
fn a_labeled_break_inside_a_macro_leaves_the_block() {
    macro_rules! leave {
        ($label:lifetime) => {
            break $label
        };
    }
    #[async_generator(yield = u32)]
    async fn gen(log: Log) {
        'outer: loop {
            try_finally! {
                try {
                    yield_!(1);
                    leave!('outer);
                } finally {
                    note(&log, "finally");
                }
            }
        }
        note(&log, "after the loop");
    }
    let log = log();
    run(async {
        let mut g = pin!(gen(log.clone()));
        assert_eq!(g.anext().await, Step::Yielded(1));
        assert_eq!(g.anext().await, Step::Returned(()));
    });
    assert_eq!(
        entries(&log),
        ["after the loop"],
        "the finally block ran after all"
    );
}

/// A `return` in a macro whose input is not a list of expressions: left as it is, it returns
/// from the body past the `finally` block.
#[test]
fn a_return_inside_a_macro_of_its_own_syntax_leaves_the_block() {
    macro_rules! when {
        ($cond:expr => $then:expr) => {
            if $cond {
                $then
            }
        };
    }
    #[async_generator(yield = u32)]
    async fn gen(log: Log) -> u32 {
        try_finally! {
            try {
                yield_!(1);
                when!(true => return 7);
            } finally {
                note(&log, "finally");
            }
        }
        0
    }
    let log = log();
    run(async {
        let mut g = pin!(gen(log.clone()));
        assert_eq!(g.anext().await, Step::Yielded(1));
        assert_eq!(g.anext().await, Step::Returned(7));
    });
    assert_eq!(
        entries(&log),
        Vec::<String>::new(),
        "the finally block ran after all"
    );
}

/// The same for `for_await!`: a `return` inside a macro of its own syntax leaves the loop
/// without closing the generator the loop owns.
#[test]
fn a_return_inside_a_macro_of_its_own_syntax_leaves_a_for_await_loop_unclosed() {
    macro_rules! when {
        ($cond:expr => $then:expr) => {
            if $cond {
                $then
            }
        };
    }
    async fn first(log: Log) -> u32 {
        for_await!(for n in source(log.clone()) {
            when!(n == 1 => return n);
        });
        0
    }
    let log = log();
    assert_eq!(run(first(log.clone())), 1);
    assert_eq!(
        entries(&log),
        Vec::<String>::new(),
        "the loop closed its generator after all"
    );
}

/// `try_finally!` inside a `for_await!` loop body, the other way round from
/// `return_from_a_for_await_in_the_block_…` (tests/finally.rs): the loop is expanded first, so
/// it expands the block itself and sees the `return` the block's expansion makes after its
/// `finally` block: the `finally` block runs, then the loop closes its generator, then the body
/// returns.
#[test]
fn a_return_from_a_try_block_inside_a_for_await_loop_closes_the_loops_generator() {
    #[async_generator(yield = u32)]
    async fn gen(log: Log) -> u32 {
        for_await!(for n in source(log.clone()) {
            try_finally! {
                try {
                    if n == 1 {
                        return n;
                    }
                } finally {
                    note(&log, "finally");
                }
            }
        });
        0
    }
    let log = log();
    let step = run(async { pin!(gen(log.clone())).anext().await });
    assert_eq!(step, Step::Returned(1));
    assert_eq!(entries(&log), ["finally", "finally", "source cleanup"]);
}

/// The same with `?`.
#[test]
fn a_question_mark_in_a_try_block_inside_a_for_await_loop_closes_the_loops_generator() {
    #[async_generator(yield = u32)]
    async fn gen(log: Log) -> Result<u32, &'static str> {
        for_await!(for n in source(log.clone()) {
            try_finally! {
                try {
                    if n == 1 {
                        Err("stop")?;
                    }
                } finally {
                    note(&log, "finally");
                }
            }
        });
        Ok(0)
    }
    let log = log();
    let step = run(async { pin!(gen(log.clone())).anext().await });
    assert_eq!(step, Step::Returned(Err("stop")));
    assert_eq!(entries(&log), ["finally", "finally", "source cleanup"]);
}

/// A `return` that comes from a macro's definition (not from its input) in the `try` block: no
/// rewriting can see it, and it returns from the body past the `finally` block.
#[test]
fn a_return_from_a_macro_definition_leaves_the_block() {
    macro_rules! bail {
        () => {
            return 9
        };
    }
    #[async_generator(yield = u32)]
    async fn gen(log: Log) -> u32 {
        try_finally! {
            try {
                yield_!(1);
                bail!();
            } finally {
                note(&log, "finally");
            }
        }
    }
    let log = log();
    run(async {
        let mut g = pin!(gen(log.clone()));
        assert_eq!(g.anext().await, Step::Yielded(1));
        assert_eq!(g.anext().await, Step::Returned(9));
    });
    assert_eq!(
        entries(&log),
        Vec::<String>::new(),
        "the finally block ran after all"
    );
}
