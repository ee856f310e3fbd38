from django.urls import include, path

from intake import events, questions, sign_off, views

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
        "entry/<str:period>/commentary/<id:pk>/approve/",
        sign_off.approve_commentary,
        name="approve_commentary",
    ),
    path(
        "entry/<str:period>/milestones/<id:number>/",
        views.milestones_month,
        name="milestones_month",
    ),
]

urlpatterns += [
    path("questions/ask/", questions.raise_question, name="raise_question"),
    path("questions/record/", questions.record_question, name="record_question"),
    path("questions/<int:pk>/assign/", questions.assign_question, name="assign_question"),
    path("questions/<int:pk>/answer/", questions.answer_question, name="answer_question"),
    path("questions/<int:pk>/close/", questions.close_question, name="close_question"),
]

urlpatterns += [
    path("events/<reference:reference>/", events.indicator_events, name="indicator_events"),
    path("events/<id:pk>/edit/", events.edit_event, name="edit_event"),
    path("events/<id:pk>/delete/", events.delete_event, name="delete_event"),
]
