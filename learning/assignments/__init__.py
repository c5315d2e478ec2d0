"""Assignments: a teacher sets a course, lesson or quiz for a class (services.py, forms.py)."""
