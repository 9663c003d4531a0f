"""``frwatch serve``: Datasette over the live store file, read-only, on the configured interface.

Datasette opens mutable files read-only, so it can read while the crawler writes (WAL lets readers
and one writer work together); ``-i`` (immutable) is never used on a file that is being written.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml

from store import ServeSettings, StoreError


def metadata_for(db_path: Path) -> dict[str, Any]:
    """The bundled metadata with its database key renamed to the served file's name."""
    text = files("store").joinpath("datasette/metadata.yml").read_text(encoding="utf-8")
    metadata: dict[str, Any] = yaml.safe_load(text)
    databases = metadata.get("databases", {})
    if "frwatch" in databases:
        databases[db_path.stem] = databases.pop("frwatch")
    return metadata


def datasette_args(db_path: Path, settings: ServeSettings, port: int | None, metadata_file: Path) -> list[str]:
    """Command-line arguments for ``datasette serve``."""
    args = [str(db_path), "--host", settings.host, "--port", str(port or settings.port),
            "--metadata", str(metadata_file), "--setting", "sql_time_limit_ms", "3000"]
    if not settings.allow_csv_stream:
        args += ["--setting", "allow_csv_stream", "off"]
    if not settings.allow_sql:
        args += ["--setting", "default_allow_sql", "off"]
    return args


def run_datasette(db_path: Path, settings: ServeSettings, port: int | None = None) -> None:
    """Replace this process with Datasette serving ``db_path``.

    :raises StoreError: when the database file does not exist
    """
    if not db_path.exists():
        raise StoreError(f"database {db_path} does not exist; run `frwatch crawl` or `frwatch demo` first")
    # Datasette reads the metadata at start-up; the file outlives this process on purpose (exec).
    with tempfile.NamedTemporaryFile("w", suffix=".yml", prefix="frwatch-metadata-", delete=False) as handle:
        yaml.safe_dump(metadata_for(db_path), handle)
    executable = shutil.which("datasette", path=str(Path(sys.executable).parent)) or "datasette"
    args = datasette_args(db_path, settings, port, Path(handle.name))
    print(f"Datasette on http://{settings.host}:{port or settings.port}/ (Ctrl-C to stop)", flush=True)
    os.execv(executable, [executable, "serve", *args])
