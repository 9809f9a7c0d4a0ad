"""Web URLs of the statistics (names live in the `web` namespace)."""

from django.urls import URLPattern, path

from opennrm.web.statistics import public as public_views
from opennrm.web.statistics import reports as reports_views
from opennrm.web.statistics import views

urlpatterns: list[URLPattern] = [
    path("statistics/reports/", reports_views.report_request, name="report_request"),
    path("statistics/reports/<uuid:job_id>/", reports_views.report_detail, name="report_detail"),
    path(
        "statistics/reports/<uuid:job_id>/download/",
        reports_views.report_download,
        name="report_download",
    ),
    path("statistics/", views.statistics_dashboard, name="statistics"),
    path("statistics/ctdc.zip", views.statistics_ctdc, name="statistics_ctdc"),
    path("statistics/publish/", views.statistics_publish, name="statistics_publish"),
    path("public/statistics/", public_views.public_statistics, name="public_statistics"),
    path("statistics/<slug:key>.csv", views.statistics_csv, name="statistics_csv"),
]
