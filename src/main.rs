//! The `callblitz` command: the command line (in `cli`, on this side of the crate so library
//! users do not build clap and indicatif) over the library.

mod cli;

use clap::Parser;

fn main() {
    let cli = cli::Cli::parse();
    if let Err(err) = cli::run(cli) {
        cli::note(format_args!("error: {err}"));
        std::process::exit(err.exit_code());
    }
}
