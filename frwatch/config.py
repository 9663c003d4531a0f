"""Loading config.toml into the settings models each package owns, with one-line errors.

The file is found from ``--config PATH``, else ``$FRWATCH_CONFIG``, else ``./config.toml``; relative
paths inside it are relative to the file's folder.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from crawler import CrawlSettings, SecSettings, SourceSettings
from nlp import NlpSettings
from scheduler import DaemonSettings, DigestSettings, ScheduleError, check_schedule
from store import ServeSettings, StoreSettings

DEFAULT_PATH = Path("config.toml")


class ConfigError(Exception):
    """The configuration cannot be used; the message is one line naming the key and the fix."""


class Config(BaseModel):
    """The whole of config.toml."""

    model_config = ConfigDict(extra="forbid")

    storage: StoreSettings = Field(default_factory=StoreSettings, description="The SQLite store.")
    crawl: CrawlSettings = Field(default_factory=CrawlSettings, description="Crawling behaviour.")
    sec: SecSettings = Field(default_factory=SecSettings, description="SEC EDGAR fair access.")
    nlp: NlpSettings = Field(default_factory=NlpSettings, description="Tagging.")
    digest: DigestSettings = Field(default_factory=DigestSettings, description="The weekly digest.")
    serve: ServeSettings = Field(default_factory=ServeSettings, description="Datasette.")
    daemon: DaemonSettings = Field(default_factory=DaemonSettings, description="The `frwatch run` daemon.")
    sources: list[SourceSettings] = Field(default_factory=list, description="Watched sources.")
    # Where the configuration was read from (None for built-in defaults): the daemon hands it to the
    # subprocesses it starts.
    _path: Path | None = PrivateAttr(default=None)

    @property
    def path(self) -> Path | None:
        """The file this configuration was loaded from."""
        return self._path

    @model_validator(mode="after")
    def _unique_ids(self) -> Config:
        ids = [s.id for s in self.sources]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"source id {dupes[0]!r} is used twice; give each [[sources]] a unique id")
        return self


def _where(loc: tuple[Any, ...], data: dict[str, Any]) -> str:
    if loc and loc[0] == "sources" and len(loc) > 1 and isinstance(loc[1], int):
        sources = data.get("sources") or []
        ident = sources[loc[1]].get("id") if loc[1] < len(sources) and isinstance(sources[loc[1]], dict) else None
        name = f"[[sources]] #{loc[1] + 1}" + (f" (id {ident!r})" if ident else "")
        rest = ".".join(str(p) for p in loc[2:])
        return f"{name} {rest}".strip()
    if len(loc) >= 2:
        return f"[{loc[0]}] {'.'.join(str(p) for p in loc[1:])}"
    return f"[{loc[0]}]" if loc else "top level"


def _model_at(loc: tuple[Any, ...]) -> type[BaseModel] | None:
    model: type[BaseModel] = Config
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(str(part))
        if field is None:
            return None
        annotation = field.annotation
        args = getattr(annotation, "__args__", None)
        candidate = args[0] if args else annotation
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            model = candidate
        else:
            return None
    return model


def describe_error(error: dict[str, Any], data: dict[str, Any], path: Path) -> str:
    """One line for the first validation error: where, what is wrong, and what to do."""
    loc = tuple(error.get("loc", ()))
    where = _where(loc, data)
    if error.get("type") == "extra_forbidden":
        model = _model_at(loc)
        known = ", ".join(model.model_fields) if model else ""
        return f"{path}: unknown key {where}; remove it or use one of: {known}"
    model = _model_at(loc)
    field = model.model_fields.get(str(loc[-1])) if model and loc else None
    hint = f" (expected: {field.description})" if field and field.description else ""
    message = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
    value = error.get("input")
    shown = f" = {value!r}" if value is not None and not isinstance(value, dict | list) else ""
    return f"{path}: {where}{shown}: {message}{hint}"


def resolve_path(explicit: str | Path | None) -> tuple[Path, bool]:
    """The config file to read and whether the user named it (a named file must exist)."""
    if explicit:
        return Path(explicit), True
    env = os.environ.get("FRWATCH_CONFIG")
    if env:
        return Path(env), True
    return DEFAULT_PATH, False


def load_config(explicit: str | Path | None = None) -> Config:
    """Read and validate the configuration.

    :param explicit: ``--config`` from the command line, if given
    :raises ConfigError: with one line naming the file, the key and the fix
    """
    path, named = resolve_path(explicit)
    if not path.exists():
        if named:
            raise ConfigError(f"{path}: no such config file; check --config / FRWATCH_CONFIG")
        return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config file ({exc.strerror}); check its permissions") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: config file is not UTF-8 text; save it as UTF-8") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}; fix the syntax at that line") from exc
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(describe_error(dict(exc.errors()[0]), data, path)) from exc
    for number, source in enumerate(config.sources, 1):
        try:
            check_schedule(source.schedule, config.digest.timezone)
        except ScheduleError as exc:
            raise ConfigError(f"{path}: [[sources]] #{number} (id {source.id!r}) schedule: {exc}") from exc
    if config.digest.schedule:
        try:
            check_schedule(config.digest.schedule, config.digest.timezone)
        except ScheduleError as exc:
            raise ConfigError(f"{path}: [digest] schedule: {exc}") from exc
    config._path = path.resolve()
    base = path.parent
    for holder, name in ((config.storage, "database"), (config.daemon, "jobs_database"), (config.daemon, "log_file")):
        value = getattr(holder, name)
        if not value.is_absolute():
            setattr(holder, name, (base / value).resolve())
    return config


def prepare_data_directory(config: Config) -> None:
    """Create the default data folder on a first crawl; refuse to invent any other.

    ``data/`` beside the config file is the project's own folder (git ignores it) and a fresh checkout
    has none; a database path the user wrote into a folder that does not exist is more likely a typo
    or an unmounted disk than a wish, and gets one error line instead of a new directory tree.

    :raises ConfigError: the configured database's folder is missing and is not the default one
    """
    folder = config.storage.database.parent
    if folder.is_dir():
        return
    default = ((config.path.parent if config.path else Path.cwd()) / "data").resolve()
    if folder.resolve() != default:
        raise ConfigError(
            f"data directory {folder} for [storage] database does not exist; create it (mkdir -p {folder}) "
            "or fix the path"
        )


def existing_data_directory(database: Path) -> Path:
    """``database``, when its folder exists: commands that only read or tag never create one (``crawl``
    and ``run`` do, through :func:`prepare_data_directory`).

    :raises ConfigError: the folder is missing
    """
    if not database.parent.is_dir():
        raise ConfigError(f"data directory {database.parent} does not exist; run `frwatch crawl` first "
                          "or fix [storage] database")
    return database
