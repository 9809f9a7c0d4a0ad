from django.urls import path
from django.views.i18n import set_language

from opennrm.web.accounts import tokens as token_views
from opennrm.web.accounts import views as accounts_views
from opennrm.web.audit import views as audit_views
from opennrm.web.cases import views
from opennrm.web.exchange.urls import urlpatterns as exchange_urlpatterns
from opennrm.web.nrm_urls import urlpatterns as nrm_urlpatterns

app_name = "web"

urlpatterns = [
    path("", accounts_views.home, name="home"),
    path("accounts/login/", accounts_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", accounts_views.logout_view, name="logout"),
    path("accounts/tokens/", token_views.token_list, name="token_list"),
    path("accounts/tokens/<uuid:token_id>/revoke/", token_views.token_revoke, name="token_revoke"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/new/", views.case_create, name="case_create"),
    path("cases/<uuid:case_id>/", views.case_detail, name="case_detail"),
    path("cases/<uuid:case_id>/edit/", views.case_edit, name="case_edit"),
    path("cases/<uuid:case_id>/history/", views.case_history, name="case_history"),
    path("cases/<uuid:case_id>/status/", views.case_status, name="case_status"),
    path("cases/<uuid:case_id>/consents/new/", views.consent_create, name="consent_create"),
    path("consents/<uuid:consent_id>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("audit/", audit_views.audit_log, name="audit_log"),
]

urlpatterns += nrm_urlpatterns
urlpatterns += exchange_urlpatterns
