"""The strip PNG encoder: a valid zlib stream from strips deflated on worker threads, the same pixels as Qt."""

from __future__ import annotations

import errno
import io
import struct
import sys
import threading
import zlib

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter

from desktop.domain import interchange
from desktop.domain.errors import MapError
from desktop.io import images
from desktop.io.embedded import PNG_SIGNATURE
from desktop.io.images import ExportCancelled, ExportOptions, Sheet, export_map
from desktop.io.png import StripEncoder, adler32_combine, chunk, zlib_header
from desktop.resources import sample_map_path


@pytest.fixture
def sample():
    return interchange.loads(sample_map_path().read_bytes())


def png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """(type, data) of every chunk, checking each CRC."""
    assert data[:8] == PNG_SIGNATURE
    chunks, at = [], 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length : at + 12 + length])
        assert crc == zlib.crc32(kind + body), kind
        chunks.append((kind, body))
        at += 12 + length
    return chunks


def scanlines(image: QImage, alpha: bool) -> bytes:
    """What a PNG holds for `image`: each row led by filter byte 0, as QImage converts the pixels."""
    fmt = QImage.Format.Format_RGBA8888 if alpha else QImage.Format.Format_RGB888
    converted = image.convertToFormat(fmt)
    width = image.width() * (4 if alpha else 3)
    bits = bytes(converted.constBits())
    line = converted.bytesPerLine()
    return b"".join(b"\0" + bits[y * line : y * line + width] for y in range(image.height()))


def noisy_image(width: int, height: int, alpha: bool) -> QImage:
    image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent if alpha else QColor("#f8fafc"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    for i in range(0, height, 7):
        painter.setPen(QColor.fromHsv((i * 37) % 360, 200, 200, 255 if not alpha else 90 + i % 160))
        painter.drawEllipse(QRectF(i % width, i, 23.5, 11.25))
    painter.end()
    return image


def encode(image: QImage, strip: int, alpha: bool, level: int = 6, workers: int = 2) -> bytes:
    """`image` through StripEncoder strip by strip, as an IDAT stream (the chunks' data joined)."""
    width, height = image.width(), image.height()
    with StripEncoder(width, height, strip, alpha, level, workers) as encoder:
        for top in range(0, height, strip):
            rows = min(strip, height - top)
            canvas = encoder.canvas()
            canvas.fill(Qt.GlobalColor.black)  # stale pixels below `rows` must not leak into the PNG
            painter = QPainter(canvas)
            painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
            painter.drawImage(0, 0, image.copy(0, top, width, rows))
            painter.end()
            encoder.submit(canvas, rows)
        parts = encoder.finish()
    idat = b""
    for part in parts:
        ((kind, body),) = png_chunks(PNG_SIGNATURE + part)
        assert kind == b"IDAT"
        idat += body
    return idat


@given(st.lists(st.binary(max_size=3000), max_size=6))
def test_adler32_combine_matches_zlib(pieces):
    combined = 1
    for piece in pieces:
        combined = adler32_combine(combined, zlib.adler32(piece), len(piece))
    assert combined == zlib.adler32(b"".join(pieces))


def test_adler32_combine_of_long_pieces():
    first, second = bytes(range(256)) * 1000, b"\xff" * 200_003
    both = adler32_combine(zlib.adler32(first), zlib.adler32(second), len(second))
    assert both == zlib.adler32(first + second)


@pytest.mark.parametrize("level", range(10))
def test_zlib_header_is_valid(level):
    head = zlib_header(level)
    assert (head[0] * 256 + head[1]) % 31 == 0
    raw = zlib.compressobj(level, zlib.DEFLATED, -15)
    body = raw.compress(b"strip" * 100) + raw.flush()
    assert zlib.decompress(head + body + struct.pack(">I", zlib.adler32(b"strip" * 100))) == b"strip" * 100


def test_chunk_joins_its_parts():
    assert chunk(b"IDAT", b"ab", b"", b"c") == chunk(b"IDAT", b"abc")
    assert png_chunks(PNG_SIGNATURE + chunk(b"tEXt", b"k\0v")) == [(b"tEXt", b"k\0v")]


@pytest.mark.parametrize("alpha", [False, True])
@pytest.mark.parametrize(("strip", "workers"), [(10, 1), (10, 2), (13, 3), (200, 2)])
def test_strips_make_one_zlib_stream_of_the_exact_scanlines(qapp, alpha, strip, workers):
    image = noisy_image(97, 101, alpha)
    idat = encode(image, strip, alpha, workers=workers)
    assert zlib.decompress(idat) == scanlines(image, alpha)  # checks the Adler-32 trailer too


def test_an_encoded_png_opens_in_qt_with_the_same_pixels(qapp):
    image = noisy_image(64, 90, alpha=True)
    data = b"".join(
        (
            PNG_SIGNATURE,
            chunk(b"IHDR", struct.pack(">IIBBBBB", 64, 90, 8, 6, 0, 0, 0)),
            chunk(b"IDAT", encode(image, 16, alpha=True)),
            chunk(b"IEND"),
        )
    )
    back = QImage.fromData(data, "PNG")
    assert not back.isNull()
    fmt = QImage.Format.Format_RGBA8888
    assert back.convertToFormat(fmt) == image.convertToFormat(fmt)


def test_rows_must_add_up(qapp):
    with StripEncoder(10, 20, 8, False, 1) as encoder:
        with pytest.raises(ValueError, match="does not fit"):
            encoder.submit(encoder.canvas(), 9)
        encoder.submit(encoder.canvas(), 8)
        with pytest.raises(ValueError, match="8 of 20 rows"):
            encoder.finish()


def strip_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("png-strip")]


