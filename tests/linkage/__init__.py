"""Tests for the record-linkage engine."""
