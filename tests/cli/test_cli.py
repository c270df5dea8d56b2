"""The command line of product.md: exit 0, or 2 with one clear line on stderr and no traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.domain import interchange
from desktop.resources import sample_map_path

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}
    env["QT_QPA_PLATFORM"] = "offscreen"
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
    )


def assert_refused(result: subprocess.CompletedProcess[str], fragment: str) -> None:
    assert result.returncode == 2, result
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert fragment in lines[0]


def test_import_export_reproduces_every_field(tmp_path):
    source = tmp_path / "x.json"
    data = json.loads(sample_map_path().read_text())
    data["channels"][0]["x"] = 40
    data["channels"][0]["y"] = 120
    data["channels"][0]["notes"] = "=cmd|' /C calc'!A0"
    source.write_text(json.dumps(data))
    target = tmp_path / "y.distarch"
    assert cli("import", str(source), "--into", str(target)).returncode == 0
    out = tmp_path / "z.json"
    assert cli("export", str(target), "--to", str(out)).returncode == 0
    expected = interchange.to_dict(interchange.loads(source.read_bytes()))
    assert json.loads(out.read_text()) == expected
    first = expected["channels"][0]
    for key, value in data["channels"][0].items():
        assert first[key] == value


def test_new_from_template_and_score_json(tmp_path):
    target = tmp_path / "starter.distarch"
    assert cli("new", str(target), "--template", "starter").returncode == 0
    result = cli("score", str(target), "--json")
    assert result.returncode == 0
    report = json.loads(result.stdout)
    assert report["version"] == 2
    assert set(report["components"]) == {"coverage", "flow", "routing", "execution", "alignment", "feedback"}
    # The starter has no account executives or checkout, so nothing can carry revenue back yet.
    assert report["score"] == 92.5
    assert [f["rule"] for f in report["findings"]] == ["no-revenue-loop"]
    assert all(f["amplified_by_ai"] is False for f in report["findings"])
    old = json.loads(cli("score", str(target), "--json", "--contract", "1").stdout)
    assert old["version"] == 1 and old["score"] == 100.0 and "alignment" not in old["components"]


def test_import_into_an_existing_map_merges_and_refuses_clashes(tmp_path):
    target = tmp_path / "m.distarch"
    assert cli("new", str(target)).returncode == 0
    assert cli("import", str(sample_map_path()), "--into", str(target)).returncode == 0
    assert json.loads(cli("score", str(target), "--json").stdout)["score"] == 74.1
    before = target.read_bytes()
    assert_refused(
        cli("import", str(sample_map_path()), "--into", str(target)), "already has a channel named"
    )
    assert len(interchange.loads(cli_export_json(target, tmp_path)).channels) == 20
    assert before  # the file was not rewritten by the refused import


def cli_export_json(target: Path, tmp_path: Path) -> bytes:
    out = tmp_path / "out.json"
    assert cli("export", str(target), "--to", str(out)).returncode == 0
    return out.read_bytes()


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["score", "missing.distarch"], "missing.distarch does not exist"),
        (["score", "notes.txt"], "must be one of .distarch, .json"),
        (["export", "MAP", "--to", "out.gif"], "export writes .png"),
        (["export", "MAP", "--to", "out.png", "--scale", "9"], "--scale must be between 1 and 4"),
        (["frobnicate"], "invalid choice"),
        (["score"], "the following arguments are required"),
        (["new", "MAP"], "already exists"),
        (["new", "other.distarch", "--template", "nope"], "no template 'nope'"),
        (["import", "bad.json", "--into", "t.distarch"], "bad.json: channels[0] (id c1): unknown layer"),
        (["compare", "MAP"], "needs --from"),
        (["compare", "MAP", "--from", "As-is"], "no version named 'As-is'"),
    ],
)
def test_bad_input_exits_2_with_one_line(tmp_path, args, fragment):
    target = tmp_path / "m.distarch"
    assert cli("new", str(target)).returncode == 0
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {
                "format": "distribution-architecture",
                "version": 1,
                "channels": [{"id": "c1", "name": "A", "layer": "sky"}],
                "flows": [],
            }
        )
    )
    (tmp_path / "notes.txt").write_text("hello")
    args = [str(target) if a == "MAP" else a for a in args]
    result = cli(*args, cwd=tmp_path)
    if fragment is None:
        assert result.returncode != 0 and "Traceback" not in result.stderr
        return
    assert_refused(result, fragment)
    assert not (tmp_path / "t.distarch").exists()


def test_reading_a_map_that_a_writer_has_open(tmp_path):
    """score and export work while another process (a window) holds the map for writing."""
    target = tmp_path / "m.distarch"
    assert cli("import", str(sample_map_path()), "--into", str(target)).returncode == 0
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\nfrom desktop.store.document import MapDocument\n"
            "d = MapDocument.open(sys.argv[1]); assert not d.read_only\nprint('open', flush=True)\ntime.sleep(30)",
            str(target),
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        result = cli("score", str(target), "--json")
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["score"] == 74.1
        assert_refused(cli("version", str(target), "--save", "As-is"), "open in another window")
    finally:
        holder.kill()
        holder.wait()


def test_versions_and_compare(tmp_path):
    target = tmp_path / "m.distarch"
    assert cli("import", str(sample_map_path()), "--into", str(target)).returncode == 0
    assert cli("version", str(target), "--save", "As-is", "--note", "audit").returncode == 0
    listed = json.loads(cli("version", str(target), "--list", "--json").stdout)
    assert [v["name"] for v in listed] == ["As-is"]
    result = cli("compare", str(target), "--from", "As-is", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["delta"] == 0 and data["channels_added"] == []


def test_an_import_is_written_with_its_score_like_an_edit_in_the_window(tmp_path):
    from desktop.store.document import MapDocument

    target = tmp_path / "m.distarch"
    assert cli("new", str(target)).returncode == 0
    assert cli("import", str(sample_map_path()), "--into", str(target)).returncode == 0
    from desktop.domain import interchange
    from desktop.domain.coherence import assess

    with MapDocument.open(target, read_only=True) as doc:
        points = doc.score_history()
    expected = assess(interchange.loads(sample_map_path().read_bytes())).score
    # the empty map's score as opened, then the import's, scored by the current contract
    assert [(round(p.score, 1), p.contract) for p in points] == [(0.0, 2), (round(expected, 1), 2)]
