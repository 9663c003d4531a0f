"""Settings of the ``[storage]`` section of config.toml."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field


class StoreSettings(BaseModel):
    """Where the SQLite file lives and how long a writer waits for a lock."""

    model_config = ConfigDict(extra="forbid")

    database: Path = Field(
        default=Path("data/frwatch.db"),
        description="SQLite file holding documents, tags, filings and runs; Datasette serves it.",
    )
    busy_timeout_ms: int = Field(
        default=30_000,
        ge=0,
        description="How long a connection waits for another writer's lock before failing, in ms.",
    )


class ServeSettings(BaseModel):
    """How ``frwatch serve`` runs Datasette over the store."""

    model_config = ConfigDict(extra="forbid")

    host: str = Field(
        default="127.0.0.1",
        description="Interface Datasette listens on; keep 127.0.0.1 unless a proxy in front handles access.",
    )
    port: int = Field(default=8001, ge=1, le=65535, description="Port Datasette listens on.")
    base_url: str = Field(
        default="", description="Public URL of the Datasette instance, used for links in digests; empty for none."
    )
    allow_sql: bool = Field(
        default=True, description="Allow arbitrary SQL queries in Datasette (turn off for a public instance)."
    )
    allow_csv_stream: bool = Field(
        default=True, description="Allow streaming whole tables as CSV (turn off for a public instance)."
    )
