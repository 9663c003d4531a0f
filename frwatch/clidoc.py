"""The CLI reference in README.md, generated from the click commands.

``python -m frwatch.clidoc`` rewrites the part of README.md between the ``<!-- cli -->`` markers; a test
fails when the README and the code disagree.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click

from frwatch.cli import main

START, END = "<!-- cli -->", "<!-- /cli -->"


def reference() -> str:
    """Markdown: the help text of ``frwatch`` and of every subcommand."""
    parts = []
    # A fixed width: the reference must not depend on the terminal it was generated in.
    width = 88
    root = click.Context(main, info_name="frwatch", help_option_names=["-h", "--help"],
                         terminal_width=width, max_content_width=width)
    for name in [None, *sorted(main.commands)]:
        command = main if name is None else main.commands[name]
        ctx = root if name is None else click.Context(command, info_name=name, parent=root, terminal_width=width,
                                                      max_content_width=width)
        parts.append(f"### `{ctx.command_path}`\n\n```\n{command.get_help(ctx)}\n```\n")
    return "\n".join(parts)


def update(readme: Path) -> bool:
    """Rewrite the reference in ``readme``; returns whether anything changed."""
    text = readme.read_text(encoding="utf-8")
    new = re.sub(
        rf"{re.escape(START)}.*?{re.escape(END)}", lambda _m: f"{START}\n{reference()}{END}", text, flags=re.S
    )
    if new != text:
        readme.write_text(new, encoding="utf-8")
    return new != text


if __name__ == "__main__":
    changed = update(Path(sys.argv[1] if len(sys.argv) > 1 else "README.md"))
    print("README.md updated" if changed else "README.md already up to date")
