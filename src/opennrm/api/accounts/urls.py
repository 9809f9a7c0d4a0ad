"""API URLs of the current user."""

from django.urls import URLPattern, path

from opennrm.api.accounts import views

urlpatterns: list[URLPattern] = [
    path("me/", views.MeView.as_view(), name="me"),
]
