"""Run the load test and fail on any error.

    .venv/bin/python benchmarks/load.py [--users 50] [--spawn-rate 10] [--time 60s] [--workers 4]

1. installs locust (the ``load`` extra of pyproject.toml) in a virtual environment of its own, by default
   ``~/.cache/incubator/locust-venv``, unless ``.venv/bin/locust`` exists (``pip install -e '.[load]'``) or
   ``--locust PATH`` names one;
2. loads the demonstration into a fresh SQLite database in a temporary folder, adds the load-test accounts
   (``benchmarks/seed_users.py``: 20 founders, 12 reviewers), and serves it with ``gunicorn -w 4`` on
   127.0.0.1 at a free port;
3. runs ``benchmarks/locustfile.py`` headless (50 users, 10 more a second, 60 s);
4. writes locust's CSV and HTML reports and the server's access log to ``--output``
   (default ``test-artifacts/load``), prints requests, failures and the 95th percentile per request, and
   stops the server.

It exits with 1 when a request failed, when the server answered any 5xx, or when its log holds an error
(a traceback, "database is locked"). The login limits are the production ones: the load test logs in
successfully only, and successful logins do not count towards them.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scripts.demo_server import ROOT, demo_server, server_errors

HERE = Path(__file__).resolve().parent
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--time", default="60s", help="how long the load lasts (locust's --run-time)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--output", type=Path, default=ROOT / "test-artifacts" / "load")
    parser.add_argument("--locust", type=Path, help="a locust executable (default: see above)")
    parser.add_argument("--venv", type=Path, default=DEFAULT_VENV)
    args = parser.parse_args()

    locust = args.locust or find_locust(args.venv)
    output = args.output.resolve()
    output.mkdir(parents=True, exist_ok=True)
    seed = [sys.executable, str(HERE / "seed_users.py"), "--founders", "20", "--reviewers", "12"]
    with demo_server(workers=args.workers, keep=output, prepare=[seed]) as server:
        print(f"Server {server.url} with {args.workers} workers; {args.users} users for {args.time} …", flush=True)
        result = subprocess.run(
            [str(locust), "-f", str(HERE / "locustfile.py"), "--headless", "--users", str(args.users),
             "--spawn-rate", str(args.spawn_rate), "--run-time", args.time, "--host", server.url,
             "--stop-timeout", "10", "--csv", str(output / "locust"), "--html", str(output / "locust.html"),
             "--only-summary", "--loglevel", "WARNING"],
            cwd=ROOT, env={k: v for k, v in os.environ.items() if "proxy" not in k.lower()})
        log = server.log.read_text()

    with (output / "locust_stats.csv").open() as f:
        rows = list(csv.DictReader(f))
    print(f"\n{'request':<58} {'count':>7} {'fail':>5} {'p50':>6} {'p95':>6} {'max':>6}  (ms)")
    for row in rows:
        print(f"{(row['Type'] + ' ' + row['Name'])[:58]:<58} {row['Request Count']:>7} {row['Failure Count']:>5} "
              f"{row['50%']:>6} {row['95%']:>6} {float(row['Max Response Time']):>6.0f}")
    total = next(row for row in rows if row["Name"] == "Aggregated")
    failures = int(total["Failure Count"])
    problems = server_errors(log)
    print(f"\n{total['Request Count']} requests, {failures} failures, p95 {total['95%']} ms, "
          f"{float(total['Requests/s']):.1f} requests/s; server errors: {len(problems)}")
    served = sorted(float(m.group(1)) for m in re.finditer(r"^<\d+> \S+ \S+ \d+ (\d+)ms$", log, flags=re.M))
    if served:
        print(f"Time spent in the server (its access log, without the wait for a free worker): "
              f"p50 {served[len(served) // 2]:.0f} ms, p95 {served[int(len(served) * 0.95)]:.0f} ms")
    for line in problems[:20]:
        print("  " + line)
    print(f"Reports in {output}")
    if failures or problems or result.returncode not in (0, 1):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
