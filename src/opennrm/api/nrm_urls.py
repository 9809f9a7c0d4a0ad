"""API URLs of the NRM workflow: explicit action endpoints calling the same services."""

from django.urls import URLPattern

from opennrm.api import (
    assistance_urls,
    referrals_urls,
    screening_urls,
    statistics_urls,
    status_urls,
)

urlpatterns: list[URLPattern] = [
    *screening_urls.urlpatterns,
    *referrals_urls.urlpatterns,
    *status_urls.urlpatterns,
    *assistance_urls.urlpatterns,
    *statistics_urls.urlpatterns,
]
