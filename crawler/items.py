"""The item every spider yields: the store's :class:`store.Document` record, used as a Scrapy item.

Scrapy accepts dataclass items through itemadapter, so the crawler and the store share one record
instead of a field-by-field twin.
"""

from __future__ import annotations

from store import Document, FilingFacts

DocumentItem = Document

__all__ = ["DocumentItem", "FilingFacts"]
