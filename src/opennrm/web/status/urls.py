"""Web URLs for the status procedure (names live in the `web` namespace).

One POST URL per transition of the table (`status_application_<action>`), named and routed
from the workflow's actions so that a new transition cannot lack its URL.
"""

from django.urls import URLPattern, path

from opennrm.web.status import register, views

urlpatterns: list[URLPattern] = [
    path("status/deadlines/", views.deadlines_list, name="status_deadlines"),
    path("status/register/", register.status_register, name="status_register"),
    path(
        "status/register.csv",
        register.status_register_export,
        {"fmt": "csv"},
        name="status_register_csv",
    ),
    path(
        "status/register.xlsx",
        register.status_register_export,
        {"fmt": "xlsx"},
        name="status_register_xlsx",
    ),
    path("status/journal.pdf", views.journal_print, name="status_journal_print"),
    path(
        "cases/<uuid:case_id>/status-procedure/",
        views.case_status_procedure,
        name="case_status_procedure",
    ),
    path(
        "cases/<uuid:case_id>/status-applications/new/",
        views.application_new,
        name="status_application_new",
    ),
    path(
        "status-applications/<uuid:application_id>/",
        views.application_detail,
        name="status_application_detail",
    ),
    *[
        path(
            f"status-applications/<uuid:application_id>/{action.replace('_', '-')}/",
            view,
            name=f"status_application_{action}",
        )
        for action, view in views.TRANSITION_VIEWS.items()
    ],
    path(
        "status-applications/<uuid:application_id>/print/<slug:form>/",
        views.application_print,
        name="status_application_print",
    ),
    path(
        "status-applications/<uuid:application_id>/documents/",
        views.documents_update,
        name="status_application_documents",
    ),
    path(
        "status-applications/<uuid:application_id>/payment/claim/",
        views.payment_claim,
        name="status_payment_claim",
    ),
    path("payments/<uuid:payment_id>/pay/", views.payment_pay, name="status_payment_pay"),
    path(
        "cases/<uuid:case_id>/reflection-periods/new/",
        views.reflection_start,
        name="reflection_period_new",
    ),
    path(
        "reflection-periods/<uuid:reflection_id>/end/",
        views.reflection_end,
        name="reflection_period_end",
    ),
]
