"""Load test: 50 people using the programme at once, against a server seeded with the demonstration and the
load-test accounts (``benchmarks/seed_users.py``). ``benchmarks/load.py`` does all of it; by hand::

    locust -f benchmarks/locustfile.py --headless -u 50 -r 10 -t 60s --host http://127.0.0.1:PORT

Who does what (``fixed_count``: exactly 20 + 12 + 10 + 8 = 50 users; any other ``-u`` fills the classes in
that order):

- founders (``load-founder-NN@``, one account and one company each): the open rounds, the open round, start
  the application (the company's draft, made once), open the draft, change answers as the form's script does
  (autosave, with the draft's version), now and then save the whole form;
- reviewers (``load-reviewer-NN@``, two applications each): the review desk, one of their applications,
  save the score sheet as a draft (with its version);
- mentors (the demo's ``covan@``, shared): the mentoring desk, log a session held yesterday with one of
  their startups, open one of their sessions;
- officials (the demo's ``sotttt@``, shared): the targets dashboard, a target's list of businesses, the
  reports to the Department.

Each user logs in once through the login form (CSRF token included) and keeps its session. A request
counts as a failure when the answer is not the one a person would get: any 4xx/5xx, a form shown again
with errors, a redirect to the login page. Every account has the demo's password.
"""

from __future__ import annotations

import itertools
import random
import re
from datetime import date, timedelta
from html.parser import HTMLParser

from locust import HttpUser, between, events, task

PASSWORD = "Vuon-uom-2025-demo"  # noqa: S105 (the demonstration's published password)
DOMAIN = "vuonuom.example"
FOUNDERS, REVIEWERS, MENTORS, OFFICIALS = 20, 12, 10, 8


class _Forms(HTMLParser):
    """The fields of each form of a page, as a browser would send them (checked boxes, selected options)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"attrs": a, "fields": [], "radios": {}})
        if not self.forms:
            return
        form = self.forms[-1]
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio"):
                form["radios"].setdefault(name, []).append(a.get("value", "on"))
                if "checked" in a:
                    form["fields"].append((name, a.get("value", "on")))
            else:
                form["fields"].append((name, a.get("value", "")))
        elif tag == "select" and name:
            self._select = [name, None, None]
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._select[1] is None:
                self._select[1] = value
            if "selected" in a:
                self._select[2] = value
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if not self.forms:
            return
        if tag == "select" and self._select is not None:
            name, first, chosen = self._select
            self.forms[-1]["fields"].append((name, chosen if chosen is not None else first))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.forms[-1]["fields"].append(tuple(self._textarea))
            self._textarea = None


def form_with(page: str, field: str) -> dict:
    """The first form of the page that has the named field (the page's own forms come after the menu's)."""
    parser = _Forms()
    parser.feed(page)
    for form in parser.forms:
        if any(name == field for name, _ in form["fields"]) or field in form["radios"]:
            return form
    raise LookupError(f"no form with a field {field!r}")


def replace(fields: list, **values) -> list:
    """The form's fields with some replaced (a list value gives a field several times: checkboxes)."""
    kept = [(k, v) for k, v in fields if k not in values]
    for key, value in values.items():
        kept.extend((key, v) for v in (value if isinstance(value, list) else [value]))
    return kept


