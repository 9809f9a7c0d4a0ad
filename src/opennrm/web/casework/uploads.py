"""An upload handler that keeps the file in memory up to the attachment limit: never a
plaintext temporary file on disk (Django writes files above FILE_UPLOAD_MAX_MEMORY_SIZE to
one). The view refuses a larger body before reading it."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadhandler import MemoryFileUploadHandler, StopUpload
from django.http import HttpRequest

from opennrm.casework import files

# Room for the other fields and the multipart framing around the file.
FORM_OVERHEAD = 64 * 1024


def limit() -> int:
    """The attachment limit in bytes (the one `casework.files.check` applies)."""
    return files.max_bytes()


def too_large(request: HttpRequest) -> bool:
    return int(request.META.get("CONTENT_LENGTH") or 0) > limit() + FORM_OVERHEAD


class BoundedMemoryUploadHandler(MemoryFileUploadHandler):
    def handle_raw_input(
        self,
        input_data: Any,
        META: Any,
        content_length: int,
        boundary: Any,
        encoding: str | None = None,
    ) -> None:
        self.activated = content_length <= limit() + FORM_OVERHEAD

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if start + len(raw_data) > limit() + 1:
            raise StopUpload(connection_reset=False)
        return super().receive_data_chunk(raw_data, start)


def keep_in_memory(request: HttpRequest) -> None:
    """Before the body is read (the view is csrf_exempt and checks CSRF itself after)."""
    request.upload_handlers = [BoundedMemoryUploadHandler(request)]
