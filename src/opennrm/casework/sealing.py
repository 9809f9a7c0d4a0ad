"""The only code that seals and opens notes and attachments: with the person's data key.

The associated data binds each ciphertext to its table, column and row
(`casework_note|text|<id>`), so it cannot be moved. The person's key is the one
`people.identity.PERSON` wraps: rotating keys re-wraps it (these columns follow), erasing the
person destroys it, and then nothing here can be opened (`ShreddedError`).
"""

from __future__ import annotations

from opennrm.casework.models import Attachment, Note
from opennrm.people.identity import PERSON
from opennrm.people.models import Person
from opennrm.vault.aead import associated_data, open_sealed, seal
from opennrm.vault.columns import register_under

NOTE_TABLE = "casework_note"
ATTACHMENT_TABLE = "casework_attachment"
register_under(Note, owner=PERSON, table=NOTE_TABLE, columns=("text",))
register_under(
    Attachment, owner=PERSON, table=ATTACHMENT_TABLE, columns=("title", "content", "thumbnail")
)


def _key(person: Person) -> bytes:
    return PERSON.data_key(person)


def seal_note(note: Note, person: Person, text: str) -> None:
    note.text_enc = seal(
        _key(person), text.encode("utf-8"), associated_data(NOTE_TABLE, "text", note.pk)
    )


def open_note(note: Note, person: Person) -> str:
    """The note's text; "" once deleted or erased."""
    if not note.text_enc or PERSON.is_shredded(person):
        return ""
    aad = associated_data(NOTE_TABLE, "text", note.pk)
    return open_sealed(_key(person), bytes(note.text_enc), aad).decode("utf-8")


def seal_attachment(
    attachment: Attachment, person: Person, *, title: str, content: bytes, thumbnail: bytes
) -> None:
    key = _key(person)
    for column, plain in (("title", title.encode("utf-8")), ("content", content)):
        aad = associated_data(ATTACHMENT_TABLE, column, attachment.pk)
        setattr(attachment, f"{column}_enc", seal(key, plain, aad))
    attachment.thumbnail_enc = (
        seal(key, thumbnail, associated_data(ATTACHMENT_TABLE, "thumbnail", attachment.pk))
        if thumbnail
        else b""
    )


def open_attachment(attachment: Attachment, person: Person, column: str) -> bytes:
    """One sealed column of the attachment (title, content, thumbnail); b"" when there is none.
    Raises `ShreddedError` once the person is erased, `DecryptionError` on altered data."""
    blob = bytes(getattr(attachment, f"{column}_enc"))
    if not blob:
        return b""
    aad = associated_data(ATTACHMENT_TABLE, column, attachment.pk)
    return open_sealed(_key(person), blob, aad)


def attachment_title(attachment: Attachment, person: Person | None = None) -> str:
    """The attachment's title as text (the person defaults to its case's)."""
    owner = person if person is not None else attachment.case.person
    return open_attachment(attachment, owner, "title").decode("utf-8")
