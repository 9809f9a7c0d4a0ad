"""Web URLs for assistance (names live in the `web` namespace)."""

from django.urls import URLPattern, path

from opennrm.web.assistance import views

urlpatterns: list[URLPattern] = [
    path("assistance/providers/", views.provider_list, name="provider_list"),
    path("assistance/providers/new/", views.provider_new, name="provider_new"),
    path(
        "assistance/providers/<uuid:provider_id>/edit/",
        views.provider_edit,
        name="provider_edit",
    ),
    path("cases/<uuid:case_id>/assistance/", views.assistance_case, name="assistance_case"),
    path("cases/<uuid:case_id>/assistance/plans/new/", views.plan_new, name="plan_new"),
    path("assistance/plans/<uuid:plan_id>/edit/", views.plan_edit, name="plan_edit"),
    path(
        "cases/<uuid:case_id>/assistance/services/new/",
        views.service_new,
        name="service_new",
    ),
    path(
        "assistance/services/<uuid:service_id>/deliver/",
        views.service_deliver,
        name="service_deliver",
    ),
    path(
        "assistance/services/<uuid:service_id>/cancel/",
        views.service_cancel,
        name="service_cancel",
    ),
]
