from django.urls import include, path

from intake import views

urlpatterns = [
    path("setup/", include("intake.setup.urls")),
    path("import/", views.import_upload, name="import_upload"),
    path("import/template/", views.import_template, name="import_template"),
    path("import/<id:pk>/", views.import_preview, name="import_preview"),
    path("entry/", views.entry_index, name="entry_index"),
    path("entry/<str:period>/", views.entry_month, name="entry_month"),
    path("entry/<str:period>/publish/", views.publish_month, name="publish_month"),
    path("entry/<str:period>/mine/", views.my_indicators, name="my_indicators"),
    path(
        "entry/<str:period>/milestones/<id:number>/",
        views.milestones_month,
        name="milestones_month",
    ),
]
