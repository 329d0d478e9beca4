"""Bad input on the command line gets a clear answer too (quality.md): every command of the application's CLI
(walked from ``app.cli``), called with generated arguments — empty, huge, NUL bytes and other control
characters, emoji, bytes that are not UTF-8 (as a shell passes them), negative and enormous numbers (beyond 64
bits), NaN, sNaN and infinities, far and impossible dates (the calendar's ends), odd periods (2025-Q5), --from
after --to, paths that cannot be paths — ends with exit code 0, or 1 or 2 with a message; never with a
traceback (an exception other than SystemExit).

A new command joins the walk by itself; one that cannot run here says why in SKIPPED. ``restore`` replaces
the test database, so it is called with bad paths in tests/test_cli_bad_input.py.
"""

from __future__ import annotations

import os
import string

import click
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import PASSWORD
from tests.test_cli_bad_input import assert_clean, prepare

pytestmark = pytest.mark.slow

SKIPPED = {
    "db": "Flask-Migrate's own commands (Alembic's code, not ours); the schema they build is tested in "
          "tests/test_migrations.py",
    "translations": "rewrites the catalogues in the source tree, which people edit",
    "restore": "replaces the test database: called with bad paths in tests/test_cli_bad_input.py",
}

# Small, so that the file runs in seconds; FUZZ_EXAMPLES=200 searches longer on demand.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", 15))


# ---- Generated values -------------------------------------------------------------------------------------

FAR_DATES = ["0001-01-01", "9999-12-31", "10000-01-01", "-0001-01-01", "2025-02-30", "2025-13-01", "31/12/2025",
             "1999-12-31", "2101-01-01", "2025-06-31", "20250101", "2025-1-1", "٢٠٢٥-٠١-٠١", "01/01/0001", "31/12/9999",
             "0001-01-02", "9999-12-30"]
PERIODS = ["2025", "2025-H1", "2025-H2", "2025-Q1", "2025-Q4", "2025-Q5", "2025-Q0", "2025-H3", "2025-q2",
           " 2025 ", "1999", "2101", "99999", "0000", "-2025", "2025-", "Q1-2025", "２０２５", "2025-Q1-Q2"]
NUMBERS = ["-1", "0", "1", "10000", "10001", "9" * 40, "-" + "9" * 40, "1e309", "NaN", "0x10", "1_000", "١٢",
           str(2**31), str(2**63), str(2**64), str(-(2**63) - 1), str(10**30), "sNaN", "Infinity", "-Infinity"]

weird = st.one_of(
    st.just(""),
    st.text(max_size=30),
    st.integers(min_value=200, max_value=10_000).map(lambda n: "x" * n),
    st.text(max_size=10).map(lambda s: s + "\x00" + s),
    st.sampled_from(["\x01\x02", "a\x1bb", "\r\n", "   ", "\t", "-", "--", "--help", "-x"]),
    st.sampled_from(["😀", "👩‍💻🇻🇳", "🏳️‍🌈" * 50, "Công ty 🚀", "\u202e\u200b\ufeff"]),
    st.binary(min_size=1, max_size=12).map(lambda b: (b"\xff" + b).decode("utf-8", "surrogateescape")),
    st.sampled_from(NUMBERS),
    st.sampled_from(FAR_DATES),
)
path_names = st.text(alphabet=string.ascii_letters + "ưđ😀 .-_/\\\x00", max_size=30)


ODD_PATHS = ["thu-muc", "khong-co/ra.pdf", ".", "/dev/full", "tep-rong.xlsx", "rac.xlsx", "rac.csv", "csv-hong",
             "x" * 300, "a/" * 20 + "x" * 300, "/" * 5000]


def _inside(tmp, path: str) -> str:
    """A path in the test's own folder (/dev/full stays: writing to it fails as a full disk does)."""
    if not path or path.startswith(("-", "\x00", "/dev/")):
        return path
    return os.path.join(tmp, path.lstrip("/"))


# By the parameter's name: (what a person would type, what they should not). Most parameters of an example
# get the first, so that the few corrupted ones reach the command's own checks instead of stopping at the
# first missing option.
def _values_for(command: str, name: str, tmp) -> tuple[list, st.SearchStrategy]:
    paths = st.one_of(st.sampled_from(ODD_PATHS), path_names, weird).map(lambda p: _inside(tmp, p))
    if name == "path":
        plausible = {"backup": ["ra.backup"], "import-register": ["hop-le", "csv-hong", "rac.xlsx", "tep-rong.xlsx"]}
        return [_inside(tmp, p) for p in plausible.get(command, ["ra"])], paths
    if name == "output":
        return [_inside(tmp, "ra.pdf")], paths
    if name == "period":
        return ["2025", "2025-H1", "2025-Q2"], st.one_of(st.sampled_from(PERIODS), weird)
    if name in ("start_text", "end_text", "today_text", "as_of"):
        plausible = {"start_text": ["2025-01-01"], "end_text": ["2025-06-30"]}.get(name, ["2025-06-30", "30/06/2025"])
        return plausible, st.one_of(st.sampled_from(FAR_DATES), weird)
    if name == "lang":
        return ["vi", "en"], st.one_of(st.sampled_from(["fr", "VI"]), weird)
    if name == "limit":
        return ["10"], st.one_of(st.sampled_from(NUMBERS), st.integers().map(str), weird)
    if name == "email":
        return ["quan.tri@vuonuom.example"], st.one_of(st.sampled_from([
            "khong-phai-email", "a@b", "@vuonuom.example", "a" * 250 + "@vuonuom.example",
            "quan tri@vuonuom.example"]), weird)
    if name == "name":
        return ["Nguyễn Quản Trị"], weird
    if name == "password":
        return [PASSWORD], weird
    return [""], weird


