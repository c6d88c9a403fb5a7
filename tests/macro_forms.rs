//! Every form of `#[async_generator]` and `async_gen!`, driven through the protocol and as a
//! `Stream` under tokio.

use core::convert::Infallible;
use core::pin::pin;
use std::fmt::Display;

use agen_runtime::{async_gen, async_generator, closed, yield_, yield_catch, Resume, Step};
use futures_util::StreamExt;

/// Drains a generator with `anext`, returning its items and its return value.
macro_rules! drain {
    ($gen:expr) => {{
        let mut gen = pin!($gen);
        let mut items = Vec::new();
        loop {
            match gen.anext().await {
                Step::Yielded(item) => items.push(item),
                Step::Returned(value) => break (items, value),
                Step::Exhausted => panic!("exhausted before returning"),
            }
        }
    }};
}

#[async_generator(yield = u32)]
async fn countdown(from: u32) -> &'static str {
    let mut n = from;
    while n > 0 {
        yield_!(n);
        n -= 1;
    }
    "liftoff"
}

#[tokio::test]
async fn free_fn_yields_items_then_returns_its_value() {
    assert_eq!(drain!(countdown(3)), (vec![3, 2, 1], "liftoff"));
}

#[async_generator(yield = u64, send = u64)]
async fn running_total(start: u64) -> u64 {
    let mut total = start;
    while let Some(x) = yield_!(total) {
        total += x;
    }
    total
}

#[tokio::test]
async fn yield_evaluates_to_none_after_anext_and_some_after_asend() {
    let mut gen = pin!(running_total(10));
    assert_eq!(gen.anext().await, Step::Yielded(10));
    assert_eq!(gen.asend(5).await.unwrap(), Step::Yielded(15));
    assert_eq!(gen.asend(1).await.unwrap(), Step::Yielded(16));
    assert_eq!(gen.anext().await, Step::Returned(16));
}

struct Bag {
    items: Vec<String>,
    taken: usize,
}

impl Bag {
    #[async_generator(yield = &str)]
    async fn borrow_each(&self) -> usize {
        for item in &self.items {
            yield_!(item.as_str());
        }
        self.items.len()
    }

    #[async_generator(yield = String)]
    async fn take_each(&mut self) {
        while let Some(item) = self.items.pop() {
            self.taken += 1;
            yield_!(item);
        }
    }

    #[async_generator(yield = String)]
    async fn into_each(self) -> usize {
        let taken = self.taken;
        for item in self.items {
            yield_!(item);
        }
        taken
    }

    #[async_generator(yield = String)]
    pub(crate) async fn boxed_each(self: Box<Self>) {
        for item in self.items {
            yield_!(item);
        }
    }
}

fn bag() -> Bag {
    Bag {
        items: vec!["a".into(), "b".into()],
        taken: 0,
    }
}

#[tokio::test]
async fn method_borrowing_self_holds_the_borrow_across_yields() {
    let bag = bag();
    let (items, len) = drain!(bag.borrow_each());
    assert_eq!((items, len), (vec!["a", "b"], 2));
}

#[tokio::test]
async fn method_on_mut_self_mutates_across_yields() {
    let mut bag = bag();
    let (items, ()) = drain!(bag.take_each());
    assert_eq!(items, ["b", "a"]);
    assert_eq!((bag.items.len(), bag.taken), (0, 2));
}

#[tokio::test]
async fn method_taking_self_by_value_and_boxed_self() {
    assert_eq!(drain!(bag().into_each()), (vec!["a".into(), "b".into()], 0));
    assert_eq!(drain!(Box::new(bag()).boxed_each()).0, ["a", "b"]);
}

trait Source {
    fn base(&self) -> u32;

    /// A required generator method.
    #[async_generator(yield = u32)]
    async fn numbers(&self, count: u32) -> u32;

    /// A default generator method.
    #[async_generator(yield = u32)]
    async fn doubled(&self, count: u32) -> u32 {
        let mut sum = 0;
        for i in 0..count {
            sum += 2 * (self.base() + i);
            yield_!(2 * (self.base() + i));
        }
        sum
    }
}

struct From10;

impl Source for From10 {
    fn base(&self) -> u32 {
        10
    }

    #[async_generator(yield = u32)]
    async fn numbers(&self, count: u32) -> u32 {
        for i in 0..count {
            yield_!(self.base() + i);
        }
        count
    }
}

