"""The PyInstaller bundle, tested like a user's download (run by `make bundle-test`).

Every command runs the bundled executable from an empty temporary folder with
a clean environment (no venv, no PYTHONPATH, a fresh HOME), so a module or a
resource the spec forgot fails here and not on a user's machine. The bundle in
dist/ is reused when present (`make bundle-test` has just built it), else built.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import os
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop.domain import interchange
from desktop.domain.coherence import assess

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "build_spec" / "distribution_architect.spec"
BUNDLE = ROOT / "dist" / "distribution-architect"
WINDOWS = sys.platform == "win32"
# Measured 246 MB (MiB): about 230 before the team library and the room, plus psycopg with its libpq,
# OpenSSL and Kerberos (11.4), aiohttp with yarl, multidict, attrs and idna (3.4), odfpy (0.6), segno (0.3).
# The limit leaves room to grow but still catches Qt's GTK3 theme plug-in and its 20 MB of GTK coming back.
MAX_BUNDLE_MB = 255


def _source_has(module: str) -> bool:
    """True when the repository has written this module (some land while others build the bundle)."""
    return importlib.util.find_spec(module) is not None


@pytest.fixture(scope="session")
def bundle() -> Path:
    """The bundle folder, built once if `make bundle` has not already done it."""
    executable = BUNDLE / ("distribution-architect.exe" if WINDOWS else "distribution-architect")
    if not executable.is_file():
        if importlib.util.find_spec("PyInstaller") is None:
            pytest.fail(
                "PyInstaller is missing: run `make bundle-test` (it installs requirements-bundle.lock)"
            )
        command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean"]
        command += ["--distpath", str(ROOT / "dist"), "--workpath", str(ROOT / "build"), str(SPEC)]
        subprocess.run(command, cwd=ROOT, check=True, timeout=1800)
    assert executable.is_file(), f"the build made no {executable}"
    return BUNDLE


@pytest.fixture()
def home(tmp_path: Path) -> Path:
    folder = tmp_path / "home"
    folder.mkdir()
    return folder


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    if WINDOWS:
        for name in ("SYSTEMROOT", "WINDIR", "TEMP", "TMP"):
            if name in os.environ:
                env[name] = os.environ[name]
        env.update(USERPROFILE=str(home), APPDATA=str(home / "AppData"), LOCALAPPDATA=str(home / "Local"))
    env.update(extra)
    return env


def run(
    bundle: Path, home: Path, *args: str, timeout: float = 120, **extra: str
) -> subprocess.CompletedProcess[str]:
    """The bundled executable, run from the user's (empty, temporary) working folder."""
    name = "distribution-architect-cli.exe" if WINDOWS and args else "distribution-architect"
    return subprocess.run(
        [str(bundle / name), *args],
        cwd=home.parent,
        env=clean_env(home, **extra),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    assert "Traceback" not in result.stderr, result.stderr
    return result.stdout


@pytest.fixture()
def sample_map(bundle: Path, home: Path) -> Path:
    """The bundled sample, imported by the bundled `import` into a .distarch file."""
    source = bundle / "_internal" / "resources" / "samples" / "sample.json"
    assert source.is_file(), "resources/ is not in the bundle"
    target = home.parent / "s.distarch"
    assert "20 channels" in ok(run(bundle, home, "import", str(source), "--into", str(target)))
    return target


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    assert data.rstrip(b"\x00")[-8:-4] == b"IEND", "truncated PNG"
    return width, height


def test_the_bundle_is_small_enough(bundle: Path) -> None:
    size = sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file() and not p.is_symlink())
    assert size < MAX_BUNDLE_MB * 1024 * 1024, f"bundle is {size / 2**20:.0f} MB"


def test_score_json_matches_the_source(bundle: Path, home: Path, sample_map: Path) -> None:
    report = json.loads(ok(run(bundle, home, "score", str(sample_map), "--json")))
    expected = assess(interchange.loads((ROOT / "resources" / "samples" / "sample.json").read_bytes()))
    assert 0 <= report["score"] <= 100
    assert report["version"] == 2 == expected.version
    assert set(report["components"]) == {"coverage", "flow", "routing", "execution", "alignment", "feedback"}
    assert report == json.loads(json.dumps(expected.to_dict()))
    old = json.loads(ok(run(bundle, home, "score", str(sample_map), "--json", "--contract", "1")))
    assert old["version"] == 1 and "alignment" not in old["components"]


