"""The ``frwatch`` command line (click). Argument parsing only; the work is in :mod:`frwatch.jobs`."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from frwatch.config import Config, ConfigError, existing_data_directory, load_config

# Wide enough for the tables when output goes to a file or pipe (rich assumes 80 columns there).
console = Console(width=None if sys.stdout.isatty() else 160)


class UserError(click.ClickException):
    """An error the user can fix: printed as one line, exit code 2."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"frwatch: error: {self.format_message()}", err=True)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn the packages' user-facing exceptions into one clean line."""
    from crawler import CrawlConfigError
    from nlp.encoder import EncoderError
    from nlp.evaluate import InputError
    from nlp.heads import HeadsError
    from nlp.lexicon import LexiconError
    from scheduler import DaemonLockedError, PeriodError, ScheduleError, SendError
    from store import StoreError

    try:
        yield
    except (ConfigError, CrawlConfigError, DaemonLockedError, EncoderError, HeadsError, InputError, LexiconError,
            PeriodError, ScheduleError, SendError, StoreError) as exc:
        raise UserError(str(exc)) from exc


def _config(ctx: click.Context) -> Config:
    with user_errors():
        return load_config(ctx.obj.get("config_path"))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    # A plain path: load_config reports a directory or an unreadable file in one line (click would print usage).
    "--config", "config_path", type=click.Path(readable=False), default=None, metavar="FILE",
    help="config.toml to use (default: $FRWATCH_CONFIG, else ./config.toml).",
)
@click.version_option(package_name="frwatch")
@click.pass_context
def main(ctx: click.Context, config_path: str | None) -> None:
    """frwatch: watch news, vendor blogs and SEC filings for face recognition sold to or used by law
    enforcement, and the civil-rights claims about it."""
    ctx.ensure_object(dict)
    ctx.obj["config_path"] = config_path


@main.command()
@click.option("--db", "db_path", type=click.Path(dir_okay=False), default="data/demo.db", show_default=True,
              help="Database to (re)create for the demo.")
@click.option("--digest-dir", type=click.Path(file_okay=False), default="data/demo-digest", show_default=True,
              help="Where the demo digest is written.")
def demo(db_path: str, digest_dir: str) -> None:
    """Run the whole pipeline offline on the bundled demo site and print what it found."""
    from frwatch.demo.run import run_demo

    with user_errors():
        run_demo(Path(db_path), Path(digest_dir), console)


@main.command()
@click.argument("sources", nargs=-1)
@click.pass_context
def crawl(ctx: click.Context, sources: tuple[str, ...]) -> None:
    """Crawl the configured SOURCES (by id; all when none are given) into the store."""
    from frwatch import jobs

    config = _config(ctx)
    with user_errors():
        jobs.crawl(config, list(sources))
        db = jobs.open_db(config)
    from store import last_crawl_runs

    runs = last_crawl_runs(db, limit=len(sources) or len(config.sources))
    _print_runs(runs)
    failed = [run for run in runs if run["status"] == "failed"]
    for run in failed:
        click.echo(f"frwatch: crawl of {run['source_id']} failed: {run.get('error')}", err=True)
    if failed:
        ctx.exit(1)  # the daemon records the job as failed


@main.command()
@click.pass_context
def tag(ctx: click.Context) -> None:
    """Tag every pending document (safe to rerun; only pending documents are read)."""
    from frwatch import jobs

    config = _config(ctx)
    with user_errors():
        existing_data_directory(config.storage.database)
        report = jobs.tag(config)
    click.echo(f"tagged {report.tagged} (requeued for a new model {report.requeued}), failed {report.failed}, "
               f"changed while tagging {report.stale}")


@main.command()
@click.option("--period", default=None,
              help="ISO week, e.g. 2026-W48 (default: the current week for --out, the last full week for --send).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=None,
              help="Write .eml, .html and .txt files into this folder instead of sending (default: data/digest).")
