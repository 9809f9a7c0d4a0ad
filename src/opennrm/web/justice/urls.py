"""Web URLs of the criminal-justice chain (names live in the `web` namespace).

One POST URL per transition of the stage table (`proceeding_<action>`), routed from the
workflow's actions so that a new transition cannot lack its URL.
"""

from django.urls import URLPattern, path

from opennrm.web.justice import views

P = "proceedings/<uuid:proceeding_id>/"

urlpatterns: list[URLPattern] = [
    path("proceedings/", views.proceeding_list, name="proceeding_list"),
    path("proceedings/new/", views.proceeding_new, name="proceeding_new"),
    path(P, views.proceeding_detail, name="proceeding_detail"),
    *[
        path(f"{P}{action.replace('_', '-')}/", view, name=f"proceeding_{action}")
        for action, view in views.TRANSITION_VIEWS.items()
    ],
    path(f"{P}requalify/", views.requalify, name="proceeding_requalify"),
    path(f"{P}participants/", views.participant_add, name="proceeding_participant_add"),
    path(f"{P}suspects/", views.suspect_add, name="proceeding_suspect_add"),
    path(f"{P}hearings/", views.hearing_schedule, name="proceeding_hearing_schedule"),
    path(
        f"{P}hearings/<uuid:hearing_id>/outcome/",
        views.hearing_record,
        name="proceeding_hearing_record",
    ),
    path(f"{P}judgments/", views.judgment_add, name="proceeding_judgment_add"),
    path(f"{P}protection/", views.protection_request, name="proceeding_protection_request"),
    path(
        f"{P}protection/<uuid:protection_id>/decision/",
        views.protection_decide,
        name="proceeding_protection_decide",
    ),
    path(f"{P}compensation/", views.compensation_add, name="proceeding_compensation_add"),
    path(f"{P}non-punishment/", views.non_punishment_add, name="proceeding_non_punishment_add"),
    path(
        f"{P}non-punishment/<uuid:non_punishment_id>/decision/",
        views.non_punishment_decide,
        name="proceeding_non_punishment_decide",
    ),
]
