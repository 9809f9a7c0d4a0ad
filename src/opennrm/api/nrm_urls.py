"""API URLs of the NRM workflow: explicit action endpoints calling the same services."""

from django.urls import URLPattern

from opennrm.api.assistance import urls as assistance_urls
from opennrm.api.referrals import urls as referrals_urls
from opennrm.api.screening import urls as screening_urls
from opennrm.api.statistics import urls as statistics_urls
from opennrm.api.status import urls as status_urls

urlpatterns: list[URLPattern] = [
    *screening_urls.urlpatterns,
    *referrals_urls.urlpatterns,
    *status_urls.urlpatterns,
    *assistance_urls.urlpatterns,
    *statistics_urls.urlpatterns,
]
