//! The CSV records of a call log, read with `csv-core` so that each record knows the line it
//! starts on (blank lines and `\r\n`, `\n` or `\r` line ends counted exactly) and no record
//! can take more than [`MAX_RECORD_BYTES`] of memory.

use std::io::Read;

/// The most bytes one record may span; a longer one is refused, not buffered.
pub const MAX_RECORD_BYTES: usize = 1 << 20;

/// Bytes read from the file at a time.
const CHUNK: usize = 1 << 20;

/// Why the next record could not be read.
#[derive(Debug)]
pub enum RecordError {
    /// The file could not be read past `line`.
    Io { line: u64, err: std::io::Error },
    /// The record starting on `line` spans more than [`MAX_RECORD_BYTES`].
    TooLong { line: u64 },
}

/// A CSV file's records, one at a time.
pub struct Records<R> {
    input: R,
    buffer: Vec<u8>,
    start: usize,
    end: usize,
    eof: bool,
    core: csv_core::Reader,
    /// The line of the next unread byte, from 1.
    line: u64,
    /// Whether the last byte read was a `\r` (so a `\n` next ends no new line).
    after_cr: bool,
    /// Whether the file's first bytes have been looked at for a byte order mark.
    started: bool,
    /// The current record: its unquoted fields end to end, where each field ends, how many.
    fields: Vec<u8>,
    ends: Vec<usize>,
    count: usize,
}

impl<R: Read> Records<R> {
    pub fn new(input: R) -> Self {
        Records {
            input,
            buffer: vec![0; CHUNK],
            start: 0,
            end: 0,
            eof: false,
            core: csv_core::Reader::new(),
            line: 1,
            after_cr: false,
            started: false,
            fields: vec![0; 1024],
            ends: vec![0; 64],
            count: 0,
        }
    }

    /// Reads more of the file when all that was read is used.
    fn fill(&mut self) -> std::io::Result<()> {
        while self.start == self.end && !self.eof {
            match self.input.read(&mut self.buffer) {
                Ok(0) => self.eof = true,
                Ok(n) => (self.start, self.end) = (0, n),
                Err(err) if err.kind() == std::io::ErrorKind::Interrupted => {}
                Err(err) => return Err(err),
            }
        }
        Ok(())
    }

