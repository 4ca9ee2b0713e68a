from django.apps import AppConfig


class ReportConfig(AppConfig):
    name = "stocktake.report"
    label = "report"
    default_auto_field = "django.db.models.BigAutoField"
