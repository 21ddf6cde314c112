from django.urls import path

from designer.aws import api

connection = api.ConnectionViewSet
deploy = api.DeployViewSet
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
]
