"""Run the load test and fail on any error.

    .venv/bin/python benchmarks/load.py [--scenario mixed|deadline] [--postgresql URL] [--users N]
                                        [--spawn-rate 10] [--time 60s] [--minutes 5] [--workers 4]

1. installs locust (the ``load`` extra of pyproject.toml) in a virtual environment of its own, by default
   ``~/.cache/incubator/locust-venv``, unless ``.venv/bin/locust`` exists (``pip install -e '.[load]'``) or
   ``--locust PATH`` names one;
2. loads the demonstration into a fresh database (SQLite in a temporary folder, or with ``--postgresql URL``
   a database ``load_mixed`` or ``load_deadline`` (re)created on that server), adds the load-test accounts
   (``benchmarks/seed_users.py``), and serves it with ``gunicorn -w 4`` on 127.0.0.1 at a free port;
3. runs the scenario headless with locust;
4. writes locust's CSV and HTML reports and the server's access log to ``--output``
   (default ``test-artifacts/load``), prints requests, failures and the 95th percentile per request, and
   stops the server.

Scenario ``mixed`` (the default; ``benchmarks/locustfile.py``): 50 users (``--users``), 10 more a second, for
60 s (``--time``): founders drafting, reviewers scoring, mentors logging sessions, officials reading. It exits
with 1 when a request failed, when the server answered any 5xx, or when its log holds an error (a traceback,
"database is locked").

Scenario ``deadline`` (``benchmarks/locustfile_deadline.py``): the last minutes before a round closes. 200
founders (``--users``), each with a business and a draft in an open round, log in first, then type answers
that autosave every 5 to 15 seconds for five minutes (``--minutes``), a quarter of them submitting in the last
minute; meanwhile staff (one for 50 founders) open the round's list of applications and reviewers (one for 25)
their desks. Its last line is JSON: ``{"users", "requests", "failures", "server_5xx", "lost_drafts",
"p95_ms_autosave", "p95_ms_submit", "p95_ms": {locust's request name: p95}}``; ``lost_drafts`` counts the
founders for whom the database does not hold the last value sent for every answer, or whose application is
submitted when they were not told so or the other way round. It exits with 1 when a goal is missed: 0
failures, 0 5xx, no server error, 0 lost drafts, autosave p95 ≤ 500 ms, submit p95 ≤ 1.5 s.

The login limits are the production ones: the load test logs in successfully only, and successful logins do
not count towards them.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scripts.demo_server import ROOT, demo_server, server_errors

HERE = Path(__file__).resolve().parent
AUTOSAVE_GOAL_MS, SUBMIT_GOAL_MS = 500, 1500
DEFAULT_VENV = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "incubator" / "locust-venv"


def locust_requirement() -> str:
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    return next(r for r in extras["load"] if r.startswith("locust"))


def find_locust(venv: Path) -> Path:
    own = Path(sys.executable).with_name("locust")
    if own.exists():
        return own
    locust = venv / "bin" / "locust"
    if not locust.exists():
        print(f"Installing {locust_requirement()} in {venv} …", flush=True)
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", locust_requirement()], check=True)
    return locust


def fresh_postgresql_database(server_url: str, name: str) -> str:
    """(Re)create the database ``name`` on the PostgreSQL server of ``server_url``; its URL for the app."""
    import psycopg
    from sqlalchemy.engine import make_url

    server = make_url(server_url).set(drivername="postgresql")
    with psycopg.connect(server.render_as_string(hide_password=False), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return server.set(drivername="postgresql+psycopg", database=name).render_as_string(hide_password=False)


def read_stats(output: Path) -> list[dict]:
    with (output / "locust_stats.csv").open() as f:
        return list(csv.DictReader(f))


def print_stats(rows: list[dict], log: str, problems: list[str]) -> dict:
    print(f"\n{'request':<58} {'count':>7} {'fail':>5} {'p50':>6} {'p95':>6} {'max':>6}  (ms)")
    for row in rows:
        print(f"{(row['Type'] + ' ' + row['Name'])[:58]:<58} {row['Request Count']:>7} {row['Failure Count']:>5} "
              f"{row['50%']:>6} {row['95%']:>6} {float(row['Max Response Time']):>6.0f}")
    total = next(row for row in rows if row["Name"] == "Aggregated")
    print(f"\n{total['Request Count']} requests, {total['Failure Count']} failures, p95 {total['95%']} ms, "
          f"{float(total['Requests/s']):.1f} requests/s; server errors: {len(problems)}")
    served = sorted(float(m.group(1)) for m in re.finditer(r"^<\d+> \S+ \S+ \d+ (\d+)ms$", log, flags=re.M))
    if served:
        print(f"Time spent in the server (its access log, without the wait for a free worker): "
              f"p50 {served[len(served) // 2]:.0f} ms, p95 {served[int(len(served) * 0.95)]:.0f} ms")
    for line in problems[:20]:
        print("  " + line)
    return total


def run_locust(locust: Path, locustfile: str, users: int, spawn_rate: float, run_time: str, url: str,
               output: Path, env: dict | None = None) -> int:
    return subprocess.run(
        [str(locust), "-f", str(HERE / locustfile), "--headless", "--users", str(users),
         "--spawn-rate", str(spawn_rate), "--run-time", run_time, "--host", url,
         "--stop-timeout", "20", "--csv", str(output / "locust"), "--html", str(output / "locust.html"),
         "--only-summary", "--loglevel", "WARNING"],
        cwd=ROOT, env={**{k: v for k, v in os.environ.items() if "proxy" not in k.lower()}, **(env or {})},
        check=False).returncode


def lost_drafts(plan: dict, record: dict) -> list[str]:
    """Founders whose draft lost something, read in the current app's database: for every founder of the plan,
    each answer the database holds compared with the last value they sent for it (``record``: email ->
    {"sent": {question id: value}, "told_submitted": bool}, as the locustfile writes it), and whether the
    application is submitted compared with whether they were told it was. A line per founder who lost
    something, saying what."""
    import sqlalchemy as sa

    from incubator.applications.enums import ApplicationStatus
    from incubator.applications.models import Application
    from incubator.extensions import db

    lost = []
    held = {a.id: a for a in db.session.scalars(sa.select(Application).where(
        Application.id.in_(list(plan["founders"].values()))).execution_options(all_incubators=True))}
    for email, application_id in sorted(plan["founders"].items()):
        mine = record.get(email, {"sent": {}, "told_submitted": False})
        application = held.get(application_id)
        if application is None:
            lost.append(f"{email}: application {application_id} is gone")
            continue
        answers = application.answers or {}
        wrong = [q for q, value in mine["sent"].items() if answers.get(q) != value]
        submitted = application.status is ApplicationStatus.SUBMITTED
        if wrong:
            lost.append(f"{email}: the answers to questions {', '.join(wrong)} are not the last ones sent")
        if submitted != bool(mine["told_submitted"]):
            lost.append(f"{email}: " + ("submitted, and not told so" if submitted
                                        else "told it was submitted, and it is not"))
    return lost


def lost_drafts_in(database_url: str, plan: dict, record: dict) -> list[str]:
    """lost_drafts read in the server's database (an app made for it here, which serves nothing)."""
    from incubator import create_app
    from incubator.extensions import db

    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "load-test-count-not-serving",
                      "PUBLIC_URL": "http://127.0.0.1:5000"})
    with app.app_context():
        try:
            return lost_drafts(plan, record)
        finally:
            db.session.remove()
            db.engine.dispose()