def test_a_worker_error_reaches_the_caller_and_the_workers_end(qapp, monkeypatch):
    def broken(self, image, rows, first, last):
        self._canvases.put(image)
        raise zlib.error("disk on fire")

    monkeypatch.setattr(StripEncoder, "_encode", broken)
    with (
        pytest.raises(zlib.error, match="disk on fire"),
        StripEncoder(10, 40, 8, False, 1, workers=2) as encoder,
    ):
        for _ in range(5):
            encoder.submit(encoder.canvas(), 8)
        encoder.finish()
    assert not strip_threads()


def test_cancelling_a_big_export_stops_the_workers(qapp, tmp_path, sample):
    calls = []

    def stop_after_three(done: int, total: int) -> bool:
        calls.append(done)
        return len(calls) < 3

    with pytest.raises(ExportCancelled):
        export_map(sample, tmp_path / "big.png", ExportOptions(scale=4), stop_after_three)
    assert len(calls) == 3
    assert not strip_threads()
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("options", [ExportOptions(scale=1.5), ExportOptions(transparent=True, theme="dark")])
def test_export_in_many_strips_holds_exactly_the_painted_strips(qapp, tmp_path, sample, monkeypatch, options):
    """37-row strips (the last one shorter) through the workers, against the same strips painted and stitched here.

    Not against one whole painted image: Qt's dash stroker starts a dashed
    arrow's pattern differently when the arrow is clipped, so strips and one
    image differ by a few dash ends (as they did before the encoder ran on threads).
    """
    sheet = Sheet(sample, options)
    scale = options.scale
    width, height = sheet.pixel_size(scale)
    strip = 37
    monkeypatch.setattr(images, "STRIP_PIXELS", width * strip)
    out = tmp_path / "strips.png"
    export_map(sample, out, options)
    stitched = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    glue = QPainter(stitched)
    glue.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
    for top in range(0, height, strip):
        rows = min(strip, height - top)
        piece = QImage(width, rows, QImage.Format.Format_ARGB32_Premultiplied)
        piece.fill(Qt.GlobalColor.transparent if options.transparent else QColor(sheet.theme.background))
        painter = QPainter(piece)
        images._smooth(painter)
        painter.translate(0, -top)
        painter.scale(scale, scale)
        sheet.paint(painter, QRectF(0, top / scale, width / scale, rows / scale), background=False)
        painter.end()
        glue.drawImage(0, top, piece)
    glue.end()
    kinds = [kind for kind, _ in png_chunks(out.read_bytes())]
    assert kinds[:4] == [b"IHDR", b"pHYs", b"iTXt", b"tEXt"] and kinds[-1] == b"IEND"
    assert set(kinds[4:-1]) == {b"IDAT"} and len(kinds) - 5 > height // strip
    fmt = QImage.Format.Format_RGBA8888
    assert QImage(str(out)).convertToFormat(fmt) == stitched.convertToFormat(fmt)


