"""Web URLs for screening (names live in the `web` namespace)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
