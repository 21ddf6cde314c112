from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema


def test_the_schema_renders_and_is_valid_openapi(client_for, owner):
    response = client_for(owner).get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    assert "/api/workflows/{id}/draft/" in schema["paths"]
    assert "bearerToken" in schema["components"]["securitySchemes"]


def test_the_docs_page_is_served_without_a_cdn(client_for, owner):
    page = client_for(owner).get("/api/docs/")
    assert page.status_code == 200
    assert b"/static/drf_spectacular_sidecar/" in page.content