#[tokio::test]
async fn trait_impl_method_and_default_method() {
    assert_eq!(drain!(From10.numbers(2)), (vec![10, 11], 2));
    assert_eq!(drain!(From10.doubled(2)), (vec![20, 22], 42));
}

#[async_generator(yield = (usize, T))]
async fn enumerate_all<T, I>(items: I) -> usize
where
    I: IntoIterator<Item = T>,
    T: Clone,
{
    let mut count = 0;
    for (i, item) in items.into_iter().enumerate() {
        yield_!((i, item.clone()));
        count += 1;
    }
    count
}

#[tokio::test]
async fn generic_fn_with_where_clause() {
    let (items, count) = drain!(enumerate_all(vec!['x', 'y']));
    assert_eq!((items, count), (vec![(0, 'x'), (1, 'y')], 2));
}

#[async_generator(yield = &'a str)]
async fn words<'a>(text: &'a str, sep: &str) -> usize {
    let mut n = 0;
    for word in text.split(sep) {
        yield_!(word);
        n += 1;
    }
    n
}

#[tokio::test]
async fn named_and_elided_lifetimes() {
    let text = String::from("a b c");
    let sep = String::from(" ");
    assert_eq!(drain!(words(&text, &sep)), (vec!["a", "b", "c"], 3));
}

#[async_generator(yield = String)]
async fn show_all(items: impl IntoIterator<Item = impl Display>) {
    for item in items {
        yield_!(item.to_string());
    }
}

#[tokio::test]
async fn impl_trait_arguments() {
    assert_eq!(drain!(show_all([1, 2])).0, ["1", "2"]);
}

#[async_generator(yield = u8)]
async fn patterns((a, b): (u8, u8), mut c: u8, _: String, [d, ..]: [u8; 2]) {
    c += 1;
    yield_!(a);
    yield_!(b);
    yield_!(c);
    yield_!(d);
}

#[tokio::test]
async fn argument_patterns_and_mut_bindings() {
    assert_eq!(
        drain!(patterns((1, 2), 3, String::new(), [5, 6])).0,
        [1, 2, 4, 5]
    );
}

#[async_generator(yield = u8)]
async fn ref_patterns(ref mut counter: u8, ref label: String) {
    *counter += 1;
    yield_!(*counter);
    *counter += u8::try_from(label.len()).unwrap_or(0);
    yield_!(*counter);
}

#[tokio::test]
async fn ref_and_ref_mut_argument_patterns() {
    assert_eq!(drain!(ref_patterns(1, String::from("ab"))).0, [2, 4]);
}

#[async_generator(yield = &'static str)]
async fn cfg_statements() {
    #[cfg(any())]
    yield_!("compiled out");
    #[cfg(test)]
    yield_!("compiled in");
    #[cfg(any())]
    {
        yield_!("block compiled out");
    }
}

#[tokio::test]
async fn cfg_on_statements_is_respected() {
    assert_eq!(drain!(cfg_statements()).0, ["compiled in"]);
}

#[async_generator(yield = u32)]
async fn parse_all(inputs: Vec<&'static str>) -> Result<u32, std::num::ParseIntError> {
    let mut sum = 0;
    for input in inputs {
        let n: u32 = input.parse()?;
        sum += n;
        yield_!(n);
    }
    Ok(sum)
}

#[tokio::test]
async fn question_mark_returns_through_the_declared_type() {
    let (items, result) = drain!(parse_all(vec!["1", "2"]));
    assert_eq!((items, result), (vec![1, 2], Ok(3)));
    let (items, result) = drain!(parse_all(vec!["1", "x", "3"]));
    assert_eq!(items, [1]);
    assert!(result.is_err());
}

#[async_generator(yield = u32)]
async fn parse_each(inputs: Vec<&'static str>) -> Result<(), std::num::ParseIntError> {
    for input in inputs {
        yield_!(input.parse()?);
    }
    Ok(())
}

#[tokio::test]
async fn a_result_returning_generator_streams_results() {
    let items: Vec<_> = parse_each(vec!["4", "x", "5"]).collect().await;
    assert_eq!(items.len(), 2);
    assert_eq!(items[0], Ok(4));
    assert!(items[1].is_err());
}

