/// A faster allocator: the explorer allocates and frees many small vectors.
/// Version 2 of mimalloc (the `v2` feature): version 3, through the
/// aligned entry points Rust's allocator interface uses, takes a slow path
/// for every small block whose page has no free block yet, over-allocating
/// into the next size class, which keeps fresh pages coming (page zeroing
/// was a tenth of a search's time); v2 cut the search's instructions 2-5 %
/// and its system time by half to two thirds (docs/PERFORMANCE.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(grace::cli::main());
}
