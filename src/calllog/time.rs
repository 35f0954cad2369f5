//! Call-log timestamps: RFC 3339 / ISO 8601 times with `Z` or an offset, RFC 9557 time zone
//! annotations (`2026-03-05T10:30:00[Europe/Paris]`) resolved with the IANA time zone database
//! built into the program, and civil times without either, taken as UTC.

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::fmt::temporal::{Pieces, PiecesOffset, TimeZoneAnnotationKind};
use jiff::tz::{AmbiguousOffset, Offset, TimeZone};

use super::quoted;

/// Real-world offsets run from -12:00 (Baker Island) to +14:00 (Kiribati's Line Islands).
const WEST_MOST: i32 = -12 * 3600;
const EAST_MOST: i32 = 14 * 3600;

/// Why a timestamp cannot be read; each names the fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimeError {
    /// Not the syntax of an ISO 8601 date and time, with the parser's reason when the text
    /// starts like a date.
    Syntax(Option<String>),
    /// A date without a time of day.
    DateOnly,
    /// A valid date and time outside the instants the program can hold.
    OutOfRange,
    /// An offset written wrong, e.g. `+1:00`.
    OffsetSyntax(String),
    /// An offset beyond the real-world ones.
    OffsetRange(String),
    /// A time zone annotation that is not in the time zone database.
    UnknownZone(String),
    /// An offset that the annotated time zone does not have at that time.
    Mismatch {
        offset: String,
        zone: String,
        actual: String,
    },
    /// A local time that a clock change skips in the zone.
    Gap {
        zone: String,
        before: String,
        after: String,
    },
    /// A local time that happens twice in the zone, when clocks go back.
    Fold {
        zone: String,
        before: String,
        after: String,
    },
}

/// An example of each way to write a time.
const EXAMPLES: &str = "write e.g. 2026-03-02T09:15:00Z, 2026-03-02T09:15:00+01:00 or 2026-03-02T09:15:00[Europe/Paris]";

impl std::fmt::Display for TimeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TimeError::Syntax(None) => {
                write!(f, "not an ISO 8601 date and time of day; {EXAMPLES}")
            }
            TimeError::Syntax(Some(reason)) => write!(
                f,
                "not an ISO 8601 date and time of day ({reason}); {EXAMPLES}"
            ),
            TimeError::DateOnly => write!(
                f,
                "a date without a time of day: each touch needs the time it was made; {EXAMPLES}"
            ),
            TimeError::OutOfRange => write!(
                f,
                "a valid date and time, but outside the supported range, {} to {} (UTC); \
                 check the year",
                utc(Timestamp::MIN),
                utc(Timestamp::MAX)
            ),
            TimeError::OffsetSyntax(offset) => write!(
                f,
                "the offset {} is not an ISO 8601 offset; write Z for UTC or ±HH:MM, e.g. \
                 +01:00 or -05:00",
                quoted(offset)
            ),
            TimeError::OffsetRange(offset) => write!(
                f,
                "the offset {offset} is beyond real-world offsets, which run from -12:00 to \
                 +14:00; correct the offset"
            ),
            TimeError::UnknownZone(zone) => write!(
                f,
                "the time zone {} is not in the IANA time zone database; write a zone name \
                 such as Europe/Paris or America/New_York, or an offset such as +01:00",
                quoted(zone)
            ),
            TimeError::Mismatch {
                offset,
                zone,
                actual,
            } => write!(
                f,
                "the offset {offset} disagrees with the time zone {zone}, which is at {actual} \
                 then; correct the offset or the zone, or write only one of them"
            ),
            TimeError::Gap {
                zone,
                before,
                after,
            } => write!(
                f,
                "this local time does not exist in {zone}: the clocks jump from {before} to \
                 {after} over it; check the time, or write the offset it was taken at in place \
                 of the zone"
            ),
            TimeError::Fold {
                zone,
                before,
                after,
            } => write!(
                f,
                "this local time happens twice in {zone}, at {before} and again at {after} when \
                 the clocks go back; write which, with its offset before the zone, e.g. \
                 …{before}[{zone}]"
            ),
        }
    }
}