#[async_generator(yield = u32, send = u32)]
#[allow(clippy::never_loop, clippy::redundant_else)]
async fn control_flow(flag: bool) {
    // if / else
    if flag {
        yield_!(1);
    } else {
        yield_!(0);
    }
    // match arms, with and without guards
    match yield_!(2) {
        Some(n) if n > 100 => {
            yield_!(n);
        }
        Some(n) => yield_!(n + 1000).map_or((), drop),
        None => {}
    }
    // loop / while / for
    let mut i = 0;
    loop {
        i += 1;
        if i > 1 {
            break;
        }
        yield_!(10 + i);
    }
    while i < 3 {
        yield_!(20 + i);
        i += 1;
    }
    for j in 0..1 {
        yield_!(30 + j);
    }
    // let … else
    let Some(sent) = yield_!(40) else {
        yield_!(41);
        return;
    };
    // blocks and labeled breaks
    let got = 'outer: {
        {
            yield_!(sent);
        }
        if sent == 7 {
            break 'outer yield_!(50);
        }
        None
    };
    assert_eq!(got, None);
    // a yield point in an argument, an operand, a tuple
    let pair = (yield_!(60), u32::from(yield_!(61).is_some()));
    assert_eq!(pair, (None, 0));
}

#[tokio::test]
async fn yield_points_in_every_control_flow_position() {
    let mut gen = pin!(control_flow(true));
    let mut seen = vec![];
    let mut step = gen.anext().await;
    while let Step::Yielded(n) = step {
        seen.push(n);
        step = match n {
            2 => gen.asend(500).await.unwrap(),
            40 => gen.asend(7).await.unwrap(),
            _ => gen.anext().await,
        };
    }
    assert_eq!(seen, [1, 2, 500, 11, 22, 30, 40, 7, 50, 60, 61]);
    assert_eq!(step, Step::Returned(()));
}

// `vec!` is the point of this test, not an oversight.
#[allow(clippy::useless_vec)]
#[async_generator(yield = u32, send = u32)]
async fn inside_other_macros() {
    let v = vec![yield_!(1), yield_!(2)];
    assert_eq!(v, [None, None]);
    let w = vec![yield_!(3); 2];
    assert_eq!(w.len(), 2);
    println!("{:?}", yield_!(4));
    assert_eq!(yield_!(5), None);
    assert!(yield_!(6).is_none(), "{:?}", yield_!(7));
}

#[tokio::test]
async fn yield_points_inside_vec_println_and_assert_macros() {
    assert_eq!(drain!(inside_other_macros()).0, [1, 2, 3, 4, 5, 6]);
}

#[test]
fn async_gen_with_bare_yield_and_inferred_types() {
    let gen = async_gen! {
        for i in 1..=3_u8 {
            yield i * 10;
        }
    };
    let items: Vec<u8> = futures_executor_block_on(gen.collect());
    assert_eq!(items, [10, 20, 30]);
}

#[tokio::test]
async fn async_gen_with_a_header_declaring_every_type() {
    let gen = async_gen!(yield = u64, send = u64, throw = String, return = Result<u64, String> => {
        let mut total = 0;
        loop {
            match yield_catch!(total) {
                Resume::Send(x) => total += x,
                Resume::Next => {}
                Resume::Throw(error) => return Err(error),
                Resume::Close => closed!(),
            }
        }
    });
    let mut gen = pin!(gen);
    assert_eq!(gen.anext().await, Step::Yielded(0));
    assert_eq!(gen.asend(4).await.unwrap(), Step::Yielded(4));
    let step = gen.athrow("boom".to_owned()).await.unwrap();
    assert_eq!(step, Step::Returned(Err("boom".to_owned())));
}

#[tokio::test]
async fn async_gen_moves_its_captures_and_mixes_yield_forms() {
    let words = vec!["a".to_owned(), "b".to_owned()];
    let gen = async_gen! {
        for word in words {
            yield word;
        }
        yield_!("c".to_owned());
    };
    let items: Vec<String> = gen.collect().await;
    assert_eq!(items, ["a", "b", "c"]);
}

