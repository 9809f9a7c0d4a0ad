"""Web URLs of case work (namespace `web`)."""

from django.urls import URLPattern, path

from opennrm.web.casework import views

urlpatterns: list[URLPattern] = [
    path("cases/<uuid:case_id>/file/", views.case_file, name="case_file"),
    path("cases/<uuid:case_id>/notes/new/", views.note_create, name="note_create"),
    path("notes/<uuid:note_id>/delete/", views.note_delete, name="note_delete"),
    path(
        "cases/<uuid:case_id>/attachments/new/",
        views.attachment_create,
        name="attachment_create",
    ),
    path(
        "attachments/<uuid:attachment_id>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path(
        "attachments/<uuid:attachment_id>/thumbnail/",
        views.attachment_thumbnail,
        name="attachment_thumbnail",
    ),
    path(
        "attachments/<uuid:attachment_id>/delete/",
        views.attachment_delete,
        name="attachment_delete",
    ),
]
