"""``frwatch run``: schedules, the lock, jobs that fire, a killed crawl recorded as failed, a restart that
keeps its jobs, a clean stop on SIGTERM — the real daemon in a subprocess, crawling the demo site."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

import scheduler
import store
from frwatch import jobs
from frwatch.config import load_config
from scheduler.daemon import daemon_lock
from tests.smtp_server import smtp_server


def test_crontab_weekdays_mean_what_crontab_means():
    monday_7 = scheduler.trigger_for("0 7 * * 1", "UTC")
    after = datetime(2026, 11, 26, 12, tzinfo=UTC)  # a Thursday
    assert monday_7.get_next_fire_time(None, after) == datetime(2026, 11, 30, 7, tzinfo=UTC)
    sunday = scheduler.trigger_for("0 7 * * 0", "UTC").get_next_fire_time(None, after)
    assert sunday == datetime(2026, 11, 29, 7, tzinfo=UTC)
    weekdays = scheduler.trigger_for("0 7 * * 0-2", "UTC")  # Sunday to Tuesday, across APScheduler's week end
    assert weekdays.get_next_fire_time(None, after) == datetime(2026, 11, 29, 7, tzinfo=UTC)
    digest = scheduler.trigger_for("weekly mon 08:30", "America/New_York").get_next_fire_time(None, after)
    assert digest == datetime(2026, 11, 30, 13, 30, tzinfo=UTC)
    assert scheduler.trigger_for("every 90s", "UTC").interval.total_seconds() == 90  # type: ignore[attr-defined]


@pytest.mark.parametrize("bad", ["0 0 31 2 *", "0 25 * * *", "0 7 * * 8", "0 7 * * */2", "every 0m", "sometimes"])
def test_impossible_schedules_are_refused(bad):
    with pytest.raises(scheduler.ScheduleError, match="schedule"):
        scheduler.check_schedule(bad, "UTC")


def test_the_lock_keeps_a_second_daemon_off(tmp_path):
    database = tmp_path / "x.db"
    with (daemon_lock(database), pytest.raises(scheduler.DaemonLockedError, match=f"pid {os.getpid()}"),
          daemon_lock(database)):
        pass
    with daemon_lock(database):  # released with the first holder
        pass


def write_config(folder: Path, server, schedule: str = "every 3s", smtp_port: int = 1) -> Path:
    outlet = next(o for o in server.site.outlets if o["feed"] != "sitemap")
    path = folder / "config.toml"
    path.write_text(
        f'[storage]\ndatabase = "{folder / "run.db"}"\n\n'
        '[crawl]\nallow_private_addresses = true\ndownload_delay = 0\nlog_level = "ERROR"\n\n'
        '[digest]\nrecipients = ["desk@example.org"]\nsender = "frwatch@example.org"\n\n'
        f'[digest.smtp]\nhost = "127.0.0.1"\nport = {smtp_port}\nsecurity = "none"\nattempts = 1\n\n'
        f'[daemon]\njobs_database = "{folder / "jobs.sqlite"}"\nlog_file = "{folder / "frwatch.log"}"\n'
        "crawl_timeout_minutes = 2\n\n"
        f'[[sources]]\nid = "wire"\nspider = "news"\nfeeds = ["{server.site.feed_url(outlet)}"]\n'
        f'schedule = "{schedule}"\n'
    )
    return path


def start(config: Path, folder: Path) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k != "FRWATCH_CONFIG"} | {"PYTHONWARNINGS": "ignore"}
    return subprocess.Popen([sys.executable, "-m", "frwatch", "--config", str(config), "run"], cwd=folder, env=env,
                            stdout=subprocess.DEVNULL, stderr=open(folder / "stderr.txt", "a"), text=True)


def wait_for(db, sql: str, timeout: float = 90.0) -> tuple:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        row = db.execute(sql).fetchone()
        if row:
            return row
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for: {sql}")


def stop(process: subprocess.Popen[str], patience: float = 90.0) -> int:
    """SIGTERM; after ``patience`` seconds a second SIGTERM, which stops the running jobs too."""
    process.send_signal(signal.SIGTERM)
    try:
        return process.wait(timeout=patience)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGTERM)
        return process.wait(timeout=60)


def test_daemon_fires_survives_a_killed_crawl_and_a_restart(demo_server, tmp_path):
    config = write_config(tmp_path, demo_server)
    daemon = start(config, tmp_path)
    try:
        db = store.open_store(tmp_path / "run.db")
        wait_for(db, "SELECT 1 FROM job_runs WHERE job_id = 'crawl:wire' AND status = 'ok'")
        wait_for(db, "SELECT 1 FROM job_runs WHERE job_id = 'tag' AND status = 'ok'")
        assert db.execute("SELECT count(*) FROM documents WHERE tag_status = 'tagged'").fetchone()[0] > 0

        second = subprocess.run([sys.executable, "-m", "frwatch", "--config", str(config), "run"],
                                capture_output=True, text=True, timeout=60)
        assert second.returncode == 2 and "another frwatch daemon" in second.stderr

        run_id, pid = wait_for(db, "SELECT id, pid FROM job_runs WHERE job_id = 'crawl:wire' "
                                   "AND status = 'running' AND pid IS NOT NULL")
        os.kill(pid, signal.SIGKILL)
        status, error = wait_for(db, f"SELECT status, error FROM job_runs WHERE id = {run_id} AND status != 'running'")
        assert status == "failed" and "SIGKILL" in error
        wait_for(db, f"SELECT 1 FROM job_runs WHERE job_id = 'crawl:wire' AND status = 'ok' AND id > {run_id}")
        assert daemon.poll() is None, "the daemon must outlive a killed job"
    finally:
        assert stop(daemon, patience=3) == 0  # the second SIGTERM stops a tag run still going
    jobs_before = dict(scheduler.next_runs(tmp_path / "jobs.sqlite"))
    assert set(jobs_before) == {"crawl:wire", "digest"}
    assert db.execute("SELECT count(*) FROM job_runs WHERE status = 'running'").fetchone()[0] == 0

    restarted = start(config, tmp_path)
    try:
        deadline = time.monotonic() + 60
        while "job crawl:wire kept" not in (tmp_path / "frwatch.log").read_text() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert "job digest kept" in (tmp_path / "frwatch.log").read_text()
    finally:
        assert stop(restarted) == 0  # one SIGTERM: the crawl that was due runs to its end, then the daemon stops
    assert set(dict(scheduler.next_runs(tmp_path / "jobs.sqlite"))) == {"crawl:wire", "digest"}
    status = subprocess.run([sys.executable, "-m", "frwatch", "--config", str(config), "status"],
                            capture_output=True, text=True, timeout=60)
    assert status.returncode == 0 and "Scheduled jobs" in status.stdout
    for shown in ("crawl:wire", "digest", "killed by SIGKILL", "Last digests"):
        assert shown in status.stdout, shown


def test_digest_job_sends_once_and_records_its_runs(demo_server, tmp_path):
    with smtp_server() as (port, box, _cert):
        config_path = write_config(tmp_path, demo_server, smtp_port=port)
        config = load_config(config_path)
        db = store.open_store(config.storage.database)
        doc = store.Document(url="https://e.org/a", canonical_url="https://e.org/a", source_id="wire", kind="news",
                             title="Police adopt face search", text="Officers ran face searches.",
                             fetched=store.now_utc())
        store.ensure_source(db, "wire", "news")
        store.upsert_document(db, doc)
        last_week = scheduler.parse_period(None, "UTC").previous("UTC")
        db.execute("UPDATE documents SET first_seen = ?", [last_week.start])
        result = store.LabelResult(0.9, True, 0.5, (store.Evidence("Officers ran face searches.", 0.9, 0, 27),))
        store.write_tagging(db, 1, store.Tagging({"facial_recognition": result}, "test"))
        jobs.scheduled_digest(str(config_path))
        jobs.scheduled_digest(str(config_path))  # a coalesced or repeated run sends nothing twice
    assert len(box.messages) == 1 and box.recipients == ["desk@example.org"]
    runs = db.execute("SELECT status FROM job_runs WHERE job_id = 'digest'").fetchall()
    assert runs == [("ok",), ("ok",)]


def test_a_failed_digest_job_is_recorded_and_stays_due(demo_server, tmp_path):
    config_path = write_config(tmp_path, demo_server, smtp_port=1)  # nothing listens on port 1
    jobs.scheduled_digest(str(config_path))
    db = store.open_store(tmp_path / "run.db")
    status, error = db.execute("SELECT status, error FROM job_runs WHERE job_id = 'digest'").fetchone()
    assert status == "failed" and "not delivered" in error
    assert db.execute("SELECT status FROM digests").fetchall() == [("failed",)]