@pytest.mark.parametrize("alpha", [False, True])
def test_zlib_ng_and_the_standard_zlib_write_the_same_pixels(monkeypatch, qapp, alpha):
    """zlib-ng is only faster: with or without it, the stream decodes to the same scanlines."""
    from desktop.io import png

    image = noisy_image(97, 61, alpha)
    fast = encode(image, strip=13, alpha=alpha, level=png.FAST_LEVEL)
    monkeypatch.setattr(png, "deflate", zlib)
    plain = encode(image, strip=13, alpha=alpha, level=3)
    assert zlib.decompress(fast) == zlib.decompress(plain) == scanlines(image, alpha)


def test_the_gil_switch_interval_is_back_after_an_encoding_and_after_a_failure(qapp):
    from desktop.io import png

    before = sys.getswitchinterval()
    with StripEncoder(10, 8, 8, False, 1) as encoder:
        assert sys.getswitchinterval() == pytest.approx(min(before, png.SWITCH_INTERVAL))
        encoder.submit(encoder.canvas(), 8)
        encoder.finish()
    assert sys.getswitchinterval() == before
    with pytest.raises(ValueError), StripEncoder(10, 8, 8, False, 1):
        raise ValueError("cancelled")
    assert sys.getswitchinterval() == before


def test_one_worker_per_spare_core(monkeypatch):
    from desktop.io import png

    for cores, workers in [(1, 1), (2, 1), (4, 3), (16, 3)]:
        monkeypatch.setattr(png.os, "sched_getaffinity", lambda _pid, n=cores: set(range(n)))
        assert png.worker_count() == workers


@pytest.mark.parametrize("workers", [1, 3])
def test_strips_written_to_a_sink_arrive_in_order(qapp, workers):
    """The workers write each strip's IDAT chunk to the file as it is encoded, in the image's order."""
    image = noisy_image(97, 101, alpha=False)
    sink = io.BytesIO()
    with StripEncoder(97, 101, 7, False, 6, workers, sink=sink) as encoder:
        for top in range(0, 101, 7):
            rows = min(7, 101 - top)
            canvas = encoder.canvas()
            painter = QPainter(canvas)
            painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
            painter.drawImage(0, 0, image.copy(0, top, 97, rows))
            painter.end()
            encoder.submit(canvas, rows)
        last = encoder.finish()
    chunks = png_chunks(PNG_SIGNATURE + sink.getvalue() + b"".join(last))
    assert len(chunks) == 16 and len(last) == 1 and {kind for kind, _ in chunks} == {b"IDAT"}
    assert zlib.decompress(b"".join(body for _, body in chunks)) == scanlines(image, alpha=False)


def test_a_full_disk_while_strips_are_written_leaves_no_file(qapp, tmp_path, sample, monkeypatch):
    def full(self, sink, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(images, "STRIP_PIXELS", 1)  # 16-row strips: many writes by the workers
    monkeypatch.setattr(StripEncoder, "_sink_write", full)
    with pytest.raises(MapError, match="the disk is full"):
        export_map(sample, tmp_path / "full.png", ExportOptions(scale=1))
    assert not list(tmp_path.iterdir())
    assert not strip_threads()
