"""`main.py version` and `main.py compare`: the scenario commands of product.md, as a user types them."""

from __future__ import annotations

import json

from desktop.document.repository import ScoreStamp
from desktop.domain import interchange
from desktop.domain import operations as ops
from desktop.domain.coherence import assess
from desktop.domain.edits import apply_all
from desktop.resources import sample_map_path
from desktop.store.document import MapDocument
from tests.cli.test_cli import assert_refused, cli

SPEC_KEYS = {
    "from",
    "to",
    "delta",
    "channels_added",
    "channels_removed",
    "channels_moved",
    "flows_added",
    "flows_removed",
    "findings_resolved",
    "findings_new",
}


def sample_file(tmp_path):
    target = tmp_path / "acme.distarch"
    assert cli("import", str(sample_map_path()), "--into", str(target)).returncode == 0
    return target


def consolidate(path) -> None:
    """What a lead does in the window: drop a duplicate tool, add a routing rule, close the loop."""
    with MapDocument.open(path) as doc:
        arch = doc.load()

        def cid(name: str) -> str:
            found = arch.channel_by_name(name)
            assert found is not None
            return found.id

        for edits in (
            ops.delete(arch, [cid("6sense intent")], []),
            ops.update_flow(arch, cid("Lead scoring"), cid("Email nurture"), rule="score < 70"),
            ops.connect(arch, cid("Win/loss interviews"), cid("Lead scoring"), label="ICP refresh"),
            ops.connect(arch, cid("Partner referrals"), cid("Attribution")),
        ):
            apply_all(arch, edits)
            report = assess(arch)
            doc.write(edits, ScoreStamp(report.score, report.components))


def test_save_list_and_compare_a_consolidation(tmp_path):
    path = sample_file(tmp_path)
    saved = cli("version", str(path), "--save", "As-is", "--note", "audit before consolidating")
    assert saved.returncode == 0, saved.stderr
    assert saved.stdout.strip() == "saved version 'As-is' of acme.distarch (score 74.1)"
    consolidate(path)
    assert cli("version", str(path), "--save", "Consolidated").returncode == 0

    listed = json.loads(cli("version", str(path), "--list", "--json").stdout)
    assert [(v["name"], v["note"], v["score"]) for v in listed] == [
        ("As-is", "audit before consolidating", 74.1),
        ("Consolidated", "", 86.1),
    ]
    text = cli("version", str(path), "--list").stdout.splitlines()
    assert (
        text[0].startswith("As-is") and "74.1" in text[0] and text[0].endswith("audit before consolidating")
    )

    for args in (("--from", "as-is"), ("--from", "As-is", "--to", "consolidated")):
        result = cli("compare", str(path), *args, "--json")
        assert result.returncode == 0, result.stderr
        data = json.loads(result.stdout)
        assert set(data) >= SPEC_KEYS
        assert data["from"]["score"] == 74.1 and data["to"]["score"] == 86.1
        assert set(data["from"]["components"]) == {
            "coverage",
            "flow",
            "routing",
            "execution",
            "alignment",
            "feedback",
        }
        assert data["delta"] == 12.0
        assert data["channels_added"] == [] and data["channels_moved"] == []
        assert data["channels_removed"] == ["6sense intent"]
        assert data["flows_added"] == [
            ["Win/loss interviews", "Lead scoring"],
            ["Partner referrals", "Attribution"],
        ]
        assert data["flows_removed"] == [["6sense intent", "ABM ads"]]
        resolved = {(f["rule"], tuple(f["channels"])) for f in data["findings_resolved"]}
        assert ("duplicate-function", ("6sense intent", "Bombora intent")) in resolved
        assert ("open-loop", ("Win/loss interviews",)) in resolved
        assert ("unruled-routing", ("Lead scoring",)) in resolved
        assert all(f["points"] > 0 for f in data["findings_resolved"])
        # Once connected, the partner channel counts, and contract 2 asks for its segment.
        assert [(f["rule"], f["channels"]) for f in data["findings_new"]] == [
            ("unknown-segment", ["Partner referrals"])
        ]

    backwards = json.loads(
        cli("compare", str(path), "--from", "Consolidated", "--to", "As-is", "--json").stdout
    )
    assert backwards["delta"] == -12.0
    assert backwards["channels_added"] == ["6sense intent"]

    plain = cli("compare", str(path), "--from", "As-is")
    assert plain.returncode == 0
    assert plain.stdout.splitlines()[0] == "Score 74.1 → 86.1 (+12.0)"
    assert f"Findings resolved ({len(data['findings_resolved'])}):" in plain.stdout


def test_compare_two_files_json_and_distarch(tmp_path):
    path = sample_file(tmp_path)
    consolidate(path)
    before = tmp_path / "before.json"
    before.write_text(interchange.dumps(interchange.loads(sample_map_path().read_bytes())), encoding="utf-8")
    data = json.loads(cli("compare", str(before), str(path), "--json").stdout)
    assert data["delta"] == 12.0 and data["channels_removed"] == ["6sense intent"]
    other = tmp_path / "copy.distarch"
    assert cli("import", str(before), "--into", str(other)).returncode == 0
    data = json.loads(cli("compare", str(path), str(other), "--json").stdout)
    assert data["delta"] == -12.0 and data["channels_added"] == ["6sense intent"]
    same = cli("compare", str(before), str(other))
    assert same.stdout.splitlines()[1] == "The two maps have the same channels, flows and findings."


def test_listing_a_map_without_versions(tmp_path):
    path = sample_file(tmp_path)
    assert cli("version", str(path), "--list").stdout.strip() == "acme.distarch has no saved versions"
    assert json.loads(cli("version", str(path), "--list", "--json").stdout) == []


def test_bad_scenario_commands_exit_2_with_one_line(tmp_path):
    path = sample_file(tmp_path)
    assert cli("version", str(path), "--save", "As-is").returncode == 0
    assert_refused(cli("version", str(path), "--save", "as-IS"), "'As-is' already exists")
    assert_refused(cli("version", str(path), "--save", "  "), "needs a name")
    assert_refused(cli("version", str(path)), "--save")
    assert_refused(cli("version", str(path), "--save", "x", "--list"), "not allowed")
    assert_refused(cli("version", str(tmp_path / "m.json"), "--list"), ".distarch")
    assert_refused(cli("version", str(tmp_path / "missing.distarch"), "--list"), "does not exist")
    assert_refused(cli("compare", str(path), "--from", "To-be"), "'As-is'")
    assert_refused(cli("compare", str(path)), "--from")
    assert_refused(cli("compare", str(path), "--to", "As-is"), "--from")
    assert_refused(cli("compare", str(path), str(path), "--from", "As-is"), "one map file")
    assert_refused(cli("compare", str(path), str(path), str(path)), "two maps")
    assert_refused(cli("compare", str(tmp_path / "a.json"), "--from", "As-is"), ".distarch")


def test_saving_a_version_of_a_map_open_in_a_window_is_refused(tmp_path):
    path = sample_file(tmp_path)
    with MapDocument.open(path) as window_doc:  # this process holds the file as a window would
        assert not window_doc.read_only
        assert_refused(cli("version", str(path), "--save", "As-is"), "another window")
        listed = cli("version", str(path), "--list", "--json")  # reading still works
        assert listed.returncode == 0 and json.loads(listed.stdout) == []
