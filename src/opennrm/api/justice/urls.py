"""API URLs of the criminal-justice chain: one POST endpoint per step of the stage table."""

from django.urls import URLPattern, path

from opennrm.api.justice import views

P = "proceedings/<uuid:proceeding_id>/"

urlpatterns: list[URLPattern] = [
    path("proceedings/", views.ProceedingListView.as_view(), name="proceeding_list"),
    path(P, views.ProceedingDetailView.as_view(), name="proceeding_detail"),
    *[
        path(f"{P}{action.replace('_', '-')}/", view.as_view(), name=f"proceeding_{action}")
        for action, view in views.TRANSITION_VIEWS.items()
    ],
    path(f"{P}requalify/", views.RequalifyView.as_view(), name="proceeding_requalify"),
    path(f"{P}participants/", views.ParticipantsView.as_view(), name="proceeding_participants"),
    path(f"{P}suspects/", views.SuspectsView.as_view(), name="proceeding_suspects"),
    path(f"{P}hearings/", views.HearingsView.as_view(), name="proceeding_hearings"),
    path(
        f"{P}hearings/<uuid:hearing_id>/outcome/",
        views.HearingOutcomeView.as_view(),
        name="proceeding_hearing_outcome",
    ),
    path(f"{P}judgments/", views.JudgmentsView.as_view(), name="proceeding_judgments"),
    path(f"{P}protection/", views.ProtectionView.as_view(), name="proceeding_protection"),
    path(
        f"{P}protection/<uuid:protection_id>/decision/",
        views.ProtectionDecisionView.as_view(),
        name="proceeding_protection_decision",
    ),
    path(f"{P}compensation/", views.CompensationView.as_view(), name="proceeding_compensation"),
    path(
        f"{P}non-punishment/", views.NonPunishmentView.as_view(), name="proceeding_non_punishment"
    ),
    path(
        f"{P}non-punishment/<uuid:non_punishment_id>/decision/",
        views.NonPunishmentDecisionView.as_view(),
        name="proceeding_non_punishment_decision",
    ),
]
