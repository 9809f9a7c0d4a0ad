"""API URLs of the statistics."""

from django.urls import URLPattern, path

from opennrm.api import statistics_views as views

urlpatterns: list[URLPattern] = [
    path("stats/", views.StatsView.as_view(), name="stats"),
]
