"""iCalendar for mentoring sessions: the invitation attached to the e-mail, and the private feeds. Times are
written in Asia/Ho_Chi_Minh with its VTIMEZONE, so every calendar program shows Hà Nội time."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress, vText

from incubator.mentoring.enums import SessionMode, SessionStatus

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
PRODID = "-//Vuon uom CNTT Ha Noi//Mentoring//VI"


def _calendar(method: str | None = None, name: str | None = None) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
        cal.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
    return cal


def _event(session, *, title: str, host: str) -> Event:
    start = session.starts_at.astimezone(TZ)
    event = Event()
    event.add("uid", f"mentoring-{session.id}@{host}")
    event.add("sequence", session.sequence)
    from incubator.db import utcnow

    event.add("dtstamp", utcnow())
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=session.minutes))
    event.add("summary", title)
    where = session.link if session.mode is SessionMode.ONLINE else session.place
    if where:
        event.add("location", where)
    if session.action_items:
        event.add("description", session.action_items)  # never the mentor's private notes
    event.add("status", "CANCELLED" if session.status is SessionStatus.CANCELLED else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{session.mentor.email}")
    organizer.params["cn"] = vText(session.mentor.full_name)
    event.add("organizer", organizer)
    return event


def invitation(session, *, title: str, host: str, attendees: list) -> str:
    # A cancellation must say so (METHOD:CANCEL, same UID, higher SEQUENCE) for calendars to remove the event.
    cal = _calendar(method="CANCEL" if session.status is SessionStatus.CANCELLED else "REQUEST")
    event = _event(session, title=title, host=host)
    for person in attendees:
        address = vCalAddress(f"mailto:{person.email}")
        address.params["cn"] = vText(person.full_name)
        address.params["role"] = vText("REQ-PARTICIPANT")
        event.add("attendee", address, encode=0)
    cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical().decode("utf-8")


def feed(sessions, *, name: str, title_of, host: str) -> str:
    cal = _calendar(name=name)
    for session in sessions:
        cal.add_component(_event(session, title=title_of(session), host=host))
    cal.add_missing_timezones()
    return cal.to_ical().decode("utf-8")
