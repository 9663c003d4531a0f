"""Decoding a downloaded page: which charset its bytes are really in, from its header, its markup or its bytes.

The order follows what browsers do (a byte-order mark wins, then the ``Content-Type`` header, then a
``<meta charset>`` or ``http-equiv`` declaration in the first kilobytes, then a guess), with two
repairs for the mistakes servers make most often:

- a declared charset the bytes do not decode in is not trusted; the next source is tried;
- a declared ISO-8859-1 / windows-1252 on bytes that are valid, non-ASCII UTF-8 means UTF-8 (a server
  default stamped on a UTF-8 page; real windows-1252 prose is practically never valid UTF-8).

ISO-8859-1 and US-ASCII labels are read as windows-1252, as the WHATWG Encoding Standard maps them.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)|<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)""", re.I
)
# Declarations are looked for in the first bytes only, as browsers do (they scan 1024); a little more
# tolerates pages whose head opens with long comments.
_PRESCAN = 4096


def _codec(label: str | bytes | None) -> str | None:
    """Python's codec name for a charset label, windows-1252 for its Latin-1 and ASCII aliases."""
    if not label:
        return None
    text = label.decode("ascii", "ignore") if isinstance(label, bytes) else label
    try:
        name = codecs.lookup(text.strip().lower()).name
    except LookupError:
        return None
    return "cp1252" if name in ("latin-1", "iso8859-1", "ascii") else name


def _decodes(body: bytes, codec: str) -> bool:
    try:
        body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def _trust(body: bytes, codec: str | None) -> str | None:
    """The codec to use for a declared charset, or None when the bytes show the declaration is wrong."""
    if codec is None:
        return None
    if codec == "cp1252" and not body.isascii() and _decodes(body, "utf-8"):
        return "utf-8"
    return codec if _decodes(body, codec) else None


def detect_charset(body: bytes, content_type: str | None = None) -> str:
    """The Python codec the page's bytes are in.

    :param body: the page as downloaded (already decompressed)
    :param content_type: its ``Content-Type`` header, if any
    """
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return codec
    header = _HEADER_CHARSET.search(content_type or "")
    found = _trust(body, _codec(header.group(1)) if header else None)
    if found:
        return found
    meta = _META_CHARSET.search(body[:_PRESCAN])
    found = _trust(body, _codec(meta.group(1) or meta.group(2)) if meta else None)
    if found:
        return found
    if _decodes(body, "utf-8"):
        return "utf-8"
    matches = from_bytes(body[:65536])
    best = matches.best()
    if best is None:
        return "cp1252"
    # charset_normalizer often ties the Western code pages on English text; windows-1252 is what
    # browsers with a Western locale assume, so it wins a tie.
    tied = {_codec(m.encoding) for m in matches if (m.chaos, m.coherence) == (best.chaos, best.coherence)}
    guess = "cp1252" if "cp1252" in tied else _codec(best.encoding)
    return guess if guess and _decodes(body, guess) else "cp1252"


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """The page as text, decoded with :func:`detect_charset`'s choice (undecodable bytes replaced)."""
    return body.decode(detect_charset(body, content_type), errors="replace")
