"""Deadline day: the last minutes before an intake round closes. ``benchmarks/load.py --scenario deadline`` runs
it against a server seeded with the demonstration and the plan of ``benchmarks/seed_users.py --deadline N``
(the round, each founder's draft, the accounts), whose path is in ``DEADLINE_PLAN``; ``DEADLINE_MINUTES``
(default 5) is how long the rush lasts, ``DEADLINE_RECORD`` where what the founders sent and were told is
written at the end (JSON: ``{"founders": {email: {"application", "sent", "told_submitted"}}, "refused_logins"}``),
for load.py to compare with the database.

- founders (``load-deadline-NNN@``, one draft each): type their answers, which the form's script autosaves
  (``/applications/<id>/autosave``, with the draft's version) every 5 to 15 seconds; a quarter of them submit
  in the last minute (``/applications/<id>/submit``), after which they stop typing;
- staff (the demo's ``canbo@``): the round's list of applications, every 5 to 15 seconds;
- reviewers (``load-reviewer-NN@``): their review desk, every 5 to 15 seconds.

Every user logs in first (the login form, CSRF token included); the rush starts when the last one is logged in,
and the statistics are reset then: the figures are those of the rush, logins left out. A request counts as a
failure when the answer is not the one a person would get (any 4xx/5xx, an autosave not saved, a submission
not confirmed, a redirect to the login page).
"""

from __future__ import annotations

import json
import os
import random
import re
import time
from pathlib import Path

import gevent
from gevent.event import Event
from locust import HttpUser, between, events, task
from locust.exception import StopUser
from locustfile import form_with, replace  # the mixed scenario's form reading (benchmarks/ is on the path)

PASSWORD = "Vuon-uom-2025-demo"  # noqa: S105 (the demonstration's published password)
PLAN = json.loads(Path(os.environ["DEADLINE_PLAN"]).read_text()) if os.environ.get("DEADLINE_PLAN") else {}
MINUTES = float(os.environ.get("DEADLINE_MINUTES", "5"))
RECORD = os.environ.get("DEADLINE_RECORD")

