"""Security defaults: Datasette on loopback and read-only with switches for a public instance, the SMTP password
only from the environment and never shown, the SEC contact e-mail required, downloads capped, robots obeyed,
private addresses refused."""

from __future__ import annotations

import logging
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner
from datasette.app import Datasette

import store
from crawler import CrawlConfigError, CrawlSettings, SecSettings, SourceSettings, run_crawl
from crawler.runner import scrapy_settings
from frwatch.cli import main
from frwatch.config import Config
from frwatch.serve import datasette_args, metadata_for
from store import ServeSettings
from tests.conftest import document
from tests.smtp_server import free_port

ROOT = Path(__file__).parent.parent
PASSWORD = "s3cret-Pw-7f1c"


def datasette_for(path: Path, settings: ServeSettings) -> Datasette:
    """Datasette configured exactly as ``frwatch serve`` would start it (its --setting pairs)."""
    args = datasette_args(path, settings, None, path.with_suffix(".yml"))
    pairs = {args[i + 1]: args[i + 2] for i, arg in enumerate(args) if arg == "--setting"}
    values = {k: (v not in ("off", "false", "0")) if v in ("on", "off", "true", "false") else int(v)
              for k, v in pairs.items()}
    return Datasette([str(path)], metadata=metadata_for(path), settings=values)


@pytest.fixture
def live_db(tmp_path: Path) -> Path:
    path = tmp_path / "live.db"
    db = store.open_store(path)
    store.ensure_source(db, "src", "news")
    store.upsert_document(db, document())
    db.conn.close()
    return path


def test_serve_defaults_bind_loopback_and_never_immutable(live_db):
    settings = ServeSettings()
    args = datasette_args(live_db, settings, None, live_db.with_suffix(".yml"))
    assert settings.host == "127.0.0.1" and args[args.index("--host") + 1] == "127.0.0.1"
    assert "-i" not in args and "--immutable" not in args
    assert tomllib.loads((ROOT / "config.toml").read_text())["serve"].get("host", "127.0.0.1") == "127.0.0.1"


async def test_datasette_cannot_write_the_live_file(live_db):
    datasette = datasette_for(live_db, ServeSettings())
    refused = await datasette.client.get("/live.json", params={"sql": "delete from documents"})
    assert refused.status_code == 400
    with pytest.raises(Exception, match=r"readonly|read-only|not authorized"):
        await datasette.databases["live"].execute("delete from documents")
    assert not any(q.get("write") for q in metadata_for(live_db)["databases"]["live"]["queries"].values())
    rows = await datasette.client.get("/live/documents.json", params={"_shape": "objects"})
    assert len(rows.json()["rows"]) == 1


async def test_public_instance_switches_turn_off_sql_and_csv_streaming(live_db):
    default = datasette_for(live_db, ServeSettings())
    assert (await default.client.get("/live.json", params={"sql": "select 1"})).status_code == 200
    streamed = await default.client.get("/live/documents.csv", params={"_stream": "on"})
    assert streamed.status_code == 200 and "County weighs" in streamed.text

    public = datasette_for(live_db, ServeSettings(allow_sql=False, allow_csv_stream=False))
    assert (await public.client.get("/live.json", params={"sql": "select 1"})).status_code == 403
    assert (await public.client.get("/live", params={"sql": "select * from documents"})).status_code == 403
    blocked = await public.client.get("/live/documents.csv", params={"_stream": "on", "_size": "1"})
    assert public.setting("allow_csv_stream") is False and blocked.status_code == 400
    # Canned queries (the published views) still work without arbitrary SQL.
    canned = await public.client.get("/live/latest_mentions.json", params={"label": ""})
    assert canned.status_code == 200


