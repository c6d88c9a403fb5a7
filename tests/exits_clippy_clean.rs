//! `for_await!` exits that clippy (`-D warnings`) finds nothing to say about in a plain `for`
//! loop: a bare `return` of a unit function, `return` of a unit call, `?` in a unit-returning
//! function, exits in expression positions. Checked by `cargo clippy --tests -- -D warnings`;
//! run as a test, it checks the loops go where they say.
#![deny(warnings)]

use agen_runtime::{async_generator, for_await, yield_};

#[async_generator(yield = u32)]
async fn numbers(n: u32) {
    for i in 0..n {
        yield_!(i);
    }
}

fn unit() {}

async fn bare_return(seen: &mut Vec<u32>) {
    for_await!(for i in numbers(3) {
        seen.push(i);
        if i == 1 {
            return;
        }
    });
    seen.push(99);
}

async fn return_of_a_unit_call(seen: &mut Vec<u32>) {
    for_await!(for i in numbers(3) {
        seen.push(i);
        if i == 1 {
            return unit();
        }
    });
    seen.push(99);
}

async fn let_else_return(seen: &mut Vec<u32>) -> u32 {
    for_await!(for i in numbers(3) {
        let Some(half) = (i % 2 == 0).then_some(i / 2) else {
            return i;
        };
        seen.push(half);
    });
    0
}

async fn break_in_a_match_arm(seen: &mut Vec<u32>) {
    for_await!(for i in numbers(3) {
        let kept = match i {
            0 => 10,
            _ => break,
        };
        seen.push(kept);
    });
}

#[tokio::test]
async fn exits_go_where_they_say() {
    let mut seen = Vec::new();
    bare_return(&mut seen).await;
    return_of_a_unit_call(&mut seen).await;
    assert_eq!(let_else_return(&mut seen).await, 1);
    break_in_a_match_arm(&mut seen).await;
    assert_eq!(seen, [0, 1, 0, 1, 0, 10]);
}

fn make(n: u32) -> Result<impl futures_core::Stream<Item = u32>, String> {
    if n > 10 {
        return Err("too many".into());
    }
    Ok(futures_util::stream::iter(0..n))
}

async fn question_mark_in_the_operand_and_the_body(seen: &mut Vec<u32>) -> Result<u32, String> {
    for_await!(for i in make(3)? {
        let doubled = (|| -> Result<u32, String> {
            if i > 5 {
                return Err("closure's own".into());
            }
            Ok(i * 2)
        })()?;
        seen.push(doubled);
    });
    Ok(0)
}

async fn break_with_a_value_to_a_labeled_block(seen: &mut Vec<u32>) -> String {
    let found = 'found: {
        for_await!(for i in numbers(5) {
            let name = format!("n{i}");
            if i == 2 {
                break 'found name;
            }
            seen.push(i);
        });
        String::new()
    };
    found
}

async fn if_let_else_return(seen: &mut Vec<u32>) -> Option<u32> {
    for_await!(for i in numbers(5) {
        if let Some(v) = i.checked_sub(1) {
            seen.push(v);
        } else {
            continue;
        }
        if i == 2 {
            return Some(i);
        }
    });
    None
}

#[tokio::test]
async fn more_exits_go_where_they_say() {
    let mut seen = Vec::new();
    assert_eq!(
        question_mark_in_the_operand_and_the_body(&mut seen).await,
        Ok(0)
    );
    assert_eq!(break_with_a_value_to_a_labeled_block(&mut seen).await, "n2");
    assert_eq!(if_let_else_return(&mut seen).await, Some(2));
    assert_eq!(seen, [0, 2, 4, 0, 1, 0, 1]);
}
