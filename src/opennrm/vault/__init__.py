"""Encryption at rest (AES-256-GCM), the key ring and blind indexes (HMAC-SHA256).

Owns key material and the byte formats; knows nothing about people, cases or Django models.
"""
