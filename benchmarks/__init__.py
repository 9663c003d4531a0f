"""Repeatable measurements of frwatch (quality and speed); results are written up in README.md here."""
