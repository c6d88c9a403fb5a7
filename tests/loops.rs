//! `for_await!` and `aclosing`: loops and scopes that close their generator, with its async
//! cleanup, on every early exit (rule I10).

use std::cell::RefCell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::rc::Rc;

use agen_runtime::{aclosing, async_generator, for_await, yield_, yield_catch, Resume, Step};

type Log = Rc<RefCell<Vec<String>>>;

fn log() -> Log {
    Rc::new(RefCell::new(Vec::new()))
}

fn push(log: &Log, entry: impl Into<String>) {
    log.borrow_mut().push(entry.into());
}

fn entries(log: &Log) -> Vec<String> {
    log.borrow().clone()
}

/// Yields 0..n at catching yield points; a close runs async cleanup that logs "cleanup".
/// Running to the end logs "finished" instead.
#[async_generator(yield = u32)]
async fn numbers(n: u32, log: Log) {
    for i in 0..n {
        if let Resume::Close = yield_catch!(i) {
            tokio::task::yield_now().await;
            push(&log, "cleanup");
            return;
        }
    }
    push(&log, "finished");
}

#[tokio::test]
async fn i10_a_loop_that_runs_to_the_end_does_not_close() {
    let log = log();
    let mut seen = Vec::new();
    for_await!(i in numbers(3, log.clone()) {
        seen.push(i);
    });
    push(&log, "after the loop");
    assert_eq!(seen, [0, 1, 2]);
    assert_eq!(entries(&log), ["finished", "after the loop"]);
}

#[tokio::test]
async fn i10_break_closes_the_generator_before_the_code_after_the_loop() {
    let log = log();
    for_await!(i in numbers(10, log.clone()) {
        push(&log, format!("item {i}"));
        if i == 1 {
            break;
        }
    });
    push(&log, "after the loop");
    assert_eq!(
        entries(&log),
        ["item 0", "item 1", "cleanup", "after the loop"]
    );
}

#[tokio::test]
async fn i10_continue_stays_in_the_loop() {
    let log = log();
    let mut odd = Vec::new();
    for_await!(i in numbers(5, log.clone()) {
        if i % 2 == 0 {
            continue;
        }
        odd.push(i);
    });
    assert_eq!(odd, [1, 3]);
    assert_eq!(entries(&log), ["finished"]);
}

#[tokio::test]
async fn i10_break_and_continue_to_an_outer_label_close_first() {
    let log = log();
    let mut rounds = 0;
    'outer: for round in 0..3 {
        rounds += 1;
        for_await!(i in numbers(10, log.clone()) {
            if round == 0 && i == 1 {
                continue 'outer;
            }
            if round == 1 && i == 2 {
                break 'outer;
            }
        });
        unreachable!("every round leaves the inner loop early");
    }
    push(&log, "after the loops");
    assert_eq!(rounds, 2);
    assert_eq!(entries(&log), ["cleanup", "cleanup", "after the loops"]);
}

#[tokio::test]
async fn i10_a_labeled_for_await_can_be_left_from_an_inner_loop() {
    let log = log();
    for_await!('items: i in numbers(10, log.clone()) {
        for j in 0..3 {
            if j == 1 {
                break; // the inner `for`, not ours
            }
            if i == 2 {
                break 'items;
            }
            push(&log, format!("{i}.{j}"));
        }
    });
    push(&log, "after the loop");
    assert_eq!(entries(&log), ["0.0", "1.0", "cleanup", "after the loop"]);
}

async fn first_above(limit: u32, log: Log) -> Option<u32> {
    for_await!(i in numbers(10, log.clone()) {
        if i > limit {
            return Some(i);
        }
    });
    None
}

#[tokio::test]
async fn i10_return_closes_the_generator_before_the_function_returns() {
    let log = log();
    assert_eq!(first_above(2, log.clone()).await, Some(3));
    push(&log, "returned");
    assert_eq!(entries(&log), ["cleanup", "returned"]);
}

#[derive(Debug, PartialEq)]
struct TooBig(u32);

fn check(i: u32) -> Result<u32, TooBig> {
    if i < 2 {
        Ok(i)
    } else {
        Err(TooBig(i))
    }
}

async fn sum_checked(log: Log) -> Result<u32, TooBig> {
    let mut sum = 0;
    for_await!(i in numbers(10, log.clone()) {
        sum += check(i)?;
    });
    Ok(sum)
}

#[tokio::test]
async fn i10_question_mark_closes_the_generator_before_the_error_propagates() {
    let log = log();
    assert_eq!(sum_checked(log.clone()).await, Err(TooBig(2)));
    push(&log, "error seen");
    assert_eq!(entries(&log), ["cleanup", "error seen"]);
}

