"""The API as its clients call it: a token in the Authorization header, JSON or CSV back."""

import csv
import io

from indicators.models import ApiToken


def token_for(user, name="Power BI"):
    return ApiToken.issue(user, name)[1]


def bearer(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def get(client, url, secret=None, **params):
    headers = bearer(secret) if secret else {}
    return client.get(url, params, **headers)


def get_json(client, url, secret=None, **params):
    response = get(client, url, secret, **params)
    assert response.status_code == 200, (response.status_code, response.content[:500])
    return response.json()


def get_csv(client, url, secret=None, **params):
    response = get(client, url, secret, format="csv", **params)
    assert response.status_code == 200, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))
