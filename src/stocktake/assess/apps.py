from django.apps import AppConfig


class AssessConfig(AppConfig):
    name = "stocktake.assess"
    label = "assess"
    default_auto_field = "django.db.models.BigAutoField"
