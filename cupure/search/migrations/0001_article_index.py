"""The full-text index over articles' titles and bodies, kept current by the database itself.

SQLite: an FTS5 table with ``articles_article`` as external content, maintained by triggers; PostgreSQL:
a GIN expression index. The statements live in ``cupure.search.engine`` (also re-applied after every
``migrate``, since SQLite drops a table's triggers when Django rebuilds the table).
"""

from django.db import migrations


def forward(apps, schema_editor):
    from cupure.search.engine import index_install

    index_install(schema_editor.connection, rebuild=True)


def backward(apps, schema_editor):
    from cupure.search.engine import index_uninstall

    index_uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("articles", "0002_initial")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