def test_score_of_a_large_json_map(bundle: Path, home: Path) -> None:
    """A JSON map past interchange.TYPED_BYTES is read by msgspec (bundled), as in the source."""
    from bench.maps import make_map

    text = interchange.dumps(make_map(400), compact=True)
    assert len(text) > interchange.TYPED_BYTES
    path = home.parent / "large.json"
    path.write_text(text, encoding="utf-8")
    report = json.loads(ok(run(bundle, home, "score", str(path), "--json")))
    assert report == json.loads(json.dumps(assess(interchange.loads(text)).to_dict()))


def test_the_bundle_ships_the_score_contract(bundle: Path) -> None:
    shipped = [p for p in bundle.rglob("score.md") if p.parent.name == "docs"]
    assert len(shipped) == 1
    assert shipped[0].read_text(encoding="utf-8") == (ROOT / "docs" / "score.md").read_text(encoding="utf-8")


def test_new_from_a_template_and_score_it(bundle: Path, home: Path) -> None:
    target = home.parent / "starter.distarch"
    assert "created" in ok(run(bundle, home, "new", str(target), "--template", "starter"))
    text = ok(run(bundle, home, "score", str(target)))
    assert text.strip()


def test_bad_input_is_one_line_and_exit_2(bundle: Path, home: Path) -> None:
    result = run(bundle, home, "score", str(home.parent / "missing.distarch"))
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_export_json_round_trips(bundle: Path, home: Path, sample_map: Path) -> None:
    out = home.parent / "out.json"
    ok(run(bundle, home, "export", str(sample_map), "--to", str(out)))
    original = interchange.loads((ROOT / "resources" / "samples" / "sample.json").read_bytes())
    assert interchange.loads(out.read_bytes()).same_content(original)


@pytest.mark.skipif(not _source_has("desktop.io.tables"), reason="desktop/io/tables.py is not written yet")
def test_export_and_import_tables(bundle: Path, home: Path, sample_map: Path) -> None:
    csv_out, xlsx_out = home.parent / "out.csv", home.parent / "out.xlsx"
    ok(run(bundle, home, "export", str(sample_map), "--to", str(csv_out)))
    ok(run(bundle, home, "export", str(sample_map), "--to", str(xlsx_out)))
    with csv_out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 20 and {row["layer"] for row in rows} >= {"capture", "feedback"}
    assert xlsx_out.read_bytes()[:2] == b"PK"
    samples = bundle / "_internal" / "resources" / "samples"
    into = home.parent / "inventory.distarch"
    ok(
        run(
            bundle,
            home,
            "import",
            str(samples / "inventory.csv"),
            "--flows",
            str(samples / "inventory_flows.csv"),
            "--into",
            str(into),
        )
    )
    ok(run(bundle, home, "import", str(xlsx_out), "--into", str(home.parent / "from-xlsx.distarch")))
    assert json.loads(ok(run(bundle, home, "score", str(into), "--json")))["score"] > 0


def test_import_spreadsheets_as_people_save_them(bundle: Path, home: Path) -> None:
    """Excel's lone "Sheet1", and LibreOffice's .ods through pandas' odf engine (odfpy in the bundle)."""
    import openpyxl
    import pandas as pd

    xlsx = home.parent / "book.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["Name", "Layer", "Notes"])
    book.active.append(["Paid search", "capture", "flows"])
    book.active.append(["Lead scoring", 2, ""])
    book.save(xlsx)
    assert "2 channels" in ok(
        run(bundle, home, "import", str(xlsx), "--into", str(home.parent / "x.distarch"))
    )
    ods = home.parent / "book.ods"
    with pd.ExcelWriter(ods, engine="odf") as writer:
        frame = pd.DataFrame(
            {"name": ["Ads", "SDR", "Survey"], "layer": ["capture", "execution", "feedback"]}
        )
        frame.to_excel(writer, sheet_name="Sheet1", index=False)
    assert "3 channels" in ok(
        run(bundle, home, "import", str(ods), "--into", str(home.parent / "o.distarch"))
    )


