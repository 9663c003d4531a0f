"""Settings of the ``[daemon]`` section of config.toml: where ``frwatch run`` keeps its state and how
long it lets a job run."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field


class DaemonSettings(BaseModel):
    """How ``frwatch run`` schedules, bounds and logs its jobs."""

    model_config = ConfigDict(extra="forbid")

    jobs_database: Path = Field(
        default=Path("data/jobs.sqlite"),
        description="SQLite file where the scheduler persists its jobs (relative to this file's folder).",
    )
    log_file: Path = Field(
        default=Path("data/frwatch.log"),
        description="Rotating log file of the daemon (relative to this file's folder); stderr gets the same.",
    )
    log_max_bytes: int = Field(default=5_000_000, ge=10_000, description="Rotate the log file at this size.")
    log_backups: int = Field(default=5, ge=0, le=100, description="Rotated log files kept.")
    crawl_timeout_minutes: float = Field(
        default=120.0, gt=0, le=24 * 60, description="A crawl subprocess still running after this is killed."
    )
    tag_timeout_minutes: float = Field(
        default=120.0, gt=0, le=24 * 60, description="A tag subprocess still running after this is killed."
    )
    tag_after_crawl: bool = Field(default=True, description="Tag pending documents after each crawl.")
    misfire_grace_minutes: float = Field(
        default=30.0, gt=0, le=24 * 60,
        description="A crawl missed while the daemon was down still runs if it is at most this late.",
    )
