from django.urls import path

from sfn import api, views

urlpatterns = [
    # The Step Functions API (AWS JSON 1.0); point SDKs here with endpoint_url / --endpoint-url.
    path("aws/stepfunctions/", views.endpoint, name="sfn-endpoint"),
    path("aws/stepfunctions", views.endpoint),
    # Access keys for it, per team.
    path(
        "api/teams/<int:team_pk>/access-keys/",
        api.AccessKeyViewSet.as_view({"get": "list", "post": "create"}),
        name="access-keys",
    ),
    path(
        "api/teams/<int:team_pk>/access-keys/<int:pk>/",
        api.AccessKeyViewSet.as_view({"delete": "destroy"}),
        name="access-key",
    ),
]
