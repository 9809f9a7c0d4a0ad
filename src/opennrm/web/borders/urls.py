"""Web URLs of operations, stops at the border and incidents."""

from django.urls import URLPattern, path

from opennrm.web.borders import views

urlpatterns: list[URLPattern] = [
    path("operations/", views.operation_list, name="operation_list"),
    path("operations/new/", views.operation_new, name="operation_new"),
    path("operations/import/", views.operation_import, name="operation_import"),
    path("operations/<uuid:operation_id>/", views.operation_detail, name="operation_detail"),
    path("border-stops/", views.stop_list, name="stop_list"),
    path("incidents/", views.incident_list, name="incident_list"),
]
