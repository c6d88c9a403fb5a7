//! The performance budget (`shared/DESIGN.md`), as data, and its verdicts computed from
//! measured numbers: `scripts/bench-table` passes callgrind's instruction counts and criterion's
//! medians, the driver's report its own quick timing. A budget on wall-clock time is judged on a
//! paired timing the driver makes when it prints the verdicts: batches of the two cases
//! alternate, and each case's fastest batch counts, so both see the same machine and a busy
//! moment does not decide the verdict.

use std::collections::HashMap;

/// Which number a budget is judged on.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// callgrind's instructions per unit: repeatable, so most budgets are judged on them.
    Instructions,
    /// Wall-clock nanoseconds per unit.
    WallClock,
}

impl Measure {
    fn name(self) -> &'static str {
        match self {
            Measure::Instructions => "instructions",
            Measure::WallClock => "wall-clock",
        }
    }

    fn other(self) -> Measure {
        match self {
            Measure::Instructions => Measure::WallClock,
            Measure::WallClock => Measure::Instructions,
        }
    }
}

/// One budget: `case` costs at most `limit` times what `against` costs.
pub struct Budget {
    pub what: &'static str,
    pub case: &'static str,
    pub against: &'static str,
    pub limit: f64,
    pub measure: Measure,
}

/// The budgets agen is judged on, in the order the verdict table lists them.
pub const BUDGETS: &[Budget] = &[
    Budget {
        what: "yield 0..n, fused consumer: ≤ async-stream",
        case: "w1-sum/agen",
        against: "w1-sum/async-stream",
        limit: 1.0,
        measure: Measure::Instructions,
    },
    Budget {
        what: "yield 0..n, `dyn Stream` consumer: ≤ 1.5× hand-written",
        case: "w1-sum-dyn/agen",
        against: "w1-sum-dyn/hand-written",
        limit: 1.5,
        measure: Measure::Instructions,
    },
    Budget {
        what: "create + drain 3 items, `dyn`: ≤ 1.3× hand-written",
        case: "w2-create-dyn/agen",
        against: "w2-create-dyn/hand-written",
        limit: 1.3,
        measure: Measure::Instructions,
    },
    Budget {
        what: "await + `Pending` every 16th, `dyn`: ≤ 1.15× hand-written",
        case: "w3-pending-dyn/agen",
        against: "w3-pending-dyn/hand-written",
        limit: 1.15,
        measure: Measure::Instructions,
    },
    Budget {
        what: "`asend` round trip: ≤ 1.0× hand-written",
        case: "w4-echo/agen",
        against: "w4-echo/hand-written",
        limit: 1.0,
        measure: Measure::Instructions,
    },
    Budget {
        what: "one level of delegation, fused: ≤ 1.5× agen yielding directly",
        case: "w5-delegate/agen",
        against: "w5-delegate/agen-direct",
        limit: 1.5,
        measure: Measure::Instructions,
    },
    Budget {
        what: "one level of delegation, `dyn`: ≤ 1.5× agen yielding directly",
        case: "w5-delegate-dyn/agen",
        against: "w5-delegate-dyn/agen-direct",
        limit: 1.5,
        measure: Measure::Instructions,
    },
    Budget {
        what: "waker-caching await every 8th item, real waker, fused: ≤ async-stream",
        case: "w6-waker/agen",
        against: "w6-waker/async-stream",
        limit: 1.0,
        measure: Measure::WallClock,
    },
    Budget {
        what: "waker-caching await every 8th item, real waker, `dyn`: ≤ async-stream",
        case: "w6-waker-dyn/agen",
        against: "w6-waker-dyn/async-stream",
        limit: 1.0,
        measure: Measure::WallClock,
    },
];

/// The measured cost per unit of each case id, in one or both measures.
#[derive(Default)]
pub struct Costs {
    pub instructions: HashMap<String, f64>,
    pub wall_clock: HashMap<String, f64>,
    /// Paired wall-clock timings of a wall-clock budget's two cases, `(case, against)` to their
    /// ns per unit: preferred over `wall_clock` for those budgets.
    pub paired: HashMap<(&'static str, &'static str), (f64, f64)>,
}

