from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from opennrm.api.accounts.urls import urlpatterns as account_urlpatterns
from opennrm.api.agencies.urls import urlpatterns as agency_urlpatterns
from opennrm.api.borders.urls import urlpatterns as border_urlpatterns
from opennrm.api.cases import views
from opennrm.api.casework.urls import urlpatterns as casework_urlpatterns
from opennrm.api.consents.urls import urlpatterns as consent_urlpatterns
from opennrm.api.justice.urls import urlpatterns as justice_urlpatterns
from opennrm.api.linkage.urls import urlpatterns as linkage_urlpatterns
from opennrm.api.nrm_urls import urlpatterns as nrm_urlpatterns
from opennrm.api.perpetrators.urls import urlpatterns as perpetrator_urlpatterns
from opennrm.api.tokens.urls import urlpatterns as token_urlpatterns
from opennrm.api.training.urls import urlpatterns as training_urlpatterns

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("cases/", views.CaseListView.as_view(), name="case_list"),
    path("cases/<uuid:case_id>/", views.CaseDetailView.as_view(), name="case_detail"),
    path("htcds/", views.HtcdsView.as_view(), name="htcds"),
]

urlpatterns += nrm_urlpatterns
urlpatterns += token_urlpatterns
urlpatterns += account_urlpatterns
urlpatterns += agency_urlpatterns
urlpatterns += consent_urlpatterns
urlpatterns += linkage_urlpatterns
urlpatterns += justice_urlpatterns
urlpatterns += training_urlpatterns
urlpatterns += perpetrator_urlpatterns
urlpatterns += border_urlpatterns
urlpatterns += casework_urlpatterns
