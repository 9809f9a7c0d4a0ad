"""Web URLs of the NRM workflow, one list per part (names live in the `web` namespace)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
