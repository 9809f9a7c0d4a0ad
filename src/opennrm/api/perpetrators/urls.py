"""API URLs of perpetrators, alerts and mutual legal assistance requests."""

from django.urls import URLPattern, path

from opennrm.api.perpetrators import transnational, views

urlpatterns: list[URLPattern] = [
    path("perpetrators/", views.PerpetratorListView.as_view(), name="perpetrator_list"),
    path("perpetrators/search/", views.PerpetratorSearchView.as_view(), name="perpetrator_search"),
    path(
        "perpetrators/<uuid:perpetrator_id>/",
        views.PerpetratorDetailView.as_view(),
        name="perpetrator_detail",
    ),
    path("alerts/", views.AlertListView.as_view(), name="alert_list"),
    path("alerts/seen/", views.AlertsSeenView.as_view(), name="alerts_seen"),
    path(
        "cases/<uuid:case_id>/transnational/",
        transnational.CaseTransnationalView.as_view(),
        name="case_transnational",
    ),
    path(
        "transnational/<uuid:transnational_id>/packet/",
        transnational.TransnationalPacketView.as_view(),
        name="transnational_packet",
    ),
    path(
        "transnational/<uuid:transnational_id>/acknowledgement/",
        transnational.TransnationalAcknowledgementView.as_view(),
        name="transnational_acknowledge",
    ),
    path("mla-requests/", views.MlaListView.as_view(), name="mla_list"),
    path("mla-requests/<uuid:mla_id>/answer/", views.MlaAnswerView.as_view(), name="mla_answer"),
]
