"""API URLs for the status procedure: one POST endpoint per transition of the table."""

from django.urls import URLPattern, path

from opennrm.api.status import views

urlpatterns: list[URLPattern] = [
    path(
        "cases/<uuid:case_id>/status-applications/",
        views.CaseApplicationsView.as_view(),
        name="status_application_list",
    ),
    path("status-applications/", views.ApplicationListView.as_view(), name="status_applications"),
    path(
        "status-applications/<uuid:application_id>/",
        views.ApplicationDetailView.as_view(),
        name="status_application_detail",
    ),
    *[
        path(
            f"status-applications/<uuid:application_id>/{action.replace('_', '-')}/",
            view.as_view(),
            name=f"status_application_{action}",
        )
        for action, view in views.TRANSITION_VIEWS.items()
    ],
    path(
        "status-applications/<uuid:application_id>/documents/",
        views.DocumentsView.as_view(),
        name="status_application_documents",
    ),
    path(
        "status-applications/<uuid:application_id>/payment/",
        views.PaymentClaimView.as_view(),
        name="status_payment_claim",
    ),
    path(
        "payments/<uuid:payment_id>/pay/", views.PaymentPayView.as_view(), name="status_payment_pay"
    ),
    path(
        "cases/<uuid:case_id>/reflection-periods/",
        views.ReflectionPeriodsView.as_view(),
        name="reflection_periods",
    ),
    path(
        "reflection-periods/<uuid:reflection_id>/end/",
        views.ReflectionEndView.as_view(),
        name="reflection_period_end",
    ),
]
