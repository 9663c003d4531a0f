"""Every command has help text, is documented in the README, and the reference there is current."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from frwatch.cli import command_names, main
from frwatch.clidoc import END, START, reference

README = Path(__file__).parent.parent / "README.md"


def test_every_command_has_help():
    runner = CliRunner()
    for name in command_names():
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0, name
        assert len(main.commands[name].help or "") > 20, f"{name} needs a real help text"


def test_readme_reference_is_generated_from_the_code():
    text = README.read_text()
    section = text[text.index(START) + len(START):text.index(END)]
    assert section.strip() == reference().strip(), "run: .venv/bin/python -m frwatch.clidoc"
    for name in command_names():
        assert f"frwatch {name}" in text


def test_search_and_status_on_an_empty_store(tmp_path):
    runner = CliRunner()
    db = str(tmp_path / "empty.db")
    assert "no matches" in runner.invoke(main, ["search", "face", "--db", db]).output
    result = runner.invoke(main, ["status", "--db", db])
    assert result.exit_code == 0 and "Crawl runs" in result.output


def test_digest_rejects_a_bad_period(tmp_path):
    result = CliRunner().invoke(main, ["digest", "--period", "week 3", "--out", str(tmp_path)])
    assert result.exit_code == 2 and "YYYY-Www" in result.output
