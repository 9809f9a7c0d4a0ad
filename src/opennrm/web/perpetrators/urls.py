"""Web URLs of the perpetrators register, alerts, the link view and MLA requests."""

from django.urls import URLPattern, path

from opennrm.web.perpetrators import transnational, views

P = "perpetrators/<uuid:perpetrator_id>/"

urlpatterns: list[URLPattern] = [
    path("perpetrators/", views.perpetrator_list, name="perpetrator_list"),
    path("perpetrators/new/", views.perpetrator_new, name="perpetrator_new"),
    path(P, views.perpetrator_detail, name="perpetrator_detail"),
    path(f"{P}identifiers/", views.perpetrator_identifiers_add, name="perpetrator_identifiers"),
    path(f"{P}link/", views.perpetrator_link, name="perpetrator_link"),
    path(f"{P}links/", views.perpetrator_links, name="perpetrator_links"),
    path("alerts/", views.alert_list, name="alert_list"),
    path("alerts/seen/", views.alerts_seen, name="alerts_seen"),
    path(
        "cases/<uuid:case_id>/transnational/",
        transnational.case_transnational,
        name="case_transnational",
    ),
    path(
        "transnational/<uuid:transnational_id>/packet.json",
        transnational.transnational_packet,
        name="transnational_packet",
    ),
    path(
        "transnational/<uuid:transnational_id>/acknowledgement/",
        transnational.transnational_acknowledge,
        name="transnational_acknowledge",
    ),
    path("mla-requests/", views.mla_list, name="mla_list"),
    path("mla-requests/new/", views.mla_new, name="mla_new"),
    path("mla-requests/<uuid:mla_id>/", views.mla_detail, name="mla_detail"),
    path("mla-requests/<uuid:mla_id>/answer/", views.mla_answer, name="mla_answer"),
]
