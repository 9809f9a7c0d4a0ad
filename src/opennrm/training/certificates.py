"""A certificate as a PDF (WeasyPrint) with its verification code and a QR code of the public
verification address (segno, pure Python, SVG)."""

from __future__ import annotations

import io

import segno
from django.template.loader import render_to_string

from opennrm.core.codes import TRAINING_TOPIC, code_list
from opennrm.training.models import Certificate
from opennrm.training.trainees import open_name


def qr_svg(url: str) -> str:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=4, border=2, xmldecl=False)
    return buffer.getvalue().decode("utf-8")


def certificate_pdf(certificate: Certificate, verify_url: str) -> bytes:
    from weasyprint import HTML

    participation = certificate.participation
    training = participation.training
    topics = code_list(TRAINING_TOPIC)
    html = render_to_string(
        "training/certificate.html",
        {
            "certificate": certificate,
            "name": open_name(participation.trainee).full_name,
            "training": training,
            "topics": [topics.label(t) for t in training.topics],
            "verify_url": verify_url,
            "qr": qr_svg(verify_url),
        },
    )
    return bytes(HTML(string=html).write_pdf())
