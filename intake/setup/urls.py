from django.urls import path

from intake.setup import views

urlpatterns = [
    path("", views.setup_index, name="setup"),
    path("template.xlsx", views.setup_template, name="setup_template"),
    path("current.xlsx", views.setup_current, name="setup_current"),
    path("<int:pk>/", views.setup_preview, name="setup_preview"),
]
