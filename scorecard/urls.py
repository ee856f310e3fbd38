from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

import indicators.converters  # noqa: F401 - registers <id:...> before the paths below use it
from scorecard import consortium_views, meetings, questions, views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("priorities/<id:number>/", views.priority_detail, name="priority"),
    # The exports come before the indicator page, so no pattern shadows another.
    path(
        "indicators/<reference:reference>/history.csv",
        views.indicator_history_csv,
        name="indicator_history_csv",
    ),
    path(
        "indicators/<reference:reference>/history.xlsx",
        views.indicator_history_xlsx,
        name="indicator_history_xlsx",
    ),
    path("indicators/<reference:reference>/", views.indicator_detail, name="indicator"),
    path("quarters/", views.latest_quarter, name="quarterly_latest"),
    path(
        "quarters/<str:label>/report.pdf",
        views.quarterly_report_pdf,
        name="quarterly_report_pdf",
    ),
    path(
        "quarters/<str:label>/report.xlsx",
        views.quarterly_report_xlsx,
        name="quarterly_report_xlsx",
    ),
    path("quarters/<str:label>/", views.quarterly_report, name="quarterly_report"),
    path("export/scorecard.csv", views.scorecard_csv, name="scorecard_csv"),
    path("export/scorecard.xlsx", views.scorecard_xlsx, name="scorecard_xlsx"),
    path("export/pack.pdf", views.pack, name="pack"),
    path("since-committee/", views.since_committee_page, name="since_committee"),
    path("audit/", views.audit, name="audit"),
    # A consortium's pages answer at every council's address (consortium_views says why).
    path("consortia/", consortium_views.consortium_list, name="consortia"),
    path(
        "consortia/<slug:slug>/comparison.csv",
        consortium_views.comparison_csv,
        name="consortium_csv",
    ),
    path(
        "consortia/<slug:slug>/comparison.xlsx",
        consortium_views.comparison_xlsx,
        name="consortium_xlsx",
    ),
    path(
        "consortia/<slug:slug>/comparison.pdf",
        consortium_views.comparison_pdf,
        name="consortium_pdf",
    ),
    path("consortia/<slug:slug>/", consortium_views.comparison, name="consortium"),
    path("questions/", questions.question_list, name="questions"),
    path("questions/<int:pk>/", questions.question_detail, name="question"),
    path("meetings/", meetings.meeting_list, name="meetings"),
    path("meetings/<id:pk>/", meetings.meeting_detail, name="meeting"),
    path("meetings/<id:pk>/issue/", meetings.issue_pack, name="issue_pack"),
    path("meetings/<id:pk>/pack.pdf", meetings.issued_pack_pdf, name="issued_pack"),
    path("api/v1/", include("scorecard.api.urls")),
    path(
        "accounts/login/",
        login_not_required(auth_views.LoginView.as_view()),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("accounts.urls")),
    path("", include("intake.urls")),
    path("admin/", admin.site.urls),
]