def test_smtp_password_is_not_a_config_key(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(f'[digest.smtp]\nusername = "digest"\npassword = "{PASSWORD}"\n')
    result = CliRunner().invoke(main, ["--config", str(path), "status"])
    assert result.exit_code == 2 and "unknown key [digest] smtp.password" in result.stderr
    assert PASSWORD not in result.stderr and PASSWORD not in result.stdout


def test_smtp_password_from_the_environment_is_never_shown_or_logged(tmp_path, caplog):
    port = free_port()  # nothing listens: every attempt fails and is logged and recorded
    path = tmp_path / "config.toml"
    path.write_text(
        f'[storage]\ndatabase = "{tmp_path / "d.db"}"\n[digest]\nrecipients = ["desk@example.org"]\n'
        f'[digest.smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\nusername = "digest"\n'
        "attempts = 2\nbackoff_seconds = 0\ntimeout_seconds = 2\n"
    )
    env = {"FRWATCH_SMTP_PASSWORD": PASSWORD}
    with caplog.at_level(logging.DEBUG):
        sent = CliRunner().invoke(main, ["--config", str(path), "digest", "--send", "--period", "2026-W47"], env=env)
        status = CliRunner().invoke(main, ["--config", str(path), "status"], env=env)
    assert sent.exit_code == 2 and "failed" in sent.stdout
    assert status.exit_code == 0 and "desk@example.org" in status.stdout
    shown = sent.stdout + sent.stderr + status.stdout + status.stderr + caplog.text
    assert PASSWORD not in shown
    database = (tmp_path / "d.db").read_bytes() + b"".join(p.read_bytes() for p in tmp_path.glob("d.db-*"))
    assert PASSWORD.encode() not in database
    assert "password" not in Config.model_json_schema()["$defs"]["SmtpSettings"]["properties"]


def test_sec_crawl_requires_a_contact_email(tmp_path):
    source = SourceSettings(id="edgar", spider="sec", companies=[1018724])
    with pytest.raises(CrawlConfigError, match="contact e-mail"):
        run_crawl(CrawlSettings(), SecSettings(user_agent="frwatch research"), [source], tmp_path / "x.db")
    assert SecSettings(user_agent="Jane Doe jane@example.org").contact_email() == "jane@example.org"


def test_crawl_defaults_cap_downloads_obey_robots_and_refuse_private_addresses(tmp_path):
    settings = scrapy_settings(CrawlSettings(), SecSettings(), tmp_path / "x.db", 1000)
    assert settings.getbool("ROBOTSTXT_OBEY") is True
    assert settings.getint("DOWNLOAD_MAXSIZE") == 10 * 1024 * 1024
    assert settings.getbool("FRWATCH_ALLOW_PRIVATE_ADDRESSES") is False
    assert "crawler.middlewares.PrivateAddressMiddleware" in settings.getdict("DOWNLOADER_MIDDLEWARES")
    shipped = tomllib.loads((ROOT / "config.toml").read_text())["crawl"]
    assert shipped["obey_robots"] is True and shipped["allow_private_addresses"] is False
    assert 0 < shipped["max_download_mb"] <= 50


def test_dns_answers_are_checked_again_at_connect_time():
    """DNS rebinding: the middleware's lookup and the connection's are two lookups; the reactor's
    resolver refuses a non-public answer on the second one too (no traffic leaves the machine)."""
    from twisted.internet.error import DNSLookupError

    from crawler.resolver import PublicOnlyResolver

    settings = scrapy_settings(CrawlSettings(), SecSettings(), Path("x.db"), 1000)
    assert settings["TWISTED_DNS_RESOLVER"] == "crawler.resolver.PublicOnlyResolver"
    for address in ("127.0.0.1", "10.1.2.3", "169.254.169.254", "192.168.0.7", "::1", "0.0.0.0"):
        with pytest.raises(DNSLookupError, match="non-public"):
            PublicOnlyResolver._public_only(address, "rebound.example")
    assert PublicOnlyResolver._public_only("93.184.216.34", "example.org") == "93.184.216.34"
    # An address written as such is the middleware's to judge (or a configured proxy's): not a lookup.
    assert PublicOnlyResolver._public_only("127.0.0.1", "127.0.0.1") == "127.0.0.1"
