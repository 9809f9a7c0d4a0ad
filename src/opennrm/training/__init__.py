"""Capacity building: trainings, participants, certificates, equipment (docs/training.md)."""
