#![forbid(unsafe_code)]

fn main() {
    std::process::exit(stationer::cli::main());
}