impl Costs {
    pub fn get(&self, measure: Measure, id: &str) -> Option<f64> {
        match measure {
            Measure::Instructions => self.instructions.get(id).copied(),
            Measure::WallClock => self.wall_clock.get(id).copied(),
        }
    }
}

/// What the verdicts need to know about one case besides its cost.
pub struct Static<'a> {
    pub id: &'a str,
    pub implementation: &'a str,
    pub allocs_per_generator: f64,
    pub size: usize,
    /// The body future's size, where the report knows it.
    pub body: Option<usize>,
}

/// The budget's size slack: two words over the body future.
pub const SIZE_SLACK: usize = 2 * std::mem::size_of::<usize>();

/// Prints the verdict table. Each budget uses its own measure when it was measured, else the
/// other one (and says so). Returns how many budgets were missed.
pub fn print_verdicts(costs: &Costs, statics: &[Static<'_>]) -> usize {
    let mut missed = 0;
    let mut fell_back = false;
    println!("| budget | on | agen | against | ratio | verdict |");
    println!("|---|---|---:|---:|---:|---|");
    for budget in BUDGETS {
        let measured = |m| costs.get(m, budget.case).zip(costs.get(m, budget.against));
        let paired = match budget.measure {
            Measure::WallClock => costs.paired.get(&(budget.case, budget.against)).copied(),
            Measure::Instructions => None,
        };
        let found = match paired {
            Some(pair) => Some((Measure::WallClock, pair)),
            None => [budget.measure, budget.measure.other()]
                .into_iter()
                .find_map(|m| Some((m, measured(m)?))),
        };
        let Some((measure, (a, b))) = found else {
            println!("| {} | - | - | - | - | not measured |", budget.what);
            continue;
        };
        let ratio = a / b;
        let met = ratio <= budget.limit;
        missed += usize::from(!met);
        let mark = if measure == budget.measure {
            ""
        } else {
            fell_back = true;
            "*"
        };
        let (unit, decimals) = match measure {
            Measure::Instructions => ("instr", 1),
            Measure::WallClock => ("ns", 2),
        };
        let on = if paired.is_some() {
            "wall-clock, paired"
        } else {
            measure.name()
        };
        println!(
            "| {} | {on}{mark} | {} {a:.decimals$} {unit} | {} {b:.decimals$} {unit} | {ratio:.3}× | {} |",
            budget.what,
            budget.case,
            budget.against,
            if met { "met" } else { "MISSED" },
        );
    }
    let agen: Vec<&Static<'_>> = statics
        .iter()
        .filter(|s| s.implementation.starts_with("agen"))
        .collect();
    let allocating: Vec<&str> = agen
        .iter()
        .filter(|s| s.allocs_per_generator != 0.0)
        .map(|s| s.id)
        .collect();
    let met = allocating.is_empty();
    missed += usize::from(!met);
    println!(
        "| 0 heap allocations per agen generator | report | {} | - | - | {} |",
        if met {
            format!("0 in all {} agen cases", agen.len())
        } else {
            format!("allocating: {}", allocating.join(", "))
        },
        if met { "met" } else { "MISSED" },
    );
    let worst = agen
        .iter()
        .filter_map(|s| Some((s.id, s.size.checked_sub(s.body?)?)))
        .max_by_key(|&(_, over)| over);
    if let Some((id, over)) = worst {
        let met = over <= SIZE_SLACK;
        missed += usize::from(!met);
        println!(
            "| size ≤ body future + {SIZE_SLACK} B | report | at most +{over} B ({id}) | - | - | {} |",
            if met { "met" } else { "MISSED" },
        );
    }
    if fell_back {
        println!("\n\\* not on the budget's own measure, which this run did not measure.");
    }
    missed
}
