"""API URLs for status."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
