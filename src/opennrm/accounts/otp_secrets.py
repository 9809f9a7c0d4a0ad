"""TOTP secrets encrypted at rest, backup codes kept as digests (django-otp keeps both in clear).

Whoever reads `otp_totp_totpdevice` could otherwise make valid codes for every account. Here
the secret is stored as `enc1:` + base64 of an AES-256-GCM envelope (`vault.aead`) under a key
derived from the key ring's blind-index key (HMAC-SHA256 with its own label; the blind-index
key is never rotated, unlike the key-encryption keys, so retiring keys never locks anyone
out), bound to the user's id as associated data (a secret copied onto another user's device
does not open). 20 bytes of secret make 69 characters, within django-otp's 80.

Two hooks, installed once by `AccountsConfig.ready`: a `pre_save` receiver seals a plain hex
key before it reaches the database, and `TOTPDevice.bin_key` (the one way django-otp reads
the secret: verification, the otpauth:// URL) opens it. An unsaved device built from a hex
secret (a test's authenticator app) still reads as hex.

Backup codes (`StaticToken.token`) need only be compared, never read back: they are stored as
`#` + 15 base32 characters of HMAC-SHA256 (same derived-key scheme, its own label) of the code,
set by a `pre_save` receiver (and by `accounts.services` for its `bulk_create`, which sends no
signal); `StaticDevice.verify_token` digests what the user typed before django-otp looks it up.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from binascii import unhexlify
from typing import Any, Final

from opennrm.vault.aead import open_sealed, seal
from opennrm.vault.keyring import current_keyring

PREFIX: Final = "enc1:"
_LABEL: Final = b"opennrm.otp.totp-secret.v1"
_CODE_LABEL: Final = b"opennrm.otp.backup-code.v1"
DIGEST_MARK: Final = "#"  # never in a code django-otp makes (base32, lower case)
MAX_LENGTH: Final = 80  # TOTPDevice.key's max_length


def _key() -> bytes:
    return hmac.new(current_keyring().blind_index_key, _LABEL, hashlib.sha256).digest()


def _aad(user_id: object) -> bytes:
    return b"otp_totp_totpdevice|key|" + str(user_id).encode("ascii")


def is_sealed(stored: str) -> bool:
    return stored.startswith(PREFIX)


def seal_hex(hex_key: str, user_id: object) -> str:
    """The stored form of a hex secret."""
    sealed = PREFIX + base64.b64encode(seal(_key(), unhexlify(hex_key), _aad(user_id))).decode()
    if len(sealed) > MAX_LENGTH:
        raise ValueError("the TOTP secret is too long to be stored encrypted")
    return sealed


def open_key(stored: str, user_id: object) -> bytes:
    """The binary secret of a stored key (sealed, or plain hex for an unsaved device)."""
    if is_sealed(stored):
        return open_sealed(_key(), base64.b64decode(stored[len(PREFIX) :]), _aad(user_id))
    return unhexlify(stored.encode())


def code_digest(code: str) -> str:
    """The stored form of a backup code (16 characters, django-otp's maximum)."""
    if code.startswith(DIGEST_MARK):
        return code
    key = hmac.new(current_keyring().blind_index_key, _CODE_LABEL, hashlib.sha256).digest()
    mac = hmac.new(key, code.encode("utf-8"), hashlib.sha256).digest()
    return DIGEST_MARK + base64.b32encode(mac).decode("ascii")[:15]


def _digest_before_save(sender: Any, instance: Any, **kwargs: Any) -> None:
    if instance.token:
        instance.token = code_digest(instance.token)


def _seal_before_save(sender: Any, instance: Any, **kwargs: Any) -> None:
    if instance.key and not is_sealed(instance.key):
        instance.key = seal_hex(instance.key, instance.user_id)


def install() -> None:
    """Seal on save, open on read (idempotent)."""
    from django.db.models.signals import pre_save
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    pre_save.connect(_seal_before_save, sender=TOTPDevice, dispatch_uid="opennrm_totp_at_rest")
    pre_save.connect(_digest_before_save, sender=StaticToken, dispatch_uid="opennrm_code_digest")
    if not getattr(StaticDevice.verify_token, "opennrm_digests", False):
        original = StaticDevice.verify_token

        def verify_token(self: Any, token: Any) -> Any:
            typed = str(token)
            if not typed or typed.startswith(DIGEST_MARK):
                return False  # a digest typed in is not a code
            return original(self, code_digest(typed))

        verify_token.opennrm_digests = True  # type: ignore[attr-defined]
        StaticDevice.verify_token = verify_token
    TOTPDevice.bin_key = property(lambda self: open_key(self.key, self.user_id))
