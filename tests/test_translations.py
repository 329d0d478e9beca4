"""Both languages are complete: every string a person reads has a Vietnamese and an English translation."""

import re

import pytest
from babel.messages.mofile import read_mo

from incubator import translations_cli

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


@pytest.fixture(scope="module")
def source_ids():
    return {m.id for m in translations_cli.extract() if m.id}


@pytest.mark.parametrize("locale", ["vi", "en"])
def test_every_string_in_the_code_is_translated(locale, source_ids):
    catalog = translations_cli.load(locale)
    translated = {m.id for m in catalog if m.id and (all(m.string) if isinstance(m.string, tuple) else m.string)
                  and "fuzzy" not in m.flags}
    missing = sorted(str(i) for i in source_ids - translated)
    assert not missing, (f"{len(missing)} string(s) without a {locale} translation "
                         f"(run: flask --app incubator translations update, then translate): {missing[:10]}")


@pytest.mark.parametrize("locale", ["vi", "en"])
def test_translations_keep_their_placeholders(locale):
    problems = []
    for m in translations_cli.load(locale):
        if not m.id:
            continue
        source = m.id[0] if isinstance(m.id, tuple) else m.id
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        for s in strings:
            if s and set(PLACEHOLDER.findall(s)) != set(PLACEHOLDER.findall(source)):
                problems.append(source)
    assert not problems, problems


@pytest.mark.parametrize("locale", ["vi", "en"])
def test_compiled_catalogue_matches_the_po_file(locale):
    def plain(value):  # plural entries come back as lists from the .mo, tuples from the .po
        return tuple(value) if isinstance(value, list | tuple) else value

    po = {plain(m.id): plain(m.string) for m in translations_cli.load(locale) if m.id}
    with translations_cli.po_path(locale).with_suffix(".mo").open("rb") as f:
        mo = {plain(m.id): plain(m.string) for m in read_mo(f) if m.id}
    assert po == mo, "the .mo file is stale: run flask --app incubator translations compile"


def test_vietnamese_is_really_vietnamese():
    catalog = translations_cli.load("vi")
    same = [m.id for m in catalog if m.id and m.string == m.id and len(m.id) > 12]
    assert not same, f"left in English in the Vietnamese catalogue: {same[:10]}"


def test_templates_follow_the_language_of_the_moment_within_one_request(app):
    """Templates look the catalogue up once per request (incubator.i18n.translations); force_locale, which
    e-mails use to write in the recipient's language, still switches it, there and back; %-variables are
    escaped in HTML and left as they are in plain text (e-mails)."""
    from flask_babel import force_locale
    from flask_babel import gettext as babel_gettext

    source = "{{ _('Cohorts') }}|{{ _('%(count)s late', count='<b>2</b>') }}"
    html = app.jinja_env.overlay(autoescape=True).from_string(source)
    with app.test_request_context("/"):
        assert html.render() == "Khóa ươm tạo|&lt;b&gt;2&lt;/b&gt; kỳ chậm"
        with force_locale("en"):
            assert html.render() == "Cohorts|&lt;b&gt;2&lt;/b&gt; late"
            assert str(babel_gettext("Cohorts")) == "Cohorts"
        assert html.render() == "Khóa ươm tạo|&lt;b&gt;2&lt;/b&gt; kỳ chậm"
    text = app.jinja_env.overlay(autoescape=False).from_string("{{ _('%(count)s late', count='<b>2</b>') }}")
    with app.test_request_context("/"), force_locale("en"):
        assert text.render() == "<b>2</b> late"


def test_no_fixed_text_names_the_department_merged_in_2025():
    """Since 01/03/2025 the Department of Information and Communications is part of the Department of Science
    and Technology: the names of bodies are dated records (reports.names), never words of the catalogues."""
    for locale in ("vi", "en"):
        stale = [m.id for m in translations_cli.load(locale) if m.id and any(
            old in " ".join(m.string if isinstance(m.string, tuple) else (m.string or "",))
            for old in ("TT&TT", "Thông tin và Truyền thông", "Information and Communications"))]
        assert not stale, (locale, stale)