def deadline(args, locust: Path, output: Path) -> int:
    """The deadline-day scenario (benchmarks/locustfile_deadline.py): see the module's docstring."""
    founders = args.users or 200
    staff_users, reviewer_users = max(1, founders // 50), max(1, founders // 25)
    minutes = args.minutes
    plan_path, record_path = output / "deadline_plan.json", output / "deadline_record.json"
    record_path.unlink(missing_ok=True)
    database_url = fresh_postgresql_database(args.postgresql, "load_deadline") if args.postgresql else None
    seed = [sys.executable, str(HERE / "seed_users.py"), "--reviewers", str(max(2, reviewer_users)),
            "--deadline", str(founders), "--plan", str(plan_path)]
    users = founders + staff_users + reviewer_users
    with demo_server(workers=args.workers, keep=output, prepare=[seed], database_url=database_url) as server:
        plan = json.loads(plan_path.read_text())
        plan.update(staff_users=staff_users, reviewer_users=reviewer_users)
        plan_path.write_text(json.dumps(plan))
        print(f"Server {server.url} with {args.workers} workers; {founders} founders, {staff_users} staff, "
              f"{reviewer_users} reviewers log in, then {minutes:g} minutes of autosaves …", flush=True)
        # The rush ends itself (the locustfile quits after its minutes); --run-time is a safety net for the logins.
        returncode = run_locust(locust, "locustfile_deadline.py", users, args.spawn_rate,
                                f"{int(minutes * 60 + 600)}s", server.url, output,
                                env={"DEADLINE_PLAN": str(plan_path), "DEADLINE_MINUTES": str(minutes),
                                     "DEADLINE_RECORD": str(record_path)})
        log = server.log.read_text()
        record = json.loads(record_path.read_text()) if record_path.exists() else {}
        lost = lost_drafts_in(server.env["INCUBATOR_DATABASE_URL"], plan, record.get("founders", {}))

    rows = read_stats(output)
    problems = server_errors(log)
    total = print_stats(rows, log, problems)
    for line in lost[:20]:
        print("  lost: " + line)
    by_name = {row["Name"]: row for row in rows if row["Name"] != "Aggregated"}

    def p95_of(name: str) -> float | None:
        row = by_name.get(name)
        return float(row["95%"]) if row and int(row["Request Count"]) else None

    server_5xx = len(re.findall(r"^<\d+> \S+ \S+ 5\d\d ", log, flags=re.M))
    # A login refused before the rush is a failure too (the statistics were reset when the rush started).
    failures = int(total["Failure Count"]) + int(record.get("refused_logins", 0))
    result = {"users": users, "requests": int(total["Request Count"]), "failures": failures,
              "server_5xx": server_5xx, "lost_drafts": len(lost),
              "p95_ms_autosave": p95_of("/applications/[id]/autosave"),
              "p95_ms_submit": p95_of("/applications/[id]/submit [POST]"),
              "p95_ms": {name: float(row["95%"]) for name, row in by_name.items() if int(row["Request Count"])}}
    goals = [(f"failures {result['failures']} = 0", result["failures"] == 0),
             (f"5xx answers {server_5xx} = 0", server_5xx == 0),
             (f"server errors in its log {len(problems)} = 0", not problems),
             (f"lost drafts {len(lost)} = 0", not lost),
             (f"autosave p95 {result['p95_ms_autosave']} ms ≤ {AUTOSAVE_GOAL_MS}",
              result["p95_ms_autosave"] is not None and result["p95_ms_autosave"] <= AUTOSAVE_GOAL_MS)]
    goals.append((f"submit p95 {result['p95_ms_submit']} ms ≤ {SUBMIT_GOAL_MS}",
                  result["p95_ms_submit"] is not None and result["p95_ms_submit"] <= SUBMIT_GOAL_MS))
    print("Goals:")
    for text, ok in goals:
        print(f"  [{'met' if ok else 'MISSED'}] {text}")
    print(f"Reports in {output}")
    print(json.dumps(result, ensure_ascii=False), flush=True)
    return 1 if not all(ok for _, ok in goals) or returncode not in (0, 1) else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenario", choices=("mixed", "deadline"), default="mixed",
                        help="mixed (default): people using the programme; deadline: the rush before a round closes")
    parser.add_argument("--users", type=int, default=None,
                        help="mixed: users (default 50); deadline: founders (default 200)")
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--time", default="60s", help="mixed: how long the load lasts (locust's --run-time)")
    parser.add_argument("--minutes", type=float, default=5, help="deadline: how long the rush lasts (default 5)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--postgresql", metavar="URL",
                        help="a PostgreSQL server to use instead of SQLite (e.g. postgresql://postgres@127.0.0.1:"
                             "54329/postgres); a database load_deadline or load_mixed is (re)created there")
    parser.add_argument("--output", type=Path, default=ROOT / "test-artifacts" / "load")
    parser.add_argument("--locust", type=Path, help="a locust executable (default: see above)")
    parser.add_argument("--venv", type=Path, default=DEFAULT_VENV)
    args = parser.parse_args()

    locust = args.locust or find_locust(args.venv)
    output = args.output.resolve()
    output.mkdir(parents=True, exist_ok=True)
    if args.scenario == "deadline":
        return deadline(args, locust, output)
    users = args.users or 50
    database_url = fresh_postgresql_database(args.postgresql, "load_mixed") if args.postgresql else None
    seed = [sys.executable, str(HERE / "seed_users.py"), "--founders", "20", "--reviewers", "12"]
    with demo_server(workers=args.workers, keep=output, prepare=[seed], database_url=database_url) as server:
        print(f"Server {server.url} with {args.workers} workers; {users} users for {args.time} …", flush=True)
        returncode = run_locust(locust, "locustfile.py", users, args.spawn_rate, args.time, server.url, output)
        log = server.log.read_text()

    rows = read_stats(output)
    problems = server_errors(log)
    total = print_stats(rows, log, problems)
    print(f"Reports in {output}")
    if int(total["Failure Count"]) or problems or returncode not in (0, 1):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
