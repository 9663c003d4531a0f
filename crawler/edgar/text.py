"""Filing documents as plain text that keeps their structure.

Proxy statements and 8-Ks put vote counts and item lists in tables; generic article extractors drop
tables or flatten them into one line. Here each block element starts a line and each table row becomes
one line with its cells separated by `` | ``, so later parsers (proposals, vote counts) can read them.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

_BLOCKS = {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "table", "center",
           "blockquote", "pre", "hr", "section", "article", "ul", "ol", "dt", "dd"}
_CELLS = {"td", "th"}


def filing_text(body: bytes | str) -> tuple[str, str]:
    """The title and the text of an HTML (or plain-text) filing document.

    :param body: the primary document as downloaded
    :returns: ``(title, text)``; the title is the HTML ``<title>`` or empty
    """
    raw = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    if "<html" not in raw[:5000].lower() and "<body" not in raw[:20000].lower():
        return "", _tidy(re.sub(r"<[^>]{0,200}>", " ", raw))
    try:
        # Bytes go to lxml as bytes: EDGAR's XHTML documents carry an XML declaration with an encoding,
        # which lxml refuses on an already-decoded string.
        tree = lxml.html.fromstring(body if isinstance(body, bytes) else raw.encode("utf-8"))
    except (etree.ParserError, ValueError):
        return "", _tidy(re.sub(r"<[^>]{0,200}>", " ", raw))
    etree.strip_elements(tree, "script", "style", with_tail=False)
    title = " ".join((tree.findtext(".//title") or "").split())
    parts: list[str] = []

    def walk(node: lxml.html.HtmlElement) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag == "tr":
            # A row is one line whatever blocks its cells hold (EDGAR cells often wrap <p> or <div>).
            cells = [" ".join(cell.text_content().split()) for cell in node.xpath("./td|./th")]
            parts.append("\n" + " | ".join(c for c in cells if c) + "\n")
            return
        if tag in _BLOCKS:
            parts.append("\n")
        elif tag in _CELLS:
            parts.append(" | ")
        if node.text and tag not in ("script", "style"):
            parts.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if tag in _BLOCKS:
            parts.append("\n")

    body_node = tree.find(".//body")
    walk(body_node if body_node is not None else tree)
    return title, _tidy("".join(parts))


_SPACES = re.compile(r"[^\S\n]+")
_PIPES = re.compile(r"(?: ?\| ?){2,}")
_EDGE_PIPES = re.compile(r"^ ?\| ?| ?\| ?$", re.M)
_EDGE_SPACES = re.compile(r"^ +| +$", re.M)


def _tidy(text: str) -> str:
    # Whole-text passes rather than a loop over lines: a 2 MB proxy has ~70,000 lines (benchmarks/edgar_parse.py).
    text = _SPACES.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _EDGE_PIPES.sub("", _PIPES.sub(" | ", _EDGE_SPACES.sub("", text)))
    text = _EDGE_SPACES.sub("", _EDGE_PIPES.sub("", text))
    return re.sub(r"\n{3,}", "\n\n", text).strip()
