"""Configuration and file errors through the real command: one clear line on stderr, exit code 2, nothing written.

Each case snapshots the folder (every path, size and modification time, and the database's bytes) before
the command and compares after. Most cases run the command in-process (click's runner: the same code,
without a 5 s interpreter start each); read-only and unreadable files run in a subprocess as an
unprivileged user when the tests run as root (root ignores file permissions).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import store
from frwatch.cli import main
from tests.faults.crawl import frwatch_env

NOBODY = 65534
SOURCE = '[[sources]]\nid = "wire"\nspider = "news"\nfeeds = ["https://news.example.org/feed.xml"]\n'


def snapshot(folder: Path) -> dict[str, tuple[int, int, str]]:
    """Every path under ``folder`` with its size, modification time and (for files) content hash."""
    found = {}
    for path in sorted(folder.rglob("*")):
        stat = path.lstat()
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
        found[str(path.relative_to(folder))] = (stat.st_size, stat.st_mtime_ns, digest)
    return found


def run(folder: Path, *args: str, user: int | None = None, subprocess_: bool = False
        ) -> subprocess.CompletedProcess[str]:
    """``frwatch ARGS`` in ``folder``: in a subprocess as ``user`` (through setpriv) when given, else in-process."""
    if user is None and not subprocess_:
        cwd = Path.cwd()
        os.chdir(folder)
        try:
            result = CliRunner().invoke(main, list(args), env={"FRWATCH_CONFIG": None})
        finally:
            os.chdir(cwd)
        return subprocess.CompletedProcess(args, result.exit_code, result.stdout, result.stderr)
    prefix = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups"] if user is not None else []
    return subprocess.run([*prefix, sys.executable, "-m", "frwatch", *args], cwd=folder, capture_output=True,
                          text=True, timeout=120, env=frwatch_env({"HOME": str(folder)}))


def assert_one_line_exit_2_nothing_written(folder: Path, *args: str, expect: str, user: int | None = None,
                                           subprocess_: bool = False) -> None:
    before = snapshot(folder)
    result = run(folder, *args, user=user, subprocess_=subprocess_)
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2, result.stderr
    assert len(lines) == 1 and lines[0].startswith("frwatch: error: ") and expect in lines[0], result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert snapshot(folder) == before, "the command wrote something"


@pytest.fixture
def folder() -> Iterator[Path]:
    """A folder an unprivileged user can reach (pytest's tmp_path is private to root)."""
    path = Path(tempfile.mkdtemp(prefix="frwatch-config-"))
    path.chmod(0o755)
    yield path
    for sub in [path, *path.rglob("*")]:
        if sub.is_dir():
            sub.chmod(0o755)
    shutil.rmtree(path)


def as_unprivileged() -> int | None:
    """The user to run permission cases as: nobody under root (with setpriv), else the current user."""
    if os.geteuid() != 0:
        return None
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: permissions cannot be tried")
    return NOBODY


def test_missing_config_named_on_the_command_line(folder):
    # Once in a real process, to see exactly what a user sees on stderr.
    assert_one_line_exit_2_nothing_written(folder, "--config", "nope.toml", "status", expect="no such config file",
                                           subprocess_=True)


def test_missing_config_named_in_the_environment(folder):
    before = snapshot(folder)
    result = CliRunner().invoke(main, ["status"], env={"FRWATCH_CONFIG": str(folder / "gone.toml")})
    assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1
    assert "no such config file" in result.stderr and snapshot(folder) == before


def test_config_that_is_a_directory(folder):
    (folder / "conf.d").mkdir()
    assert_one_line_exit_2_nothing_written(folder, "--config", "conf.d", "crawl", expect="cannot read config file")


def test_unreadable_config(folder):
    path = folder / "config.toml"
    path.write_text(SOURCE)
    path.chmod(0o000)
    assert_one_line_exit_2_nothing_written(folder, "--config", str(path), "status", expect="cannot read config file",
                                           user=as_unprivileged())


@pytest.mark.parametrize(("text", "expect"), [
    ("[crawl\ndownload_delay = 1\n", "not valid TOML"),
    ('[crawl]\nuser_agent = "caf\udce9"\n', "not UTF-8"),  # a lone byte 0xE9: Latin-1, not UTF-8
    ("[crawl]\nspeed = 3\n", "unknown key [crawl] speed"),
    (SOURCE + "colour = 'red'\n", "unknown key [[sources]] #1 (id 'wire') colour"),
    ("[crawl]\ndownload_timeout = 0\n", "[crawl] download_timeout = 0"),
    (SOURCE.replace('spider = "news"', 'spider = "news"\nschedule = "0 0 31 2 *"'), "never fires"),
    (SOURCE.replace('spider = "news"', 'spider = "news"\nschedule = "every 6 fortnights"'), "schedule"),
    (SOURCE.replace("https://news.example.org/feed.xml", "file:///etc/passwd"), "is not an http(s) URL"),
])
def test_malformed_config_and_unknown_keys(folder, text, expect):
    path = folder / "config.toml"
    path.write_bytes(text.encode("utf-8", errors="surrogateescape"))
    command = "run" if "schedule" in text else "crawl"  # the daemon is where a schedule matters
    assert_one_line_exit_2_nothing_written(folder, "--config", str(path), command, expect=expect)


@pytest.mark.parametrize("command", [["status"], ["search", "face"], ["tag"], ["digest", "--out", "out"], ["serve"]])
def test_missing_data_directory_is_not_created_by_reading_commands(folder, command):
    (folder / "config.toml").write_text('[storage]\ndatabase = "nowhere/deeper/frwatch.db"\n' + SOURCE)
    assert_one_line_exit_2_nothing_written(folder, "--config", "config.toml", *command,
                                           expect="nowhere/deeper")


@pytest.mark.parametrize("command", [["crawl"], ["run"]])
def test_a_missing_data_directory_other_than_the_default_is_not_invented(folder, command):
    (folder / "config.toml").write_text('[storage]\ndatabase = "nowhere/deeper/frwatch.db"\n' + SOURCE)
    assert_one_line_exit_2_nothing_written(folder, "--config", "config.toml", *command,
                                           expect="nowhere/deeper")


def test_data_directory_that_is_a_file(folder):
    (folder / "data").write_text("not a directory")
    (folder / "config.toml").write_text('[storage]\ndatabase = "data/frwatch.db"\n' + SOURCE)
    assert_one_line_exit_2_nothing_written(folder, "--config", "config.toml", "crawl", expect="cannot open database")


@pytest.mark.parametrize("command", [["status"], ["crawl"]])
def test_read_only_data_directory(folder, command):
    data = folder / "data"
    db = store.open_store(data / "frwatch.db")
    store.ensure_source(db, "wire", "news")
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()
    for leftover in data.glob("frwatch.db-*"):
        leftover.unlink()
    (data / "frwatch.db").chmod(0o444)
    data.chmod(0o555)
    (folder / "config.toml").write_text('[storage]\ndatabase = "data/frwatch.db"\n' + SOURCE)
    assert_one_line_exit_2_nothing_written(folder, "--config", "config.toml", *command,
                                           expect="frwatch.db", user=as_unprivileged())
