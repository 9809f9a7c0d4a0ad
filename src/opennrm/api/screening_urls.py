"""API URLs for screening."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