@pytest.mark.skipif(not _source_has("desktop.io.images"), reason="desktop/io/images.py is not written yet")
def test_export_png_svg_pdf(bundle: Path, home: Path, sample_map: Path) -> None:
    png = home.parent / "out.png"
    ok(run(bundle, home, "export", str(sample_map), "--to", str(png), "--scale", "2"))
    width, height = png_size(png.read_bytes())
    assert 1200 <= width <= 20000 and 600 <= height <= 20000, (width, height)
    assert png.stat().st_size > 20_000
    svg, pdf = home.parent / "out.svg", home.parent / "out.pdf"
    ok(run(bundle, home, "export", str(sample_map), "--to", str(svg), "--theme", "dark"))
    ok(run(bundle, home, "export", str(sample_map), "--to", str(pdf)))
    assert b"<svg" in svg.read_bytes()[:2000]
    assert pdf.read_bytes()[:5] == b"%PDF-"
    if _source_has("desktop.io.embedded"):
        back = home.parent / "from-png.distarch"
        assert "20 channels" in ok(run(bundle, home, "import", str(png), "--into", str(back)))


def _no_crash_log(home: Path) -> None:
    logs = [p for p in home.rglob("errors.log") if p.stat().st_size]
    assert not logs, logs[0].read_text(encoding="utf-8", errors="replace")


def test_the_window_opens_on_a_map_and_quits(bundle: Path, home: Path, sample_map: Path) -> None:
    started = time.monotonic()
    result = run(bundle, home, str(sample_map), DISTARCH_SMOKE_QUIT_MS="1500", timeout=90)
    elapsed = time.monotonic() - started
    ok(result)
    _no_crash_log(home)
    assert elapsed < 60, f"the window took {elapsed:.1f} s"


def test_the_window_opens_the_sample_on_first_launch(bundle: Path, home: Path) -> None:
    ok(run(bundle, home, DISTARCH_SMOKE_QUIT_MS="1500", timeout=90))
    _no_crash_log(home)
    assert list(home.rglob("*.distarch")), "the first launch did not make the user's copy of the sample"


def test_the_bundle_opens_a_room_a_phone_joins_and_suggests(  # aiohttp and segno are bundled
    bundle: Path, home: Path, sample_map: Path
) -> None:
    name = "distribution-architect.exe" if WINDOWS else "distribution-architect"
    env = clean_env(
        home, DISTARCH_SMOKE_ROOM="1", DISTARCH_ROOM_HOST="127.0.0.1", DISTARCH_SMOKE_QUIT_MS="20000"
    )
    process = subprocess.Popen(
        [str(bundle / name), str(sample_map)],
        cwd=home.parent,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        line = ""
        while time.monotonic() < deadline and not line.startswith("room "):
            line = process.stdout.readline() if process.stdout else ""
            if not line and process.poll() is not None:
                break
        assert line.startswith("room http://127.0.0.1:"), (
            f"no room opened: {line!r} {process.stderr.read() if process.poll() is not None else ''}"
        )
        from tests.room.phones import Phone, request

        url = line.split(" ", 1)[1].strip()
        assert request(url).status == 200  # the phone page
        phone = Phone(url).join()
        assert phone.suggest("Webinars (ON24)").status == 201
        assert phone.state()["suggestions"][0]["channel"] == "Webinars (ON24)"
        assert phone.get("/api/state", token="wrong").status == 401
    finally:
        try:
            _out, err = process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            _out, err = process.communicate()
    assert process.returncode == 0, err
    assert "Traceback" not in err, err


def test_the_bundle_opens_a_team_library_map(bundle: Path, home: Path, pg_cluster) -> None:
    """The driver (psycopg and its libpq) is in the bundle: init, publish, score, and the window on a library map."""
    url = pg_cluster.socket_url(pg_cluster.new_database())
    assert "created the team library" in ok(run(bundle, home, "library", "init", url))
    source = bundle / "_internal" / "resources" / "samples" / "sample.json"
    assert "20 channels" in ok(run(bundle, home, "import", str(source), "--into", f"{url}#Team plan"))
    report = json.loads(ok(run(bundle, home, "score", f"{url}#Team plan", "--json")))
    expected = assess(interchange.loads((ROOT / "resources" / "samples" / "sample.json").read_bytes()))
    assert report == json.loads(json.dumps(expected.to_dict()))
    ok(run(bundle, home, f"{url}#Team plan", DISTARCH_SMOKE_QUIT_MS="2500", timeout=90))
    _no_crash_log(home)
    remembered = "\n".join(p.read_text(errors="replace") for p in home.rglob("settings.ini"))
    assert "#Team plan" in remembered, "the window did not open the library map"
