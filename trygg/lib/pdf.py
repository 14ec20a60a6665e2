"""PDF documents rendered from the same HTML templates as the pages (WeasyPrint).

Importing WeasyPrint loads fonts and its default stylesheet (about half a second), so views
import this module when they make a PDF, not at start-up."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.http import HttpRequest, HttpResponse
from weasyprint import HTML
from weasyprint.urls import URLFetcher


class StaticFilesFetcher(URLFetcher):
    """Resolves /static/ URLs to the local files and refuses everything else: a PDF never
    fetches anything over the network, and never reads files outside the static folders."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"file", "data"}, fail_on_errors=False)

    def fetch(self, url: str, headers=None):  # type: ignore[no-untyped-def]
        if url.startswith("data:"):
            return super().fetch(url, headers)
        marker = settings.STATIC_URL
        if marker in url:
            relative = url.split(marker, 1)[1].split("?", 1)[0]
            try:
                path = finders.find(relative)
            except SuspiciousFileOperation:
                path = None
            if path:
                return super().fetch(Path(path).resolve().as_uri(), headers)
        raise ValueError(f"Refusing to fetch {url} while rendering a PDF")


def render_pdf(html: str, base_url: str = "http://localhost/") -> bytes:
    return HTML(string=html, base_url=base_url, url_fetcher=StaticFilesFetcher()).write_pdf()


def pdf_response(request: HttpRequest, html: str, *, filename: str) -> HttpResponse:
    pdf = render_pdf(html, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
