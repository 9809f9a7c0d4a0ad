"""API URLs for screening."""

from django.urls import URLPattern, path

from opennrm.api.screening import views

urlpatterns: list[URLPattern] = [
    path("screenings/", views.ScreeningListView.as_view(), name="screening_list"),
    path(
        "screenings/<uuid:screening_id>/",
        views.ScreeningDetailView.as_view(),
        name="screening_detail",
    ),
    path(
        "screenings/<uuid:screening_id>/attach/",
        views.ScreeningAttachView.as_view(),
        name="screening_attach",
    ),
]
