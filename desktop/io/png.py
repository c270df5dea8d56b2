"""A PNG encoder for images painted in horizontal strips: the strips are compressed on worker threads.

Why: exporting a 2,000-channel map at 2× is a 3,200×140,824 px image, and
zlib on its 1.35 GB of scanlines costs more than painting it. So while the
caller paints strip N+1 (on its own thread, as Qt's items expect), workers
turn strip N into PNG scanlines and deflate it, as pigz does: each strip is an
independent raw deflate stream ended by a sync flush, so the streams simply
concatenate, and their Adler-32 checksums combine into the zlib trailer.
Deflate and Adler-32 release the GIL, so two cores are used; PySide's QPainter
calls keep it, so there is one worker per spare core (more only took turns
with the painter) and the GIL changes hands every 0.1 ms while strips are
encoded, not every 5 ms, so the worker is not left waiting behind the painter.
Deflate is zlib-ng's when it is installed (it is pinned in requirements.lock):
the same streams, about three times faster than the standard zlib.

Scanlines are made by drawing the painted ARGB32 strip into an RGB888 (or
RGBA8888) QImage laid over a reused buffer one byte to the right, row stride
width × channels + 1: Qt converts the pixels into place and the byte left
before each row is PNG filter type 0 (None). No filter is used: on flat diagram
colours unfiltered rows compress smaller than Sub or Up, and as fast. The
workers' QPainter only copies pixels between QImages (no text, no fonts),
which Qt supports on any thread.
"""

from __future__ import annotations

import os
import queue
import struct
import sys
import threading
import zlib
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from types import ModuleType, TracebackType
from typing import BinaryIO

from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QImage, QPainter

deflate: ModuleType
try:
    from zlib_ng import zlib_ng as deflate
except ImportError:  # pragma: no cover - the standard zlib writes the same PNG, slower
    deflate = zlib

ADLER_BASE = 65521
# While strips are encoded, how long (s) a thread may keep the GIL when another waits (Python's default: 5 ms).
# The painting thread holds it through every Qt call; a worker needs it for a moment between its C calls
# (deflate, Adler-32), and at 5 ms per wait the workers fell behind the painter.
SWITCH_INTERVAL = 0.0001
# The level for very large images: zlib-ng's 2 is as small as zlib's 1 to 3 and three times faster.
FAST_LEVEL = 2 if deflate is not zlib else 3


def chunk(kind: bytes, *parts: bytes) -> bytes:
    """One PNG chunk: length, type, data (the parts joined), CRC of type and data; one copy of the data."""
    crc = zlib.crc32(kind)
    for part in parts:
        crc = zlib.crc32(part, crc)
    length = sum(len(part) for part in parts)
    return b"".join((struct.pack(">I", length), kind, *parts, struct.pack(">I", crc)))


def adler32_combine(first: int, second: int, second_length: int) -> int:
    """The Adler-32 of two pieces joined, from each piece's checksum (zlib's adler32_combine)."""
    rem = second_length % ADLER_BASE
    low = ((first & 0xFFFF) + (second & 0xFFFF) + ADLER_BASE - 1) % ADLER_BASE
    high = (rem * (first & 0xFFFF) + (first >> 16) + (second >> 16) + ADLER_BASE - rem) % ADLER_BASE
    return (high << 16) | low


def zlib_header(level: int) -> bytes:
    """The two bytes opening a zlib stream: deflate with a 32 KiB window, the level hint, the check bits."""
    hint = 0 if level < 2 else 1 if level < 6 else 2 if level == 6 else 3
    cmf, flg = 0x78, hint << 6
    return bytes((cmf, flg + 31 - (cmf * 256 + flg) % 31))


def worker_count() -> int:
    """One worker per core this process may use besides the painting thread's, at least 1 and at most 3.

    On 2 cores a second worker made the export slower (3.15 s against 2.79 s): the
    three threads took turns with the GIL and a core instead of painting and deflating side by side.
    """
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(3, cores - 1))


