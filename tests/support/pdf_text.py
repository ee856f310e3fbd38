"""A printed PDF read back as text (pypdf)."""

import io

from pypdf import PdfReader


def text_of(data):
    """The PDF's reader and each page's text."""
    reader = PdfReader(io.BytesIO(data))
    return reader, [page.extract_text() for page in reader.pages]
