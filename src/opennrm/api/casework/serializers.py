"""Notes and attachments of a case in and out (the text and titles decrypted for the reader)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers


class NoteInSerializer(serializers.Serializer[Any]):
    about = serializers.ChoiceField(choices=["Case", "Contact", "Service"], default="Case")
    category = serializers.CharField(
        max_length=16, help_text="a data category the writer may write for this kind of note"
    )
    text = serializers.CharField(max_length=8000)
    service = serializers.UUIDField(
        required=False, allow_null=True, default=None, help_text="about=Service: its id"
    )
    contact_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="about=Contact: its date"
    )


class NoteOutSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    about = serializers.CharField()
    category = serializers.CharField()
    service = serializers.UUIDField(allow_null=True)
    contact_on = serializers.DateField(allow_null=True)
    agency = serializers.UUIDField()
    written_at = serializers.DateTimeField()
    text = serializers.CharField()


class AttachmentOutSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    category = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    consent = serializers.UUIDField(allow_null=True)
    agency = serializers.UUIDField()
    uploaded_at = serializers.DateTimeField()
    title = serializers.CharField()
    download = serializers.CharField(help_text="the web address that serves the file (gated)")
