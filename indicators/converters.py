"""Path converters for the addresses of both applications.

``<id:...>`` is a whole number of at most nine digits: Django's ``<int:...>`` matches any
length, and a 20-digit number reached the database as an integer it cannot hold (a 500 on
PostgreSQL and SQLite) where it should simply not be found.
"""

from django.urls import register_converter


class SmallIdConverter:
    regex = "[0-9]{1,9}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(SmallIdConverter, "id")