class StripEncoder:
    """Compresses painted strips of one PNG into IDAT chunks on worker threads, in order.

    Use as a context manager: `canvas()` lends an ARGB32 premultiplied image
    `strip` rows high to paint into (it blocks while every image is still
    being encoded, which bounds the memory), `submit()` hands it to a
    worker, and `finish()` waits and returns the IDAT chunks. Leaving the
    block early (an error, a cancelled export) drops the queued strips and
    joins the workers.

    With a `sink` (the file being written, its PNG header already in it),
    the workers write each strip's IDAT chunk there as soon as it and the
    strips above it are encoded, so the file is written while the caller
    paints, and `finish()` returns only the last chunk (the zlib trailer).
    """

    def __init__(
        self,
        width: int,
        height: int,
        strip: int,
        alpha: bool,
        level: int,
        workers: int | None = None,
        sink: BinaryIO | None = None,
    ) -> None:
        self.width, self.height, self.strip = width, height, strip
        self.level, self.alpha = level, alpha
        self.format = QImage.Format.Format_RGBA8888 if alpha else QImage.Format.Format_RGB888
        self.stride = width * (4 if alpha else 3) + 1
        self.workers = workers or worker_count()
        self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="png-strip")
        self._canvases: queue.SimpleQueue[QImage] = queue.SimpleQueue()
        self._lent = 0
        self._buffers: queue.SimpleQueue[bytearray] = queue.SimpleQueue()
        for _ in range(self.workers):  # one scanline buffer per running job; filter bytes stay 0
            self._buffers.put(bytearray(self.stride * strip))
        self._jobs: list[tuple[Future[tuple[bytes, int, int]], int]] = []
        self._next_top = 0
        self._sink = sink
        self._sink_lock = threading.Lock()
        self._encoded: dict[int, bytes] = {}  # strips encoded but not written yet, by their index
        self._written = 0  # strips written to the sink
        self._interval = sys.getswitchinterval()
        sys.setswitchinterval(min(self._interval, SWITCH_INTERVAL))

    def __enter__(self) -> StripEncoder:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Drop the strips not started yet and wait for the running ones (a strip takes milliseconds)."""
        try:
            self._pool.shutdown(wait=True, cancel_futures=True)
        finally:
            sys.setswitchinterval(self._interval)

    def canvas(self) -> QImage:
        """An image `strip` rows high to paint the next strip into (not cleared)."""
        if self._lent <= self.workers:  # one per worker and one being painted
            self._lent += 1
            return QImage(self.width, self.strip, QImage.Format.Format_ARGB32_Premultiplied)
        return self._canvases.get()  # every lent image comes back, encoded or failed

    def submit(self, image: QImage, rows: int) -> None:
        """Encode the first `rows` rows of `image` as the next strip of the PNG."""
        top = self._next_top
        if rows <= 0 or rows > self.strip or top + rows > self.height:
            raise ValueError(f"a strip of {rows} rows at row {top} does not fit the {self.height}-row image")
        self._raise_failure()
        self._next_top = top + rows
        job = self._pool.submit(
            self._job, len(self._jobs), image, rows, top == 0, self._next_top == self.height
        )
        self._jobs.append((job, rows))

    def encoded_rows(self) -> int:
        """How many rows are compressed so far (for progress while painting)."""
        return sum(rows for job, rows in self._jobs if job.done())

    def finish(self, progress: Callable[[int], object] | None = None) -> list[bytes]:
        """The IDAT chunks not written to the sink, once every strip is encoded; `progress(encoded_rows())` after each."""
        if self._next_top != self.height:
            raise ValueError(f"{self._next_top} of {self.height} rows were submitted")
        chunks, adler = [], 1
        for job, _ in self._jobs:
            data, checksum, length = job.result()
            if data:
                chunks.append(data)
            adler = adler32_combine(adler, checksum, length)
            if progress is not None:
                progress(self.encoded_rows())
        chunks.append(chunk(b"IDAT", struct.pack(">I", adler)))  # the zlib trailer
        return chunks

    def _raise_failure(self) -> None:
        """Raise a worker's error as soon as the caller hands over more work."""
        for job, _ in self._jobs:
            if job.done() and job.exception() is not None:
                job.result()

    def _job(self, index: int, image: QImage, rows: int, first: bool, last: bool) -> tuple[bytes, int, int]:
        """On a worker: the strip encoded, then written to the sink in order (when there is one)."""
        data, checksum, length = self._encode(image, rows, first, last)
        if self._sink is None:
            return data, checksum, length
        with self._sink_lock:
            self._encoded[index] = data
            while self._written in self._encoded:
                self._sink_write(self._sink, self._encoded.pop(self._written))
                self._written += 1
        return b"", checksum, length

    def _sink_write(self, sink: BinaryIO, data: bytes) -> None:
        """Write one strip's IDAT chunk (under the sink's lock, the strips above it written already)."""
        sink.write(data)

    def _encode(self, image: QImage, rows: int, first: bool, last: bool) -> tuple[bytes, int, int]:
        """On a worker: scanlines of the strip, deflated; its IDAT chunk, Adler-32 and raw length."""
        buffer = self._buffers.get()
        try:
            try:
                target = QImage(memoryview(buffer)[1:], self.width, rows, self.stride, self.format)
                painter = QPainter(target)
                painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
                # Unpremultiplied RGBA exactly as QImage converts it (drawing rounds a few edges by 1).
                source = image.convertToFormat(self.format) if self.alpha else image
                painter.drawImage(QPoint(0, 0), source, QRect(0, 0, self.width, rows))
                painter.end()
                del target, painter, source
            finally:
                self._canvases.put(image)
            raw = memoryview(buffer)[: rows * self.stride]
            compressor = deflate.compressobj(self.level, deflate.DEFLATED, -15)  # raw: no header or trailer
            body = (
                compressor.compress(raw),
                compressor.flush(deflate.Z_FINISH if last else deflate.Z_SYNC_FLUSH),
            )
            head = zlib_header(self.level) if first else b""
            return chunk(b"IDAT", head, *body), deflate.adler32(raw), len(raw)
        finally:
            self._buffers.put(buffer)
