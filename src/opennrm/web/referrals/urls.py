"""Web URLs for referrals (names live in the `web` namespace)."""

from django.urls import URLPattern, path

from opennrm.web.referrals import views

urlpatterns: list[URLPattern] = [
    path("cases/<uuid:case_id>/referrals/new/", views.referral_new, name="referral_new"),
    path("referrals/", views.referral_list_view, name="referral_list"),
    path("referrals/<uuid:referral_id>/", views.referral_detail, name="referral_detail"),
    path("referrals/<uuid:referral_id>/accept/", views.referral_accept, name="referral_accept"),
    path("referrals/<uuid:referral_id>/decline/", views.referral_decline, name="referral_decline"),
    path("referrals/<uuid:referral_id>/cancel/", views.referral_cancel, name="referral_cancel"),
    path("referrals/<uuid:referral_id>/revoke/", views.referral_revoke, name="referral_revoke"),
]
