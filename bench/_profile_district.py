"""Profile the district report at 50 schools: CPU per request and the top cProfile entries.
Seeds once into var/bench/profile-district.sqlite3 (delete it to seed again). Not part of
`make bench`.

    .venv/bin/python bench/_profile_district.py [--top 25]
"""

import cProfile
import os
import pstats
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ.setdefault("NETWISE_CELERY_EAGER", "1")

import django  # noqa: E402
from django.conf import settings  # noqa: E402

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
    cpus = []
    for _ in range(10):
        t0 = time.process_time()
        client.get(url)
        cpus.append((time.process_time() - t0) * 1000)
    cpus.sort()
    print(f"CPU ms over 10: min {cpus[0]:.0f} median {cpus[5]:.0f} max {cpus[-1]:.0f}")
    if top:
        pr = cProfile.Profile()
        pr.enable()
        client.get(url)
        pr.disable()
        st = pstats.Stats(pr)
        st.sort_stats("cumulative").print_stats(r"districts|template/(base|defaulttags|loader_tags)|views", top)
        st.sort_stats("tottime").print_stats(top)


if __name__ == "__main__":
    main()
