"""Web URLs of record linkage (names live in the `web` namespace)."""

from django.urls import URLPattern, path

from opennrm.web.linkage import views

urlpatterns: list[URLPattern] = [
    path("linkage/", views.linkage_overview, name="linkage_overview"),
    path("linkage/runs/", views.linkage_run_start, name="linkage_run_start"),
    path("linkage/runs/<uuid:run_id>/", views.linkage_run_detail, name="linkage_run_detail"),
    path("linkage/queue/", views.linkage_queue, name="linkage_queue"),
    path("linkage/pairs/<uuid:pair_id>/", views.linkage_pair, name="linkage_pair"),
    path("linkage/pairs/<uuid:pair_id>/decide/", views.linkage_decide, name="linkage_decide"),
    path("linkage/pairs/<uuid:pair_id>/unmerge/", views.linkage_unmerge, name="linkage_unmerge"),
]