#[derive(Debug, PartialEq)]
struct Fault(&'static str);

#[async_generator(yield = u32, throw = Fault)]
async fn resilient(log: std::sync::Arc<std::sync::Mutex<Vec<String>>>) -> u32 {
    let mut recovered = 0;
    let mut n = 0;
    loop {
        match yield_catch!(n) {
            Resume::Next | Resume::Send(_) => n += 1,
            Resume::Throw(Fault(why)) => {
                recovered += 1;
                log.lock().unwrap().push(format!("caught {why}"));
            }
            Resume::Close => {
                tokio::time::sleep(std::time::Duration::from_millis(1)).await;
                tokio::task::yield_now().await;
                log.lock().unwrap().push("cleaned up".to_owned());
                return recovered;
            }
        }
    }
}

#[tokio::test]
async fn yield_catch_catches_a_throw_and_runs_async_cleanup_on_close() {
    let log = std::sync::Arc::default();
    let mut gen = pin!(resilient(std::sync::Arc::clone(&log)));
    assert_eq!(gen.anext().await, Step::Yielded(0));
    assert_eq!(gen.athrow(Fault("bad")).await.unwrap(), Step::Yielded(0));
    assert_eq!(gen.anext().await, Step::Yielded(1));
    assert_eq!(gen.aclose().await.unwrap(), Some(1));
    assert_eq!(*log.lock().unwrap(), ["caught bad", "cleaned up"]);
}

#[async_generator(yield = u32)]
async fn closes_without_value() -> u32 {
    loop {
        if let Resume::Close = yield_catch!(1) {
            tokio::task::yield_now().await;
            closed!();
        }
    }
}

#[tokio::test]
async fn closed_ends_the_body_with_no_return_value() {
    let mut gen = pin!(closes_without_value());
    assert_eq!(gen.anext().await, Step::Yielded(1));
    assert_eq!(gen.anext().await, Step::Yielded(1));
    assert_eq!(gen.aclose().await.unwrap(), None);
    assert_eq!(gen.anext().await, Step::Exhausted);
}

#[async_generator(yield = u64)]
async fn ticks(n: u64) {
    for i in 0..n {
        tokio::task::yield_now().await;
        yield_!(i);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_generator_runs_in_a_spawned_task_on_the_multi_thread_runtime() {
    let handle = tokio::spawn(async {
        let gen = Box::pin(ticks(4));
        gen.collect::<Vec<_>>().await
    });
    assert_eq!(handle.await.unwrap(), [0, 1, 2, 3]);
}

#[tokio::test]
async fn a_generator_is_a_stream() {
    let doubled: Vec<u64> = ticks(3).map(|x| x * 2).collect().await;
    assert_eq!(doubled, [0, 2, 4]);
}

#[async_generator(yield = Infallible)]
async fn never_yields() -> u8 {
    7
}

#[tokio::test]
async fn a_generator_that_never_yields_returns_at_once() {
    assert_eq!(drain!(never_yields()), (vec![], 7));
}

/// Runs a future to completion on a fresh current-thread runtime.
/// A trait whose generator method promises `Send` (`bound = Send`), so generic code can move the
/// generator into a spawned task. Without the bound the returned `impl Body` is not known to be
/// `Send` here and `tokio::spawn` does not compile.
trait Feed {
    #[async_generator(yield = u32, bound = Send)]
    async fn items(self, count: u32);
}

struct Counter(u32);

impl Feed for Counter {
    #[async_generator(yield = u32, bound = Send)]
    async fn items(self, count: u32) {
        for i in 0..count {
            tokio::task::yield_now().await;
            yield_!(self.0 + i);
        }
    }
}

async fn spawn_and_collect<F: Feed + Send + 'static>(feed: F) -> Vec<u32> {
    tokio::spawn(async move {
        let items = pin!(feed.items(3));
        items.collect::<Vec<u32>>().await
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trait_generator_method_with_a_send_bound_runs_in_a_spawned_task() {
    assert_eq!(spawn_and_collect(Counter(5)).await, [5, 6, 7]);
}

/// A trait declared without agen, its method returning `impl Stream`: an impl writes the
/// method with the attribute and the trait's signature as it is, and the generator is returned
/// as that type.
trait Rows {
    fn rows(&self) -> impl futures_core::Stream<Item = String> + Send + '_;
    fn parsed(
        &self,
    ) -> impl futures_core::Stream<Item = Result<u32, std::num::ParseIntError>> + Send + '_;
}

struct Table(Vec<&'static str>);

impl Rows for Table {
    #[async_generator(yield = String)]
    async fn rows(&self) -> impl futures_core::Stream<Item = String> + Send + '_ {
        for row in &self.0 {
            yield_!(row.to_uppercase());
        }
    }

    // `try`: the body's value is `Result<(), E>`, `Ok(())` at its end; `?` ends the stream with
    // the error as its last item.
    #[async_generator(yield = u32, try)]
    async fn parsed(
        &self,
    ) -> impl futures_core::Stream<Item = Result<u32, std::num::ParseIntError>> + Send + '_ {
        for row in &self.0 {
            yield_!(row.parse()?);
        }
    }
}

async fn all_rows<R: Rows>(source: &R) -> Vec<String> {
    pin!(source.rows()).collect().await
}

#[tokio::test]
async fn an_impl_of_a_trait_method_returning_impl_stream() {
    let table = Table(vec!["a", "b"]);
    assert_eq!(all_rows(&table).await, ["A", "B"]);
    let numbers = Table(vec!["1", "2"]);
    let parsed: Vec<_> = pin!(numbers.parsed()).collect().await;
    assert_eq!(parsed, [Ok(1), Ok(2)]);
    let parsed: Vec<_> = pin!(table.parsed()).collect().await;
    assert_eq!(parsed.len(), 1);
    assert!(parsed[0].is_err());
}

fn futures_executor_block_on<F: core::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(future)
}

/// `async_gen!(try => { … })`: the port of async-stream's `try_stream!`: `?` works, no
/// trailing `Ok(())`, and the error ends the stream as its last item.
fn parse_lines(
    lines: &'static [&'static str],
) -> impl futures_core::Stream<Item = Result<u32, std::num::ParseIntError>> {
    async_gen!(try => {
        for line in lines {
            let n: u32 = line.parse()?;
            yield n;
        }
    })
}

#[tokio::test]
async fn try_form_streams_items_then_the_error() {
    use futures_util::StreamExt;
    let items: Vec<_> = std::pin::pin!(parse_lines(&["1", "2", "x", "4"]))
        .collect()
        .await;
    assert_eq!(items.len(), 3);
    assert_eq!(items[0], Ok(1));
    assert_eq!(items[1], Ok(2));
    assert!(items[2].is_err());
    let all: Vec<_> = std::pin::pin!(parse_lines(&["7"])).collect().await;
    assert_eq!(all, [Ok(7)]);
}

/// A body without a yield point yields `()` items, as `stream!` does, so it needs no header.
#[tokio::test]
async fn a_yield_free_async_gen_yields_unit() {
    use futures_util::StreamExt;
    let empty = async_gen! {};
    let items: Vec<()> = std::pin::pin!(empty).collect().await;
    assert!(items.is_empty());
    let ran = std::cell::Cell::new(false);
    let ran_ref = &ran;
    let side_effect = async_gen! {
        ran_ref.set(true);
    };
    let items: Vec<()> = std::pin::pin!(side_effect).collect().await;
    assert!(items.is_empty() && ran.get());
}

/// Generators nested in generators, all with bare `yield` and inferred item types: the outer
/// one's rewrite of the inner one's `yield` keeps the inner one's item type inferred.
#[tokio::test]
async fn nested_expression_generators_infer_their_own_item_types() {
    use futures_util::StreamExt;
    let outer = async_gen! {
        let inner = async_gen! {
            yield "inner";
        };
        let words: Vec<&str> = std::pin::pin!(inner).collect().await;
        yield words.len();
    };
    let items: Vec<usize> = std::pin::pin!(outer).collect().await;
    assert_eq!(items, [1]);
}

/// An `async_gen!` with bare `yield` inside a closure of another generator's body is a body of
/// its own: its yields are its own, not the outer body's misplaced ones.
#[tokio::test]
async fn an_inner_async_gen_in_a_closure_of_a_body_has_its_own_bare_yields() {
    #[async_generator(yield = u32)]
    async fn outer() {
        let make = |n: u32| async_gen! { yield n; yield n + 1; };
        let inner = make(10);
        let items: Vec<u32> = pin!(inner).collect().await;
        for item in items {
            yield_!(item);
        }
    }
    assert_eq!(drain!(outer()), (vec![10, 11], ()));
}

/// A value that counts its drops, for the tests of when an item's temporaries are dropped.
struct Noted<'a>(&'a std::cell::Cell<u32>, u32);

impl Noted<'_> {
    fn value(&self) -> u32 {
        self.1
    }
}

