"""Every command of the application's CLI (walked from ``app.cli``) is either one that acts in one incubator, and
then takes ``--incubator CODE`` (required when there are several: tests/organisation/test_roles_and_requests.py
runs them without it), or one that acts on the whole installation, with the reason it takes no ``--incubator``
(the README's "Which commands take --incubator" says the same). A new command must be put in one list."""

from __future__ import annotations

import shutil
import subprocess

import click
import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from incubator.auth.enums import Role
from incubator.organisation import services as organisation
from incubator.organisation.current import use_incubator
from incubator.organisation.models import Incubator
from tests.conftest import require_or_skip

# Acting in one incubator: its rows are read and written there (``organisation.options``).
IN_ONE_INCUBATOR = {
    "import-register": "adds residencies and outcomes: they belong to the incubator named",
    "cohorts remind": "cohorts and their progress reports are an incubator's",
    "reviews remind": "rounds, stages and reviews are an incubator's",
    "requests remind": "businesses' requests are filed with an incubator",
    "surveys remind": "a yearly survey and the businesses it invites are an incubator's",
    "report": "an incubator's periodic report; --city writes the network's consolidated report instead",
}
# Optional: without it, the whole network (the city's figures).
CITY_BY_DEFAULT = {
    "targets": "without --incubator, the city's figures with the city's targets (each business once)",
    "api-tokens create": "without --incubator, a token reading every incubator its owner sees; each --incubator "
                         "limits it to that one",
}
# The whole installation: none of them takes --incubator.
WHOLE_INSTALLATION = {
    "backup": "a backup is the whole database (every incubator's rows, the people, the businesses, the outbox); "
              "a per-incubator export would be another command",
    "restore": "replaces the whole database with a backup",
    "renders run": "draws every PDF waiting, of any incubator's report or of the city's; each knows its report",
    "create-admin": "administrators are network-wide",
    "api-tokens list": "a person's tokens, whatever incubators each reads",
    "api-tokens revoke": "a person's token, whatever incubators it reads",
    "api-tokens trim": "one log of API calls for the installation",
    "certificates remind": "certificates are city-wide, like the businesses that hold them; each incubator's staff "
                           "are told of those of the businesses in residence there today",
    "demo": "loads both demonstration incubators",
    "db": "the schema is one for the installation",
    "incubators create": "adds an incubator to the network",
    "incubators list": "lists the network's incubators",
    "mail deliver": "one outbox and one SMTP server for the installation; each message already says what it tells",
    "sessions purge": "sessions and login attempts are people's, not an incubator's",
    "translations": "the catalogues of the software",
    "uploads prune": "must see every incubator's records, or it would take another incubator's files for orphans",
    "uploads migrate": "moves the installation's old uploads folder into its one store, matching every "
                       "incubator's records",
}


def _commands(group: click.Group, prefix: tuple = ()) -> dict[str, click.Command]:
    found = {}
    for name, command in sorted(group.commands.items()):
        path = (*prefix, name)
        if isinstance(command, click.Group):
            found.update(_commands(command, path))
        else:
            found[" ".join(path)] = command
    return found


def _listed(name: str, table: dict) -> bool:
    parts = name.split()
    return any(" ".join(parts[:n]) in table for n in range(1, len(parts) + 1))


def _takes_incubator(command: click.Command) -> bool:
    return any("--incubator" in param.opts for param in command.params)


def test_every_command_says_whether_it_acts_in_one_incubator(app):
    commands = _commands(app.cli)
    assert "report" in commands and "backup" in commands and "cohorts remind" in commands  # the walk works
    for name, command in commands.items():
        tables = [t for t in (IN_ONE_INCUBATOR, CITY_BY_DEFAULT, WHOLE_INSTALLATION) if _listed(name, t)]
        assert len(tables) == 1, f"`{name}`: say whether it acts in one incubator (listed in {len(tables)})"
        takes = _takes_incubator(command)
        assert takes == (tables[0] is not WHOLE_INSTALLATION), f"`{name}` --incubator: {takes}"
    for name in (*IN_ONE_INCUBATOR, *CITY_BY_DEFAULT, *WHOLE_INSTALLATION):
        assert any(c == name or c.startswith(name + " ") for c in commands), f"no command `{name}`"


@pytest.fixture
def two_incubators(make, db):
    vuhn = db.session.scalar(sa.select(Incubator).where(Incubator.code == "VUHN"))
    hn2 = organisation.create("HN2", "Vườn ươm Hà Nội 2", "Hà Nội incubator 2", actor=None)
    db.session.commit()
    shared = make.company(name="Công ty Ở Hai Nơi")
    with use_incubator(vuhn):
        make.residency(company=shared)
        make.cohort(name="Khóa của VUHN")
    with use_incubator(hn2):
        make.residency(company=shared)
        make.residency(company=make.company(name="Công ty Chỉ HN2"))
    db.session.commit()
    return vuhn, hn2


def test_report_city_writes_the_networks_consolidated_report(two_incubators, runner, tmp_path):
    output = tmp_path / "bao-cao-thanh-pho.pdf"
    with force_locale("en"):
        result = runner.invoke(args=["report", "--city", "--period", "2025", "--lang", "en",
                                     "--output", str(output)])
    assert result.exit_code == 0, result.output
    require_or_skip(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils) is not installed")
    text = subprocess.run(["pdftotext", "-layout", str(output), "-"], check=True, capture_output=True,
                          text=True).stdout
    assert "HN2" in text and "VUHN" in text and "Hà Nội incubator 2" in text  # its English name
    # IT businesses on 31/12/2025: HN2 2, VUHN 1, the city 2 ("Công ty Ở Hai Nơi" once).
    rows = [line.split() for line in text.splitlines() if line.strip().startswith("In all (each business once)")]
    assert rows[0][-3:] == ["2", "1", "2"]


def test_report_city_and_an_incubator_exclude_each_other(two_incubators, runner, tmp_path):
    output = tmp_path / "r.pdf"
    result = runner.invoke(args=["report", "--city", "--incubator", "HN2", "--period", "2025",
                                 "--output", str(output)])
    assert result.exit_code == 2 and "leave out --incubator" in result.output
    assert not output.exists()


def test_report_of_one_incubator_prints_its_own_figures(two_incubators, runner, tmp_path):
    """`report --incubator HN2` counts HN2's rows only, whatever the other incubators hold."""
    output = tmp_path / "hn2.pdf"
    result = runner.invoke(args=["report", "--incubator", "hn2", "--period", "2025", "--lang", "en",
                                 "--output", str(output)])
    assert result.exit_code == 0, result.output
    require_or_skip(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils) is not installed")
    text = subprocess.run(["pdftotext", "-layout", str(output), "-"], check=True, capture_output=True,
                          text=True).stdout
    assert "No cohort ran during the period." in text  # VUHN's cohort is not HN2's


def test_officials_read_what_the_command_writes(two_incubators, login_as, runner, tmp_path):
    """The city's PDF from the command line and from /reports/city.pdf hold the same figures."""
    client, _ = login_as(Role.OFFICIAL)
    page = client.get("/reports/city.pdf?year=2025&part=year&lang=en")
    output = tmp_path / "city.pdf"
    assert runner.invoke(args=["report", "--city", "--period", "2025", "--lang", "en",
                               "--output", str(output)]).exit_code == 0
    require_or_skip(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils) is not installed")
    texts = []
    for pdf in (page.data, output.read_bytes()):
        path = tmp_path / "read.pdf"
        path.write_bytes(pdf)
        texts.append(subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                                    text=True).stdout)
    assert texts[0] == texts[1]
