use clap::Parser;

fn main() {
    let cli = callblitz::cli::Cli::parse();
    if let Err(err) = callblitz::cli::run(cli) {
        callblitz::cli::note(format_args!("error: {err}"));
        std::process::exit(err.exit_code());
    }
}
