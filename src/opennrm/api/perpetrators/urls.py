"""API URLs of perpetrators, alerts and mutual legal assistance requests."""

from django.urls import URLPattern, path

from opennrm.api.perpetrators import views

urlpatterns: list[URLPattern] = [
    path("perpetrators/", views.PerpetratorListView.as_view(), name="perpetrator_list"),
    path("perpetrators/search/", views.PerpetratorSearchView.as_view(), name="perpetrator_search"),
    path(
        "perpetrators/<uuid:perpetrator_id>/",
        views.PerpetratorDetailView.as_view(),
        name="perpetrator_detail",
    ),
    path("alerts/", views.AlertListView.as_view(), name="alert_list"),
    path("mla-requests/", views.MlaListView.as_view(), name="mla_list"),
    path("mla-requests/<uuid:mla_id>/answer/", views.MlaAnswerView.as_view(), name="mla_answer"),
]
