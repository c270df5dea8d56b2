"""Named versions inside a `.distarch` file: saved, listed, loaded, renamed, deleted, and kept across reopening."""

from __future__ import annotations

import sqlite3

import pytest

from desktop.document.repository import ScoreStamp
from desktop.domain import interchange
from desktop.domain import operations as ops
from desktop.domain.coherence import assess
from desktop.domain.edits import apply_all
from desktop.domain.errors import MapError
from desktop.resources import sample_map_path
from desktop.store import versions
from desktop.store.document import MapDocument, write_new_file
from desktop.store.safety import inspect


@pytest.fixture
def sample_file(tmp_path):
    path = tmp_path / "acme.distarch"
    write_new_file(path, interchange.loads(sample_map_path().read_bytes()))
    return path


def same_map(a, b) -> bool:
    """Equal as the interchange format writes them (a snapshot numbers creation order afresh)."""
    return interchange.dumps(a) == interchange.dumps(b)


def edit(doc: MapDocument, arch, edits) -> None:
    """An edit as the session makes it: applied to the map, written with its score in one transaction."""
    apply_all(arch, edits)
    report = assess(arch)
    doc.write(edits, ScoreStamp(report.score, report.components))


def consolidate(doc: MapDocument, arch) -> None:
    def cid(name: str) -> str:
        found = arch.channel_by_name(name)
        assert found is not None
        return found.id

    edit(doc, arch, ops.delete(arch, [cid("6sense intent")], []))
    edit(doc, arch, ops.update_flow(arch, cid("Lead scoring"), cid("Email nurture"), rule="score < 70"))
    edit(doc, arch, ops.connect(arch, cid("Win/loss interviews"), cid("Lead scoring")))


def test_versions_survive_reopening_and_stay_immutable(sample_file):
    with MapDocument.open(sample_file) as doc:
        arch = doc.load()
        before = arch.copy()
        saved = versions.save_version(doc, " As-is ", "audit", arch, assess(arch).score)
        assert saved.name == "As-is" and saved.note == "audit"
        assert saved.history_index == len(doc.score_history())
        consolidate(doc, arch)
        second = versions.save_version(doc, "Consolidated", "", arch, assess(arch).score)
        assert second.history_index == saved.history_index + 3
        after = arch.copy()

    assert inspect(sample_file) == 3  # the schema checks still pass: only our tables, quick_check ok
    with MapDocument.open(sample_file, read_only=True) as doc:
        listed = versions.list_versions(doc)
        assert [v.name for v in listed] == ["As-is", "Consolidated"]
        assert listed[0].score == pytest.approx(assess(before).score)
        assert listed[1].score == pytest.approx(assess(after).score)
        assert same_map(versions.load_version(doc, "as-is"), before)  # names are found case-folded
        assert same_map(versions.load_version(doc, "CONSOLIDATED"), after)
        assert doc.load().same_content(after)  # saving versions does not change the map


def test_names_are_unique_trimmed_and_required(sample_file):
    with MapDocument.open(sample_file) as doc:
        arch = doc.load()
        versions.save_version(doc, "As-is", "", arch, 1.0)
        with pytest.raises(MapError, match="already exists"):
            versions.save_version(doc, "  as-IS ", "", arch, 1.0)
        with pytest.raises(MapError, match="needs a name"):
            versions.save_version(doc, "   ", "", arch, 1.0)
        with pytest.raises(MapError, match="at most 120"):
            versions.save_version(doc, "x" * 121, "", arch, 1.0)
        assert [v.name for v in versions.list_versions(doc)] == ["As-is"]


def test_rename_and_delete(sample_file):
    with MapDocument.open(sample_file) as doc:
        arch = doc.load()
        versions.save_version(doc, "As-is", "", arch, 1.0)
        versions.save_version(doc, "Plan B", "", arch, 2.0)
        with pytest.raises(MapError, match="already exists"):
            versions.rename_version(doc, "Plan B", "as-is")
        versions.rename_version(doc, "plan b", "Consolidated")
        versions.rename_version(doc, "As-is", "AS-IS")  # a change of case is a rename, not a clash
        assert [v.name for v in versions.list_versions(doc)] == ["AS-IS", "Consolidated"]
        versions.delete_version(doc, "consolidated")
        assert [v.name for v in versions.list_versions(doc)] == ["AS-IS"]
        with pytest.raises(MapError, match="no version named"):
            versions.delete_version(doc, "Consolidated")
    with MapDocument.open(sample_file, read_only=True) as doc:
        assert [v.name for v in versions.list_versions(doc)] == ["AS-IS"]


def test_unknown_version_names_the_saved_ones(sample_file):
    with MapDocument.open(sample_file) as doc:
        with pytest.raises(MapError, match="none saved yet"):
            versions.load_version(doc, "As-is")
        versions.save_version(doc, "As-is", "", doc.load(), 1.0)
        with pytest.raises(MapError, match="'As-is'"):
            versions.load_version(doc, "To-be")


def test_read_only_documents_cannot_save_versions(sample_file):
    with MapDocument.open(sample_file) as writer:
        versions.save_version(writer, "As-is", "", writer.load(), 1.0)
        with MapDocument.open(sample_file) as second:  # another window: read-only
            assert second.read_only
            assert [v.name for v in versions.list_versions(second)] == ["As-is"]
            with pytest.raises(MapError):
                versions.save_version(second, "Other", "", second.load(), 1.0)
            with pytest.raises(MapError):
                versions.delete_version(second, "As-is")
        assert [v.name for v in versions.list_versions(writer)] == ["As-is"]


def test_a_tampered_snapshot_is_refused_with_a_reason(sample_file):
    with MapDocument.open(sample_file) as doc:
        versions.save_version(doc, "As-is", "", doc.load(), 1.0)
    conn = sqlite3.connect(sample_file)
    conn.execute(
        "UPDATE version SET snapshot = ?",
        (
            '{"format": "distribution-architecture", "version": 1, '
            '"channels": [{"id": "a", "name": "A", "layer": "nowhere"}]}',
        ),
    )
    conn.commit()
    conn.close()
    with MapDocument.open(sample_file, read_only=True) as doc, pytest.raises(MapError, match="layer"):
        versions.load_version(doc, "As-is")
