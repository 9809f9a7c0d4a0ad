"""API URLs of operations, stops at the border and incidents."""

from django.urls import URLPattern, path

from opennrm.api.borders import views

urlpatterns: list[URLPattern] = [
    path("operations/", views.OperationListView.as_view(), name="operation_list"),
    path("operations/import/", views.OperationImportView.as_view(), name="operation_import"),
    path(
        "operations/<uuid:operation_id>/",
        views.OperationDetailView.as_view(),
        name="operation_detail",
    ),
    path("border-stops/", views.StopListView.as_view(), name="stop_list"),
    path("incidents/", views.IncidentListView.as_view(), name="incident_list"),
]
