"""Web URLs for screening (names live in the `web` namespace)."""

from django.urls import URLPattern, path

from opennrm.web.screening import views

urlpatterns: list[URLPattern] = [
    path("screenings/", views.screening_list, name="screening_list"),
    path("screenings/new/", views.screening_new, name="screening_new"),
    path("screenings/<uuid:screening_id>/", views.screening_detail, name="screening_detail"),
    path(
        "screenings/<uuid:screening_id>/answers/",
        views.screening_answers,
        name="screening_answers",
    ),
    path("screenings/<uuid:screening_id>/attach/", views.screening_attach, name="screening_attach"),
]
