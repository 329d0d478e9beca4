"""Scan the application with wapiti, logged in as the demo's staff member, and report what it finds.

    .venv/bin/python scripts/wapiti_scan.py [--max-scan-time 900] [--output test-artifacts/wapiti]

What it does, in order:

1. installs wapiti (the ``scan`` extra of pyproject.toml) in a virtual environment of its own, by default
   ``~/.cache/incubator/wapiti-venv`` (wapiti pins libraries the application also uses, so it never goes
   into the project's ``.venv``); ``--wapiti PATH`` uses a wapiti already installed;
2. loads the demonstration into a fresh SQLite database in a temporary folder and serves it with
   ``gunicorn -w 2`` on 127.0.0.1 at a free port (``scripts/demo_server.py``);
3. logs in as ``canbo@vuonuom.example`` (staff) through the login form, CSRF token included, and hands the
   session cookie to wapiti (``--cookie-value``; the session id does not change until logout, and wapiti 3.2
   sends no custom cookie at all when ``--drop-set-cookie`` is given too);
4. crawls and attacks ``/`` with the modules below, for at most ``--max-scan-time`` seconds, never
   following ``/logout`` (the scan would end its own session);
5. checks the session survived the scan, writes wapiti's JSON report and a text summary (``summary.txt``) to
   the output folder, with the server's access log, and stops the server.

It exits with 1 when a finding's category is not one of those the README's "Security scan" section
explains (``ACCEPTED`` below), when the server answered a 5xx or logged an error during the scan (wapiti
reports a 500 only when its own payload caused it), or when the session did not survive; 0 otherwise.

The server is a throw-away copy: wapiti posts its payloads into every form it finds (its CSRF tokens stay
valid for the session), so the demo data in that copy ends up full of test strings. Nothing else is touched.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tomllib
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scripts.demo_server import ROOT, SESSION_COOKIE, demo_server, log_in, server_errors

STAFF = "canbo@vuonuom.example"
# ssl (no TLS on 127.0.0.1), ssrf and log4shell (they need wapiti's endpoint on the internet), and the
# brute-force modules (buster, nikto, brute_login_form) are left out.
MODULES = ("xss,permanentxss,sql,exec,file,redirect,crlf,csrf,http_headers,cookieflags,csp,methods,upload,"
           "xxe,htaccess,backup")
# Categories explained in the README ("Security scan"): reported, but not a failure of the scan.
ACCEPTED = {
    "Secure Flag cookie",  # the session cookie is Secure on HTTPS (and with INCUBATOR_SESSION_COOKIE_SECURE)
    "HTTP Methods",  # Flask's automatic OPTIONS answer (an Allow header, no body); POST without a token is a 400
}
DEFAULT_VENV = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "incubator" / "wapiti-venv"


def wapiti_requirement() -> str:
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    return next(r for r in extras["scan"] if r.startswith("wapiti3"))


def ensure_wapiti(venv: Path) -> Path:
    wapiti = venv / "bin" / "wapiti"
    if not wapiti.exists():
        print(f"Installing {wapiti_requirement()} in {venv} …", flush=True)
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", wapiti_requirement()], check=True)
    return wapiti


def still_logged_in(url: str, sid: str) -> bool:
    request = urllib.request.Request(url + "/", headers={"Cookie": f"{SESSION_COOKIE}={sid}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return urllib.parse.urlsplit(response.url).path != "/login"


def summarise(report: dict) -> tuple[list[str], set[str]]:
    lines, categories = [], set()
    for section in ("vulnerabilities", "anomalies", "additionals"):
        for category, findings in sorted(report.get(section, {}).items()):
            if not findings:
                continue
            categories.add(category)
            mark = "accepted, see README" if category in ACCEPTED else "TO FIX OR EXPLAIN"
            lines.append(f"[{section}] {category}: {len(findings)} ({mark})")
            for f in findings:
                parameter = f" parameter={f['parameter']}" if f.get("parameter") else ""
                lines.append(f"    {f.get('method', '')} {f.get('path', '')}{parameter} — {f.get('info', '')}")
    return lines, categories


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--output", type=Path, default=ROOT / "test-artifacts" / "wapiti",
                        help="folder for the reports (default: test-artifacts/wapiti, not in git)")
    parser.add_argument("--max-scan-time", type=int, default=900, help="seconds for the whole scan")
    parser.add_argument("--max-attack-time", type=int, default=120, help="seconds for each attack module")
    parser.add_argument("--modules", default=MODULES)
    parser.add_argument("--wapiti", type=Path, help="a wapiti executable (default: installed in --venv)")
    parser.add_argument("--venv", type=Path, default=DEFAULT_VENV)
    args = parser.parse_args()

    wapiti = args.wapiti or ensure_wapiti(args.venv)
    output = args.output.resolve()
    output.mkdir(parents=True, exist_ok=True)
    with demo_server(workers=2, threads=4, keep=output) as server:
        sid = log_in(server.url, STAFF)
        print(f"Logged in as {STAFF} on {server.url}; scanning for at most {args.max_scan_time} s …", flush=True)
        base = server.url + "/"
        command = [
            str(wapiti), "--url", base, "--scope", "folder", "--module", args.modules,
            "--cookie-value", f"{SESSION_COOKIE}={sid}",
            "--exclude", server.url + "/logout",
            # Every audit entry links to the log filtered on its object: hundreds of URLs with the same two
            # parameters, which the filter form (still attacked) covers. Spreadsheet downloads have the
            # filters of their HTML page (attacked) and no HTML to inject into.
            "--exclude", server.url + "/audit/?object_type=*", "--exclude", server.url + "/*.xlsx*",
            "--exclude", server.url + "/*.csv*",
            "--start", server.url + "/rounds/manage", "--start", server.url + "/register/",
            "--start", server.url + "/reviews/", "--start", server.url + "/cohorts/",
            "--max-scan-time", str(args.max_scan_time), "--max-attack-time", str(args.max_attack_time),
            "--depth", "5", "--max-links-per-page", "60", "--max-files-per-dir", "60", "--tasks", "8",
            "--timeout", "30", "--level", "1", "--verbose", "1", "--no-bugreport",
            "--flush-session", "--store-session", str(server.folder / "wapiti-session"),
            "--store-config", str(server.folder / "wapiti-config"),
            "--format", "json", "--output", str(output / "report.json"),
        ]
        env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
        with (output / "wapiti.log").open("w") as log:
            result = subprocess.run(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        alive = still_logged_in(server.url, sid)
        errors = server_errors(server.log.read_text())

    if result.returncode != 0:
        print(f"wapiti failed (exit {result.returncode}); see {output / 'wapiti.log'}")
        return 2
    report = json.loads((output / "report.json").read_text())
    lines, categories = summarise(report)
    info = report.get("infos", {})
    head = [f"wapiti {info.get('version', '')} against {info.get('target', '')}, logged in as {STAFF}",
            f"modules: {args.modules}",
            f"crawled: {info.get('crawled_pages_nbr', '?')} pages; session alive after the scan: {alive}",
            f"server errors during the scan (5xx answers, tracebacks): {len(errors)}",
            *("    " + line for line in errors[:30]),
            "findings:" if lines else "findings: none"]
    (output / "summary.txt").write_text("\n".join(head + lines) + "\n")
    print("\n".join(head + lines))
    print(f"Reports in {output}")
    unexplained = categories - ACCEPTED
    if unexplained:
        print("Not explained in the README: " + ", ".join(sorted(unexplained)))
    return 1 if unexplained or errors or not alive else 0


if __name__ == "__main__":
    sys.exit(main())
