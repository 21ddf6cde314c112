from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from designer.views import spa


@extend_schema(exclude=True)
@api_view(["GET"])
@permission_classes([AllowAny])
def api_root(request):
    return Response({"name": "Stepwright", "schema": "/api/schema/", "docs": "/api/docs/"})


urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api_root, name="api-root"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    path("api/", include("designer.urls")),
    path("api/", include("designer.aws.urls")),
    path("api/", include("executor.urls")),
    path("api/", include("triggers.urls")),
    path("", include("sfn.urls")),
    # Everything else belongs to the browser app (client-side routes); /api/ and /static/ never get here.
    re_path(r"^(?!api/|static/|admin/|aws/)(?P<path>.*)$", spa, name="spa"),
]

handler404 = "designer.errors.json_404"
handler500 = "designer.errors.json_500"
