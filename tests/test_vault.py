"""The vault: key ring parsing, AES-GCM envelopes bound to their place, blind indexes."""

from __future__ import annotations

import base64
import json

import pytest

from opennrm.vault.aead import (
    DecryptionError,
    associated_data,
    new_data_key,
    open_sealed,
    seal,
    seal_many,
    unwrap_data_key,
    wrap_data_key,
)
from opennrm.vault.blind import blind_index
from opennrm.vault.keyring import KeyRingError, generate_keyring, parse_keyring


def test_keyring_round_trips_through_json() -> None:
    ring = generate_keyring()
    again = parse_keyring(ring.to_json())
    assert again.keks == ring.keks
    assert again.blind_index_key == ring.blind_index_key
    assert again.audit_key == ring.audit_key


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.update(version=2), "version 1"),
        (lambda d: d["kek"].update(active="nope"), "kek.active"),
        (lambda d: d.update(audit_key="!!"), "audit_key: not valid base64"),
        (lambda d: d.update(audit_key=base64.b64encode(b"short").decode()), "expected 32 bytes"),
        (lambda d: d.update(audit_key=d["blind_index_key"]), "must be different"),
        (lambda d: d["kek"].update(keys={}), "at least one"),
    ],
)
def test_malformed_keyring_is_refused_with_the_reason(mutate, message) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(generate_keyring().to_json())
    mutate(data)
    with pytest.raises(KeyRingError, match=message):
        parse_keyring(json.dumps(data))


def test_sealed_value_opens_with_its_key_and_place() -> None:
    key = new_data_key()
    aad = associated_data("people_person", "first_name", "id-1")
    blob = seal(key, "Олександр".encode(), aad)
    assert "Олександр".encode() not in blob
    assert open_sealed(key, blob, aad).decode() == "Олександр"


def test_values_sealed_together_open_each_in_its_own_place_with_its_own_nonce() -> None:
    key = new_data_key()
    places = [associated_data("people_person", column, "id-1") for column in ("a", "b", "c")]
    texts = [b"", "Олександр".encode(), b"same"]
    blobs = seal_many(key, list(zip(texts, places, strict=True)))
    assert [open_sealed(key, blob, aad) for blob, aad in zip(blobs, places, strict=True)] == texts
    nonces = {blob[1:13] for blob in [*blobs, *seal_many(key, [(b"same", places[2])] * 50)]}
    assert len(nonces) == 53
    with pytest.raises(DecryptionError):  # bound to its column, as one sealed alone
        open_sealed(key, blobs[1], places[2])
    assert seal_many(key, []) == []


def test_wrong_key_raises_instead_of_returning_ciphertext() -> None:
    aad = associated_data("t", "c", "1")
    blob = seal(new_data_key(), b"secret", aad)
    with pytest.raises(DecryptionError):
        open_sealed(new_data_key(), blob, aad)


def test_ciphertext_moved_to_another_column_does_not_open() -> None:
    key = new_data_key()
    blob = seal(key, b"secret", associated_data("people_person", "first_name", "row-1"))
    with pytest.raises(DecryptionError):
        open_sealed(key, blob, associated_data("people_person", "family_name", "row-1"))
    with pytest.raises(DecryptionError):
        open_sealed(key, blob, associated_data("people_person", "first_name", "row-2"))


def test_altered_ciphertext_raises() -> None:
    key = new_data_key()
    aad = associated_data("t", "c", "1")
    blob = bytearray(seal(key, b"secret", aad))
    blob[-1] ^= 1
    with pytest.raises(DecryptionError):
        open_sealed(key, bytes(blob), aad)


def test_data_key_unwraps_only_with_a_known_key_encryption_key() -> None:
    ring = generate_keyring()
    data_key = new_data_key()
    key_id, wrapped = wrap_data_key(ring, data_key, b"aad")
    assert unwrap_data_key(ring, key_id, wrapped, b"aad") == data_key
    retired = ring.with_new_kek().without_kek(key_id)
    with pytest.raises(DecryptionError, match="not in the key ring"):
        unwrap_data_key(retired, key_id, wrapped, b"aad")


def test_blind_index_is_keyed_and_domain_separated() -> None:
    ring, other = generate_keyring(), generate_keyring()
    digest = blind_index(ring, "person.family_name", "shevchenko")
    assert digest == blind_index(ring, "person.family_name", "shevchenko")
    assert digest != blind_index(ring, "person.first_name", "shevchenko")
    assert digest != blind_index(other, "person.family_name", "shevchenko")
    assert "shevchenko" not in digest
    assert len(digest) == 64