FOUNDERS = sorted(PLAN.get("founders", {}))
REVIEWERS = PLAN.get("reviewers", [])
# load.py writes how many staff and reviewers read alongside (by default one for 50 founders, one for 25).
STAFF_USERS = PLAN.get("staff_users", max(1, len(FOUNDERS) // 50))
REVIEWER_USERS = PLAN.get("reviewer_users", max(1, min(len(REVIEWERS), len(FOUNDERS) // 25)))

# Shared by the users of this process: who logged in, when the rush starts and ends, what was sent and told.
_state = {"logged_in": 0, "refused_logins": 0, "start": None, "end": None, "next_founder": 0, "next_reviewer": 0}
_rush = Event()
# email -> {"application": id, "sent": {question id: the last value sent}, "told_submitted": bool}
_record: dict[str, dict] = {}


def _expected_users(environment) -> int:
    options = environment.parsed_options
    return options.num_users if options is not None else len(FOUNDERS) + STAFF_USERS + REVIEWER_USERS


def _logged_in(environment) -> None:
    """The last user to log in starts the rush: statistics reset, the clock started, the end scheduled."""
    _state["logged_in"] += 1
    if _state["logged_in"] >= _expected_users(environment) and not _rush.is_set():
        environment.stats.reset_all()
        _state["start"] = time.monotonic()
        _state["end"] = _state["start"] + MINUTES * 60
        _rush.set()

        def stop():
            gevent.sleep(MINUTES * 60 + 2)
            if environment.runner is not None:
                environment.runner.quit()

        gevent.spawn(stop)


class Person(HttpUser):
    abstract = True
    wait_time = between(5, 15)  # longest_wait in DeadlineFounder.on_start follows the 15
    email: str

    def log_in(self):
        """Log in through the form, then wait for the rush. Counted as logged in whatever happens (a refused
        login is a failure of its own), so that one user's trouble does not hold the rush back."""
        refused = True
        try:
            page = self.client.get("/login", name="/login").text
            match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
            if match:
                with self.client.post("/login", data={"csrf_token": match.group(1), "email": self.email,
                                                      "password": PASSWORD},
                                      name="/login [POST]", catch_response=True) as response:
                    refused = "/login" in response.url
                    if refused:
                        response.failure(f"{self.email} could not log in")
        finally:
            # Counted apart as well: the statistics are reset when the rush starts.
            _state["refused_logins"] += refused
            _logged_in(self.environment)
        if refused:
            raise StopUser
        _rush.wait()

    def page(self, path: str, name: str) -> str:
        with self.client.get(path, name=name, catch_response=True) as response:
            if "/login" in response.url:
                response.failure("sent to the login page")
            return response.text or ""

    def over(self) -> bool:
        return _state["end"] is not None and time.monotonic() >= _state["end"]


class DeadlineFounder(Person):
    fixed_count = len(FOUNDERS)
    weight = 10

    def on_start(self):
        self.email = FOUNDERS[_state["next_founder"] % len(FOUNDERS)]
        _state["next_founder"] += 1
        self.application = PLAN["founders"][self.email]
        self.mine = _record.setdefault(self.email, {"application": self.application, "sent": {},
                                                    "told_submitted": False})
        # A quarter of the founders submit, each at a moment of the last minute of the rush.
        self.submits = FOUNDERS.index(self.email) % 4 == 0
        self.typed = 0
        self.log_in()
        self.saved = False
        page = self.page(f"/applications/{self.application}/edit", "/applications/[id]/edit")
        self.fields = form_with(page, "version")["fields"]  # the draft's form as the browser would send it
        # At least the longest wait between two tasks before the end, so that the submission is never waited past
        # the end of a short run (a tiny run's one submitting founder sometimes never submitted).
        longest_wait = 15
        self.submit_at = _state["end"] - random.uniform(  # noqa: S311 (not a secret)
            longest_wait, max(longest_wait, min(60, MINUTES * 60)))

    @task
    def type_and_save(self):
        if self.over() or self.mine["told_submitted"]:
            raise StopUser
        if self.submits and self.saved and time.monotonic() >= self.submit_at:
            return self.submit()
        self.typed += 1
        first, *others = PLAN["questions"]  # a short text (the product's name), then long texts
        answers = {str(first): f"Sản phẩm {self.email.split('@')[0]} – lần gõ {self.typed}"}
        for q in others:
            words = random.randint(1, 40)  # noqa: S311 (not a secret)
            answers[str(q)] = (f"Lần gõ {self.typed}: " + "nội dung trả lời của nhà sáng lập " * words).rstrip()
        # The business's figures the eligibility rules read, as the founder gives them (a small, private firm).
        fields = replace(self.fields, is_public_company="no", sector_kind="other", employees="12",
                         revenue="2000000000", **{f"q{q}": value for q, value in answers.items()})
        self.mine["sent"].update(answers)  # what the founder typed last, whatever the answer
        with self.client.post(f"/applications/{self.application}/autosave", data=fields, catch_response=True,
                              name="/applications/[id]/autosave") as response:
            body = response.json() if response.headers.get("Content-Type", "").startswith("application/json") else {}
            if response.status_code != 200 or not body.get("saved"):
                response.failure(f"not saved: HTTP {response.status_code} {response.text[:200]}")
                return
            self.fields = replace(fields, version=str(body["version"]))
            self.saved = True

    def submit(self):
        token = next(value for name, value in self.fields if name == "csrf_token")
        with self.client.post(f"/applications/{self.application}/submit", data={"csrf_token": token},
                              catch_response=True, name="/applications/[id]/submit [POST]") as response:
            if response.status_code == 200 and response.history and \
                    re.search(rf"/applications/{self.application}$", response.url):
                self.mine["told_submitted"] = True
            else:
                response.failure(f"not submitted: HTTP {response.status_code} {response.url}")


class DeadlineStaff(Person):
    fixed_count = STAFF_USERS
    weight = 1

    def on_start(self):
        self.email = PLAN["staff"]
        self.log_in()

    @task
    def round_applications(self):
        if self.over():
            raise StopUser
        self.page(f"/rounds/{PLAN['round_id']}/applications", "/rounds/[id]/applications")


class DeadlineReviewer(Person):
    fixed_count = REVIEWER_USERS
    weight = 1

    def on_start(self):
        self.email = REVIEWERS[_state["next_reviewer"] % len(REVIEWERS)]
        _state["next_reviewer"] += 1
        self.log_in()

    @task
    def desk(self):
        if self.over():
            raise StopUser
        self.page("/reviews/", "/reviews/")


@events.quitting.add_listener
def _write_record(environment, **_kwargs):
    """What each founder sent last and was told, for load.py to compare with the database."""
    if RECORD:
        Path(RECORD).write_text(json.dumps({"founders": _record, "refused_logins": _state["refused_logins"]},
                                           ensure_ascii=False))
    if environment.stats.total.num_failures:
        environment.process_exit_code = 1
