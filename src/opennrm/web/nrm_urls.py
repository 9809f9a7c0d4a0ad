"""Web URLs of the NRM workflow, one module per part (names live in the `web` namespace)."""

from django.urls import URLPattern, path

from opennrm.web import (
    assistance_urls,
    linkage_urls,
    referrals_urls,
    screening_urls,
    statistics_urls,
    status_urls,
    timeline_views,
)

urlpatterns: list[URLPattern] = [
    path("action-needed/", timeline_views.action_needed, name="action_needed"),
    path("cases/<uuid:case_id>/timeline/", timeline_views.case_timeline_view, name="case_timeline"),
    *screening_urls.urlpatterns,
    *referrals_urls.urlpatterns,
    *status_urls.urlpatterns,
    *assistance_urls.urlpatterns,
    *linkage_urls.urlpatterns,
    *statistics_urls.urlpatterns,
]