async fn first_even_above(limit: u32, log: Log) -> Option<u32> {
    let mut found = None;
    for_await!(i in numbers(10, log.clone()) {
        let above = (i > limit).then_some(i)?;
        if above % 2 == 0 {
            found = Some(above);
            break;
        }
    });
    found
}

#[tokio::test]
async fn i10_question_mark_on_option_closes_too() {
    let log = log();
    assert_eq!(
        first_even_above(0, log.clone()).await,
        None,
        "0 is not above 0"
    );
    assert_eq!(entries(&log), ["cleanup"]);
}

struct Dropped(Log);

impl Drop for Dropped {
    fn drop(&mut self) {
        push(&self.0, "body dropped");
    }
}

#[async_generator(yield = u32)]
async fn guarded(log: Log) {
    let _guard = Dropped(log.clone());
    for i in 0.. {
        if let Resume::Close = yield_catch!(i) {
            push(&log, "async cleanup");
            return;
        }
    }
}

#[test]
fn i10_a_panic_in_the_loop_drops_the_generator_without_async_cleanup() {
    let log = log();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let loop_log = log.clone();
    let panicked = catch_unwind(AssertUnwindSafe(|| {
        runtime.block_on(async {
            for_await!(i in guarded(loop_log.clone()) {
                if i == 1 {
                    panic!("loop body failed");
                }
            });
        })
    }));
    assert!(panicked.is_err());
    assert_eq!(entries(&log), ["body dropped"]);
}

struct Countdown(u32);

impl futures_core::Stream for Countdown {
    type Item = u32;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<u32>> {
        let item = self.0.checked_sub(1);
        self.0 = item.unwrap_or(0);
        std::task::Poll::Ready(item)
    }
}

#[tokio::test]
async fn for_await_iterates_any_stream() {
    let mut seen = Vec::new();
    for_await!(i in Countdown(4) {
        if i == 0 {
            break;
        }
        seen.push(i);
    });
    assert_eq!(seen, [3, 2, 1]);
}

#[async_generator(yield = u32)]
async fn doubled(log: Log) {
    for_await!(i in numbers(10, log.clone()) {
        if i == 2 {
            break;
        }
        yield_!(i * 2);
    });
    push(&log, "doubled done");
}

#[tokio::test]
async fn for_await_works_inside_a_generator_body_with_yield_points() {
    let log = log();
    let mut gen = std::pin::pin!(doubled(log.clone()));
    assert_eq!(gen.anext().await, Step::Yielded(0));
    assert_eq!(gen.anext().await, Step::Yielded(2));
    assert_eq!(gen.anext().await, Step::Returned(()));
    assert_eq!(entries(&log), ["cleanup", "doubled done"]);
}

#[tokio::test]
async fn i10_aclosing_closes_after_the_scope_however_it_ends() {
    let log = log();
    let closed = aclosing(numbers(10, log.clone()), async |mut gen| {
        let mut taken = Vec::new();
        while let Step::Yielded(i) = gen.anext().await {
            if i == 2 {
                return taken; // leaves the scope early
            }
            taken.push(i);
        }
        taken
    })
    .await;
    push(&log, "after the scope");
    assert_eq!(closed.value, [0, 1]);
    assert_eq!(closed.close, Ok(Some(())));
    assert_eq!(entries(&log), ["cleanup", "after the scope"]);
}

#[tokio::test]
async fn i10_aclosing_a_generator_that_finished_is_a_no_op() {
    let log = log();
    let closed = aclosing(numbers(2, log.clone()), async |mut gen| {
        while gen.anext().await.is_yielded() {}
    })
    .await;
    assert_eq!(closed.close, Ok(None));
    assert_eq!(entries(&log), ["finished"]);
}

/// The scope gets a reborrow of the pinned generator: swapping it with another generator's pin
/// changes which generator the scope drives, never which one `aclosing` closes.
#[tokio::test]
async fn i10_aclosing_closes_its_own_generator_even_if_the_scope_swaps_its_pin() {
    let (mine, other) = (log(), log());
    let mut other_gen = std::pin::pin!(numbers(10, other.clone()));
    assert_eq!(other_gen.anext().await, Step::Yielded(0));
    let closed = aclosing(numbers(10, mine.clone()), async |mut gen| {
        assert_eq!(gen.anext().await, Step::Yielded(0));
        let mut swapped = other_gen.as_mut();
        std::mem::swap(&mut gen, &mut swapped);
        assert_eq!(gen.anext().await, Step::Yielded(1)); // now driving the other one
    })
    .await;
    assert_eq!(closed.close, Ok(Some(())));
    assert_eq!(entries(&mine), ["cleanup"]);
    assert_eq!(entries(&other), Vec::<String>::new());
    assert!(!other_gen.is_exhausted());
}

#[derive(Debug, PartialEq)]
struct Fatal;