class Person(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    accounts: itertools.cycle

    def on_start(self):
        self.email = next(self.accounts)
        page = self.client.get("/login", name="/login").text
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        with self.client.post("/login", data={"csrf_token": token, "email": self.email, "password": PASSWORD},
                              name="/login [POST]", catch_response=True) as response:
            if response.url.endswith("/login") or "/login?" in response.url:
                response.failure(f"{self.email} could not log in")
                raise RuntimeError(f"{self.email} could not log in")

    def page(self, path: str, name: str | None = None) -> str:
        with self.client.get(path, name=name or path, catch_response=True) as response:
            if "/login" in response.url:
                response.failure("sent to the login page")
            return response.text or ""

    def post(self, path: str, fields: list, name: str, expect_redirect: bool = True) -> str:
        with self.client.post(path, data=fields, name=name, catch_response=True) as response:
            if "/login" in response.url:
                response.failure("sent to the login page")
            elif expect_redirect and not response.history:
                response.failure(f"the form came back (HTTP {response.status_code})")
            return response.text or ""


class Founder(Person):
    fixed_count = FOUNDERS
    weight = 4
    accounts = itertools.cycle([f"load-founder-{n:02d}@{DOMAIN}" for n in range(1, FOUNDERS + 1)])

    def on_start(self):
        super().on_start()
        rounds = self.page("/rounds/", "/rounds/")
        self.round_id = re.search(r'href="/rounds/(\d+)"', rounds).group(1)
        self.draft = None

    @task(3)
    def open_round_and_draft(self):
        self.page(f"/rounds/{self.round_id}", "/rounds/[id]")
        start = self.page(f"/applications/start/{self.round_id}", "/applications/start/[round]")
        form = form_with(start, "company_id")
        with self.client.post(f"/applications/start/{self.round_id}", data=form["fields"], catch_response=True,
                              name="/applications/start/[round] [POST]") as response:
            match = re.search(r"/applications/(\d+)/edit", response.url)
            if not match:
                response.failure("no draft after starting")
                return
            self.draft = match.group(1)
            self.edit_form = form_with(response.text, "version")

    @task(6)
    def type_answers(self):
        if self.draft is None:
            return self.open_round_and_draft()
        fields = replace(self.edit_form["fields"], q1=f"Nền tảng số thử tải {random.randint(1, 999)}",
                         q2="Người dân phải đến trụ sở phường nhiều lần cho một thủ tục. " * random.randint(1, 8),
                         q3=random.sample(["c1", "c2", "c3"], random.randint(1, 3)),
                         employees=str(random.randint(2, 40)), revenue=str(random.randint(0, 5) * 100_000_000))
        with self.client.post(f"/applications/{self.draft}/autosave", data=fields, catch_response=True,
                              name="/applications/[id]/autosave") as response:
            saved = response.status_code == 200 and response.json().get("saved")
            if not saved:
                response.failure(f"not saved: {response.text[:200]}")
                return
            self.edit_form["fields"] = replace(fields, version=str(response.json()["version"]))

    @task(1)
    def save_whole_form(self):
        if self.draft is None:
            return self.open_round_and_draft()
        page = self.page(f"/applications/{self.draft}/edit", "/applications/[id]/edit")
        form = form_with(page, "version")
        fields = replace(form["fields"], q5="https://sanpham.vuonuom.example", capital=str(random.randint(1, 9)
                                                                                             * 100_000_000))
        page = self.post(f"/applications/{self.draft}/edit", fields, "/applications/[id]/edit [POST]")
        self.edit_form = form_with(page, "version")


class Reviewer(Person):
    fixed_count = REVIEWERS
    weight = 3
    accounts = itertools.cycle([f"load-reviewer-{n:02d}@{DOMAIN}" for n in range(1, REVIEWERS + 1)])

    @task
    def score(self):
        desk = self.page("/reviews/", "/reviews/")
        assignments = re.findall(r'href="/reviews/assignments/(\d+)"', desk)
        if not assignments:
            return
        assignment = random.choice(assignments)
        page = self.page(f"/reviews/assignments/{assignment}", "/reviews/assignments/[id]")
        form = form_with(page, "version")
        scores = {name: random.choice(values) for name, values in form["radios"].items() if name.startswith("score_")}
        fields = replace(form["fields"], **scores, comment_1="Nhóm có kinh nghiệm triển khai cho phường.",
                         comment_for_applicant="Cần làm rõ khách hàng trả tiền đầu tiên.", action="draft")
        self.post(f"/reviews/assignments/{assignment}", fields, "/reviews/assignments/[id] [POST]")


class Mentor(Person):
    fixed_count = MENTORS
    weight = 2
    accounts = itertools.cycle([f"covan@{DOMAIN}"])

    @task(3)
    def log_session(self):
        desk = self.page("/mentoring/", "/mentoring/")
        links = re.findall(r'href="(/mentoring/assignments/\d+/sessions/new)"', desk)
        if not links:
            return
        link = random.choice(links)
        form = form_with(self.page(link, "/mentoring/assignments/[id]/sessions/new"), "starts_on")
        yesterday = date.today() - timedelta(days=1)
        fields = replace(form["fields"], starts_on=yesterday.isoformat(),
                         starts_time=f"{random.randint(8, 16):02d}:{random.choice(['00', '30'])}",
                         minutes=str(random.choice([30, 60, 90])), mode="in_person", place="Phòng họp tầng 3",
                         topics=random.sample(form["radios"]["topics"], 2), notes="Rà soát kế hoạch bán hàng quý",
                         action_items="Gửi lại bảng giá")
        self.post(link, fields, "/mentoring/assignments/[id]/sessions/new [POST]")

    @task(1)
    def open_session(self):
        desk = self.page("/mentoring/", "/mentoring/")
        sessions = re.findall(r'href="(/mentoring/sessions/\d+)"', desk)
        if sessions:
            self.page(random.choice(sessions), "/mentoring/sessions/[id]")


class Official(Person):
    fixed_count = OFFICIALS
    weight = 1
    accounts = itertools.cycle([f"sotttt@{DOMAIN}"])

    @task(3)
    def targets(self):
        dashboard = self.page("/targets/", "/targets/")
        lists = re.findall(r'href="(/targets/\w+/\?[^"]+)"', dashboard)
        if lists:
            self.page(random.choice(lists).replace("&amp;", "&"), "/targets/[code]/?show=…")

    @task(1)
    def reports(self):
        self.page("/reports/", "/reports/")


@events.quitting.add_listener
def _fail_on_errors(environment, **_kwargs):
    """Exit code 1 when any request failed (locust's default already does; said here for the reader)."""
    if environment.stats.total.num_failures:
        environment.process_exit_code = 1
