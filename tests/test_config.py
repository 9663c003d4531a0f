"""config.toml: loading, one-line errors naming the key and the fix, and documentation of every key."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import BaseModel

from frwatch.config import Config, ConfigError, load_config
from tests.conftest import run_frwatch

ROOT = Path(__file__).parent.parent


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text)
    return path


def test_shipped_config_is_valid():
    config = load_config(ROOT / "config.toml")
    assert config.storage.database == (ROOT / "data/frwatch.db").resolve()
    assert config.crawl.allow_private_addresses is False
    assert {s.spider for s in config.sources} >= {"aws_blog", "sec"}


def test_every_field_is_commented_in_config_toml():
    text = (ROOT / "config.toml").read_text()

    def check(name: str, model: type[BaseModel]) -> None:
        header = re.escape(f"[{name}]")
        block = re.search(rf"^{header}\n(.*?)(?=^\[|\Z)", text, re.S | re.M)
        assert block, f"[{name}] missing from config.toml"
        for field, info in model.model_fields.items():
            if isinstance(info.annotation, type) and issubclass(info.annotation, BaseModel):
                check(f"{name}.{field}", info.annotation)  # a nested table such as [digest.smtp]
                continue
            match = re.search(rf"^#[^\n]*\n(# ?{field} =|{field} =)", block.group(1), re.M)
            assert match, f"[{name}] {field} is missing or has no comment above it"

    for name, info in Config.model_fields.items():
        if name != "sources":
            check(name, info.annotation)  # type: ignore[arg-type]
    source_fields = Config.model_fields["sources"].annotation.__args__[0].model_fields  # type: ignore[union-attr]
    for field in source_fields:
        assert re.search(rf"^#\s+{field}\b|^#.*\b{field}\b", text, re.M), f"[[sources]] {field} undocumented"


def test_missing_default_file_means_defaults(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FRWATCH_CONFIG", raising=False)
    assert load_config().sources == []


def test_environment_variable_names_the_file(tmp_path, monkeypatch):
    path = write(tmp_path, '[storage]\ndatabase = "x/y.db"\n')
    monkeypatch.setenv("FRWATCH_CONFIG", str(path))
    assert load_config().storage.database == (tmp_path / "x/y.db").resolve()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[crawl]\nspeed = 3\n", r"unknown key \[crawl\] speed; remove it or use one of: user_agent"),
        ("[crawl]\ndownload_delay = 'fast'\n", r"\[crawl\] download_delay = 'fast': .*number.*expected: Seconds"),
        ("[sec]\nrequests_per_second = 50\n", r"\[sec\] requests_per_second = 50: .*less than or equal to 10"),
        ("[digest]\ntimezone = 'Mars/Olympus'\n", r"\[digest\] timezone = 'Mars/Olympus': use an IANA time zone"),
        ("[digest]\nweekday = 'someday'\n", r"\[digest\] weekday = 'someday': use one of mon"),
        ("[crawl\n", r"not valid TOML"),
        ("[[sources]]\nid = 'a'\nspider = 'rss'\nfeeds = ['https://e.org/f']\n",
         r"\[\[sources\]\] #1 \(id 'a'\) spider = 'rss'"),
        ("[[sources]]\nid = 'a'\nspider = 'news'\nfeeds = ['ftp://e.org/f']\n", r"not an http\(s\) URL"),
        ("[[sources]]\nid = 'a'\nspider = 'news'\nfeeds = ['https://e.org/f']\nschedule = 'often'\n",
         r"schedule = 'often': use \"every 30m\""),
        ("[[sources]]\nid = 'a'\nspider = 'news'\n", r"needs at least one of feeds or sitemaps"),
        ("[[sources]]\nid = 'a'\nspider = 'sec'\ncompanies = [1]\nforms = ['10-Q']\n", r"unknown form"),
        ("[[sources]]\nid='a'\nspider='sec'\ncompanies=[1]\n[[sources]]\nid='a'\nspider='sec'\ncompanies=[2]\n",
         r"source id 'a' is used twice"),
    ],
)
def test_bad_config_is_one_line_naming_key_and_fix(tmp_path, text, expected):
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, text))
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(str(tmp_path / "config.toml"))
    assert re.search(expected, message), message


def test_named_file_must_exist(tmp_path):
    with pytest.raises(ConfigError, match="no such config file"):
        load_config(tmp_path / "nope.toml")


def test_cli_reports_bad_config_in_one_line_with_exit_code_2(tmp_path):
    path = write(tmp_path, "[crawl]\nspeed = 3\n")
    result = run_frwatch("--config", str(path), "status", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "unknown key [crawl] speed" in lines[0]
    assert not (tmp_path / "data").exists()
