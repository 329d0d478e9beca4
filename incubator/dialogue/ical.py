"""The invitation to a dialogue conference as iCalendar (attached to the e-mail): times in Asia/Ho_Chi_Minh
with its VTIMEZONE; a cancellation says so (METHOD:CANCEL, same UID, higher SEQUENCE)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress, vText

from incubator.db import utcnow

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
PRODID = "-//Vuon uom CNTT Ha Noi//Dialogue//VI"


def invitation(conference, *, title: str, host: str, attendee=None, organizer_email: str | None = None) -> str:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if conference.is_cancelled else "REQUEST")
    event = Event()
    event.add("uid", f"dialogue-{conference.id}@{host}")
    event.add("sequence", conference.sequence)
    event.add("dtstamp", utcnow())
    start = conference.starts_at.astimezone(TZ)
    event.add("dtstart", start)
    event.add("dtend", conference.ends_at.astimezone(TZ))
    event.add("summary", title)
    where = ", ".join(part for part in (conference.place, conference.link) if part)
    if where:
        event.add("location", where)
    if conference.link:
        event.add("url", conference.link)
    event.add("status", "CANCELLED" if conference.is_cancelled else "CONFIRMED")
    if organizer_email:
        organizer = vCalAddress(f"mailto:{organizer_email}")
        organizer.params["cn"] = vText(conference.chair)
        event.add("organizer", organizer)
    if attendee is not None:
        address = vCalAddress(f"mailto:{attendee.email}")
        address.params["cn"] = vText(attendee.name)
        address.params["role"] = vText("REQ-PARTICIPANT")
        event.add("attendee", address, encode=0)
    cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical().decode("utf-8")
