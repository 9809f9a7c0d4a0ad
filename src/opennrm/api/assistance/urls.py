"""API URLs for assistance."""

from django.urls import URLPattern, path

from opennrm.api.assistance import views

urlpatterns: list[URLPattern] = [
    path("providers/", views.ProviderListView.as_view(), name="provider_list"),
    path(
        "cases/<uuid:case_id>/services/",
        views.CaseServicesView.as_view(),
        name="case_services",
    ),
    path("cases/<uuid:case_id>/plans/", views.CasePlansView.as_view(), name="case_plans"),
    path("plans/<uuid:plan_id>/", views.PlanDetailView.as_view(), name="plan_detail"),
    path(
        "services/<uuid:service_id>/deliver/",
        views.ServiceDeliverView.as_view(),
        name="service_deliver",
    ),
    path(
        "services/<uuid:service_id>/cancel/",
        views.ServiceCancelView.as_view(),
        name="service_cancel",
    ),
]
