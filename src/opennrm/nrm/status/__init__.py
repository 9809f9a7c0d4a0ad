"""The victim-status procedure (Resolution No. 417), one-time payment (No. 660), reflection.

Deadlines and amounts are dated settings with their sources, never constants.
"""