@click.option("--send", is_flag=True, help="Send to the [digest] recipients over [digest.smtp] (once per period).")
@click.option("--force", is_flag=True, help="With --send: send again to recipients who already had this period.")
@click.pass_context
def digest(ctx: click.Context, period: str | None, out_dir: str | None, send: bool, force: bool) -> None:
    """Write the digest of mentions first seen in a period as files, or send it by e-mail."""
    from frwatch import jobs

    if send and out_dir:
        raise UserError("--send and --out exclude each other: send the digest, or write it to files")
    if force and not send:
        raise UserError("--force only applies with --send")
    config = _config(ctx)
    import scheduler

    with user_errors():
        scheduler.parse_period(period, config.digest.timezone)  # a bad --period first, before the store
        existing_data_directory(config.storage.database)
    if not send:
        with user_errors():
            selected, paths = jobs.digest(config, period, Path(out_dir or "data/digest"))
        click.echo(f"{selected.period.name}: {selected.total} mentions → {', '.join(str(p) for p in paths)}")
        return
    with user_errors():
        deliveries = jobs.send_digest(config, period, force)
    for delivery in deliveries:
        detail = f" after {delivery.attempts} attempts: {delivery.error}" if delivery.error else ""
        click.echo(f"{delivery.recipient}: {delivery.outcome}{detail}")
    if any(d.outcome == "failed" for d in deliveries):
        raise UserError("the digest was not delivered to every recipient; it stays due for the next run")


@main.command()
@click.pass_context
def run(ctx: click.Context) -> None:
    """Run the scheduler daemon: crawls, tagging and the weekly digest, until SIGTERM or Ctrl-C."""
    from frwatch import jobs

    config = _config(ctx)
    with user_errors():
        jobs.run(config)


@main.command()
@click.option("--db", "db_path", type=click.Path(dir_okay=False), default=None,
              help="Database to serve (default: [storage] database).")
@click.option("--port", type=int, default=None, help="Port (default: [serve] port).")
@click.pass_context
def serve(ctx: click.Context, db_path: str | None, port: int | None) -> None:
    """Serve the database read-only with Datasette on 127.0.0.1."""
    from frwatch.serve import run_datasette

    config = _config(ctx)
    with user_errors():
        run_datasette(Path(db_path) if db_path else config.storage.database, config.serve, port)


@main.command()
@click.argument("query")
@click.option("--limit", default=20, show_default=True, help="At most this many results.")
@click.option("--db", "db_path", type=click.Path(dir_okay=False), default=None,
              help="Database to search (default: [storage] database).")
@click.pass_context
def search(ctx: click.Context, query: str, limit: int, db_path: str | None) -> None:
    """Full-text search of titles and texts (every word must match; stemmed)."""
    import store

    config = _config(ctx)
    with user_errors():
        db = store.open_store(existing_data_directory(Path(db_path) if db_path else config.storage.database))
    hits = store.search(db, query, limit)
    if not hits:
        click.echo("no matches")
        return
    table = Table("id", "kind", "source", "title", "snippet")
    for hit in hits:
        table.add_row(str(hit.document_id), hit.kind, hit.source_id, hit.title, hit.snippet)
    console.print(table)


@main.command()
@click.option("--db", "db_path", type=click.Path(dir_okay=False), default=None,
              help="Database to report on (default: [storage] database).")
