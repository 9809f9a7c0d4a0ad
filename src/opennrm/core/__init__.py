"""Shared value types and code lists named by concept. Imports nothing else from OpenNRM."""
