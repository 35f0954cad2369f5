//! Output files, written whole: the ground floor every report and chart writes through.
//!
//! A regular file (or a new one) is written into a temporary file beside it and renamed over
//! it only once complete, so a failure leaves what was there unchanged. A symlink is followed:
//! its target is written, and the link stays a link. A target that is not a regular file (a
//! device such as `/dev/null`, a FIFO, `/dev/fd/N`) is written in place, never replaced.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Where an output goes, once links are followed.
#[derive(Debug, PartialEq, Eq)]
enum Destination {
    /// A regular file or a new one: written beside, then renamed over it.
    Replace(PathBuf),
    /// Something that is not a regular file: written in place.
    InPlace(PathBuf),
}

fn destination(path: &Path) -> io::Result<Destination> {
    let resolved = follow_links(path)?;
    match fs::metadata(&resolved) {
        Ok(meta) if meta.is_dir() => Err(io::Error::new(
            io::ErrorKind::IsADirectory,
            "it is a folder: give a file name",
        )),
        Ok(meta) if !meta.is_file() => Ok(Destination::InPlace(resolved)),
        _ => Ok(Destination::Replace(resolved)),
    }
}

/// The file `path` leads to: symlinks followed, a dangling one to the file it names.
pub fn follow_links(path: &Path) -> io::Result<PathBuf> {
    let mut current = path.to_path_buf();
    // The system's own limit on links in a row is 40.
    for _ in 0..40 {
        match fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = fs::read_link(&current)?;
                current = match current.parent() {
                    Some(dir) => dir.join(target),
                    None => target,
                };
            }
            _ => return Ok(current),
        }
    }
    Err(io::Error::other("too many symbolic links in a row"))
}

/// Writes the file at `path` whole with `write`.
pub fn write_whole(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    match destination(path)? {
        Destination::InPlace(target) => write_in_place(&target, write),
        Destination::Replace(target) => {
            let mut file = temporary_beside(&target, "")?;
            {
                let mut buffered = io::BufWriter::new(file.as_file_mut());
                write(&mut buffered)?;
                buffered.flush()?;
            }
            replace(file, &target)
        }
    }
}

/// Writes the file at `path` whole through `render`, for writers that need a path of their
/// own (an image encoder that reads the format from the name ending in `suffix`).
pub fn write_whole_via(
    path: &Path,
    suffix: &str,
    render: impl FnOnce(&Path) -> io::Result<()>,
) -> io::Result<()> {
    match destination(path)? {
        Destination::Replace(target) => {
            let file = temporary_beside(&target, suffix)?;
            render(file.path())?;
            replace(file, &target)
        }
        Destination::InPlace(target) => {
            let file = tempfile::Builder::new().suffix(suffix).tempfile()?;
            render(file.path())?;
            let mut rendered = fs::File::open(file.path())?;
            write_in_place(&target, |w| io::copy(&mut rendered, w).map(drop))
        }
    }
}

fn write_in_place(
    target: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let file = fs::OpenOptions::new().write(true).open(target)?;
    let mut buffered = io::BufWriter::new(file);
    write(&mut buffered)?;
    buffered.flush()
}

/// Renames a complete temporary file over `target`, keeping the permissions `target` had.
fn replace(file: tempfile::NamedTempFile, target: &Path) -> io::Result<()> {
    if let Ok(meta) = fs::metadata(target) {
        file.as_file().set_permissions(meta.permissions())?;
    }
    file.persist(target).map_err(|err| err.error)?;
    Ok(())
}

/// A new temporary file in the folder of `path`, whose name ends in `suffix`, to be renamed
/// over `path` once complete. It gets the permissions of any new file (the system applies the
/// umask), not the private ones of a temporary file.
fn temporary_beside(path: &Path, suffix: &str) -> io::Result<tempfile::NamedTempFile> {
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!("the folder {} does not exist", dir.display()),
        ));
    }
    let mut builder = tempfile::Builder::new();
    builder.suffix(suffix);
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    builder.tempfile_in(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_leaves_nothing_and_a_whole_one_everything() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.csv");
        let failed = write_whole(&target, |w| {
            w.write_all(b"partial")?;
            Err(io::Error::other("disk full"))
        });
        assert!(failed.is_err());
        assert!(!target.exists());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
        write_whole(&target, |w| w.write_all(b"whole")).unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), "whole");
        // A later failure leaves the earlier file as it was.
        let failed = write_whole(&target, |_| Err(io::Error::other("disk full")));
        assert!(failed.is_err());
        assert_eq!(fs::read_to_string(&target).unwrap(), "whole");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&target).unwrap().permissions().mode();
            assert_ne!(
                mode & 0o044,
                0,
                "readable by others as a new file is: {mode:o}"
            );
        }
        let missing = dir.path().join("no-such-folder").join("out.csv");
        let err = write_whole(&missing, |w| w.write_all(b"x")).unwrap_err();
        assert!(err.to_string().contains("does not exist"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn links_are_written_through_and_special_files_in_place() {
        use std::os::unix::fs::{PermissionsExt, symlink};
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.csv");
        fs::write(&real, "old").unwrap();
        fs::set_permissions(&real, fs::Permissions::from_mode(0o600)).unwrap();
        let link = dir.path().join("link.csv");
        symlink("real.csv", &link).unwrap();
        write_whole(&link, |w| w.write_all(b"new")).unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&real).unwrap(), "new");
        let mode = fs::metadata(&real).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "the file keeps its permissions");
        // A dangling link makes the file it names.
        let dangling = dir.path().join("dangling.csv");
        symlink("made.csv", &dangling).unwrap();
        write_whole(&dangling, |w| w.write_all(b"made")).unwrap();
        assert_eq!(
            fs::read_to_string(dir.path().join("made.csv")).unwrap(),
            "made"
        );
        // A FIFO is written in place, read by whoever holds the other end.
        let fifo = dir.path().join("pipe");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || fs::read_to_string(fifo).unwrap())
        };
        write_whole_via(&fifo, ".txt", |p| fs::write(p, "through")).unwrap();
        assert_eq!(reader.join().unwrap(), "through");
        assert!(!fs::metadata(&fifo).unwrap().is_file(), "still a FIFO");
        write_whole(Path::new("/dev/null"), |w| w.write_all(b"gone")).unwrap();
        assert!(!fs::metadata("/dev/null").unwrap().is_file());
        let err = write_whole(dir.path(), |w| w.write_all(b"x")).unwrap_err();
        assert!(err.to_string().contains("folder"), "{err}");
    }
}
