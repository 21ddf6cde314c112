from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class TriggersConfig(AppConfig):
    name = "triggers"
    verbose_name = "Triggers"

    def ready(self) -> None:
        from executor.signals import execution_finished
        from triggers.events import forget_rules, on_execution_finished
        from triggers.models import EventRule

        # A finished execution may start others (event rules).
        execution_finished.connect(
            lambda sender, execution, **kwargs: on_execution_finished(execution), weak=False, dispatch_uid="triggers"
        )
        for signal in (post_save, post_delete):
            signal.connect(forget_rules, sender=EventRule, dispatch_uid=f"triggers-forget-rules-{signal is post_save}")
