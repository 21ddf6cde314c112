"""docker-compose.yml cannot run here (no Docker engine), so check that it agrees with the settings."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def test_compose_has_the_services_with_healthchecks_and_volumes():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"postgres", "redis", "web", "worker"} <= set(services)
    for name in ("postgres", "redis", "web", "worker"):
        assert "healthcheck" in services[name], name
    assert {"postgres-data", "redis-data"} <= set(compose["volumes"])
    # web and worker are one image, built from the Dockerfile
    assert services["web"]["build"] == services["worker"]["build"] == "."
    assert (ROOT / "Dockerfile").is_file()


def test_compose_points_the_app_at_its_postgres_and_redis():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    environment = compose["services"]["worker"]["environment"]
    postgres = compose["services"]["postgres"]["environment"]
    expected = f"postgres://{postgres['POSTGRES_USER']}:{postgres['POSTGRES_PASSWORD']}@postgres:5432/{postgres['POSTGRES_DB']}"
    assert environment["DATABASE_URL"] == expected
    assert environment["CELERY_BROKER_URL"].startswith("redis://redis:6379/")
    sources = "".join(
        path.read_text() for folder in ("config", "designer", "executor") for path in (ROOT / folder).rglob("*.py")
    )
    for variable in environment:
        assert f'"{variable}"' in sources, f"{variable} is set by compose but never read"
    assert "celery" in compose["services"]["worker"]["command"]
    assert "runserver" not in str(compose["services"]["web"]["command"])
