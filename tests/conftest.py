"""Shared fixtures: fresh SQLite files, the demo server, and running the real ``frwatch`` command."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlite_utils

import store
from frwatch.demo import DemoServer

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.db"


@pytest.fixture
def fresh_db(db_path: Path) -> Iterator[sqlite_utils.Database]:
    db = store.open_store(db_path)
    store.ensure_source(db, "src", "news")
    yield db
    db.conn.close()


@pytest.fixture(scope="session")
def demo_server() -> Iterator[DemoServer]:
    with DemoServer() as server:
        yield server


def run_frwatch(*args: str, cwd: Path, env: dict[str, str] | None = None, timeout: int = 300
                ) -> subprocess.CompletedProcess[str]:
    """Run the real command line in a subprocess (Scrapy's reactor runs once per process)."""
    full_env = {k: v for k, v in os.environ.items() if k != "FRWATCH_CONFIG"}
    full_env.update({"PYTHONWARNINGS": "ignore", **(env or {})})
    return subprocess.run(
        [sys.executable, "-m", "frwatch", *args], cwd=cwd, env=full_env, capture_output=True, text=True,
        timeout=timeout,
    )


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """``frwatch demo`` run once for the session in a folder of its own."""
    folder = tmp_path_factory.mktemp("demo")
    result = run_frwatch("demo", cwd=folder)
    return folder, result


def document(url: str = "https://example.org/a", **overrides: object) -> store.Document:
    """A small document for store tests."""
    fields: dict[str, object] = {
        "url": url, "canonical_url": url, "source_id": "src", "kind": "news",
        "title": "County weighs face recognition for deputies",
        "text": "Deputies would compare booking photos with a vendor's matching service.",
        "fetched": "2026-11-20T10:00:00+00:00",
    }
    fields.update(overrides)
    return store.Document(**fields)  # type: ignore[arg-type]
