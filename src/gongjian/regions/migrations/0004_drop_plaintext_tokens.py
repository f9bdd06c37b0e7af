"""Drop Django REST framework's token table, which the hashed API tokens (0002) replace.

That table kept every key in plain text; the app that owned it is no longer installed, so nothing
would ever remove it, and a database copied from a site that used it would keep the keys readable."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("regions", "0003_field_labels")]

    operations = [
        migrations.RunSQL("DROP TABLE IF EXISTS authtoken_token", reverse_sql=migrations.RunSQL.noop),
    ]