    /// Moves past `n` read bytes, counting the lines they end.
    fn consume(&mut self, n: usize) {
        let bytes = &self.buffer[self.start..self.start + n];
        if let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) {
            let lf = bytes.iter().filter(|&&b| b == b'\n').count();
            let cr = bytes.iter().filter(|&&b| b == b'\r').count();
            let mut breaks = lf + cr;
            if cr > 0 {
                breaks -= bytes.windows(2).filter(|w| w == b"\r\n").count();
            }
            if self.after_cr && first == b'\n' {
                breaks -= 1;
            }
            self.after_cr = last == b'\r';
            self.line += breaks as u64;
        }
        self.start += n;
    }

    /// Reads the next record and returns the line it starts on, or None at the end of the file.
    pub fn next_record(&mut self) -> Result<Option<u64>, RecordError> {
        // A UTF-8 byte order mark before the header is no part of it.
        if !self.started {
            self.started = true;
            while self.end - self.start < 3 && !self.eof {
                let end = self.end;
                match self.input.read(&mut self.buffer[end..]) {
                    Ok(0) => self.eof = true,
                    Ok(n) => self.end += n,
                    Err(err) if err.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(err) => return Err(RecordError::Io { line: 1, err }),
                }
            }
            if self.buffer[self.start..self.end].starts_with(b"\xef\xbb\xbf") {
                self.start += 3;
            }
        }
        // Blank lines are skipped, so that the record's line is where its first byte is.
        loop {
            self.fill().map_err(|err| RecordError::Io {
                line: self.line,
                err,
            })?;
            let unread = &self.buffer[self.start..self.end];
            if unread.is_empty() {
                return Ok(None);
            }
            match unread.iter().position(|&b| b != b'\r' && b != b'\n') {
                Some(blank) => {
                    self.consume(blank);
                    break;
                }
                None => self.consume(unread.len()),
            }
        }
        let line = self.line;
        let (mut taken, mut out, mut ends) = (0, 0, 0);
        loop {
            self.fill().map_err(|err| RecordError::Io {
                line: self.line,
                err,
            })?;
            let (result, nin, nout, nend) = self.core.read_record(
                &self.buffer[self.start..self.end],
                &mut self.fields[out..],
                &mut self.ends[ends..],
            );
            self.consume(nin);
            taken += nin;
            out += nout;
            ends += nend;
            if taken > MAX_RECORD_BYTES {
                return Err(RecordError::TooLong { line });
            }
            match result {
                csv_core::ReadRecordResult::InputEmpty if self.eof => {
                    // The parser ends the last record on empty input; never loop on it.
                    self.count = ends;
                    return Ok((ends > 0).then_some(line));
                }
                csv_core::ReadRecordResult::InputEmpty => {}
                csv_core::ReadRecordResult::OutputFull => {
                    let len = self.fields.len();
                    self.fields.resize(len * 2, 0);
                }
                csv_core::ReadRecordResult::OutputEndsFull => {
                    let len = self.ends.len();
                    self.ends.resize(len * 2, 0);
                }
                csv_core::ReadRecordResult::Record => {
                    self.count = ends;
                    return Ok(Some(line));
                }
                csv_core::ReadRecordResult::End => return Ok(None),
            }
        }
    }

    /// How many fields the current record has.
    pub fn len(&self) -> usize {
        self.count
    }

    /// The current record's field `i`, unquoted.
    pub fn get(&self, i: usize) -> Option<&[u8]> {
        let end = *self.ends[..self.count].get(i)?;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        Some(&self.fields[start..end])
    }

    /// The current record's fields.
    pub fn iter(&self) -> impl Iterator<Item = &[u8]> {
        (0..self.count).filter_map(|i| self.get(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every record of `text`: its line and fields.
    fn records(text: &[u8]) -> Vec<(u64, Vec<String>)> {
        let mut records = Records::new(text);
        let mut all = Vec::new();
        while let Some(line) = records.next_record().unwrap() {
            let fields = records
                .iter()
                .map(|f| String::from_utf8_lossy(f).into_owned())
                .collect();
            all.push((line, fields));
        }
        all
    }

    #[test]
    fn lines_are_counted_for_every_line_end() {
        let expected = |lines: [u64; 3]| {
            lines
                .into_iter()
                .zip([["a", "b"], ["1", "2"], ["3", "4"]])
                .map(|(l, f)| (l, f.iter().map(|s| s.to_string()).collect()))
                .collect::<Vec<_>>()
        };
        assert_eq!(records(b"a,b\n1,2\n3,4\n"), expected([1, 2, 3]));
        assert_eq!(
            records(b"\xef\xbb\xbfa,b\r\n1,2\r\n\r\n3,4\r\n"),
            expected([1, 2, 4])
        );
        assert_eq!(records(b"a,b\r1,2\r\r3,4"), expected([1, 2, 4]));
        assert_eq!(records(b"\n\na,b\n\n\n1,2\n\n3,4"), expected([3, 6, 8]));
        assert_eq!(
            records(b"a,b\n\n\n\r\n\r\r1,2\r\n\n\r\n3,4\n\n"),
            expected([1, 7, 10])
        );
        let quoted = records(b"a,b\n\"x\r\ny\",\"2,\"\"\"\n3,4\n");
        assert_eq!(
            quoted[1],
            (2, vec!["x\r\ny".to_string(), "2,\"".to_string()])
        );
        assert_eq!(quoted[2].0, 4);
    }

    #[test]
    fn records_longer_than_the_cap_are_refused() {
        let mut text = b"a,b\n1,2\n\"".to_vec();
        text.extend(std::iter::repeat_n(b'x', 3 * MAX_RECORD_BYTES));
        let mut records = Records::new(&text[..]);
        assert_eq!(records.next_record().unwrap(), Some(1));
        assert_eq!(records.next_record().unwrap(), Some(2));
        assert!(matches!(
            records.next_record(),
            Err(RecordError::TooLong { line: 3 })
        ));
        assert!(records.fields.len() <= 4 * MAX_RECORD_BYTES);
    }
}
