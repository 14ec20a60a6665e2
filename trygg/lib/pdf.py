"""PDF documents rendered from the same HTML templates as the pages (WeasyPrint)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse


def _static_fetcher(url: str, *args, **kwargs):  # type: ignore[no-untyped-def]
    """Resolve /static/ URLs from the local static files, never over the network."""
    from weasyprint import default_url_fetcher

    if url.startswith("file://") or url.startswith("data:"):
        return default_url_fetcher(url, *args, **kwargs)
    marker = settings.STATIC_URL
    if marker in url:
        relative = url.split(marker, 1)[1].split("?", 1)[0]
        path = finders.find(relative)
        if path:
            return default_url_fetcher(f"file://{path}", *args, **kwargs)
    raise ValueError(f"Refusing to fetch {url} while rendering a PDF")


def render_pdf(html: str, base_url: str = "http://localhost/") -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url, url_fetcher=_static_fetcher).write_pdf()


def pdf_response(request: HttpRequest, html: str, *, filename: str) -> HttpResponse:
    response = HttpResponse(
        render_pdf(html, base_url=request.build_absolute_uri("/")), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
