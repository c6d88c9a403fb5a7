//! A pipeline of generators: parse → filter → batch, consumed with `futures::StreamExt`.
//!
//! - `parse` reads one log's lines and yields the readings it can parse; it returns the lines it
//!   rejected.
//! - `readings` chains the logs with `yield_from!`, which evaluates to each `parse`'s return value,
//!   so the rejected lines of all logs are collected without a side channel in `parse`.
//! - `plausible` and `batches` are stages that take any upstream generator of readings and loop
//!   over it with `for_await!`.
//! - The last stage returns `()`, so the pipeline is a `Stream`, and the consumer uses ordinary
//!   `StreamExt` combinators on it.
//!
//! Nothing runs until the consumer polls, and each stage holds one reading at a time.
//!
//! Run it with `cargo run --example pipeline`.

use std::ops::RangeInclusive;

use agen_runtime::{async_generator, for_await, yield_, yield_from, AsyncGen, Body};
use futures_util::StreamExt;

/// A named log of sensor readings, one `sensor celsius` pair a line.
struct Log {
    name: &'static str,
    text: &'static str,
}

#[derive(Debug, Clone, PartialEq)]
struct Reading {
    sensor: String,
    celsius: f64,
}

/// Stage 1: the readings of one log. A line that does not parse is skipped; the body returns
/// where they were (`name:line`).
#[async_generator(yield = Reading)]
async fn parse(log: &Log) -> Vec<String> {
    let mut rejected = Vec::new();
    for (number, line) in log.text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let parsed = line
            .split_once(' ')
            .and_then(|(sensor, value)| Some((sensor, value.trim().parse::<f64>().ok()?)));
        match parsed {
            Some((sensor, celsius)) => {
                yield_!(Reading {
                    sensor: sensor.to_owned(),
                    celsius,
                });
            }
            None => rejected.push(format!("{}:{}", log.name, number + 1)),
        }
    }
    rejected
}

/// Stage 1, for every log: delegates to `parse` for each in turn, and gathers what they rejected.
#[async_generator(yield = Reading)]
async fn readings<'a>(logs: &'a [Log], rejected: &'a mut Vec<String>) {
    for log in logs {
        let theirs = yield_from!(parse(log)); // yields parse's items, then evaluates to its return
        rejected.extend(theirs);
    }
}

/// Stage 2: the readings of `upstream` within `range` (a sensor reporting -999 is broken).
#[async_generator(yield = Reading)]
async fn plausible<B>(upstream: AsyncGen<B>, range: RangeInclusive<f64>)
where
    B: Body<Yield = Reading>,
{
    for_await!(reading in upstream {
        if range.contains(&reading.celsius) {
            yield_!(reading);
        }
    });
}

/// Stage 3: the readings of `upstream` in batches of `size`; the last batch may be shorter.
#[async_generator(yield = Vec<Reading>)]
async fn batches<B>(upstream: AsyncGen<B>, size: usize)
where
    B: Body<Yield = Reading>,
{
    let mut batch = Vec::with_capacity(size);
    for_await!(reading in upstream {
        batch.push(reading);
        if batch.len() == size {
            yield_!(std::mem::replace(&mut batch, Vec::with_capacity(size)));
        }
    });
    if !batch.is_empty() {
        yield_!(batch);
    }
}

const LOGS: [Log; 2] = [
    Log {
        name: "north.log",
        text: "# sensor celsius
               n1 12.5
               n2 13.0
               n1 oops
               n3 -999
               n2 14.5",
    },
    Log {
        name: "south.log",
        text: "s1 21.0
               s2 22.5
               s1
               s2 23.5
               s3 24.0
               s1 25.5",
    },
];

const BATCH: usize = 3;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mut rejected = Vec::new();
    let pipeline = batches(
        plausible(readings(&LOGS, &mut rejected), -50.0..=60.0),
        BATCH,
    );

    // The pipeline is a `Stream<Item = Vec<Reading>>`: number the batches, keep the full ones, and
    // summarise each as (index, sensors, mean).
    let summaries: Vec<(usize, String, f64)> = pipeline
        .enumerate()
        .filter(|(_, batch)| std::future::ready(batch.len() == BATCH))
        .map(|(index, batch)| {
            let sensors = batch
                .iter()
                .map(|reading| reading.sensor.as_str())
                .collect::<Vec<_>>()
                .join(",");
            let mean =
                batch.iter().map(|reading| reading.celsius).sum::<f64>() / batch.len() as f64;
            (index, sensors, mean)
        })
        .collect()
        .await;

    for (index, sensors, mean) in &summaries {
        println!("batch {index}: {sensors:<12} mean {mean:.2} °C");
    }
    println!("rejected lines: {rejected:?}");

    // 8 plausible readings: batches of 3, 3 and 2; the short last one is filtered out.
    assert_eq!(
        summaries,
        [
            (0, "n1,n2,n2".to_owned(), 40.0 / 3.0),
            (1, "s1,s2,s2".to_owned(), 67.0 / 3.0),
        ]
    );
    assert_eq!(rejected, ["north.log:4", "south.log:3"]);

    // Without the filter stage the broken sensor's -999 shows; `take(1)` wants one batch only.
    let mut rejected = Vec::new();
    let raw: Vec<Vec<Reading>> = batches(readings(&LOGS, &mut rejected), 4)
        .take(1)
        .collect()
        .await;
    println!(
        "first raw batch: {:?}",
        raw[0].iter().map(|r| r.celsius).collect::<Vec<_>>()
    );
    assert_eq!(raw.len(), 1);
    assert_eq!(
        raw[0]
            .iter()
            .map(|reading| reading.celsius)
            .collect::<Vec<_>>(),
        [12.5, 13.0, -999.0, 14.5]
    );
    // `take(1)` stopped pulling after the first batch and dropped the pipeline while `parse` was
    // still in `north.log`: that `parse` never returned, so `yield_from!` reported nothing, and
    // `south.log` was never read.
    assert_eq!(rejected, Vec::<String>::new());

    println!("\nok: parse → filter → batch, composed with yield_from! and for_await!, consumed as a Stream");
}
