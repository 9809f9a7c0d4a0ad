"""System checks for critical configuration: keys present and valid, debug off in production."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register

from opennrm.vault.keyring import KeyRingError, load_keyring


@register(Tags.security)
def keys_configured(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    # In development and demo mode a missing key is a warning (the demo makes its own keys,
    # and makemigrations needs none); anywhere else it stops every command.
    level = Warning if (settings.DEBUG or settings.OPENNRM_DEMO) else Error
    errors: list[CheckMessage] = []
    if not settings.SECRET_KEY_CONFIGURED:
        errors.append(
            level(
                "OPENNRM_SECRET_KEY is not set.",
                hint="Set OPENNRM_SECRET_KEY or OPENNRM_SECRET_KEY_FILE.",
                id="opennrm.E001",
            )
        )
    try:
        load_keyring(settings.OPENNRM_KEYRING_TEXT)
    except KeyRingError as exc:
        errors.append(
            level(
                f"The key ring is not usable: {exc}",
                hint="Set OPENNRM_KEYRING_FILE to a key ring made by `opennrm generate-keyring`.",
                id="opennrm.E002",
            )
        )
    return errors


@register(Tags.security, deploy=True)
def production_safety(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    if settings.DEBUG:
        errors.append(Error("OPENNRM_DEBUG is on.", id="opennrm.E003"))
    if settings.OPENNRM_DEMO:
        errors.append(Error("OPENNRM_DEMO is on in production.", id="opennrm.E004"))
    if settings.OPENNRM_DEMO_SKIP_SECOND_FACTOR:
        errors.append(
            Error(
                "OPENNRM_DEMO_SKIP_SECOND_FACTOR is set: a demo setting, refused in production.",
                id="opennrm.E005",
            )
        )
    return errors
