fn main() {
    std::process::exit(grace::cli::main());
}
