import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROBE = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps([s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL]))"
)


def read_settings(tmp_path: Path, **environment: str) -> list[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL"}}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", STEPWRIGHT_VAR_DIR=str(tmp_path), **environment)
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_with_no_variables_it_needs_no_server(tmp_path):
    engine, broker = read_settings(tmp_path)
    assert engine == "django.db.backends.sqlite3"
    assert broker == "filesystem://"
    assert (tmp_path / "broker" / "queue").is_dir()


def test_variables_switch_to_postgres_and_redis(tmp_path):
    engine, broker = read_settings(
        tmp_path, DATABASE_URL="postgres://u@db:5432/x", CELERY_BROKER_URL="redis://cache:6379/0"
    )
    assert engine == "django.db.backends.postgresql"
    assert broker == "redis://cache:6379/0"