# ---- The commands -----------------------------------------------------------------------------------------

def _commands(group: click.Group, prefix: tuple = ()) -> list[tuple[str, ...]]:
    found = []
    for name, command in sorted(group.commands.items()):
        path = (*prefix, name)
        if isinstance(command, click.Group):
            found.extend(_commands(command, path))
        else:
            found.append(path)
    return found


def _all_commands() -> list[tuple[str, ...]]:
    """Read at collection, from an application of its own (the test database does not exist yet)."""
    from incubator import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    return _commands(app.cli)


def _skipped(path: tuple[str, ...]) -> bool:
    return any(" ".join(path[:n]) in SKIPPED for n in range(1, len(path) + 1))


def _command(app, path: tuple[str, ...]) -> click.Command:
    command = app.cli
    for name in path:
        command = command.commands[name]
    return command


@st.composite
def arguments(draw, path: tuple[str, ...], command: click.Command, tmp: str):
    """Each option given (mostly) or not, each flag set or not, each argument a value: plausible but for
    none to two corrupted ones; sometimes a stray argument."""
    names = [p.name for p in command.params if not (isinstance(p, click.Option) and p.is_flag)]
    how_many = draw(st.sampled_from([0, 0, 0, 1, 1, 2]))
    corrupted = set(draw(st.permutations(names))[:how_many])
    alternatives = ALTERNATIVES.get(path, [])
    chosen = draw(st.sampled_from(alternatives)) if alternatives else ()
    left_out = {n for group in alternatives if group is not chosen for n in group}
    options, positional = [], []
    for param in command.params:
        if isinstance(param, click.Option) and param.is_flag:
            if draw(st.booleans()):
                options.append([param.opts[0]])
            continue
        plausible, corrupt = _values_for(path[-1], param.name, tmp)
        given = param.name in corrupted or draw(st.sampled_from(OFTEN if param.name not in left_out else RARELY))
        if not given:
            continue
        value = draw(corrupt if param.name in corrupted else st.sampled_from(plausible))
        if isinstance(param, click.Option):
            options.append([param.opts[0], value])
        else:
            positional.append(value)
    args = [a for option in draw(st.permutations(options)) for a in option] + positional
    if draw(st.sampled_from(RARELY)):
        args.insert(draw(st.integers(0, len(args))), draw(st.one_of(weird, st.sampled_from(["--no-such", "-z"]))))
    return args


OFTEN, RARELY = [True] * 5 + [False], [True] + [False] * 5
# Options that go one group or the other: a plausible call gives one group (the other only now and then).
ALTERNATIVES = {("report",): [("period",), ("start_text", "end_text")]}

FUZZ_SETTINGS = {"deadline": None, "database": None,
                 "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                           HealthCheck.data_too_large]}


@pytest.mark.parametrize("path", [p for p in _all_commands() if not _skipped(p)], ids=" ".join)
def test_generated_arguments_end_cleanly(path, app, runner, db, tmp_path, monkeypatch):
    tmp = str(tmp_path)
    prepare(tmp)
    monkeypatch.chdir(tmp_path)  # a relative path lands in the test's folder
    command = _command(app, path)

    @settings(max_examples=EXAMPLES, **FUZZ_SETTINGS)
    @given(args=arguments(path, command, tmp))
    def call(args):
        if path == ("demo",) and not any(a not in ("--force", "--no-upgrade") for a in args):
            args = [*args, "--no-such-option"]  # loading the demonstration is tested in tests/demo
        result = runner.invoke(args=[*path, *args], input="")
        assert_clean(result, [*path, *args])

    call()


def test_every_command_is_fuzzed_or_skipped_with_a_reason():
    commands = _all_commands()
    assert ("report",) in commands and ("backup",) in commands  # the walk finds the app's commands
    walked = {" ".join(p) for p in commands}
    for name in SKIPPED:
        assert any(w == name or w.startswith(name + " ") for w in walked), f"SKIPPED names no command: {name}"
