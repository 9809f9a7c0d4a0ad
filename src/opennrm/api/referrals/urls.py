"""API URLs for referrals."""

from django.urls import URLPattern, path

from opennrm.api.referrals import views

urlpatterns: list[URLPattern] = [
    path(
        "cases/<uuid:case_id>/referrals/",
        views.CaseReferralsView.as_view(),
        name="case_referrals",
    ),
    path("referrals/", views.ReferralListView.as_view(), name="referral_list"),
    path(
        "referrals/<uuid:referral_id>/",
        views.ReferralDetailView.as_view(),
        name="referral_detail",
    ),
    path(
        "referrals/<uuid:referral_id>/accept/",
        views.AcceptReferralView.as_view(),
        name="referral_accept",
    ),
    path(
        "referrals/<uuid:referral_id>/decline/",
        views.DeclineReferralView.as_view(),
        name="referral_decline",
    ),
    path(
        "referrals/<uuid:referral_id>/cancel/",
        views.CancelReferralView.as_view(),
        name="referral_cancel",
    ),
    path(
        "referrals/<uuid:referral_id>/revoke/",
        views.RevokeReferralView.as_view(),
        name="referral_revoke",
    ),
]
