from datetime import timedelta

import pytest
from django.utils import timezone

from designer import services
from designer.models import Workflow
from designer.tasks import purge_deleted_workflows
from tests.integration.conftest import wait_for

pytestmark = pytest.mark.integration


def test_a_real_worker_purges_workflows_deleted_over_30_days_ago(celery_worker_process, owner, team):
    old = services.create_workflow(user=owner, team=team, name="old")
    recent = services.create_workflow(user=owner, team=team, name="recent")
    for workflow in (old, recent):
        services.delete_workflow(user=owner, workflow=workflow)
    Workflow.objects.filter(pk=old.pk).update(deleted_at=timezone.now() - timedelta(days=31))

    purge_deleted_workflows.delay()

    assert wait_for(lambda: not Workflow.objects.filter(pk=old.pk).exists()), "the worker never purged it"
    assert Workflow.objects.filter(pk=recent.pk).exists()
