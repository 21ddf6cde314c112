from django.apps import AppConfig


class SfnConfig(AppConfig):
    name = "sfn"
    verbose_name = "Step Functions API"
