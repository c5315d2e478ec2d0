"""The role dashboards: reads for the class, student, guardian and school pages (selectors.py),
quiz results as they show them (quizdata.py), item statistics per class (class_statistics.py)
and the geometry of their SVG charts (charts.py)."""
