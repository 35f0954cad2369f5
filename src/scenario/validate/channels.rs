//! `[channels.*]`: each channel's time and response.

use super::checks::{Checks, MIN_RATE};
use crate::scenario::{ChannelSettings, Scenario};

/// The rules of `[channels.*]`, channel by channel.
pub(super) fn check(c: &mut Checks, s: &Scenario) {
    let ch = &s.channels;
    channel(c, "call", &ch.call);
    channel(c, "voicemail", &ch.voicemail);
    channel(c, "email", &ch.email);
    channel(c, "inmail", &ch.inmail);
}

/// One channel's minutes and response.
fn channel(c: &mut Checks, name: &str, settings: &ChannelSettings) {
    c.touch_minutes(
        &format!("channels.{name}.minutes"),
        settings.minutes,
        "the rep's time for a touch that reaches nobody",
    );
    c.extra_minutes(
        &format!("channels.{name}.conversation_minutes"),
        settings.conversation_minutes,
    );
    let key = format!("channels.{name}.response");
    if (0.0..MIN_RATE).contains(&settings.response) && settings.response > 0.0 {
        c.rate(&key, settings.response);
    } else if !(0.0..=1.0).contains(&settings.response) {
        c.fail(
            key,
            settings.response,
            "must be between 0 and 1: it multiplies the chance of a live call (1.0), \
             so 0.2 means a fifth as likely to lead to a conversation",
        );
    }
}
