"""The ministry's forms of the status procedure, printed as PDF in Ukrainian (issue 9, point 4).

Four documents following the forms annexed to the procedure of Cabinet Resolution No. 417 of
23 May 2012, **as reconstructed** (the layout must be checked against the official forms before
use; every page says so in its footer):

- the journal of registration of applications (one receiving office, a period): number, date,
  who applies, the case reference, forwarding and the outcome;
- the interview questionnaire of one application: its sections with the recorded interview
  facts (date, consent first, the non-disclosure undertaking, or why no interview was held) and
  the documents checklist; blank lines for what the system does not hold or does not print;
- the certificate (довідка) of the status: number, dates of issue and validity (with the
  extensions), the person's name and date of birth;
- the decision on establishing or refusing the status: date, the decision and its ground.

The forms are official documents: always Ukrainian, whatever the user's language. Only the
certificate names the person, and this module does not decide who may see the name: the caller
passes the decrypted identity after the gate (`access.status.authorize_print`) allowed it.
Nothing is fetched while rendering (no base URL): the fonts are the system's, the CSS inline.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from django.template.loader import render_to_string
from django.utils import timezone, translation

from opennrm.nrm.status import codes
from opennrm.nrm.status import workflow as wf
from opennrm.nrm.status.models import StatusApplication
from opennrm.people.identity import Identity

JOURNAL: Final = "journal"
QUESTIONNAIRE: Final = "questionnaire"
CERTIFICATE: Final = "certificate"
DECISION: Final = "decision"
# The forms of one application (the journal covers many).
APPLICATION_FORMS: Final = (QUESTIONNAIRE, CERTIFICATE, DECISION)

LANGUAGE: Final = "uk"
SOURCE: Final = "постанова Кабінету Міністрів України від 23 травня 2012 р. № 417"
RECONSTRUCTED_NOTE: Final = (
    "Макет відтворено OpenNRM за формами, доданими до Порядку встановлення статусу особи, яка "
    "постраждала від торгівлі людьми (" + SOURCE + "); перед використанням звірте з офіційними "
    "формами."
)
# In the genitive, as the forms cite them ("відповідно до ...").
LAW: Final = "статті 16 Закону України «Про протидію торгівлі людьми»"
PROCEDURE: Final = (
    "Порядку встановлення статусу особи, яка постраждала від торгівлі людьми, затвердженого "
    "постановою Кабінету Міністрів України від 23 травня 2012 р. № 417"
)

DECISIONS: Final = ("granted", "refused")


def ua_date(day: dt.date | None) -> str:
    """A date as Ukrainian official documents write it (dd.mm.yyyy); empty when unknown."""
    return f"{day:%d.%m.%Y}" if day is not None else ""


def available_forms(application: StatusApplication) -> list[str]:
    """The forms that exist for this application: the questionnaire always (blank where the
    interview is not yet recorded), the certificate once issued, the decision once taken."""
    forms = [QUESTIONNAIRE]
    if application.certificate_number and application.certificate_issued_on:
        forms.append(CERTIFICATE)
    if application.decision in DECISIONS and application.decided_on is not None:
        forms.append(DECISION)
    return forms


def filename(form: str, application: StatusApplication | None = None, **period: dt.date) -> str:
    """A download name without personal data (nor journal or certificate numbers): the form
    and the application's id, or the journal's period."""
    if application is not None:
        return f"status-{form}-{application.id}.pdf"
    return f"status-{form}-{period['start']:%Y%m%d}-{period['end']:%Y%m%d}.pdf"


# --- content -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class JournalRow:
    index: int
    journal_number: str
    applied_on: str
    applicant: str
    interpreter: str
    case_reference: str
    forwarded: str
    outcome: str


def _outcome(app: StatusApplication) -> str:
    """The journal's outcome column: the decision with its date and certificate, or where the
    file is now."""
    if app.state == wf.WITHDRAWN:
        return f"Заяву відкликано {ua_date(app.withdrawn_on)}"
    if app.decision == "granted" and app.decided_on:
        text = f"Статус установлено {ua_date(app.decided_on)}; довідка № {app.certificate_number}"
        if app.state == wf.REVOKED:
            text += f"; статус скасовано {ua_date(app.revoked_on)}"
        elif app.state == wf.EXPIRED:
            text += f"; строк дії довідки закінчився {ua_date(app.certificate_valid_until)}"
        return text
    if app.decision == "refused" and app.decided_on and app.state != wf.AT_NATIONAL:
        text = f"Відмовлено {ua_date(app.decided_on)}"
        if app.court_outcome == "RefusalUpheld":
            text += f"; суд залишив відмову в силі {ua_date(app.court_decided_on)}"
        elif app.state == wf.APPEALED:
            text += f"; оскаржено до суду {ua_date(app.appealed_on)}"
        return text
    return str(wf.state_label(app.state))


def _forwarded(app: StatusApplication) -> str:
    parts = []
    if app.forwarded_to_oblast_on:
        parts.append(f"до області {ua_date(app.forwarded_to_oblast_on)}")
    if app.forwarded_to_national_on:
        parts.append(f"на національний рівень {ua_date(app.forwarded_to_national_on)}")
    return "; ".join(parts)


def journal_rows(applications: list[StatusApplication]) -> list[JournalRow]:
    return [
        JournalRow(
            index=index,
            journal_number=app.journal_number,
            applied_on=ua_date(app.applied_on),
            applicant=codes.APPLICANT.label(app.applicant),
            interpreter="так" if app.interpreter else "ні",
            case_reference=app.case.reference,
            forwarded=_forwarded(app),
            outcome=_outcome(app),
        )
        for index, app in enumerate(applications, start=1)
    ]


def _heading(app: StatusApplication) -> dict[str, str]:
    return {
        "journal_number": app.journal_number,
        "applied_on": ua_date(app.applied_on),
        "case_reference": app.case.reference,
        "receiving_agency": app.receiving_agency.name,
        "national_agency": app.national_agency.name if app.national_agency else "",
    }


def questionnaire_context(app: StatusApplication) -> dict[str, Any]:
    interviewed = app.interview_mode == "interview"
    waived = app.interview_mode == "waived"
    return {
        **_heading(app),
        "applicant": codes.APPLICANT.label(app.applicant),
        "interpreter": "так" if app.interpreter else "ні",
        "interviewed": interviewed,
        "waived": waived,
        "interviewed_on": ua_date(app.interviewed_on) if interviewed else "",
        "consent": "так" if interviewed and app.consent_recorded else "",
        "nondisclosure": "так" if interviewed and app.nondisclosure_signed else "",
        "waiver_reason": codes.WAIVER_REASON.label(app.waiver_reason) if waived else "",
        "documents": [
            (codes.DOCUMENTS.label(code), code in app.documents) for code in codes.DOCUMENTS.values
        ],
        # The questionnaire's sections on the person and the trafficking: answered on paper.
        "sections": [(number, title, range(lines)) for number, title, lines in SECTIONS],
    }


# The questionnaire's sections on the person and the trafficking, answered on paper: number,
# title, blank lines.
SECTIONS: Final = (
    ("3", "Відомості про особу (прізвище, ім'я, по батькові, дата народження, громадянство)", 3),
    ("4", "Обставини вербування (хто, коли, де, яким чином, що обіцяли)", 4),
    ("5", "Переміщення (маршрут, транспорт, документи, перетин кордону)", 3),
    ("6", "Експлуатація (форма, місце, період, умови)", 4),
    ("7", "Способи контролю та примусу", 3),
    ("8", "Звільнення та повернення", 3),
    ("9", "Потреби особи в допомозі (медичній, психологічній, правовій, соціальній)", 3),
)


def certificate_context(app: StatusApplication, identity: Identity) -> dict[str, Any]:
    extensions = list(app.extensions.all())
    today = timezone.localdate()
    if app.state == wf.REVOKED:
        mark = f"Статус скасовано {ua_date(app.revoked_on)}: довідка недійсна."
    elif app.certificate_valid_until is not None and app.certificate_valid_until < today:
        mark = f"Строк дії довідки закінчився {ua_date(app.certificate_valid_until)}."
    else:
        mark = ""
    return {
        **_heading(app),
        "number": app.certificate_number,
        "issued_on": ua_date(app.certificate_issued_on),
        "valid_until": ua_date(app.certificate_valid_until),
        "decided_on": ua_date(app.decided_on),
        "full_name": identity.full_name,
        "birth_date": identity.birth_date.dotted(),
        "extensions": [
            (ua_date(e.extended_on), ua_date(e.previous_valid_until), ua_date(e.valid_until))
            for e in extensions
        ],
        "mark": mark,
    }


def decision_context(app: StatusApplication) -> dict[str, Any]:
    granted = app.decision == "granted"
    if granted:
        ground = (
            "Матеріали особової справи підтверджують, що особа постраждала від торгівлі людьми "
            "(стаття 16 Закону України «Про протидію торгівлі людьми»)."
        )
    else:
        ground = (
            codes.REFUSAL_REASON.label(app.decision_reason) + "." if app.decision_reason else ""
        )
    notes = []
    if app.court_outcome == "RefusalAnnulled":
        notes.append(f"Рішення скасовано судом {ua_date(app.court_decided_on)}.")
    elif app.court_outcome == "RefusalUpheld":
        notes.append(f"Суд залишив рішення в силі {ua_date(app.court_decided_on)}.")
    if app.state == wf.REVOKED and granted:
        reason = codes.REVOCATION_REASON.label(app.revocation_reason)
        notes.append(f"Статус скасовано {ua_date(app.revoked_on)}: {reason}.")
    return {
        **_heading(app),
        "granted": granted,
        "decided_on": ua_date(app.decided_on),
        "ground": ground,
        "certificate_number": app.certificate_number if granted else "",
        "certificate_issued_on": ua_date(app.certificate_issued_on) if granted else "",
        "certificate_valid_until": ua_date(app.certificate_valid_until) if granted else "",
        "notes": notes,
    }


# --- rendering ---------------------------------------------------------------------------------


def _pdf(template: str, context: Callable[[], dict[str, Any]]) -> bytes:
    """Render a form in Ukrainian: the context too is built under the override (code labels
    translate lazily). No base URL: nothing is fetched."""
    from weasyprint import HTML

    with translation.override(LANGUAGE):
        html = render_to_string(
            f"status/forms/{template}.html",
            {
                **context(),
                "law": LAW,
                "procedure": PROCEDURE,
                "note": RECONSTRUCTED_NOTE,
                "printed_on": ua_date(timezone.localdate()),
            },
        )
    return bytes(HTML(string=html).write_pdf())


def journal_pdf(
    applications: list[StatusApplication], *, agency_name: str, start: dt.date, end: dt.date
) -> bytes:
    """The journal of registration of applications of one receiving office for a period
    (the applications in journal order: date of application, then number)."""
    return _pdf(
        JOURNAL,
        lambda: {
            "agency": agency_name,
            "start": ua_date(start),
            "end": ua_date(end),
            "rows": journal_rows(applications),
        },
    )


def questionnaire_pdf(application: StatusApplication) -> bytes:
    return _pdf(QUESTIONNAIRE, lambda: questionnaire_context(application))


def certificate_pdf(application: StatusApplication, identity: Identity) -> bytes:
    """The certificate, naming the person: call only once the gate allowed the identity."""
    if CERTIFICATE not in available_forms(application):
        raise ValueError("no certificate was issued for this application")
    return _pdf(CERTIFICATE, lambda: certificate_context(application, identity))


def decision_pdf(application: StatusApplication) -> bytes:
    if DECISION not in available_forms(application):
        raise ValueError("no decision was taken on this application")
    return _pdf(DECISION, lambda: decision_context(application))
