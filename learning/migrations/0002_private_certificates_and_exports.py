"""Certificates and exports move out of the public MEDIA_ROOT into PRIVATE_MEDIA_ROOT.

Existing files are moved under the same name (certificates/<student>/..., exports/<token>/...),
so the rows stay valid; files already in the private folder are left alone (re-runnable).
"""

from django.core.files.storage import default_storage
from django.db import migrations, models

import learning.models
import learning.storage


def move_files_to_private_storage(apps, schema_editor):
    from learning.files import move_public_files_to_private

    move_public_files_to_private(
        apps.get_model("learning", "Certificate"),
        apps.get_model("learning", "Export"),
        public=default_storage,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="certificate",
            name="pdf",
            field=models.FileField(
                blank=True, storage=learning.storage.private_media, upload_to=learning.models.certificate_path
            ),
        ),
        migrations.AlterField(
            model_name="certificate",
            name="png",
            field=models.FileField(
                blank=True, storage=learning.storage.private_media, upload_to=learning.models.certificate_path
            ),
        ),
        migrations.AlterField(
            model_name="export",
            name="file",
            field=models.FileField(
                blank=True, storage=learning.storage.private_media, upload_to=learning.models.export_path
            ),
        ),
        migrations.RunPython(move_files_to_private_storage, migrations.RunPython.noop),
    ]
