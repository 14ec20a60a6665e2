"""PDFs are real PDFs, styled from the static files and never fetching from the network."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from trygg.lib.pdf import StaticFilesFetcher, render_pdf


def test_it_renders_a_real_pdf_with_the_stylesheet():
    html = (
        '<html lang="nb"><head><link rel="stylesheet" href="/static/css/trygg.css"></head>'
        "<body><h1>Organisasjonskart for Ålesund</h1><p>Æ, ø og å.</p></body></html>"
    )
    pdf = render_pdf(html)
    assert pdf.startswith(b"%PDF-")
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Organisasjonskart for Ålesund" in text
    assert "Æ, ø og å." in text


@pytest.mark.parametrize(
    "url",
    ["http://example.com/x.css", "file:///etc/passwd", "http://localhost/static/../../etc/passwd"],
)
def test_it_refuses_to_fetch_anything_but_static_files(url):
    with pytest.raises(ValueError):
        StaticFilesFetcher().fetch(url)
