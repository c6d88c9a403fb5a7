//! A paginated fetch from a flaky API, in two layers.
//!
//! - `pages` talks to the API. It yields each item it fetched, and when a page fails with a
//!   transient error it yields the failure instead and waits at a catching yield point: the
//!   consumer decides. `athrow(Retry)` fetches the page again; `anext()` gives up, and the body
//!   returns the error. A fatal error ends the body through `?`.
//! - `items` is a retry policy written as a generator: it drives `pages`, throws `Retry` in up to
//!   `max_retries` times per page, and yields only the items. Its body returns
//!   `Result<(), FetchError>`, so it is a `Stream` of `Result<Item, FetchError>` whose last item
//!   is the error that ended it, if any (like `try_stream!`).
//!
//! The API is simulated in-process: each request sleeps a little, and the script of each run says
//! which requests fail. The example checks every path: retried successes, a fatal error, and a
//! retry budget running out.
//!
//! Run it with `cargo run --example paginated`.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::pin::pin;
use std::time::Duration;

use agen_runtime::{async_generator, yield_, yield_catch, Resume, Step};
use futures_util::StreamExt;

type Item = u32;

/// What a request can fail with.
#[derive(Debug, Clone, PartialEq)]
enum FetchError {
    /// The server was busy: the same request may succeed later.
    Unavailable { page: usize, attempt: u32 },
    /// The server refused the page: retrying cannot help.
    Forbidden { page: usize },
    /// The retry policy stopped retrying a transient failure.
    GaveUp { page: usize, attempts: u32 },
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FetchError::Unavailable { page, attempt } => {
                write!(f, "page {page}: 503 unavailable (attempt {attempt})")
            }
            FetchError::Forbidden { page } => write!(f, "page {page}: 403 forbidden"),
            FetchError::GaveUp { page, attempts } => {
                write!(f, "page {page}: gave up after {attempts} attempts")
            }
        }
    }
}

/// What the consumer throws in to ask for the failed page again.
#[derive(Debug, PartialEq)]
struct Retry;

/// One page of results and the cursor of the next one.
struct Page {
    items: Vec<Item>,
    next: Option<usize>,
}

/// How a scripted request fails.
#[derive(Clone, Copy)]
enum Failure {
    /// The first `n` requests for the page are unavailable.
    Transient(u32),
    /// Every request for the page is forbidden.
    Fatal,
}

/// An in-process fake of a paginated HTTP API: three items per page, some latency, and failures
/// injected by a script.
struct FakeApi {
    pages: usize,
    failures: HashMap<usize, Failure>,
    attempts: RefCell<HashMap<usize, u32>>,
}

impl FakeApi {
    fn new(pages: usize, failures: &[(usize, Failure)]) -> Self {
        FakeApi {
            pages,
            failures: failures.iter().copied().collect(),
            attempts: RefCell::default(),
        }
    }

    async fn fetch(&self, page: usize) -> Result<Page, FetchError> {
        tokio::time::sleep(Duration::from_millis(2)).await;
        let attempt = {
            let mut attempts = self.attempts.borrow_mut();
            let attempt = attempts.entry(page).or_insert(0);
            *attempt += 1;
            *attempt
        };
        match self.failures.get(&page) {
            Some(Failure::Transient(n)) if attempt <= *n => {
                Err(FetchError::Unavailable { page, attempt })
            }
            Some(Failure::Fatal) => Err(FetchError::Forbidden { page }),
            _ => Ok(Page {
                items: (0..3).map(|i| (page * 10 + i) as Item).collect(),
                next: (page + 1 < self.pages).then_some(page + 1),
            }),
        }
    }
}

/// What `pages` yields: an item, or a transient failure the consumer must decide about.
#[derive(Debug, PartialEq)]
enum Fetched {
    Item(Item),
    Failed(FetchError),
}

/// Every item of every page. On a transient failure it yields `Fetched::Failed` and waits:
/// `athrow(Retry)` retries the page, `anext()` gives up (the body returns the failure), `aclose()`
/// stops. A fatal error ends the body through `?`.
#[async_generator(yield = Fetched, throw = Retry)]
async fn pages(api: &FakeApi) -> Result<(), FetchError> {
    let mut cursor = Some(0);
    while let Some(page_no) = cursor {
        let page = loop {
            match api.fetch(page_no).await {
                Err(error @ FetchError::Unavailable { .. }) => {
                    match yield_catch!(Fetched::Failed(error.clone())) {
                        Resume::Throw(Retry) => continue,  // the consumer asked for a retry
                        Resume::Next => return Err(error), // the consumer gave up
                        Resume::Close => return Ok(()),
                        Resume::Send(never) => match never {},
                    }
                }
                other => break other?, // a fatal error ends the body here
            }
        };
        for item in page.items {
            yield_!(Fetched::Item(item));
        }
        cursor = page.next;
    }
    Ok(())
}

