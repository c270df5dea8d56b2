"""Maps carried inside exported images: read them back from a PNG text chunk or an SVG `<metadata>`.

An exported PNG or SVG holds the map's interchange JSON, so a picture pasted
around a company can be opened again as a map (`import EXPORTED.png --into
M.distarch`). Reading needs no Qt: PNG chunks are parsed with `struct` and
`zlib` (a compressed chunk is inflated with a size cap, so a crafted file
cannot exhaust memory) and SVG with defusedxml (no entity expansion, no DTD
tricks). `import` stays headless and quick to start.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

from desktop.domain import interchange
from desktop.domain.errors import MapError
from desktop.domain.model import ArchitectureMap

EMBED_KEY = "distribution-architecture"
SVG_NAMESPACE = "urn:distribution-architect:map"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_TEXT = interchange.MAX_BYTES
MAX_SVG_BYTES = 256 * 1024 * 1024


def read_embedded_map(path: str | Path) -> ArchitectureMap:
    """The map inside an exported PNG or SVG; MapError when the file holds none or is damaged."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".png":
        text = png_text(path)
    elif suffix == ".svg":
        text = svg_text(path)
    else:
        raise MapError(f"{path.name}: only exported .png and .svg images can hold a map")
    if text is None:
        raise MapError(f"{path.name} holds no Distribution Architect map")
    try:
        return interchange.loads(text)
    except MapError as exc:
        where = f"{path.name} (embedded map): {exc.where}" if exc.where else f"{path.name} (embedded map)"
        raise MapError(exc.message, where) from None


def png_text(path: Path, key: str = EMBED_KEY) -> str | None:
    """The text stored under `key` in a PNG's tEXt, zTXt or iTXt chunk, or None."""
    with open(path, "rb") as handle:
        if handle.read(8) != PNG_SIGNATURE:
            raise MapError(f"{path.name} is not a PNG image")
        while True:
            head = handle.read(8)
            if len(head) < 8:
                return None
            length, kind = struct.unpack(">I4s", head)
            if kind == b"IEND":
                return None
            if kind not in (b"tEXt", b"zTXt", b"iTXt"):
                handle.seek(length + 4, 1)
                continue
            if length > MAX_TEXT:
                raise MapError(f"{path.name}: a text chunk is larger than {MAX_TEXT // (1024 * 1024)} MB")
            data = handle.read(length)
            handle.seek(4, 1)  # CRC
            if len(data) < length:
                raise MapError(f"{path.name} is cut short")
            found = _chunk_text(kind, data, key, path.name)
            if found is not None:
                return found


def _chunk_text(kind: bytes, data: bytes, key: str, name: str) -> str | None:
    keyword, sep, rest = data.partition(b"\0")
    if not sep or keyword.decode("latin-1") != key:
        return None
    if kind == b"tEXt":
        return rest.decode("latin-1")
    if kind == b"zTXt":
        return _inflate(rest[1:], name).decode("latin-1")
    if len(rest) < 2:
        raise MapError(f"{name}: a damaged iTXt chunk")
    compressed, method = rest[0], rest[1]
    _language, _, rest = rest[2:].partition(b"\0")
    _translated, _, text = rest.partition(b"\0")
    if compressed:
        if method != 0:
            raise MapError(f"{name}: an unknown compression in an iTXt chunk")
        text = _inflate(text, name)
    try:
        return text.decode("utf-8")
    except UnicodeDecodeError:
        raise MapError(f"{name}: the embedded map is not UTF-8 text") from None


def _inflate(data: bytes, name: str) -> bytes:
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(data, MAX_TEXT + 1)
    except zlib.error:
        raise MapError(f"{name}: the embedded map is damaged") from None
    if len(out) > MAX_TEXT or inflater.unconsumed_tail:
        raise MapError(f"{name}: the embedded map is larger than {MAX_TEXT // (1024 * 1024)} MB")
    return out


def svg_text(path: Path) -> str | None:
    """The map JSON inside an SVG's `<metadata>`, or None."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    if path.stat().st_size > MAX_SVG_BYTES:
        raise MapError(f"{path.name} is larger than {MAX_SVG_BYTES // (1024 * 1024)} MB")
    try:
        root = fromstring(path.read_bytes())
    except (ParseError, DefusedXmlException) as exc:
        raise MapError(f"{path.name} is not a readable SVG drawing ({exc})") from None
    found = root.find(f".//{{{SVG_NAMESPACE}}}map")
    if found is None or not (found.text or "").strip():
        return None
    return found.text
