"""Serializer fields stricter than DRF's, so the API accepts what its schema says and no more."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers


class JsonBoolean(serializers.BooleanField):
    """A JSON boolean: `true` or `false` only (DRF's BooleanField also takes 0, 1, "yes"...,
    which the schema does not promise)."""

    default_error_messages = {"invalid": "Must be true or false."}

    def to_internal_value(self, data: Any) -> bool:
        if isinstance(data, bool):
            return data
        self.fail("invalid")
        raise AssertionError  # unreachable: fail() raises
