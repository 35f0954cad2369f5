"""Writes scenarios/new-hire-first-10-weeks.csv: the first ten weeks of the new hire of
scenarios/new-hire-kpis.toml, as a CRM exports a call log, for the `callblitz track` tour.

The rep works the plan's hours (24.8 a week once ramped, ramping over 12 weeks from
2026-01-05), the scenario's cadence and minutes, and reaches people as often as the plan's
simulated years do (about 1 touch in 18.5 becomes a first conversation), but books a
first-time appointment in 6% of conversations, against the plan's 15%: a rep who makes the
calls and does not convert them. It also writes new-hire-first-10-weeks-deals.csv, the
opportunities export of the same weeks: each appointment held (75%) 5 days after it was set
becomes an opportunity (60%), won in 30% of cases after a lognormal sales cycle (median 30
days, P90 75), lost after one otherwise; open when that falls after the tenth week. Fixed
seeds: running it again writes the same files.

    python3 scenarios/new-hire-first-10-weeks.py
"""

import csv
import datetime
import math
import random
from collections import deque
from pathlib import Path

START = datetime.datetime(2026, 1, 5, 9, 0)  # a Monday
WEEKS = 10
HOURS_PER_WEEK = 24.8
RAMP_WEEKS = 12
CADENCE = [(0, "call"), (0, "email"), (2, "call"), (4, "voicemail"),
           (7, "call"), (9, "email"), (14, "call"), (20, "voicemail")]
MINUTES = {"call": 3.0, "email": 3.0, "voicemail": 3.5}
CONVERSATION_MINUTES = 1.5
BOOKING_MINUTES = 4.5
CONVERSATION_PER_TOUCH = 1044.7 / 19296.6  # simulate --calendar at the plan's hours
APPOINTMENT_PER_CONVERSATION = 0.06  # the plan: 0.15

rng = random.Random(10)
rows = []
due = deque()  # (day due, lead, touch index, cadence start)
next_lead = 1


def touch(day, minute, lead, k):
    """Logs touch k of `lead`; True when the lead's cadence ends with it."""
    channel = CADENCE[k][1]
    talked = rng.random() < CONVERSATION_PER_TOUCH
    booked = talked and rng.random() < APPOINTMENT_PER_CONVERSATION
    outcome = ("appointment" if booked else "conversation" if talked
               else "voicemail" if channel == "voicemail" else "no_answer")
    at = START + datetime.timedelta(days=day, minutes=minute)
    rows.append((f"L{lead:05d}", at.strftime("%Y-%m-%dT%H:%M:00"), channel, outcome, "Alex"))
    spent = MINUTES[channel] + (CONVERSATION_MINUTES if talked else 0.0) + (
        BOOKING_MINUTES if booked else 0.0)
    return spent, talked or k + 1 == len(CADENCE)


for day in range(7 * WEEKS):
    if day % 7 >= 5:
        continue
    left = HOURS_PER_WEEK / 5 * 60 * min(1.0, (day + 0.5) / (7 * RAMP_WEEKS))
    used = 0.0
    waiting = deque()
    # Follow-ups due by today, oldest first, then new accounts while the day has time.
    fits = lambda channel: used + MINUTES[channel] <= left
    while due and due[0][0] <= day and fits(CADENCE[due[0][2]][1]):
        _, lead, k, begun = due.popleft()
        spent, done = touch(day, used, lead, k)
        used += spent
        if not done:
            waiting.append((max(day + 1, begun + CADENCE[k + 1][0]), lead, k + 1, begun))
    while fits(CADENCE[0][1]):
        lead, next_lead = next_lead, next_lead + 1
        k = 0
        while True:
            spent, done = touch(day, used, lead, k)
            used += spent
            if done or CADENCE[k + 1][0] > 0 or not fits(CADENCE[k + 1][1]):
                break
            k += 1
        if not done:
            waiting.append((day + CADENCE[k + 1][0], lead, k + 1, day))
    due = deque(sorted(list(due) + list(waiting)))

out = Path(__file__).with_suffix(".csv")
with out.open("w", newline="") as f:
    writer = csv.writer(f)
    writer.writerow(["lead_id", "timestamp", "channel", "outcome", "rep"])
    writer.writerows(sorted(rows, key=lambda r: (r[1], r[0])))
print(f"wrote {out}: {len(rows)} touches")

# The opportunities export: the scenario's funnel after each appointment set.
END = START + datetime.timedelta(days=7 * WEEKS - 1)
deal_rng = random.Random(11)
SIGMA = (math.log(75) - math.log(30)) / 1.2815515655
deals = []
for lead_id, at, _, outcome, rep in sorted(rows, key=lambda r: (r[1], r[0])):
    if outcome != "appointment":
        continue
    held = datetime.datetime.fromisoformat(at) + datetime.timedelta(days=5)
    if deal_rng.random() >= 0.75 or deal_rng.random() >= 0.6 or held > END:
        continue
    won = deal_rng.random() < 0.3
    closed = held + datetime.timedelta(days=math.exp(math.log(30) + SIGMA * deal_rng.gauss(0, 1)))
    stage = ("won" if won else "lost") if closed <= END else "open"
    deals.append((f"O{len(deals) + 1:03d}", held.date().isoformat(), stage,
                  closed.date().isoformat() if closed <= END else "", "12000" if won else "", rep))
deals_out = out.with_name(out.stem + "-deals.csv")
with deals_out.open("w", newline="") as f:
    writer = csv.writer(f)
    writer.writerow(["opportunity_id", "created", "stage", "closed", "amount", "rep"])
    writer.writerows(deals)
print(f"wrote {deals_out}: {len(deals)} opportunities")
