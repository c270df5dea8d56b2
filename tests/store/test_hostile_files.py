"""Nothing let in: damaged and hostile `.distarch` files, opened by the CLI and by the window.

Every file of the corpus (made here) is either refused with one clear line or
opened safely; a refused file keeps every byte and gets no -wal/-shm beside
it; the CLI exits 2 without a traceback; the window shows a dialog and keeps
the map it had.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.domain import interchange
from desktop.domain.errors import MapError
from desktop.resources import sample_map_path
from desktop.store.document import MapDocument, write_new_file
from desktop.store.safety import FileRefused
from desktop.store.tables import APPLICATION_ID
from tests.document.crash_worker import big_map

REPO = Path(__file__).resolve().parents[2]
PAGE = 4096


def _ours(path: Path, arch=None) -> Path:
    write_new_file(path, arch or interchange.loads(sample_map_path().read_bytes()))
    return path


def _sql(path: Path, *statements: str, params: tuple = ()) -> None:
    conn = sqlite3.connect(str(path), isolation_level=None)
    try:
        for statement in statements:
            conn.execute(statement, params if "?" in statement else ())
    finally:
        conn.close()


def _truncate(path: Path, size_of) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: size_of(len(data))])


def _corrupt_page(path: Path) -> None:
    data = bytearray(path.read_bytes())
    pages = len(data) // PAGE
    page = pages // 2
    rng = random.Random(5)
    data[page * PAGE : (page + 1) * PAGE] = bytes(rng.randrange(256) for _ in range(PAGE))
    path.write_bytes(bytes(data))


def _tamper_schema(path: Path, how: str) -> None:
    conn = sqlite3.connect(str(path), isolation_level=None)
    try:
        conn.execute("PRAGMA writable_schema=ON")
        if how == "columns":
            conn.execute(
                "UPDATE sqlite_schema SET sql = replace(sql, 'notes TEXT NOT NULL', "
                "'notes TEXT NOT NULL, evil TEXT GENERATED ALWAYS AS (hex(name)) VIRTUAL') "
                "WHERE name = 'channel'"
            )
        elif how == "rootpages":
            pages = dict(conn.execute("SELECT name, rootpage FROM sqlite_schema WHERE type='table'"))
            conn.execute("UPDATE sqlite_schema SET rootpage=? WHERE name='channel'", (pages["flow"],))
            conn.execute("UPDATE sqlite_schema SET rootpage=? WHERE name='flow'", (pages["channel"],))
        elif how == "garbage":
            conn.execute("UPDATE sqlite_schema SET sql = 'CREATE TABLE channel(' WHERE name = 'channel'")
        elif how == "view":
            conn.execute(
                "UPDATE sqlite_schema SET type='view', sql='CREATE VIEW channel AS SELECT 1' "
                "WHERE name = 'setting'"
            )
        conn.execute("PRAGMA writable_schema=OFF")
    finally:
        conn.close()


def build(folder: Path) -> dict[str, Path]:
    """The corpus: name -> file. Names in OPENS open safely; every other one must be refused."""
    files: dict[str, Path] = {}
    templates: dict[int, Path] = {}

    def ours(name: str, arch=None) -> Path:
        """A map of ours (the sample, or `arch`): written once per map, then copied byte for byte."""
        key = id(arch)
        if key not in templates:
            templates[key] = _ours(folder / f"template-{len(templates)}.distarch", arch)
        files[name] = folder / f"{name}.distarch"
        shutil.copyfile(templates[key], files[name])
        return files[name]

    def raw(name: str, data: bytes) -> None:
        files[name] = folder / f"{name}.distarch"
        files[name].write_bytes(data)

    many = big_map(300)
    _truncate(ours("truncated-to-header", many), lambda n: 100)
    _truncate(ours("truncated-half", many), lambda n: n // 2)
    _truncate(ours("truncated-minus-one-page", many), lambda n: n - PAGE)
    _truncate(ours("truncated-mid-page", many), lambda n: n - PAGE // 2)
    raw("zero-length", b"")
    raw("random-bytes", random.Random(1).randbytes(64 * 1024))
    raw("text-file", b"This is a shopping list, not a map.\nmilk\neggs\n")
    raw("sqlite-header-only", b"SQLite format 3\x00" + bytes(84))
    for name, app_id in (("other-app-no-id", 0), ("other-app-with-id", 0x12345678)):
        files[name] = folder / f"{name}.distarch"
        _sql(files[name], "CREATE TABLE contacts(name TEXT)", f"PRAGMA application_id={app_id}")
    _sql(ours("ours-app-id-no-schema", big_map(1)), "PRAGMA user_version=0")
    _sql(ours("added-trigger"), "CREATE TRIGGER t AFTER INSERT ON channel BEGIN DELETE FROM flow; END")
    _sql(ours("added-view"), "CREATE VIEW v AS SELECT * FROM channel")
    _sql(ours("added-table"), "CREATE TABLE extra(x)")
    _sql(ours("added-index"), "CREATE INDEX ix_extra ON channel(notes)")
    _sql(ours("newer-version"), "PRAGMA user_version=99")
    _sql(
        ours("huge-notes"),
        "UPDATE channel SET notes=? WHERE id=(SELECT min(id) FROM channel)",
        params=("x" * 20_000_000,),
    )
    _corrupt_page(ours("page-corrupted", big_map(600)))
    for how in ("columns", "rootpages", "garbage", "view"):
        _tamper_schema(ours(f"schema-lies-{how}", many), how)
    _sql(ours("bad-layer"), "UPDATE channel SET layer='bogus' WHERE id=(SELECT min(id) FROM channel)")
    _sql(ours("duplicate-names"), "UPDATE channel SET name=(SELECT min(name) FROM channel)")
    _sql(ours("negative-spend"), "UPDATE channel SET monthly_spend=-5")
    _sql(ours("infinite-x"), "UPDATE channel SET x=9e999")
    _sql(ours("blob-name"), "UPDATE channel SET name=x'00ff00' WHERE id=(SELECT min(id) FROM channel)")
    _sql(ours("nul-in-notes"), "UPDATE channel SET notes='a' || char(0) || 'b'")
    _sql(
        ours("dangling-flow"),
        "PRAGMA foreign_keys=OFF",
        "UPDATE flow SET target='nowhere' WHERE id=(SELECT min(id) FROM flow)",
    )
    _sql(ours("self-flow"), "UPDATE flow SET target=source WHERE id=(SELECT min(id) FROM flow)")
    files["folder"] = folder / "folder.distarch"
    files["folder"].mkdir()
    files["fifo"] = folder / "fifo.distarch"
    os.mkfifo(files["fifo"])
    files["device-link"] = folder / "device-link.distarch"
    files["device-link"].symlink_to("/dev/zero")
    ours("thousands-of-channels", big_map(2000))
    ours("older-schema", big_map(20))
    write_new_file(files["older-schema"], big_map(20), overwrite=True, schema_version=1)
    for template in templates.values():
        template.unlink()
    return files


OPENS = {"thousands-of-channels", "older-schema"}
NAMES = [
    "truncated-to-header", "truncated-half", "truncated-minus-one-page", "truncated-mid-page",
    "zero-length", "random-bytes", "text-file", "sqlite-header-only", "other-app-no-id",
    "other-app-with-id", "ours-app-id-no-schema", "added-trigger", "added-view", "added-table",
    "added-index", "newer-version", "huge-notes", "page-corrupted", "schema-lies-columns",
    "schema-lies-rootpages", "schema-lies-garbage", "schema-lies-view", "bad-layer", "duplicate-names",
    "negative-spend", "infinite-x", "blob-name", "nul-in-notes", "dangling-flow", "self-flow",
    "folder", "fifo", "device-link",
]  # fmt: skip


def digest(path: Path) -> str:
    if not path.is_file():
        return path.is_dir() and "dir" or "special"
    return hashlib.sha256(path.read_bytes()).hexdigest()


def side_files(path: Path) -> list[str]:
    return [s for s in ("-wal", "-shm", "-journal") if Path(f"{path}{s}").exists()]


# Every file goes through the CLI code of `main.py score F` in a child process forked from a
# server that imported the app once (a fresh interpreter per file would cost ~1 s of imports
# each); a sample also runs as a real `python main.py score F`, to show the two are the same.
EXEC_SAMPLE = ("random-bytes", "added-trigger", "huge-notes")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, fork_server):
    folder = tmp_path_factory.mktemp("hostile")
    outputs = tmp_path_factory.mktemp("cli-output")
    started = time.monotonic()
    files = build(folder)
    built = time.monotonic() - started
    hashes = {name: digest(path) for name, path in files.items()}
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")

    def real_cli(name: str):
        return subprocess.run(
            [sys.executable, "main.py", "score", str(files[name])],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
        )

    with ThreadPoolExecutor(max_workers=2) as pool:
        running = {name: pool.submit(real_cli, name) for name in EXEC_SAMPLE}
        cli = {}
        for name in [*NAMES, *OPENS]:
            began = time.monotonic()
            result = fork_server.cli(["score", str(files[name])], outputs / name)
            cli[name] = CliResult(result.returncode, result.stdout, result.stderr, time.monotonic() - began)
        executed = {name: future.result() for name, future in running.items()}
    yield {"files": files, "hashes": hashes, "cli": cli, "exec": executed, "built": built}


@dataclass
class CliResult:
    returncode: int
    stdout: str
    stderr: str
    seconds: float


def test_the_corpus_is_what_it_claims(corpus):
    files = corpus["files"]
    assert set(files) == set(NAMES) | OPENS
    check = sqlite3.connect(f"file:{files['page-corrupted']}?mode=ro&immutable=1", uri=True)
    try:
        assert check.execute("PRAGMA quick_check").fetchall() != [("ok",)]
    except sqlite3.DatabaseError:
        pass  # "database disk image is malformed": failing quick_check outright
    finally:
        check.close()
    assert files["huge-notes"].stat().st_size > 20_000_000
    check = sqlite3.connect(f"file:{files['other-app-with-id']}?mode=ro&immutable=1", uri=True)
    try:
        assert check.execute("PRAGMA application_id").fetchone()[0] not in (0, APPLICATION_ID)
    finally:
        check.close()


def _one_clear_line(result, path: Path) -> None:
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.stderr and "unexpected error" not in result.stderr
    assert path.name in lines[0]
    assert result.stdout == ""


@pytest.mark.parametrize("name", NAMES)
def test_the_cli_refuses_with_one_line(corpus, name):
    result = corpus["cli"][name]
    path = corpus["files"][name]
    _one_clear_line(result, path)
    assert result.seconds < 20
    assert digest(path) == corpus["hashes"][name]
    assert side_files(path) == []


@pytest.mark.parametrize("name", EXEC_SAMPLE)
def test_the_cli_as_its_own_interpreter_says_the_same(corpus, name):
    result = corpus["exec"][name]
    _one_clear_line(result, corpus["files"][name])
    assert result.stderr == corpus["cli"][name].stderr


@pytest.mark.parametrize("name", sorted(OPENS))
def test_the_cli_opens_what_is_safe(corpus, name):
    result = corpus["cli"][name]
    assert result.returncode == 0, result.stderr
    assert "Coherence score" in result.stdout


@pytest.mark.parametrize("name", NAMES)
def test_the_store_refuses_without_writing(corpus, name):
    path = corpus["files"][name]
    for read_only in (False, True):
        with pytest.raises(FileRefused) as refused:
            MapDocument.open(path, read_only=read_only)
        message = str(refused.value)
        assert "\n" not in message and path.name in message and len(message) < 300
    assert digest(path) == corpus["hashes"][name]
    assert side_files(path) == []


@pytest.fixture(scope="module")
def window(qapp, tmp_path_factory):
    from desktop.app import MainWindow

    folder = tmp_path_factory.mktemp("window-home")
    previous = _ours(folder / "previous.distarch")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DISTARCH_CONFIG_HOME", str(folder / "config"))
        w = MainWindow(previous)
        w.show()
        yield w, previous
        w.close()
        w.deleteLater()
        QApplication.processEvents()


def _problem_boxes(w) -> list[QMessageBox]:
    return [b for b in w.findChildren(QMessageBox, "problemDialog") if b.isVisible()]


@pytest.fixture
def clean_window(window):
    """The shared window, with no dialog left open by an earlier test."""
    yield window
    for box in _problem_boxes(window[0]):
        box.close()
    QApplication.processEvents()


@pytest.mark.parametrize("name", NAMES)
def test_the_window_shows_a_dialog_and_keeps_its_map(corpus, clean_window, name):
    w, previous = clean_window
    path = corpus["files"][name]
    before = w.session.map.copy()
    assert w.open_path(path) is False
    boxes = _problem_boxes(w)
    assert len(boxes) == 1
    assert path.name in boxes[0].text() and "\n" not in boxes[0].text()
    assert w.session.repository.path == previous.absolute()
    assert w.session.map.same_content(before)
    assert not w.session.read_only
    assert digest(path) == corpus["hashes"][name]
    assert side_files(path) == []


@pytest.mark.parametrize("name", sorted(OPENS))
def test_the_window_opens_what_is_safe(corpus, clean_window, name):
    w, previous = clean_window
    path = corpus["files"][name]
    started = time.monotonic()
    assert w.open_path(path) is True
    assert time.monotonic() - started < 20
    assert w.session.repository.path == path.absolute()
    assert len(w.session.map) > 0
    assert w.open_path(previous) is True


def test_an_older_schema_read_only_stays_as_it_is(tmp_path):
    """Reading an older file (the CLI does) neither migrates it nor leaves files beside it."""
    path = tmp_path / "old.distarch"
    write_new_file(path, big_map(20), schema_version=1)
    before = digest(path)
    with MapDocument.open(path, read_only=True) as doc:
        assert doc.schema_version == 1
        assert len(doc.load()) == 20
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.distarch"]


# --- bad input everywhere: the JSON importer ---------------------------------------------------------
JSON_LEAVES = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=10**300, max_value=10**400)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=40)
    | st.sampled_from(["capture", "ROUTING", " execution ", "feedback", "", "c1", "c2", "1e999", "-5", "NaN"])
)
JSON_VALUES = st.recursive(
    JSON_LEAVES,
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=25,
)
FIELDS = [
    "id", "name", "layer", "function", "tool", "segment", "motion", "message",
    "monthly_spend", "leads_per_month", "notes", "x", "y", "source", "target", "rule", "label",
]  # fmt: skip


def _accepts_or_refuses(data) -> None:
    try:
        interchange.loads(data) if isinstance(data, str | bytes) else interchange.from_dict(data)
    except MapError:
        pass


FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(JSON_VALUES)
def test_any_json_is_imported_or_refused_with_a_map_error(value):
    _accepts_or_refuses(json.dumps(value))
    _accepts_or_refuses(value)


@FUZZ
@given(st.binary(max_size=300))
def test_any_bytes_are_imported_or_refused_with_a_map_error(data):
    _accepts_or_refuses(data)
    _accepts_or_refuses(b'{"format": "distribution-architecture", "version": 1, "channels": [' + data)


@FUZZ
@given(st.data())
def test_near_valid_maps_are_imported_or_refused_with_a_map_error(data):
    base = json.loads(sample_map_path().read_text(encoding="utf-8"))
    for _ in range(data.draw(st.integers(1, 4))):
        where = data.draw(st.sampled_from(["top", "channel", "flow"]))
        if where == "top":
            target = base
            key = data.draw(
                st.sampled_from(["format", "version", "name", "description", "channels", "flows"])
            )
        else:
            entries = base.get("channels" if where == "channel" else "flows")
            if not isinstance(entries, list) or not entries:
                continue
            target = entries[data.draw(st.integers(0, len(entries) - 1))]
            if not isinstance(target, dict):
                continue
            key = data.draw(st.sampled_from(FIELDS))
        if data.draw(st.booleans()):
            target.pop(key, None)
        else:
            target[key] = data.draw(JSON_VALUES)
    _accepts_or_refuses(json.dumps(base))


def test_pathological_json_is_refused_with_a_map_error():
    for text in (
        "[" * 100_000,
        '{"format": "distribution-architecture", "version": 1, "x": ' + "9" * 5000 + "}",
        '{"format": "distribution-architecture", "version": ' + "9" * 400 + "}",
        "\ufeff{}",
        '{"format": "distribution-architecture", "version": 1, "name": "\\ud800"}',
        b"\xff\xfe{\x00}\x00",
        "",
    ):
        with pytest.raises(MapError) as refused:
            interchange.loads(text)
        assert refused.value.message and "\n" not in str(refused.value), text[:40]


BAD_JSON = {
    "not-json.json": b"{this is not json",
    "wrong-format.json": b'{"format": "spreadsheet", "version": 1, "channels": []}',
    "newer.json": b'{"format": "distribution-architecture", "version": 99, "channels": []}',
    "unknown-layer.json": (
        b'{"format": "distribution-architecture", "version": 1,'
        b' "channels": [{"id": "a", "name": "A", "layer": "orbit"}]}'
    ),
    "huge-number.json": (
        b'{"format": "distribution-architecture", "version": 1,'
        b' "channels": [{"id": "a", "name": "A", "layer": "capture", "monthly_spend": 1' + b"0" * 400 + b"}]}"
    ),
    "deep.json": b"[" * 50_000,
    "binary.json": bytes(range(256)),
}


def test_the_cli_import_refuses_bad_json_and_keeps_the_map(tmp_path, fork_server):
    target = _ours(tmp_path / "target.distarch")
    before = digest(target)
    for name, data in BAD_JSON.items():
        source = tmp_path / name
        source.write_bytes(data)
        result = fork_server.cli(["import", str(source), "--into", str(target)], tmp_path / name)
        _one_clear_line(result, source)
        assert digest(target) == before, name
        assert side_files(target) == []
