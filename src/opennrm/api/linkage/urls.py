"""API URLs of record linkage."""

from django.urls import URLPattern, path

from opennrm.api.linkage import views

urlpatterns: list[URLPattern] = [
    path("linkage/queue/", views.QueueView.as_view(), name="linkage_queue"),
    path("linkage/pairs/<uuid:pair_id>/", views.PairView.as_view(), name="linkage_pair"),
    path(
        "linkage/pairs/<uuid:pair_id>/decision/",
        views.DecisionView.as_view(),
        name="linkage_decision",
    ),
]
