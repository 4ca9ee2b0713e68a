# The full-text search index (assess/search/index.py) and its first three sources:
# findings, submission sections and memos.

from django.db import migrations

from stocktake.assess.search import index

SOURCES = [
    dict(
        key="finding", table="collect_finding", column="text", code=1, review_sql="{row}.review_id"
    ),
    dict(
        key="section",
        table="collect_submissionsection",
        column="text",
        code=2,
        review_sql="(SELECT s.review_id FROM collect_submission s WHERE s.id = {row}.submission_id)",
    ),
    dict(key="memo", table="assess_memo", column="text", code=3, review_sql="{row}.review_id"),
]


def forwards(apps, schema_editor):
    index.create_index(schema_editor)
    for source in SOURCES:
        index.install_source(schema_editor, **source)


def backwards(apps, schema_editor):
    for source in SOURCES:
        index.remove_source(
            schema_editor, key=source["key"], table=source["table"], code=source["code"]
        )
    index.drop_index(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("assess", "0007_memos"),
        ("collect", "0009_personal_data_elsewhere"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
