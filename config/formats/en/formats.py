"""English dates as NetWise has always shown them: 26 Nov 2026 (templates use DATE_FORMAT)."""

DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
MONTH_DAY_FORMAT = "j M"
# Chart axis labels (learning/dashboards/charts.py): day/month.
CHART_DAY_FORMAT = "%d/%m"
