"""Web URLs of capacity building."""

from django.urls import URLPattern, path

from opennrm.web.training import views

urlpatterns: list[URLPattern] = [
    path("trainings/", views.training_list, name="training_list"),
    path("trainings/<uuid:training_id>/", views.training_detail, name="training_detail"),
    path(
        "trainings/<uuid:training_id>/import/",
        views.participant_import,
        name="training_import",
    ),
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
    path("verify/<slug:code>/", views.certificate_verify, name="certificate_verify"),
]
