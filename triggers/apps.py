from django.apps import AppConfig


class TriggersConfig(AppConfig):
    name = "triggers"
    verbose_name = "Triggers"

    def ready(self) -> None:
        from executor.signals import execution_finished
        from triggers.events import on_execution_finished

        # A finished execution may start others (event rules).
        execution_finished.connect(
            lambda sender, execution, **kwargs: on_execution_finished(execution), weak=False, dispatch_uid="triggers"
        )
