from django.conf import settings

YAML = """# orders, as the team writes it
StartAt: Hello
States:
  Hello:   # a comment that must survive
    Type: Pass
    End: true
"""


def put(client, workflow, **body):
    return client.put(f"/api/workflows/{workflow.pk}/draft/", body, format="json")


def test_autosave_keeps_the_text_byte_for_byte(client_for, editor, workflow):
    client = client_for(editor)
    response = put(client, workflow, definition=YAML, layout={"Hello": {"x": 10, "y": 20}}, revision=1)
    assert response.status_code == 200
    assert response.json()["draft"]["revision"] == 2
    assert response.json()["validation_status"] == "valid"
    draft = client.get(f"/api/workflows/{workflow.pk}/").json()["draft"]
    assert draft["definition"] == YAML
    assert draft["layout"] == {"Hello": {"x": 10, "y": 20}}


def test_the_second_of_two_editors_gets_409_with_the_current_draft(client_for, owner, editor, workflow):
    assert put(client_for(owner), workflow, definition=YAML, revision=1).status_code == 200
    late = put(client_for(editor), workflow, definition='{"StartAt": "Other"}', revision=1)
    assert late.status_code == 409
    error = late.json()["error"]
    assert error["code"] == "conflict"
    assert error["details"]["draft"]["definition"] == YAML
    assert error["details"]["draft"]["revision"] == 2
    assert client_for(owner).get(f"/api/workflows/{workflow.pk}/").json()["draft"]["definition"] == YAML


def test_an_invalid_draft_is_saved_with_its_diagnostics(client_for, editor, workflow):
    response = put(client_for(editor), workflow, definition='{"StartAt": "A",', revision=1)
    assert response.status_code == 200
    assert response.json()["validation_status"] == "invalid"
    diagnostic = response.json()["diagnostics"][0]
    assert diagnostic["severity"] == "ERROR"
    assert diagnostic["line"] == 1


def test_a_definition_over_1_mib_is_refused(client_for, editor, workflow):
    huge = '{"Comment": "' + "x" * settings.MAX_DEFINITION_BYTES + '"}'
    response = put(client_for(editor), workflow, definition=huge, revision=1)
    assert response.status_code == 400
    assert "/definition" in response.json()["error"]["details"]["fields"]


def test_a_bad_layout_or_revision_says_where(client_for, editor, workflow):
    bad = put(client_for(editor), workflow, definition=YAML, layout={"Hello": {"x": "left"}}, revision=1)
    assert bad.status_code == 400
    assert "/layout/Hello" in bad.json()["error"]["details"]["fields"]
    no_revision = put(client_for(editor), workflow, definition=YAML)
    assert "/revision" in no_revision.json()["error"]["details"]["fields"]


def test_an_object_definition_is_stored_as_pretty_json(client_for, editor, workflow):
    definition = {"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}
    response = put(client_for(editor), workflow, definition=definition, revision=1)
    assert response.json()["draft"]["definition"].startswith('{\n  "StartAt": "A"')


def test_a_viewer_reads_the_draft_but_cannot_save_it(client_for, viewer, workflow):
    client = client_for(viewer)
    assert client.get(f"/api/workflows/{workflow.pk}/draft/").json()["draft"]["revision"] == 1
    assert put(client, workflow, definition=YAML, revision=1).status_code == 403


def test_an_outsider_gets_404(client_for, outsider, workflow):
    assert put(client_for(outsider), workflow, definition=YAML, revision=1).status_code == 404
    assert client_for(outsider).get(f"/api/workflows/{workflow.pk}/draft/").status_code == 404
