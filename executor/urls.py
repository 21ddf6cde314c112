from django.urls import path, re_path

from executor import api

execution = api.ExecutionViewSet
test_case = api.TestCaseViewSet

urlpatterns = [
    path("executions/", execution.as_view({"get": "list"}), name="executions"),
    path("executions/<int:pk>/", execution.as_view({"get": "retrieve"}), name="execution"),
    path("executions/<int:pk>/history/", execution.as_view({"get": "history"}), name="execution-history"),
    path("executions/<int:pk>/children/", execution.as_view({"get": "children"}), name="execution-children"),
    path("executions/<int:pk>/stop/", execution.as_view({"post": "stop"}), name="execution-stop"),
    path("executions/<int:pk>/redrive/", execution.as_view({"post": "redrive"}), name="execution-redrive"),
    path("executions/<int:pk>/continue/", execution.as_view({"post": "continue_"}), name="execution-continue"),
    path(
        "executions/<int:pk>/continue-all/", execution.as_view({"post": "continue_all"}), name="execution-continue-all"
    ),
    path("executions/<int:pk>/breakpoints/", execution.as_view({"put": "breakpoints"}), name="execution-breakpoints"),
    path(
        "workflows/<int:workflow_pk>/executions/",
        execution.as_view({"get": "list", "post": "create"}),
        name="workflow-executions",
    ),
    re_path(r"^task-tokens/(?P<outcome>success|failure|heartbeat)/$", api.TaskTokenView.as_view(), name="task-token"),
    path(
        "workflows/<int:workflow_pk>/test-cases/",
        test_case.as_view({"get": "list", "post": "create"}),
        name="test-cases",
    ),
    path(
        "workflows/<int:workflow_pk>/test-cases/mock-config/",
        test_case.as_view({"get": "mock_config", "put": "mock_config"}),
        name="mock-config",
    ),
    path(
        "workflows/<int:workflow_pk>/test-cases/<int:pk>/",
        test_case.as_view({"get": "retrieve", "put": "update", "delete": "destroy"}),
        name="test-case",
    ),
]
