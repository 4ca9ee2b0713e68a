"""The analysis task moved from ``assess.tasks`` to ``assess.actions``: queued tasks follow it."""

from django.db import migrations

OLD = "stocktake.assess.tasks.run_analysis"
NEW = "stocktake.assess.actions.run_analysis"


def forwards(apps, schema_editor):
    apps.get_model("django_tasks_database", "DBTaskResult").objects.filter(
        task_path=OLD).update(task_path=NEW)


def backwards(apps, schema_editor):
    apps.get_model("django_tasks_database", "DBTaskResult").objects.filter(
        task_path=NEW).update(task_path=OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("assess", "0002_analysisrun_heartbeat_cancelled"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