/// A time as UTC to the second, for messages.
fn utc(time: Timestamp) -> String {
    time.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// An offset as ±HH:MM, with seconds when it has them.
fn offset_text(offset: Offset) -> String {
    let seconds = offset.seconds();
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.unsigned_abs();
    let (h, m, s) = (s / 3600, s / 60 % 60, s % 60);
    match s {
        0 => format!("{sign}{h:02}:{m:02}"),
        _ => format!("{sign}{h:02}:{m:02}:{s:02}"),
    }
}

/// The time zones a log names, looked up once each (most logs name one).
#[derive(Debug, Default)]
pub struct Zones {
    last: Option<(String, TimeZone)>,
}

impl Zones {
    /// The zone named `name` in the bundled database.
    fn get(&mut self, name: &str) -> Result<TimeZone, TimeError> {
        if let Some((last, zone)) = &self.last
            && last == name
        {
            return Ok(zone.clone());
        }
        let zone = jiff::tz::db()
            .get(name)
            .map_err(|_| TimeError::UnknownZone(name.to_string()))?;
        self.last = Some((name.to_string(), zone.clone()));
        Ok(zone)
    }
}

/// Milliseconds since the epoch of an ISO 8601 time: with `Z` or an offset, the instant it
/// names; with a time zone annotation, the zone's local time (an offset written too must be
/// the zone's at that time); with neither, UTC. A date alone is refused: touches need their
/// time of day.
pub fn parse_time(text: &str, zones: &mut Zones) -> Result<i64, TimeError> {
    let pieces = Pieces::parse(text).map_err(|err| classify(text, &err.to_string()))?;
    let time = pieces.time().ok_or(TimeError::DateOnly)?;
    let civil = pieces.date().to_datetime(time);
    let offset = match pieces.offset() {
        // `Z` and `-00:00` name the instant, not the local offset (RFC 3339, RFC 9557).
        Some(PiecesOffset::Zulu) => Some((Offset::UTC, false)),
        Some(PiecesOffset::Numeric(n)) if n.offset().is_zero() && n.is_negative() => {
            Some((Offset::UTC, false))
        }
        Some(PiecesOffset::Numeric(n)) => Some((real(n.offset())?, true)),
        // Later jiff versions may add kinds; an offset it parsed but that is not known here
        // is refused rather than guessed.
        Some(_) => return Err(TimeError::Syntax(Some("an unsupported offset".into()))),
        None => None,
    };
    let zone = match pieces.time_zone_annotation().map(|a| a.kind()) {
        Some(TimeZoneAnnotationKind::Named(name)) => {
            Some((name.as_str().to_string(), zones.get(name.as_str())?))
        }
        Some(TimeZoneAnnotationKind::Offset(offset)) => {
            let offset = real(*offset)?;
            Some((offset_text(offset), TimeZone::fixed(offset)))
        }
        Some(_) => return Err(TimeError::Syntax(Some("an unsupported time zone".into()))),
        None => None,
    };
    let instant = match (offset, zone) {
        (Some((offset, local)), zone) => {
            let instant = at(offset, civil)?;
            if let Some((name, zone)) = zone.filter(|_| local) {
                let actual = zone.to_offset(instant);
                if actual != offset {
                    return Err(TimeError::Mismatch {
                        offset: offset_text(offset),
                        zone: name,
                        actual: offset_text(actual),
                    });
                }
            }
            instant
        }
        (None, Some((name, zone))) => match zone.to_ambiguous_timestamp(civil).offset() {
            AmbiguousOffset::Unambiguous { offset } => at(offset, civil)?,
            AmbiguousOffset::Gap { before, after } => {
                return Err(TimeError::Gap {
                    zone: name,
                    before: offset_text(before),
                    after: offset_text(after),
                });
            }
            AmbiguousOffset::Fold { before, after } => {
                return Err(TimeError::Fold {
                    zone: name,
                    before: offset_text(before),
                    after: offset_text(after),
                });
            }
        },
        (None, None) => at(Offset::UTC, civil)?,
    };
    Ok(instant.as_millisecond())
}

/// The instant of `civil` at `offset`, when the program can hold it.
fn at(offset: Offset, civil: DateTime) -> Result<Timestamp, TimeError> {
    offset
        .to_timestamp(civil)
        .map_err(|_| TimeError::OutOfRange)
}

/// `offset`, when real-world clocks have used it.
fn real(offset: Offset) -> Result<Offset, TimeError> {
    if (WEST_MOST..=EAST_MOST).contains(&offset.seconds()) {
        Ok(offset)
    } else {
        Err(TimeError::OffsetRange(offset_text(offset)))
    }
}

/// Why `text` did not parse, as precisely as its shape tells: an extended year beyond ±9999,
/// an offset written wrong or beyond real-world ones, or else the parser's `reason`.
fn classify(text: &str, reason: &str) -> TimeError {
    let head = text.split('[').next().unwrap_or_default();
    // An extended year (`+YYYYYY`) the parser refuses for its size, not its syntax.
    if let Some(year) = head
        .strip_prefix(['+', '-'])
        .and_then(|rest| rest.get(..6))
        .filter(|digits| digits.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|digits| digits.parse::<u32>().ok())
        && year > 9999
    {
        return TimeError::OutOfRange;
    }
    // The offset: from the first sign after something shaped like a date and a time of day.
    let numeric = |s: &str, extra: &str| {
        s.starts_with(|c: char| c.is_ascii_digit() || c == '+' || c == '-')
            && s.chars().all(|c| c.is_ascii_digit() || extra.contains(c))
    };
    let (date, time) = head
        .find(['T', 't', ' '])
        .map(|at| (&head[..at], &head[at + 1..]))
        .unwrap_or_default();
    if let Some(at) = time.find(['+', '-', '\u{2212}'])
        && numeric(date, "+-")
        && numeric(&time[..at], ":.,")
    {
        let offset = &time[at..];
        return match offset_seconds(offset) {
            None => TimeError::OffsetSyntax(offset.to_string()),
            Some(seconds) if !(WEST_MOST..=EAST_MOST).contains(&seconds) => {
                TimeError::OffsetRange(offset.to_string())
            }
            Some(_) => syntax(head, reason),
        };
    }
    syntax(head, reason)
}

/// Bad syntax, with the parser's `reason` (cut short) when `head` starts like a date: four
/// digits of a year, or a sign and six.
fn syntax(head: &str, reason: &str) -> TimeError {
    let digits = |s: &str, n: usize| {
        s.get(..n)
            .is_some_and(|d| d.bytes().all(|b| b.is_ascii_digit()))
    };
    let datelike = digits(head, 4)
        || head
            .strip_prefix(['+', '-'])
            .is_some_and(|rest| digits(rest, 6));
    TimeError::Syntax(datelike.then(|| {
        const MOST: usize = 120;
        let mut cut: String = reason.chars().take(MOST).collect();
        if reason.chars().nth(MOST).is_some() {
            cut.push('…');
        }
        cut
    }))
}

/// The seconds of an offset written ±HH[:MM[:SS]] or ±HH[MM[SS]] (any hours), or None.
fn offset_seconds(text: &str) -> Option<i32> {
    let (sign, digits) = match text.chars().next()? {
        '+' => (1, &text[1..]),
        '-' => (-1, &text[1..]),
        '\u{2212}' => (-1, &text['\u{2212}'.len_utf8()..]),
        _ => return None,
    };
    let compact: String = digits.replace(':', "");
    let extended = digits.contains(':');
    let well_formed = compact.bytes().all(|b| b.is_ascii_digit())
        && matches!(compact.len(), 2 | 4 | 6)
        && (!extended || digits.len() == compact.len() + compact.len() / 2 - 1);
    if !well_formed {
        return None;
    }
    let part = |i: usize| {
        compact
            .get(i..i + 2)
            .map_or(Some(0), |p| p.parse::<i32>().ok())
    };
    let (h, m, s) = (part(0)?, part(2)?, part(4)?);
    (m < 60 && s < 60).then_some(sign * (h * 3600 + m * 60 + s))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<i64, TimeError> {
        parse_time(text, &mut Zones::default())
    }

    #[test]
    fn times_with_and_without_offsets() {
        assert_eq!(parse("1970-01-01T00:01:00Z"), Ok(60_000));
        assert_eq!(parse("1970-01-01T00:01:00"), Ok(60_000));
        assert_eq!(parse("1970-01-01T01:01:00+01:00"), Ok(60_000));
        assert_eq!(parse("1970-01-01T00:01:00-00:00"), Ok(60_000));
        assert_eq!(parse("1970-01-01 00:01:30.5"), Ok(90_500));
        assert!(matches!(parse("yesterday"), Err(TimeError::Syntax(_))));
        assert_eq!(parse("1970-01-01"), Err(TimeError::DateOnly));
    }

    #[test]
    fn zones_are_resolved() {
        let paris = parse("2026-03-05T10:30:00[Europe/Paris]").unwrap();
        assert_eq!(paris, parse("2026-03-05T09:30:00Z").unwrap());
        assert_eq!(
            paris,
            parse("2026-03-05T10:30:00+01:00[Europe/Paris]").unwrap()
        );
        assert_eq!(paris, parse("2026-03-05T09:30:00Z[Europe/Paris]").unwrap());
        assert_eq!(paris, parse("2026-03-05T10:30:00[+01:00]").unwrap());
        // Summer time.
        assert_eq!(
            parse("2026-07-05T10:30:00[Europe/Paris]").unwrap(),
            parse("2026-07-05T08:30:00Z").unwrap()
        );
        assert_eq!(
            parse("2026-03-05T10:30:00[Foo/Bar]"),
            Err(TimeError::UnknownZone("Foo/Bar".into()))
        );
        assert!(matches!(
            parse("2026-03-05T10:30:00+02:00[Europe/Paris]"),
            Err(TimeError::Mismatch { .. })
        ));
        assert!(matches!(
            parse("2026-03-29T02:30:00[Europe/Paris]"),
            Err(TimeError::Gap { .. })
        ));
        assert!(matches!(
            parse("2026-10-25T02:30:00[Europe/Paris]"),
            Err(TimeError::Fold { .. })
        ));
        assert_eq!(
            parse("2026-10-25T02:30:00+01:00[Europe/Paris]").unwrap() - 3_600_000,
            parse("2026-10-25T02:30:00+02:00[Europe/Paris]").unwrap()
        );
    }

    #[test]
    fn offsets_beyond_real_ones_are_refused() {
        assert!(parse("2026-03-05T10:30:00+14:00").is_ok());
        assert!(parse("2026-03-05T10:30:00-12:00").is_ok());
        for offset in ["+25:00", "+26:00", "-12:30", "+14:01", "+99:00"] {
            assert_eq!(
                parse(&format!("2026-03-05T10:30:00{offset}")),
                Err(TimeError::OffsetRange(offset.into())),
                "{offset}"
            );
        }
        assert!(matches!(
            parse("2026-03-05T10:30:00[+25:00]"),
            Err(TimeError::OffsetRange(_))
        ));
        for offset in ["+1:00", "+01:0", "+01:60", "+0100:00"] {
            assert_eq!(
                parse(&format!("2026-03-05T10:30:00{offset}")),
                Err(TimeError::OffsetSyntax(offset.into())),
                "{offset}"
            );
        }
    }

    #[test]
    fn out_of_range_is_not_bad_syntax() {
        assert_eq!(parse("9999-12-31T23:59:59Z"), Err(TimeError::OutOfRange));
        assert_eq!(parse("+010000-01-01T00:00:00Z"), Err(TimeError::OutOfRange));
        assert!(parse("9999-12-30T22:00:00Z").is_ok());
        assert!(parse("-009999-01-02T02:00:00Z").is_ok());
        let message = TimeError::OutOfRange.to_string();
        assert!(
            message.contains("-9999-01-02T01:59:59Z to 9999-12-30T22:00:00Z"),
            "{message}"
        );
        assert!(matches!(
            parse("2026-02-30T10:00:00"),
            Err(TimeError::Syntax(_))
        ));
    }
}
