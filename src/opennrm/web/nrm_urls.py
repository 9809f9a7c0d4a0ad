"""Web URLs of the NRM workflow, one module per part (names live in the `web` namespace)."""

from django.urls import URLPattern

from opennrm.web import assistance_urls, referrals_urls, screening_urls, status_urls

urlpatterns: list[URLPattern] = [
    *screening_urls.urlpatterns,
    *referrals_urls.urlpatterns,
    *status_urls.urlpatterns,
    *assistance_urls.urlpatterns,
]
