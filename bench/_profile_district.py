"""Profile the district report at 50 schools: CPU per request and the top cProfile entries.
Seeds once into var/bench/profile-district.sqlite3 (delete it to seed again). Not part of
`make bench`.

    .venv/bin/python bench/_profile_district.py [--top 25]
"""

import os
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ.setdefault("NETWISE_CELERY_EAGER", "1")

import django  # noqa: E402
from django.conf import settings  # noqa: E402

from bench.profiling import cpu_line, cpu_ms, print_profile  # noqa: E402

DB = ROOT / "var" / "bench" / "profile-district.sqlite3"


def main():
    top = int(sys.argv[sys.argv.index("--top") + 1]) if "--top" in sys.argv else 0
    django.setup()
    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    settings.DATABASES["default"].update({"ENGINE": "django.db.backends.sqlite3", "NAME": str(DB)})
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from bench import district as d
    from districts.models import District, DistrictOfficer

    if not DB.exists():
        call_command("migrate", verbosity=0, interactive=False)
        d.build_district(50, d.build_modules(), random.Random(18))
    district = District.objects.get()
    officer = DistrictOfficer.objects.get(district=district).user
    client = Client()
    client.force_login(officer)
    url = reverse("districts:report", args=[district.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    print(f"{len(ctx)} queries, {len(response.content)} bytes")
    cpus = cpu_ms(client, url, 10)
    print(f"CPU ms over 10: {cpu_line(cpus)}")
    if top:
        print_profile(client, url, top, r"districts|template/(base|defaulttags|loader_tags)|views")


if __name__ == "__main__":
    main()
