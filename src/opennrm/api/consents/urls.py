"""API URLs of consents (legal bases)."""

from django.urls import URLPattern, path

from opennrm.api.consents import views

urlpatterns: list[URLPattern] = [
    path("cases/<uuid:case_id>/consents/", views.CaseConsentsView.as_view(), name="case_consents"),
    path(
        "consents/<uuid:consent_id>/withdraw/",
        views.ConsentWithdrawView.as_view(),
        name="consent_withdraw",
    ),
]
