from django.urls import path

from designer import api

team = api.TeamViewSet
member = api.MemberViewSet
workflow = api.WorkflowViewSet
version = api.VersionViewSet

urlpatterns = [
    path("auth/csrf/", api.CsrfView.as_view(), name="csrf"),
    path("auth/signup/", api.SignupView.as_view(), name="signup"),
    path("auth/login/", api.LoginView.as_view(), name="login"),
    path("auth/logout/", api.LogoutView.as_view(), name="logout"),
    path("auth/me/", api.MeView.as_view(), name="me"),
    path("tokens/", api.TokenViewSet.as_view({"get": "list", "post": "create"}), name="tokens"),
    path("tokens/<int:pk>/", api.TokenViewSet.as_view({"delete": "destroy"}), name="token"),
    path("teams/", team.as_view({"get": "list", "post": "create"}), name="teams"),
    path(
        "teams/<int:pk>/",
        team.as_view({"get": "retrieve", "patch": "partial_update", "delete": "destroy"}),
        name="team",
    ),
    path("teams/<int:pk>/activity/", team.as_view({"get": "activity"}), name="team-activity"),
    path("teams/<int:team_pk>/members/", member.as_view({"get": "list", "post": "create"}), name="members"),
    path(
        "teams/<int:team_pk>/members/<int:pk>/",
        member.as_view({"patch": "partial_update", "delete": "destroy"}),
        name="member",
    ),
    path("workflows/", workflow.as_view({"get": "list", "post": "create"}), name="workflows"),
    path("workflows/import/", workflow.as_view({"post": "import_"}), name="workflows-import"),
    path("workflows/deleted/", workflow.as_view({"get": "deleted"}), name="workflows-deleted"),
    path(
        "workflows/<int:pk>/",
        workflow.as_view({"get": "retrieve", "patch": "partial_update", "delete": "destroy"}),
        name="workflow",
    ),
    path("workflows/<int:pk>/draft/", workflow.as_view({"get": "draft", "put": "draft"}), name="workflow-draft"),
    path("workflows/<int:pk>/duplicate/", workflow.as_view({"post": "duplicate"}), name="workflow-duplicate"),
    path("workflows/<int:pk>/move/", workflow.as_view({"post": "move"}), name="workflow-move"),
    path("workflows/<int:pk>/undelete/", workflow.as_view({"post": "undelete"}), name="workflow-undelete"),
    path("workflows/<int:pk>/export/", workflow.as_view({"get": "export"}), name="workflow-export"),
    path("workflows/<int:pk>/diff/", workflow.as_view({"get": "diff"}), name="workflow-diff"),
    path("workflows/<int:workflow_pk>/versions/", version.as_view({"get": "list", "post": "create"}), name="versions"),
    path("workflows/<int:workflow_pk>/versions/<int:number>/", version.as_view({"get": "retrieve"}), name="version"),
    path(
        "workflows/<int:workflow_pk>/versions/<int:number>/restore/",
        version.as_view({"post": "restore"}),
        name="version-restore",
    ),
    path(
        "workflows/<int:workflow_pk>/sample-inputs/",
        api.SampleInputViewSet.as_view({"get": "list", "post": "create"}),
        name="sample-inputs",
    ),
    path(
        "workflows/<int:workflow_pk>/sample-inputs/<int:pk>/",
        api.SampleInputViewSet.as_view({"delete": "destroy"}),
        name="sample-input",
    ),
    path("validate/", api.ValidateView.as_view(), name="validate"),
    path("dataflow/preview/", api.DataFlowPreviewView.as_view(), name="dataflow-preview"),
]
