def test_a_valid_definition_has_no_errors(client_for, viewer):
    definition = {"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}
    response = client_for(viewer).post("/api/validate/", {"definition": definition}, format="json")
    assert response.status_code == 200
    assert response.json()["valid"] is True


def test_unreadable_text_is_reported_with_line_and_column(client_for, viewer):
    response = client_for(viewer).post("/api/validate/", {"definition": '{\n  "StartAt": [\n}'}, format="json")
    body = response.json()
    assert body["valid"] is False
    assert body["diagnostics"][0]["line"] in (2, 3)
    assert body["diagnostics"][0]["column"] is not None


def test_a_bad_type_is_refused(client_for, viewer):
    response = client_for(viewer).post("/api/validate/", {"definition": "{}", "type": "FAST"}, format="json")
    assert response.status_code == 400
    assert "/type" in response.json()["error"]["details"]["fields"]


def test_it_needs_an_account(client_for):
    assert client_for().post("/api/validate/", {"definition": "{}"}, format="json").status_code == 401