/// The items of `pages`, retrying each transient failure up to `max_retries` times: a stream of
/// `Result<Item, FetchError>`, whose last item is the error that ended it, if any.
#[async_generator(yield = Item)]
async fn items(
    api: &FakeApi,
    max_retries: u32,
    log: &RefCell<Vec<String>>,
) -> Result<(), FetchError> {
    let mut pages = pin!(pages(api));
    let mut step = pages.anext().await;
    loop {
        step = match step {
            Step::Yielded(Fetched::Item(item)) => {
                yield_!(item);
                pages.anext().await
            }
            Step::Yielded(Fetched::Failed(error)) => {
                let FetchError::Unavailable { page, attempt } = error else {
                    unreachable!("`pages` yields transient failures only")
                };
                if attempt > max_retries {
                    log.borrow_mut().push(format!("{error}: giving up"));
                    return Err(FetchError::GaveUp {
                        page,
                        attempts: attempt,
                    });
                }
                log.borrow_mut().push(format!("{error}: retrying"));
                // Caught at the catching yield point: the step is the retry's outcome.
                pages
                    .athrow(Retry)
                    .await
                    .expect("`pages` catches Retry at a failure")
            }
            Step::Returned(result) => return result, // `Ok(())`, or the fatal error
            Step::Exhausted => unreachable!("`pages` returned before"),
        };
    }
}

/// Runs the `items` stream against `api` and returns what it streamed and the retry log.
async fn collect_items(
    api: &FakeApi,
    max_retries: u32,
) -> (Vec<Result<Item, FetchError>>, Vec<String>) {
    let log = RefCell::new(Vec::new());
    let streamed = items(api, max_retries, &log).collect::<Vec<_>>().await;
    (streamed, log.into_inner())
}

fn show(title: &str, streamed: &[Result<Item, FetchError>], log: &[String]) {
    println!("{title}");
    for line in log {
        println!("  policy: {line}");
    }
    for item in streamed {
        match item {
            Ok(item) => println!("  Ok({item})"),
            Err(error) => println!("  Err({error})"),
        }
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    // 1. By hand: the consumer sees the failure, throws `Retry` in once, and later gives up.
    println!("1. driving `pages` by hand");
    let api = FakeApi::new(3, &[(1, Failure::Transient(1)), (2, Failure::Transient(5))]);
    let mut gen = pin!(pages(&api));
    let mut seen = Vec::new();
    let mut step = gen.anext().await;
    let outcome = loop {
        step = match step {
            Step::Yielded(Fetched::Item(item)) => {
                seen.push(item);
                gen.anext().await
            }
            Step::Yielded(Fetched::Failed(error)) => {
                if seen.len() < 6 {
                    println!("  {error}: athrow(Retry)");
                    gen.athrow(Retry).await.expect("caught at the failure")
                } else {
                    println!("  {error}: anext(), giving up");
                    gen.anext().await
                }
            }
            Step::Returned(result) => break result,
            Step::Exhausted => unreachable!(),
        };
    };
    println!("  items {seen:?}, returned {outcome:?}");
    assert_eq!(seen, [0, 1, 2, 10, 11, 12]);
    assert_eq!(
        outcome,
        Err(FetchError::Unavailable {
            page: 2,
            attempt: 1
        })
    );
    assert_eq!(gen.anext().await, Step::Exhausted);

    // 2. Transient failures within the retry budget: every item arrives, no error.
    let api = FakeApi::new(3, &[(1, Failure::Transient(1)), (2, Failure::Transient(2))]);
    let (streamed, log) = collect_items(&api, 2).await;
    show("\n2. transient failures, retried", &streamed, &log);
    assert_eq!(
        streamed,
        [0, 1, 2, 10, 11, 12, 20, 21, 22].map(Ok),
        "all items, in order"
    );
    assert_eq!(
        log,
        [
            "page 1: 503 unavailable (attempt 1): retrying",
            "page 2: 503 unavailable (attempt 1): retrying",
            "page 2: 503 unavailable (attempt 2): retrying",
        ]
    );

    // 3. A fatal error on page 2: the items before it, then the error as the last item.
    let api = FakeApi::new(4, &[(1, Failure::Transient(1)), (2, Failure::Fatal)]);
    let (streamed, log) = collect_items(&api, 2).await;
    show("\n3. a fatal error", &streamed, &log);
    assert_eq!(
        streamed,
        [
            Ok(0),
            Ok(1),
            Ok(2),
            Ok(10),
            Ok(11),
            Ok(12),
            Err(FetchError::Forbidden { page: 2 }),
        ]
    );
    assert_eq!(log, ["page 1: 503 unavailable (attempt 1): retrying"]);

    // 4. A page that stays unavailable: the policy gives up after its budget.
    let api = FakeApi::new(3, &[(1, Failure::Transient(10))]);
    let (streamed, log) = collect_items(&api, 2).await;
    show("\n4. the retry budget runs out", &streamed, &log);
    assert_eq!(
        streamed,
        [
            Ok(0),
            Ok(1),
            Ok(2),
            Err(FetchError::GaveUp {
                page: 1,
                attempts: 3
            }),
        ]
    );
    assert_eq!(log.len(), 3);
    assert_eq!(*api.attempts.borrow(), HashMap::from([(0, 1), (1, 3)]));

    println!("\nok: retries thrown in with athrow, errors streamed as the last Result item");
}
