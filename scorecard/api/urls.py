"""``/api/v1/``: the endpoints, the OpenAPI schema and its documentation page. The endpoints
and the schema answer a token as well as a session, so they are exempt from the sign-in
redirect (they answer 401 instead); the documentation page is for a signed-in reader."""

from collections.abc import Callable

from django.contrib.auth.decorators import login_not_required, login_required
from django.http import HttpResponseBase
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from scorecard.api import schema, views  # noqa: F401 - schema registers the token's scheme


def _open(view: type[views.APIView]) -> Callable[..., HttpResponseBase]:
    return login_not_required(view.as_view())


urlpatterns = [
    path("priorities/", _open(views.PriorityList), name="api-priorities"),
    path("indicators/", _open(views.IndicatorList), name="api-indicators"),
    path("targets/", _open(views.TargetList), name="api-targets"),
    path("figures/", _open(views.FigureList), name="api-figures"),
    path("scorecard/", _open(views.ScorecardList), name="api-scorecard"),
    path("quarterly/", _open(views.QuarterlyList), name="api-quarterly"),
    path("benchmarks/", _open(views.BenchmarkList), name="api-benchmarks"),
    path("schema/", login_not_required(SpectacularAPIView.as_view()), name="api-schema"),
    path(
        "docs/",
        # DRF marks its views as needing no sign-in (they answer 401): this page is a page.
        login_required(
            SpectacularSwaggerSplitView.as_view(url_name="api-schema", title="Scorecard API")
        ),
        name="api-docs",
    ),
]
