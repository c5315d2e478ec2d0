"""Progress: what each student has started, read and passed, the course roll-up, study time.

The read model the dashboards, exports and family mail read (services.py writes it)."""
