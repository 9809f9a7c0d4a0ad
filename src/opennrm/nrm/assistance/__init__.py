"""Assistance: the directory of service providers, support plans and services delivered."""
