"""``flask --app incubator translations update|compile``: keep the catalogues in step with the code.

Source strings are English, so the English catalogue is filled from them; the Vietnamese one is written
by people (a test fails while any string lacks its translation)."""

from __future__ import annotations

from pathlib import Path

import click
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from incubator import PACKAGE_DIR, PROJECT_DIR

TRANSLATIONS = PACKAGE_DIR / "translations"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None,
            "_n": (1, 2), "lazy_ngettext": (1, 2)}
METHOD_MAP = [("incubator/**.py", "python"), ("templates/**.html", "jinja2"), ("templates/**.txt", "jinja2")]


def extract() -> Catalog:
    catalog = Catalog(project="incubator", copyright_holder="Hà Nội ICT incubator", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
            str(PROJECT_DIR), METHOD_MAP, keywords=KEYWORDS, options_map={"templates/**": {"extensions": ""}}):
        if filename.startswith((".venv", "build")):
            continue
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def po_path(locale: str) -> Path:
    return TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"


def load(locale: str) -> Catalog:
    with po_path(locale).open("rb") as f:
        return read_po(f, locale=locale)


def save(catalog: Catalog, locale: str) -> None:
    path = po_path(locale)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        write_po(f, catalog, no_location=True, sort_output=True, width=100)
    with path.with_suffix(".mo").open("wb") as f:
        write_mo(f, catalog)


def update() -> dict[str, int]:
    template = extract()
    missing = {}
    for locale in ("vi", "en"):
        catalog = load(locale) if po_path(locale).exists() else Catalog(locale=locale)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        for message in catalog:
            if not message.id:
                continue
            if locale == "en" and not _translated(message):
                message.string = message.id  # the source is English; plurals: (singular, plural)
            message.flags.discard("fuzzy")
        save(catalog, locale)
        missing[locale] = sum(1 for m in catalog if m.id and not _translated(m))
    return missing


def _translated(message) -> bool:
    if isinstance(message.string, tuple | list):
        return all(message.string)
    return bool(message.string)


def register(app) -> None:
    group = click.Group("translations", help="Translation catalogues (vi, en).")
    app.cli.add_command(group)

    @group.command("update")
    def update_command() -> None:
        """Extract the strings, merge them into both catalogues, compile them."""
        for locale, count in update().items():
            click.echo(f"{locale}: {count} string(s) without a translation")

    @group.command("compile")
    def compile_command() -> None:
        """Compile the .po catalogues to .mo."""
        for locale in ("vi", "en"):
            save(load(locale), locale)
            click.echo(f"{locale}: compiled")
