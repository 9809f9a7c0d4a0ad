"""API URLs of case work."""

from django.urls import URLPattern, path

from opennrm.api.casework import views

urlpatterns: list[URLPattern] = [
    path("cases/<uuid:case_id>/notes/", views.CaseNotesView.as_view(), name="case_notes"),
    path(
        "cases/<uuid:case_id>/attachments/",
        views.CaseAttachmentsView.as_view(),
        name="case_attachments",
    ),
]
