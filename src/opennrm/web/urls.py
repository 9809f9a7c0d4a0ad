from django.urls import include, path
from django.views.i18n import set_language

from opennrm.web.accounts import agency_admin as agency_admin_views
from opennrm.web.accounts import passkeys as passkey_views
from opennrm.web.accounts import second_factor as second_factor_views
from opennrm.web.accounts import tokens as token_views
from opennrm.web.accounts import users as user_views
from opennrm.web.accounts import views as accounts_views
from opennrm.web.audit import views as audit_views
from opennrm.web.cases import list_views, views
from opennrm.web.exchange.urls import urlpatterns as exchange_urlpatterns
from opennrm.web.notices.urls import urlpatterns as notices_urlpatterns
from opennrm.web.nrm_urls import urlpatterns as nrm_urlpatterns

app_name = "web"

urlpatterns = [
    path("", accounts_views.home, name="home"),
    path("accounts/login/", accounts_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", accounts_views.logout_view, name="logout"),
    path("accounts/verify/", second_factor_views.verify, name="second_factor_verify"),
    path("accounts/totp/setup/", second_factor_views.totp_setup, name="totp_setup"),
    path("accounts/password/", second_factor_views.password_change, name="password_change"),
    path("accounts/security/", second_factor_views.security, name="security"),
    path(
        "accounts/security/backup-codes/",
        second_factor_views.backup_codes_renew,
        name="backup_codes_renew",
    ),
    path("accounts/passkey/setup/", passkey_views.passkey_setup, name="passkey_setup"),
    path("accounts/passkeys/", include(passkey_views.urlpatterns)),
    path("accounts/users/", user_views.user_list, name="user_list"),
    path("accounts/agency/", agency_admin_views.agency_admin, name="agency_admin"),
    path("accounts/users/new/", user_views.user_invite, name="user_invite"),
    path("accounts/users/<uuid:user_id>/", user_views.user_detail, name="user_detail"),
    path("accounts/users/<uuid:user_id>/roles/", user_views.user_roles, name="user_roles"),
    path("accounts/users/<uuid:user_id>/disable/", user_views.user_disable, name="user_disable"),
    path("accounts/users/<uuid:user_id>/enable/", user_views.user_enable, name="user_enable"),
    path(
        "accounts/users/<uuid:user_id>/reset-second-factor/",
        user_views.user_reset_second_factor,
        name="user_reset_second_factor",
    ),
    path(
        "accounts/users/<uuid:user_id>/reset-password/",
        user_views.user_reset_password,
        name="user_reset_password",
    ),
    path(
        "accounts/users/<uuid:user_id>/end-sessions/",
        user_views.user_end_sessions,
        name="user_end_sessions",
    ),
    path("accounts/tokens/", token_views.token_list, name="token_list"),
    path("accounts/tokens/<uuid:token_id>/revoke/", token_views.token_revoke, name="token_revoke"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("cases/", list_views.case_list, name="case_list"),
    path("cases/export.csv", list_views.case_export, {"fmt": "csv"}, name="case_export_csv"),
    path("cases/export.xlsx", list_views.case_export, {"fmt": "xlsx"}, name="case_export_xlsx"),
    path("cases/bulk/", list_views.case_bulk, name="case_bulk"),
    path("cases/saved-searches/", list_views.saved_search_create, name="saved_search_create"),
    path(
        "cases/saved-searches/<uuid:saved_search_id>/delete/",
        list_views.saved_search_delete,
        name="saved_search_delete",
    ),
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
urlpatterns += notices_urlpatterns
