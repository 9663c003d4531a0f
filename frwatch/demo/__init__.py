"""The offline demo: a local site of fictional outlets, an AWS-like blog and EDGAR-like endpoints."""

from __future__ import annotations

from frwatch.demo.server import DemoServer, demo_sources

__all__ = ["DemoServer", "demo_sources"]
