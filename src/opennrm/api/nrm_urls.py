"""API URLs of the NRM workflow: explicit action endpoints calling the same services."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