/// Yields 1 and 2, then fails: as a stream, `Ok(1)`, `Ok(2)`, `Err(Fatal)`.
#[async_generator(yield = u32)]
async fn failing() -> Result<(), Fatal> {
    yield_!(1);
    yield_!(2);
    Err(Fatal)
}

#[tokio::test]
async fn for_await_over_a_result_generator_sees_its_error_as_the_last_item() {
    let mut items = Vec::new();
    for_await!(item in failing() {
        items.push(item);
    });
    assert_eq!(items, [Ok(1), Ok(2), Err(Fatal)]);
}

async fn sum_until_failure() -> Result<u32, Fatal> {
    let mut sum = 0;
    for_await!(item in failing() {
        sum += item?;
    });
    Ok(sum)
}

#[tokio::test]
async fn question_mark_on_a_result_generators_items_propagates_its_error() {
    assert_eq!(sum_until_failure().await, Err(Fatal));
}

/// Returns a count, which a loop has no place for: the loop sees the items.
#[async_generator(yield = u32)]
async fn counted(log: Log) -> usize {
    for i in 0..5 {
        if let Resume::Close = yield_catch!(i) {
            push(&log, "cleanup");
            return i as usize;
        }
    }
    5
}

#[tokio::test]
async fn for_await_over_a_generator_with_any_return_type_sees_its_items_and_closes_it() {
    let log = log();
    let mut seen = Vec::new();
    for_await!(i in counted(log.clone()) {
        if i == 3 {
            break;
        }
        seen.push(i);
    });
    push(&log, "after the loop");
    assert_eq!(seen, [0, 1, 2]);
    assert_eq!(entries(&log), ["cleanup", "after the loop"]);
}

/// What the close of a loop left early gives back: an item yielded while being closed panics
/// (the generator broke the protocol; Python raises `RuntimeError`), a return value is dropped.
#[test]
fn i10_an_item_yielded_while_the_loop_closes_the_generator_panics() {
    #[async_generator(yield = u32)]
    async fn stubborn() {
        loop {
            if let Resume::Close = yield_catch!(1) {
                yield_!(2);
            }
        }
    }
    let panic = catch_unwind(AssertUnwindSafe(|| {
        futures_util::FutureExt::now_or_never(async {
            for_await!(for _ in stubborn() {
                break;
            });
        })
    }))
    .expect_err("the loop's close of a stubborn generator panics");
    let message = panic.downcast_ref::<&str>().copied().unwrap_or_default();
    assert!(message.contains("ignored GeneratorExit"), "{message}");
}

#[tokio::test]
async fn i10_a_value_the_generator_returns_while_the_loop_closes_it_is_dropped() {
    #[async_generator(yield = u32)]
    async fn counting(log: Log) -> u32 {
        let mut seen = 0;
        loop {
            if let Resume::Close = yield_catch!(seen) {
                push(&log, "cleanup");
                return seen;
            }
            seen += 1;
        }
    }
    let log = log();
    for_await!(for n in counting(log.clone()) {
        if n == 1 {
            break;
        }
    });
    // The loop evaluates to `()`; `aclosing` is the way to keep the close's outcome.
    assert_eq!(entries(&log), ["cleanup"]);
    let closed = aclosing(counting(log.clone()), async |mut gen| {
        while let Step::Yielded(n) = gen.anext().await {
            if n == 1 {
                break;
            }
        }
    })
    .await;
    assert_eq!(closed.close, Ok(Some(1)));
}

async fn first_pair_above(limit: u32, log: Log) -> Option<(u32, u32)> {
    for_await!(i in numbers(3, log.clone()) {
        for_await!(j in numbers(10, log.clone()) {
            if j > limit {
                return Some((i, j));
            }
        });
    });
    None
}

#[tokio::test]
async fn i10_a_return_from_a_nested_loop_closes_both_generators() {
    let log = log();
    assert_eq!(first_pair_above(1, log.clone()).await, Some((0, 2)));
    assert_eq!(entries(&log), ["cleanup", "cleanup"]);
}

#[tokio::test]
async fn i10_break_and_continue_out_of_nested_loops_close_each_generator_on_the_way() {
    let log = log();
    let mut rounds = 0;
    for_await!('outer: for round in numbers(3, log.clone()) {
        rounds += 1;
        for_await!(for i in numbers(10, log.clone()) {
            if round == 0 && i == 1 {
                continue 'outer;
            }
            if round == 1 && i == 2 {
                break 'outer;
            }
        });
        unreachable!("every round leaves the inner loop early");
    });
    push(&log, "after the loops");
    assert_eq!(rounds, 2);
    assert_eq!(
        entries(&log),
        ["cleanup", "cleanup", "cleanup", "after the loops"]
    );
}
