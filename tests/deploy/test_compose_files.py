"""The Docker files: the compose files are valid by the Compose specification's JSON schema
(the copy check-jsonschema ships, pinned in requirements-dev.txt), keep to what
docker-compose 1.29 also accepts, and run the bot with a health check and a restart policy
that gives up; the image is pinned, unprivileged and keeps /data."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILES = ("docker-compose.yml", "docker-compose.postgres.yml", "docker-compose.shards.yml")
IMAGE = "study-circle"


def _load(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = YAML(typ="safe").load((ROOT / name).read_text())
    return loaded


def _bot_services(name: str) -> dict[str, dict[str, Any]]:
    services = _load(name)["services"]
    return {key: value for key, value in services.items() if value.get("image") == IMAGE}


def test_the_compose_files_are_valid_by_the_compose_specification() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.compose-spec",
            *(str(ROOT / name) for name in COMPOSE_FILES),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("name", COMPOSE_FILES)
def test_a_compose_file_keeps_to_what_docker_compose_1_29_accepts(name: str) -> None:
    data = _load(name)
    # Newer than the Compose specification of docker-compose 1.29 (Debian 12's).
    assert not {"include", "name"} & set(data)
    for service in data["services"].values():
        assert not isinstance(service.get("env_file"), list | dict) or all(
            isinstance(entry, str) for entry in service["env_file"]
        ), "env_file entries with path/required need Compose 2.24"
        assert "develop" not in service
        for condition in (service.get("depends_on") or {}).values():
            if isinstance(condition, dict):
                assert set(condition) <= {"condition"}, "depends_on options need Compose 2.20"


def test_the_bot_runs_in_every_compose_file_with_a_health_check_and_a_restart_that_stops() -> None:
    for name in ("docker-compose.yml", "docker-compose.shards.yml"):
        services = _bot_services(name)
        assert services, name
        for service in services.values():
            assert service["healthcheck"]["test"] == ["CMD", "study-circle", "health"]
            # unless-stopped or always would restart a bot without a token forever.
            assert re.fullmatch(r"on-failure:[1-9]\d*", service["restart"]), name


def test_the_compose_files_set_only_settings_the_bot_knows() -> None:
    known = {field.alias for field in Settings.model_fields.values()}
    for name in COMPOSE_FILES:
        for service in _bot_services(name).values():
            assert set(service["environment"]) <= known, name
    overlay = _load("docker-compose.postgres.yml")["services"]["bot"]["environment"]
    assert set(overlay) <= known


def test_each_shard_process_owns_its_own_shards_and_all_share_one_proxy() -> None:
    services = _bot_services("docker-compose.shards.yml")
    owned = [int(s["environment"]["SHARD_IDS"]) for s in services.values()]
    [count] = {int(s["environment"]["SHARD_COUNT"]) for s in services.values()}
    assert sorted(owned) == list(range(count))
    assert {s["environment"]["DISCORD_API_BASE"] for s in services.values()} == {
        "http://rest-proxy:8080/api/v10"
    }


def test_the_image_is_pinned_unprivileged_and_keeps_data() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    [base] = re.findall(r"^FROM (\S+)", dockerfile, re.MULTILINE)
    assert re.fullmatch(r"python:3\.11\.\d+-slim-\w+", base), base
    [user] = re.findall(r"^USER (\S+)", dockerfile, re.MULTILINE)
    assert user not in {"root", "0"}
    assert 'VOLUME ["/data"]' in dockerfile
    assert "pip install --require-hashes -r /tmp/requirements.txt" in dockerfile
    assert 'CMD ["study-circle", "health"]' in dockerfile
    assert "STUDY_CIRCLE_IMAGE=1" in dockerfile
    assert "HEALTH_FILE=" in dockerfile
