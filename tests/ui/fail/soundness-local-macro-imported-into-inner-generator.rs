// Attack (renamed imports): the body imports its own local yield-point macro under another name
// (a `macro_rules!` in a block can be `use`d) and invokes it in an inner generator. A plain yield
// point through the alias expands to the outer body's check: its label is unreachable from the
// inner body (E0767). (`closed`/`raise`/`from` through it name the hooks at its call: the inner's.)
use agen_runtime::async_gen;

fn main() {
    let outer = async_gen! {
        use yield_point_outside_of_an_async_generator_body as outer_yield;
        outer_yield! { plain 1_u32 }
        let inner = async_gen! {
            outer_yield! { plain 2_u64 }
            yield 3_u64;
        };
        drop(inner);
    };
    drop(outer);
}
