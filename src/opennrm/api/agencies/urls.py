"""API URLs of the agency directory."""

from django.urls import URLPattern, path

from opennrm.api.agencies import views

urlpatterns: list[URLPattern] = [
    path("agencies/", views.AgencyListView.as_view(), name="agency_list"),
]
