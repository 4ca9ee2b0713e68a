from django.apps import AppConfig


class TrackConfig(AppConfig):
    name = "stocktake.track"
    label = "track"
    default_auto_field = "django.db.models.BigAutoField"
