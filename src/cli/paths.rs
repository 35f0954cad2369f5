//! The files a run reads and writes, checked before any work: no output may land on an input
//! of the same run, nor two outputs on one file, nor two outputs on standard output. Files are
//! told apart by what they are, not how they are spelled: `./a.csv`, `dir/../a.csv`, an
//! absolute path, a symlink and a hard link to one file are that file.

use std::path::{Path, PathBuf};

use super::CliError;

/// How an output flag names standard output.
pub(super) const STDOUT: &str = "-";

/// The output flags that [`STDOUT`] sends to standard output, in place of the report; for the
/// others it is refused.
const TO_STDOUT: [&str; 2] = ["--csv", "--log"];

/// The inputs and outputs of one run, each with the flag (or argument) that named it.
#[derive(Debug, Default)]
pub(super) struct Files<'a> {
    reads: Vec<Named<'a>>,
    writes: Vec<Named<'a>>,
    /// The flag that prints the report in another form than its text (--json), if given.
    prints: Option<&'static str>,
}

/// What standard output carries in a run that passed [`Files::check`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Stdout {
    /// The report: its text, or its JSON with --json.
    Report,
    /// An output given `-`, in place of the report, so that it pipes cleanly.
    Output,
}

/// A file of the run: `flag` names it on the command line (`None` for a positional
/// argument), `what` says what it holds ("the scenario file", "the CSV").
#[derive(Debug)]
struct Named<'a> {
    flag: Option<&'static str>,
    what: &'static str,
    path: &'a Path,
}

impl<'a> Files<'a> {
    pub(super) fn new() -> Self {
        Self::default()
    }

    /// An input: `what` it is, read from `path`, given by `flag` (`None` for a positional
    /// argument).
    pub(super) fn reads(
        mut self,
        what: &'static str,
        flag: Option<&'static str>,
        path: &'a Path,
    ) -> Self {
        self.reads.push(Named { flag, what, path });
        self
    }

    /// An output, if asked for: `flag` writes `what` to `path`.
    pub(super) fn writes(
        mut self,
        flag: &'static str,
        what: &'static str,
        path: Option<&'a Path>,
    ) -> Self {
        if let Some(path) = path {
            self.writes.push(Named {
                flag: Some(flag),
                what,
                path,
            });
        }
        self
    }

    /// The report's outputs, around the command's own added so far: --csv (holding
    /// `csv_holds`) before them and --chart after, the order in which a refusal of two outputs
    /// on one file names them; and `json`, whether --json prints the report on standard output.
    pub(super) fn report_outputs(
        mut self,
        json: bool,
        csv_holds: &'static str,
        csv: Option<&'a Path>,
        chart: Option<&'a Path>,
    ) -> Self {
        self.prints = json.then_some("--json");
        let own = std::mem::take(&mut self.writes);
        let mut files = self.writes("--csv", csv_holds, csv);
        files.writes.extend(own);
        files.writes("--chart", "the chart", chart)
    }

    /// An output given as a positional argument (init's FILE).
    pub(super) fn writes_to(mut self, what: &'static str, path: &'a Path) -> Self {
        self.writes.push(Named {
            flag: None,
            what,
            path,
        });
        self
    }

