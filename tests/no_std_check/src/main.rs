//! A firmware-like binary for the bare-metal target: `#![no_main]`, no allocator, its own panic
//! handler. It links only if nothing in the generators or in `agen-runtime` needs `alloc` or `std`.
#![no_std]
#![no_main]

use core::panic::PanicInfo;

/// The entry point a reset handler would call; exported so the linker keeps it and everything it
/// uses.
#[no_mangle]
pub extern "C" fn agen_check() -> u32 {
    agen_no_std_check::run().unwrap_or(0)
}

#[panic_handler]
fn panic(_: &PanicInfo<'_>) -> ! {
    loop {}
}
