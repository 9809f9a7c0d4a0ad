"""API URLs of capacity building."""

from django.urls import URLPattern, path

from opennrm.api.training import views

urlpatterns: list[URLPattern] = [
    path("trainings/", views.TrainingListView.as_view(), name="training_list"),
    path("trainings/summary/", views.SummaryView.as_view(), name="training_summary"),
    path(
        "trainings/<uuid:training_id>/",
        views.TrainingDetailView.as_view(),
        name="training_detail",
    ),
]
