/// A faster allocator: the explorer allocates and frees many small vectors.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(grace::cli::main());
}
