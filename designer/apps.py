from django.apps import AppConfig


class DesignerConfig(AppConfig):
    name = "designer"
    verbose_name = "Designer"

    def ready(self) -> None:
        from designer import schema  # noqa: F401  (registers the OpenAPI extensions)
