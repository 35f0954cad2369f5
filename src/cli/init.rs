//! `callblitz init`: a commented starter scenario.

use std::path::PathBuf;

use super::emit::write_output;
use super::{CliError, Files, print};

/// The starter: the published cold-outbound averages with every key stated and explained.
pub const STARTER: &str = include_str!("../../scenarios/cold-outbound.toml");

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to write the scenario; without it, the scenario goes to stdout.
    file: Option<PathBuf>,
    /// Replace FILE if it exists.
    #[arg(long)]
    force: bool,
}

pub fn run(args: Args) -> Result<(), CliError> {
    let Some(path) = args.file else {
        return print(|out| out.write_all(STARTER.as_bytes()));
    };
    Files::new().writes_to("the starter", &path).check()?;
    if path.exists() && !args.force {
        return Err(CliError::Input(format!(
            "{} exists already: pick another name, or add --force to replace it",
            path.display()
        )));
    }
    write_output(&path, |w| w.write_all(STARTER.as_bytes()))?;
    super::note(format_args!(
        "wrote {}; try: callblitz plan {}",
        path.display(),
        path.display()
    ));
    Ok(())
}
