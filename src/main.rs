//! The `beacon` binary: a thin shim over the library (see `beacon::cli`).

fn main() -> std::process::ExitCode {
    beacon::cli::main()
}
