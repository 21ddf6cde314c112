from django.urls import path, re_path

from designer.aws import api

connection = api.ConnectionViewSet
deploy = api.DeployViewSet
remote = api.AwsExecutionViewSet
CONNECTION = "teams/<int:team_pk>/aws-connections/<int:pk>/"

urlpatterns = [
    path(
        "teams/<int:team_pk>/aws-connections/",
        connection.as_view({"get": "list", "post": "create"}),
        name="aws-connections",
    ),
    path(
        CONNECTION,
        connection.as_view({"get": "retrieve", "patch": "partial_update", "delete": "destroy"}),
        name="aws-connection",
    ),
    path(CONNECTION + "test/", connection.as_view({"post": "check"}), name="aws-connection-test"),
    path(CONNECTION + "state-machines/", connection.as_view({"get": "state_machines"}), name="aws-state-machines"),
    path(CONNECTION + "import/", connection.as_view({"post": "import_state_machine"}), name="aws-import"),
    path("workflows/<int:pk>/deploy/plan/", deploy.as_view({"post": "plan"}), name="workflow-deploy-plan"),
    path("workflows/<int:pk>/deploy/", deploy.as_view({"post": "deploy"}), name="workflow-deploy"),
    path("workflows/<int:pk>/deployments/", deploy.as_view({"get": "deployments"}), name="workflow-deployments"),
    path(
        "workflows/<int:pk>/deployments/<int:deployment_pk>/",
        deploy.as_view({"get": "deployment"}),
        name="workflow-deployment",
    ),
    path("workflows/<int:pk>/aws/", deploy.as_view({"get": "aws_status"}), name="workflow-aws-status"),
    path(
        "workflows/<int:pk>/aws/executions/",
        remote.as_view({"get": "list", "post": "create"}),
        name="workflow-aws-executions",
    ),
    re_path(
        r"^workflows/(?P<pk>[0-9]+)/aws/task-tokens/(?P<outcome>success|failure|heartbeat)/$",
        remote.as_view({"post": "task_token"}),
        name="workflow-aws-task-token",
    ),
    path("aws/executions/<int:execution_pk>/", remote.as_view({"get": "details"}), name="aws-execution"),
    path("aws/executions/<int:execution_pk>/redrive/", remote.as_view({"post": "redrive"}), name="aws-redrive"),
]
