//! A nested `for_await!` under a `#[cfg_attr]` that does not remove it (`rustfmt::skip`
//! behind a condition that holds): its exits that leave the enclosing loop too must close the
//! enclosing loop's generator, as they do under a plain attribute.

use agen_runtime::for_await;

#[path = "common/log.rs"]
mod logging;
use logging::{entries, log, run, source, Log};

#[test]
fn a_return_from_a_nested_loop_under_cfg_attr_closes_the_outer_generator() {
    async fn first(log: Log) -> u32 {
        for_await!(for i in source("outer", 3, log.clone()) {
            #[cfg_attr(all(), rustfmt::skip)]
            for_await!(for j in source("inner", 3, log.clone()) {
                if j == 1 {
                    return i * 10 + j;
                }
            });
        });
        0
    }
    let log = log();
    assert_eq!(run(first(log.clone())), 1);
    assert_eq!(entries(&log), ["inner closed", "outer closed"]);
}

#[test]
fn a_break_of_an_outer_label_from_a_nested_loop_under_cfg_attr_closes_both_generators() {
    async fn count(log: Log) -> u32 {
        let mut seen = 0;
        'all: loop {
            for_await!(for _ in source("outer", 3, log.clone()) {
                #[cfg_attr(all(), rustfmt::skip)]
                for_await!(for j in source("inner", 3, log.clone()) {
                    seen += 1;
                    if j == 1 {
                        break 'all;
                    }
                });
            });
        }
        seen
    }
    let log = log();
    assert_eq!(run(count(log.clone())), 2);
    assert_eq!(entries(&log), ["inner closed", "outer closed"]);
}