@click.pass_context
def status(ctx: click.Context, db_path: str | None) -> None:
    """Scheduled jobs and their next runs, the last runs, document and tag counts, the last digests."""
    import scheduler
    import store

    config = _config(ctx)
    with user_errors():
        db = store.open_store(existing_data_directory(Path(db_path) if db_path else config.storage.database))
    jobs_table = Table("job", "next run (UTC)", title=f"Scheduled jobs ({config.daemon.jobs_database})")
    for job_id, when in scheduler.next_runs(config.daemon.jobs_database):
        jobs_table.add_row(job_id, when.isoformat(timespec="seconds") if when else "paused")
    if not jobs_table.rows:
        jobs_table.caption = "none: `frwatch run` has not scheduled anything with this configuration"
    console.print(jobs_table)
    runs = Table("job", "started", "finished", "status", "error", title="Last job runs")
    for job_run in store.last_job_runs(db):
        runs.add_row(job_run.job_id, job_run.started, job_run.finished or "", job_run.status, job_run.error or "")
    if not runs.rows:
        runs.caption = "none yet"
    console.print(runs)
    docs = Table("source", "kind", "documents", "pending", title="Documents")
    for source_id, kind, count, pending in store.document_counts(db):
        docs.add_row(source_id, kind, str(count), str(pending))
    console.print(docs)
    tags = Table("label", "positive", "scored", title="Tags")
    for label, positive, scored in store.label_counts(db):
        tags.add_row(label, str(positive), str(scored))
    console.print(tags)
    _print_runs(store.last_crawl_runs(db))
    digests = Table("recipient", "period", "status", "items", "sent", "attempts", "error", title="Last digests")
    for record in store.last_digests(db):
        digests.add_row(record.recipient, record.period, record.status, str(record.items), record.sent or "",
                        str(record.attempts), record.error or "")
    console.print(digests)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--url", default=None, help="URL the page came from (helps relative links and metadata).")
def extract(paths: tuple[str, ...], url: str | None) -> None:
    """Extract article text and metadata from saved .html or .html.gz pages, one JSON line each."""
    import gzip

    from crawler import extract as run_extract

    for path in paths:
        raw = Path(path).read_bytes()
        if path.endswith(".gz"):
            raw = gzip.decompress(raw)
        found = run_extract(raw, url)
        record: dict[str, Any] = {"path": path, "title": None, "author": None, "published": None,
                                  "text": "", "language": None}
        if found is not None:
            record.update(title=found.title, author=found.author, published=found.published,
                          text=found.text, language=found.language)
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")


@main.command()
@click.option("--input", "input_path", required=True, type=click.Path(exists=True, dir_okay=False),
              help='JSON lines {"id", "title", "text"}.')
@click.option("--output", "output_path", required=True, type=click.Path(dir_okay=False),
              help="Where to write one JSON line of scores, decisions and evidence per item.")
@click.option("--threshold-set", type=click.Choice(["balanced", "high_precision"]), default=None,
              help="Decision thresholds (default: [nlp] threshold_set).")
@click.pass_context
def classify(ctx: click.Context, input_path: str, output_path: str, threshold_set: str | None) -> None:
    """Classify items from a JSON-lines file: calibrated scores, decisions and evidence per label."""
    from nlp.evaluate import classify_file

    config = _config(ctx)
    settings = config.nlp.model_copy(update={"threshold_set": threshold_set}) if threshold_set else config.nlp
    with user_errors(), open(output_path, "w", encoding="utf-8") as out:
        count = classify_file(settings, Path(input_path), out)
    click.echo(f"classified {count} items → {output_path}", err=True)


@main.command(name="eval")
@click.argument("input_path", type=click.Path(exists=True, dir_okay=False))
@click.option("--labels", "labels_path", required=True, type=click.Path(exists=True, dir_okay=False),
              help='JSON lines {"id", "facial_recognition": 0|1, "law_enforcement": 0|1, "civil_rights": 0|1}.')
@click.option("--reliability", is_flag=True,
              help="Also print each label's reliability table: per score band, items, mean score, share positive.")
@click.option("--errors", "errors_path", type=click.Path(dir_okay=False), default=None,
              help="Write the wrongly decided items (configured threshold set), most confident first, as JSON lines "
                   "with score, threshold and evidence.")
