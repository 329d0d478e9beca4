"""HTML to an A4 PDF through WeasyPrint, fetching nothing but the package's own static files and images written
into the page itself (a ``data:image/png`` or ``data:image/jpeg`` URI: an incubator's logo, read by the caller
from its stored upload; decoding one opens no file and no connection): text typed by users (an
<img src="file:///etc/passwd"> in a narrative or an answer) can make the PDF fetch nothing.

Plumbing: it knows no domain. The reports and the founders' copies of their applications render through it."""

from __future__ import annotations

import re
from pathlib import Path

from flask import current_app
from weasyprint import HTML
from weasyprint.urls import URLFetcher

# The only data: URIs fetched: a PNG or JPEG image in base64.
DATA_IMAGE = re.compile(r"data:image/(?:png|jpeg);base64,[A-Za-z0-9+/=\s]+")


class StaticOnlyFetcher(URLFetcher):
    def __init__(self, root: Path, **kwargs):
        super().__init__(**kwargs)
        self.root = root.resolve()
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        if DATA_IMAGE.fullmatch(url):
            return super().fetch(url, headers)
        if url.startswith("file://"):
            path = Path(url[len("file://"):].split("?")[0]).resolve()
            if path.is_relative_to(self.root) and path.is_file():
                return super().fetch(url, headers)
        self.refused.append(url)
        raise ValueError(f"not fetched: {url[:100]}")


def html_to_pdf(html: str, fetcher: StaticOnlyFetcher | None = None) -> bytes:
    static = Path(current_app.static_folder)
    fetcher = fetcher or StaticOnlyFetcher(static)
    return HTML(string=html, base_url=static.as_uri() + "/", url_fetcher=fetcher).write_pdf()
