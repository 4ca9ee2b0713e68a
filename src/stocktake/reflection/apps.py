from django.apps import AppConfig


class ReflectionConfig(AppConfig):
    name = "stocktake.reflection"
    label = "reflection"
    verbose_name = "Reflection sessions"
    default_auto_field = "django.db.models.BigAutoField"