impl Drop for Noted<'_> {
    fn drop(&mut self) {
        self.0.set(self.0.get() + 1);
    }
}

/// The temporaries of a yield point's item are dropped before the body suspends, in debug and in
/// release builds alike: an `Rc` that only a temporary holds leaves the generator `Send`, and a
/// temporary's destructor has run when the consumer gets the item.
#[test]
fn the_temporaries_of_an_item_are_dropped_before_the_body_suspends() {
    use std::cell::Cell;
    use std::rc::Rc;

    #[async_generator(yield = u32)]
    async fn from_a_temporary_rc() {
        yield_!(*Rc::new(1));
        let n = async_gen! { yield *Rc::new(2_u32); };
        let () = futures_util::StreamExt::for_each(n, |_| async {}).await;
    }
    fn assert_send<T: Send>(_: &T) {}
    assert_send(&from_a_temporary_rc());

    let dropped = Cell::new(0);
    let counter = &dropped;
    let gen = async_gen! {
        yield Noted(counter, 7).value();
        yield Noted(counter, 8).value();
    };
    let mut gen = pin!(gen);
    let mut seen = Vec::new();
    futures_executor_block_on(async {
        while let Step::Yielded(item) = gen.anext().await {
            seen.push((item, dropped.get()));
        }
    });
    assert_eq!(seen, [(7, 1), (8, 2)]);
}

