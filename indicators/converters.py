"""Path converters for the addresses of both applications.

``<id:...>`` is a whole number of at most nine digits: Django's ``<int:...>`` matches any
length, and a 20-digit number reached the database as an integer it cannot hold (a 500 on
PostgreSQL and SQLite) where it should simply not be found.
"""

from urllib.parse import unquote

from django.urls import register_converter


class SmallIdConverter:
    regex = "[0-9]{1,9}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(SmallIdConverter, "id")


class ReferenceConverter:
    """An indicator's reference in an address: anything but a slash or a NUL.

    References are letters, digits and a few separators (``models.validate_reference``), but
    one stored before that rule, holding a slash or a percent sign, must still have an address
    rather than make every page that links to it fail: both are escaped (and, through the
    server's decoding of the path, read back)."""

    regex = "[^/\\x00]+"  # no NUL either: PostgreSQL refuses one in a query (a 404 here)

    def to_python(self, value: str) -> str:
        return unquote(value)

    def to_url(self, value: str) -> str:
        return value.replace("%", "%25").replace("/", "%2F")


register_converter(ReferenceConverter, "reference")
