from django.apps import AppConfig


class EntitiesConfig(AppConfig):
    name = "entities"
    verbose_name = "Knowledge base and tagging"

    def ready(self):
        from . import receivers  # noqa: F401  (connects the tagging signal)
