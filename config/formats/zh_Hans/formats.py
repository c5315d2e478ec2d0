"""Simplified Chinese dates as Chinese readers expect them: 2026年11月26日, no month names."""

DATE_FORMAT = "Y年n月j日"
SHORT_DATE_FORMAT = "Y年n月j日"
DATETIME_FORMAT = "Y年n月j日 H:i"
SHORT_DATETIME_FORMAT = "Y年n月j日 H:i"
MONTH_DAY_FORMAT = "n月j日"
YEAR_MONTH_FORMAT = "Y年n月"
# Chart axis labels (learning/dashboards/charts.py): month/day as 11月26日.
CHART_DAY_FORMAT = "%m月%d日"
