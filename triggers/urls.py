from django.urls import path

from triggers import api

schedule = api.ScheduleViewSet
webhook = api.WebhookViewSet
rule = api.EventRuleViewSet

urlpatterns = [
    path(
        "workflows/<int:workflow_pk>/schedules/", schedule.as_view({"get": "list", "post": "create"}), name="schedules"
    ),
    path(
        "workflows/<int:workflow_pk>/schedules/<int:pk>/",
        schedule.as_view({"get": "retrieve", "patch": "partial_update", "delete": "destroy"}),
        name="schedule",
    ),
    path(
        "workflows/<int:workflow_pk>/webhook/",
        webhook.as_view({"get": "retrieve", "post": "create", "delete": "destroy"}),
        name="webhook",
    ),
    path("workflows/<int:workflow_pk>/webhook/rotate/", webhook.as_view({"post": "rotate"}), name="webhook-rotate"),
    path("hooks/<str:token>/", api.WebhookCallView.as_view(), name="webhook-call"),
    path(
        "workflows/<int:workflow_pk>/event-rules/", rule.as_view({"get": "list", "post": "create"}), name="event-rules"
    ),
    path(
        "workflows/<int:workflow_pk>/event-rules/<int:pk>/",
        rule.as_view({"get": "retrieve", "patch": "partial_update", "delete": "destroy"}),
        name="event-rule",
    ),
    path("workflows/<int:workflow_pk>/triggers/export/", api.TriggersExportView.as_view(), name="triggers-export"),
]