/// With the item type inferred from the first yield point (`&[u8]`), a later item is coerced to
/// it (`&[u8; 2]` to `&[u8]`), in debug builds as in release builds: the yield point checks the
/// item against the generator's type, not the other way round.
#[test]
fn a_later_item_is_coerced_to_the_inferred_item_type() {
    let gen = async_gen! {
        yield_!(&[1_u8][..]);
        yield_!(&[2_u8, 3]);
        yield &[4_u8, 5, 6];
    };
    let mut gen = pin!(gen);
    let mut seen: Vec<Vec<u8>> = Vec::new();
    futures_executor_block_on(async {
        while let Step::Yielded(item) = gen.anext().await {
            seen.push(item.to_vec());
        }
    });
    assert_eq!(seen, [vec![1], vec![2, 3], vec![4, 5, 6]]);
}

/// A yield point in the item of another: the inner one is reached, and resumed, first; what it
/// evaluates to goes into the outer item.
#[test]
fn a_yield_point_in_the_item_of_another_runs_first() {
    #[async_generator(yield = u32, send = u32)]
    async fn nested() {
        let outer = yield_!(yield_!(1).unwrap_or(100) + 10);
        yield_!(outer.unwrap_or(1000));
    }
    let mut gen = pin!(nested());
    futures_executor_block_on(async {
        assert_eq!(gen.anext().await, Step::Yielded(1));
        assert_eq!(gen.asend(5).await, Ok(Step::Yielded(15)));
        assert_eq!(gen.anext().await, Step::Yielded(1000));
        assert_eq!(gen.anext().await, Step::Returned(()));
    });
}

/// The item is held once in the body's future, by the yield point (in debug builds, until the
/// yield point's first poll; in release builds, as the argument that goes into the exchange's
/// slot): the local it is bound to first takes no room of its own.
#[test]
fn an_item_takes_no_room_in_the_body_but_the_yield_point_s() {
    #[async_generator(yield = [u8; 1024])]
    async fn big() {
        yield_!([1_u8; 1024]);
        yield_!([2_u8; 1024]);
    }
    let gen = big();
    // The yield point's future holds the item (and the handle's link) in debug builds.
    assert!(
        gen.__body_future_size() < 2 * 1024,
        "{}",
        gen.__body_future_size()
    );
}

/// A temporary that the item's `let` extends (`&Rc::new(1) as *const _ as usize`) is dropped
/// before the body suspends too, in debug and release builds alike: the generator stays `Send`,
/// and the temporary's destructor has run when the consumer gets the item.
#[test]
fn an_extended_temporary_of_an_item_is_dropped_before_the_body_suspends() {
    use std::cell::Cell;
    use std::rc::Rc;

    #[async_generator(yield = usize)]
    async fn address() {
        yield_!(&Rc::new(1) as *const Rc<i32> as usize);
    }
    fn assert_send<T: Send>(_: &T) {}
    assert_send(&address());

    let dropped = Cell::new(0);
    let counter = &dropped;
    let gen = async_gen! {
        yield &Noted(counter, 1) as *const Noted<'_> as usize;
        yield (&Noted(counter, 2),).0 as *const Noted<'_> as usize;
    };
    let mut gen = pin!(gen);
    let mut seen = Vec::new();
    futures_executor_block_on(async {
        while let Step::Yielded(_) = gen.anext().await {
            seen.push(dropped.get());
        }
    });
    assert_eq!(seen, [1, 2]);
}
