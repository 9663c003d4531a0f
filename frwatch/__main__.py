"""``python -m frwatch`` runs the command line."""

from frwatch.cli import main

main()
