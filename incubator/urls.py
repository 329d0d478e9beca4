"""Absolute links. They are built from the configured public address (PUBLIC_URL) only, in requests as on the
command line: a request's Host or X-Forwarded-Host header never reaches an e-mail, a feed or a report."""

from urllib.parse import urlsplit

from flask import current_app


class PublicUrlMissing(RuntimeError):
    """A link was needed where no public address is configured (a command run without INCUBATOR_PUBLIC_URL)."""


def public_url() -> str:
    url = current_app.config.get("PUBLIC_URL")
    if not url:
        raise PublicUrlMissing(
            "INCUBATOR_PUBLIC_URL is not set: this command writes links (in e-mails), and they are built from the "
            "configured public address only. Set it, e.g. INCUBATOR_PUBLIC_URL=https://vuonuom.hanoi.gov.vn")
    return url


def external_url(endpoint: str, **values) -> str:
    """An absolute link to ``endpoint`` at the public address (with its path prefix, if any)."""
    parts = urlsplit(public_url())
    adapter = current_app.url_map.bind(parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme)
    anchor = values.pop("_anchor", None)
    url = adapter.build(endpoint, values, force_external=True)
    return f"{url}#{anchor}" if anchor else url


def public_host() -> str:
    """The host name of the public address (for identifiers such as calendar UIDs)."""
    return urlsplit(public_url()).hostname or "localhost"


def require_public_url() -> str:
    """For a command that writes links in e-mails: the public address, or the command line's error before
    anything is queued."""
    import click

    try:
        return public_url()
    except PublicUrlMissing as exc:
        raise click.ClickException(str(exc)) from None
