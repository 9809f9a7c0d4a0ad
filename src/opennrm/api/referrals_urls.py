"""API URLs for referrals."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
