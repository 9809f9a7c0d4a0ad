"""API URLs for assistance."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
