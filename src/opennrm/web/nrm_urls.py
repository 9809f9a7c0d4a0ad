"""Web URLs of the NRM workflow, one module per part (names live in the `web` namespace)."""

from django.urls import URLPattern, path

from opennrm.web.assistance import urls as assistance_urls
from opennrm.web.borders import urls as borders_urls
from opennrm.web.casework import urls as casework_urls
from opennrm.web.help import urls as help_urls
from opennrm.web.justice import urls as justice_urls
from opennrm.web.linkage import urls as linkage_urls
from opennrm.web.perpetrators import urls as perpetrators_urls
from opennrm.web.referrals import urls as referrals_urls
from opennrm.web.screening import urls as screening_urls
from opennrm.web.statistics import urls as statistics_urls
from opennrm.web.status import urls as status_urls
from opennrm.web.timeline import views as timeline_views
from opennrm.web.training import urls as training_urls

urlpatterns: list[URLPattern] = [
    path("action-needed/", timeline_views.action_needed, name="action_needed"),
    path("cases/<uuid:case_id>/timeline/", timeline_views.case_timeline_view, name="case_timeline"),
    *screening_urls.urlpatterns,
    *referrals_urls.urlpatterns,
    *status_urls.urlpatterns,
    *assistance_urls.urlpatterns,
    *linkage_urls.urlpatterns,
    *statistics_urls.urlpatterns,
    *justice_urls.urlpatterns,
    *training_urls.urlpatterns,
    *perpetrators_urls.urlpatterns,
    *borders_urls.urlpatterns,
    *casework_urls.urlpatterns,
    *help_urls.urlpatterns,
]
