"""Every named route of the URLconf and values to walk its path arguments with: shared by the
hostile-address walk (test_bad_parameters) and the many-councils walk (test_tenancy)."""

from django.urls import URLPattern, URLResolver

from indicators.periods import Month

LATER = Month.current().plus(2).iso
PATH_VALUES = {
    "period": ["1900-01", "1999-12", LATER, "9999-12", "2023-13", "0000-00", "2023-9", "x"],
    "label": ["0000-01-q1", "1999-00-q3", "9999-00-q4", "2023-24-q5", "2023-25-q1", "q"],
    "number": [0, 32768, 999999999],
    "pk": [0, 999999999],
    "reference": ["0", "x" * 300, "..", "%25", "7"],
    "object_id": ["0", "99999999999999999999", "abc", "-1", "1"],
    "content_type_id": [0, 999999999],
    "app_label": ["indicators", "auth", "axes"],
    "id": ["0", "abc", "99999999999999999999"],
    "token_id": [0, 999999999],  # an API token to revoke (accounts/tokens.py)
    # A password reset link's parts (accounts): a user id in base 64 and a one-time token.
    "uidb64": ["MQ", "x", "AAAA", "_" * 60],
    "token": ["set-password", "abc-123", "x" * 100],
    # A consortium's address (/consortia/<slug>/): none, and one far too long.
    "slug": ["no-such-consortium", "x" * 300, "0"],
}


def named_routes(resolver, prefix=""):
    """(route name with namespace, converter names) for every named route."""
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{entry.namespace}:" if entry.namespace else prefix
            yield from named_routes(entry, namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            names = list(entry.pattern.regex.groupindex)
            yield f"{prefix}{entry.name}", names


def admin_model(name, actions=("change", "delete", "history")):
    """The model an admin route of one row is of (admin:indicators_value_change: Value), or
    None for any other route."""
    import re

    from django.apps import apps

    match = re.fullmatch(rf"admin:(\w+?)_(\w+)_({'|'.join(actions)})", name)
    if match is None:
        return None
    try:
        return apps.get_model(match.group(1), match.group(2))
    except LookupError:
        return None
