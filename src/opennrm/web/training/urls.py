"""Web URLs of capacity building."""

from django.urls import URLPattern, path

from opennrm.web.training import views

urlpatterns: list[URLPattern] = [
    path("trainings/", views.training_list, name="training_list"),
    path("trainings/new/", views.training_create, name="training_create"),
    path("trainings/report/", views.training_report_page, name="training_report"),
    path(
        "trainings/report/xlsx/",
        views.training_report_download,
        {"kind": "xlsx"},
        name="training_report_xlsx",
    ),
    path(
        "trainings/report/pdf/",
        views.training_report_download,
        {"kind": "pdf"},
        name="training_report_pdf",
    ),
    path("trainings/<uuid:training_id>/", views.training_detail, name="training_detail"),
    path("trainings/<uuid:training_id>/edit/", views.training_edit, name="training_edit"),
    path(
        "trainings/<uuid:training_id>/import/",
        views.participant_import,
        name="training_import",
    ),
    path(
        "trainings/<uuid:training_id>/participants/<uuid:participation_id>/",
        views.participant_results,
        name="training_participant",
    ),
    path("trainings/<uuid:training_id>/files/", views.file_attach, name="training_file_attach"),
    path("training-files/<uuid:file_id>/", views.file_download, name="training_file"),
    path(
        "trainings/<uuid:training_id>/certificates/",
        views.certificates_issue,
        name="training_certificates",
    ),
    path(
        "certificates/<uuid:certificate_id>/pdf/",
        views.certificate_download,
        name="certificate_download",
    ),
    path(
        "certificates/<uuid:certificate_id>/revoke/",
        views.certificate_revoke,
        name="certificate_revoke",
    ),
    path("equipment/", views.equipment_list, name="equipment_list"),
    path("equipment/new/", views.equipment_create, name="equipment_create"),
    path("verify/<slug:code>/", views.certificate_verify, name="certificate_verify"),
]
