"""API URLs of the statistics."""

from django.urls import URLPattern, path

from opennrm.api.statistics import views

urlpatterns: list[URLPattern] = [
    path("stats/", views.StatsView.as_view(), name="stats"),
]