@click.pass_context
def evaluate(ctx: click.Context, input_path: str, labels_path: str, reliability: bool, errors_path: str | None) -> None:
    """Measure the classifier on labelled items: P/R/F1 at both thresholds, calibration, keyword baseline."""
    from nlp.evaluate import (
        ece_interval,
        f1_interval,
        macro_f1_interval,
        macro_gain_interval,
        writable,
        write_errors,
    )
    from nlp.evaluate import evaluate as run_evaluate

    config = _config(ctx)
    with user_errors():
        if errors_path:
            writable(Path(errors_path))  # before minutes of tagging, not after
        count, reports = run_evaluate(config.nlp, Path(input_path), Path(labels_path))
    table = Table("label", "threshold", "precision", "recall", "F1", "F1 95% interval", "ECE (95% interval)",
                  "keyword P/R/F1",
                  title=f"{count} labelled items")
    for report in reports:
        kw = report.keyword
        keyword = f"{kw.precision:.3f}/{kw.recall:.3f}/{kw.f1:.3f}"
        ece_low, ece_high = ece_interval(report)
        ece = f"{report.ece:.3f} ({ece_low:.3f}–{ece_high:.3f})"
        for name, scores in report.by_threshold.items():
            low, high = f1_interval(report, name)
            table.add_row(report.label, name, f"{scores.precision:.3f}", f"{scores.recall:.3f}", f"{scores.f1:.3f}",
                          f"{low:.3f}–{high:.3f}", ece, keyword)
    console.print(table)
    macro = sum(r.by_threshold["balanced"].f1 for r in reports) / len(reports)
    keyword_macro = sum(r.keyword.f1 for r in reports) / len(reports)
    low, high = macro_f1_interval(reports)
    gain_low, gain_high = macro_gain_interval(reports)
    console.print(f"macro-F1 (balanced) {macro:.3f} (95% interval {low:.3f}–{high:.3f}, bootstrap over items) · "
                  f"keyword baseline {keyword_macro:.3f} · model − keyword {macro - keyword_macro:+.3f} "
                  f"({gain_low:+.3f} to {gain_high:+.3f})")
    if reliability:
        bins = Table("label", "score band", "items", "mean score", "share positive",
                     title="reliability (calibrated: share positive ≈ mean score)")
        for report in reports:
            for b in report.reliability:
                bins.add_row(report.label, f"{b.low:.1f}–{b.high:.1f}", str(b.count), f"{b.mean_probability:.3f}",
                             f"{b.positive_rate:.3f}")
        console.print(bins)
    if errors_path:
        with user_errors():
            rows = write_errors(Path(errors_path), reports)
        click.echo(f"{rows} wrongly decided item-labels → {errors_path}", err=True)


@main.command()
@click.pass_context
def train(ctx: click.Context) -> None:
    """Train the classifier heads on nlp/data (fixed seeds) and write nlp/models/heads.json."""
    from nlp.lexicon import lexicon_version, load_lexicon
    from nlp.train import train as run_train

    config = _config(ctx)
    with user_errors():
        report = run_train(load_lexicon(config.nlp.lexicon_dir), lexicon_version(config.nlp.lexicon_dir),
                           config.nlp.heads_file)
    table = Table("label", "threshold set", "threshold", "precision (cv)", "recall (cv)", "precision (valid)",
                  "recall (valid)", title=f"{report.version} → {report.path}")
    for row in report.rows:
        table.add_row(row["label"], row["threshold_set"], f"{row['value']:.3f}", f"{row['precision']:.3f}",
                      f"{row['recall']:.3f}", f"{row['valid_precision']:.3f}", f"{row['valid_recall']:.3f}")
    console.print(table)


@main.command(name="parse-filing")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--form", default=None, help="The form (e.g. DEF 14A, 8-K) when known; detected otherwise.")
def parse_filing(path: str, form: str | None) -> None:
    """Parse an EDGAR filing document (HTML, text or SGML .txt) and print JSON: a proxy's proposals or an
    8-K's vote results."""
    from crawler.edgar.forms import parse_filing as run_parse

    sys.stdout.write(json.dumps(run_parse(Path(path).read_bytes(), form), ensure_ascii=False, indent=1) + "\n")


def _print_runs(runs: list[dict[str, object]]) -> None:
    table = Table("run", "source", "started", "status", "requests", "new", "updated", "unchanged", "failed",
                  title="Crawl runs")
    for run in runs:
        table.add_row(*(str(run[k]) for k in ("id", "source_id", "started", "status", "requests", "new",
                                               "updated", "unchanged", "failed")))
    console.print(table)


def command_names() -> list[str]:
    """Every subcommand, for the documentation test."""
    return sorted(main.commands)

