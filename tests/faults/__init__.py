"""A fault-injection web site on loopback and the hostile corpus it serves.

:mod:`tests.faults.server` answers HTTP requests with the faults a crawler meets on the open web (error
statuses, resets, truncated and oversized bodies, compression bombs, redirect loops and redirects to
private addresses, hostile XML and markup); :mod:`tests.faults.corpus` holds the documents it serves;
:mod:`tests.faults.report` runs the real ``frwatch`` command against it repeatedly and writes
``docs/reliability.md``.
"""

from __future__ import annotations

from tests.faults.server import FaultServer, Hit

__all__ = ["FaultServer", "Hit"]
