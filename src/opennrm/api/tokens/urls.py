"""API URLs for API tokens."""

from django.urls import URLPattern, path

from opennrm.api.tokens import views

urlpatterns: list[URLPattern] = [
    path("tokens/", views.TokenListView.as_view(), name="token_list"),
    path("tokens/<uuid:token_id>/", views.TokenDetailView.as_view(), name="token_detail"),
]
