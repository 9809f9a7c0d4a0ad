from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from opennrm.api.cases import views
from opennrm.api.nrm_urls import urlpatterns as nrm_urlpatterns
from opennrm.api.tokens.urls import urlpatterns as token_urlpatterns

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("cases/", views.CaseListView.as_view(), name="case_list"),
    path("cases/<uuid:case_id>/", views.CaseDetailView.as_view(), name="case_detail"),
    path("htcds/", views.HtcdsView.as_view(), name="htcds"),
]

urlpatterns += nrm_urlpatterns
urlpatterns += token_urlpatterns
