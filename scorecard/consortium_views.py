"""A consortium's pages (issue 23, part 4): the list of consortia a person may see and the
comparison of its members for a month, with its CSV, XLSX and PDF.

Who may see a consortium: its analysts (``ConsortiumAnalyst``), and anyone holding a role in
a member council, at that council's address. Everyone else gets a 404, as for a consortium
that does not exist, so the names of consortia are not given away.

These pages answer at every council's address, not only a member's: what they show belongs
to no one council (it is read across the members by ``consortium_queries.load_comparison``,
which alone applies what each member chose to share), and an analyst may hold no role in any
council, so no one host is theirs. The host still matters for a member's people: their roles
are read in the council the address chooses (the session cookie is per host, too), so a
member's viewer sees the consortium at their own council's address only.
"""

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header

from indicators.addresses import month_or_404
from indicators.models import Consortium, ConsortiumAnalyst, ConsortiumMember, Council
from indicators.periods import Month
from indicators.roles import ALL_ROLES, has_role, roles_of
from scorecard import consortium_charts, consortium_exports
from scorecard.consortium_queries import HISTORY_MONTHS, Comparison, load_comparison
from scorecard.pdf import PdfUnavailable
from scorecard.print_slots import PrinterBusy, busy_page, print_slot

if TYPE_CHECKING:  # settings.AUTH_USER_MODEL: Django's own user
    from django.contrib.auth.models import AnonymousUser, User

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The charts' months on the page: a year, as the priority pages draw.
CHART_MONTHS = 12


def may_see(user: "User | AnonymousUser", council: Council, consortium: Consortium) -> bool:
    """Whether ``user``, at ``council``'s address, may see ``consortium``'s shared figures."""
    if not user.is_authenticated:
        return False
    if ConsortiumAnalyst.objects.filter(consortium=consortium, user_id=user.pk).exists():
        return True
    if council.pk is None or not roles_of(user):
        return False
    return ConsortiumMember.objects.filter(consortium=consortium, council=council).exists()


def visible_consortia(user: "User | AnonymousUser", council: Council) -> list[Consortium]:
    """The consortia ``user`` may see at ``council``'s address, by name."""
    if not user.is_authenticated:
        return []
    as_analyst = ConsortiumAnalyst.objects.filter(user_id=user.pk).values("consortium")
    found = Consortium.objects.filter(pk__in=as_analyst)
    if council.pk is not None and roles_of(user):
        found = found | Consortium.objects.filter(members__council=council)
    return list(found.distinct().order_by("name"))


def analysts_to_their_consortia(
    view: Callable[..., HttpResponseBase],
) -> Callable[..., HttpResponseBase]:
    """A consortium's analyst holding no role in the address's council is sent from the
    dashboard (where signing in lands) to their consortia, not refused. Someone holding a
    role reads nothing more: their roles are read once per request anyway."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponseBase:
        user = request.user
        holds_none = user.is_authenticated and not has_role(user, *ALL_ROLES)
        if holds_none and ConsortiumAnalyst.objects.filter(user_id=user.pk or 0).exists():
            return redirect("consortia")
        return view(request, *args, **kwargs)

    return wrapped


def _council(request: HttpRequest) -> Council:
    council = getattr(request, "council", None)
    return council if isinstance(council, Council) else Council()


def _consortium(request: HttpRequest, slug: str) -> Consortium:
    consortium = Consortium.objects.filter(slug=slug).first()
    if consortium is None or not may_see(request.user, _council(request), consortium):
        raise Http404("There is no consortium at this address that you may see.")
    return consortium


def _comparison(request: HttpRequest, slug: str) -> Comparison:
    consortium = _consortium(request, slug)
    month: Month | None = None
    asked = request.GET.get("period")
    if asked:
        month = month_or_404(asked)
    return load_comparison(consortium, month)


def consortium_list(request: HttpRequest) -> HttpResponse:
    """The consortia the person may see (their names link to the comparisons)."""
    consortia = visible_consortia(request.user, _council(request))
    return render(request, "consortia/list.html", {"consortia": consortia})


def comparison(request: HttpRequest, slug: str) -> HttpResponse:
    found = _comparison(request, slug)
    charts = consortium_charts.measure_charts(found.measures, found.month, CHART_MONTHS)
    return render(
        request,
        "consortia/comparison.html",
        {
            "comparison": found,
            "month": found.month,
            "months": found.months,
            "measures": list(zip(found.measures, charts, strict=True)),
            "history_months": HISTORY_MONTHS,
        },
    )


def _download(content: bytes | str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _name(found: Comparison) -> str:
    return f"{found.consortium.slug}-comparison-{found.month.iso}"


def comparison_csv(request: HttpRequest, slug: str) -> HttpResponse:
    found = _comparison(request, slug)
    text = consortium_exports.comparison_csv(found)
    return _download(text, "text/csv; charset=utf-8", f"{_name(found)}.csv")


def comparison_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    found = _comparison(request, slug)
    return _download(consortium_exports.comparison_xlsx(found), XLSX, f"{_name(found)}.xlsx")


def comparison_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """The comparison's tables as a PDF, printed like the pack; a failure or a timeout gives
    a page that says what happened."""
    found = _comparison(request, slug)
    try:
        with print_slot(request.user):
            pdf = consortium_exports.comparison_pdf(found)
    except PrinterBusy as busy:
        return busy_page(request, busy, "PDF")
    except PdfUnavailable as error:
        context = {"comparison": found, "reason": str(error)}
        return render(request, "consortia/pdf_failed.html", context, status=503)
    return _download(pdf, "application/pdf", f"{_name(found)}.pdf")