    /// Refuses a run that would write an output into a folder that does not exist, over one of
    /// its inputs, two outputs over each other, or two on standard output, naming both; and
    /// says what standard output carries.
    pub(super) fn check(&self) -> Result<Stdout, CliError> {
        for output in &self.writes {
            let refuse = |why: String| Err(CliError::Input(format!("{}: {why}", output.given())));
            if output.path.as_os_str() == STDOUT {
                if output.flag.is_some_and(|flag| TO_STDOUT.contains(&flag)) {
                    continue;
                }
                return refuse(
                    "standard output is not a file this flag can write yet: give a file name"
                        .into(),
                );
            }
            if output.path.is_dir() {
                return refuse("is a folder: give the name of a file to write".into());
            }
            let spelled = output.path.as_os_str().as_encoded_bytes();
            if spelled.ends_with(b"/") {
                return refuse("ends in /, so it names a folder: give a file name".into());
            }
            if output.path.file_name().is_some_and(|name| name.len() > 255) {
                return refuse(
                    "the file name is longer than the 255 bytes a file system allows".into(),
                );
            }
            // A link is written through, so its target's folder is the one that must exist.
            let target = callblitz::output::follow_links(output.path)
                .unwrap_or_else(|_| output.path.to_path_buf());
            match target.parent() {
                Some(dir) if !dir.as_os_str().is_empty() && !dir.is_dir() => {
                    return refuse(if dir.exists() {
                        format!("{} is not a folder", dir.display())
                    } else {
                        format!("the folder {} does not exist", dir.display())
                    });
                }
                _ => {}
            }
        }
        let (printed, files): (Vec<&Named>, Vec<&Named>) = self
            .writes
            .iter()
            .partition(|output| output.path.as_os_str() == STDOUT);
        let stdout = match (self.prints, printed.as_slice()) {
            (_, []) => Stdout::Report,
            (None, [_]) => Stdout::Output,
            (Some(first), [second, ..]) => return Err(both_print(first, second)),
            (None, [first, second, ..]) => return Err(both_print(&first.given(), second)),
        };
        let reads: Vec<Identity> = self.reads.iter().map(|r| identity(r.path)).collect();
        let writes: Vec<Identity> = files.iter().map(|w| identity(w.path)).collect();
        for (output, id) in files.iter().zip(&writes) {
            if let Some(input) = self.reads.iter().zip(&reads).find(|(_, r)| *r == id) {
                let input = input.0;
                let given = match input.flag {
                    Some(flag) => format!(" ({flag} {})", input.path.display()),
                    None if input.path != output.path => format!(" ({})", input.path.display()),
                    None => String::new(),
                };
                return Err(CliError::Input(format!(
                    "{} is {} this run reads{given}: write {} elsewhere",
                    output.given(),
                    input.what,
                    output.what
                )));
            }
        }
        for (later, (output, id)) in files.iter().zip(&writes).enumerate() {
            if let Some((earlier, _)) = files[..later].iter().zip(&writes).find(|(_, w)| *w == id) {
                return Err(CliError::Input(format!(
                    "{} is the file {} writes too: write {} elsewhere",
                    output.given(),
                    earlier.given(),
                    output.what
                )));
            }
        }
        Ok(stdout)
    }
}

/// Two outputs on standard output: the `first` given, and `second`, sent to a file instead.
fn both_print(first: &str, second: &Named) -> CliError {
    CliError::Input(format!(
        "{first} and {} both write to standard output: write {} to a file",
        second.given(),
        second.what
    ))
}

impl Named<'_> {
    /// The flag and the path as the user gave them.
    fn given(&self) -> String {
        match self.flag {
            Some(flag) => format!("{flag} {}", self.path.display()),
            None => self.path.display().to_string(),
        }
    }
}

/// What a path stands for: the file it reaches, or, for a file not made yet, the folder it
/// would be made in (symlinks and `..` resolved) and its name.
#[derive(Debug, PartialEq)]
enum Identity {
    #[cfg(unix)]
    File {
        device: u64,
        inode: u64,
    },
    Path(PathBuf),
}

fn identity(path: &Path) -> Identity {
    #[cfg(unix)]
    if let Ok(meta) = std::fs::metadata(path) {
        use std::os::unix::fs::MetadataExt;
        return Identity::File {
            device: meta.dev(),
            inode: meta.ino(),
        };
    }
    #[cfg(not(unix))]
    if let Ok(resolved) = path.canonicalize() {
        return Identity::Path(resolved);
    }
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    match (folder.canonicalize(), path.file_name()) {
        (Ok(folder), Some(name)) => Identity::Path(folder.join(name)),
        // A folder that does not exist is refused when the output is written.
        _ => Identity::Path(path.to_path_buf()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_one_file_are_one_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.toml");
        std::fs::write(&file, "x").unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        let around = dir.path().join("sub").join("..").join("a.toml");
        assert_eq!(identity(&file), identity(&around));
        let new = dir.path().join("new.csv");
        let new_around = dir.path().join("sub").join("..").join("new.csv");
        assert_eq!(identity(&new), identity(&new_around));
        assert_ne!(identity(&new), identity(&file));
    }
}
