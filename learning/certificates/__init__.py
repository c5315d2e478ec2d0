"""Certificates: the row per student and course and when it is drawn (services.py), and the
drawing itself (drawing.py)."""
