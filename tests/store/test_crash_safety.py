"""Nothing lost: a process editing a map is killed (SIGKILL) at random moments.

Each trial forks a child (tests/document/crash_worker.py) that edits the map the
way the window does and acknowledges every edit perform() saved; the test
kills it at a random moment, then opens the file: it must open, pass
`PRAGMA integrity_check`, and hold every acknowledged edit, with at most the
one in flight beyond. The same for creating a map and importing into one: the
target is either absent (or as it was) or whole, never half.
"""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

import pytest

from desktop.domain import interchange
from desktop.domain.model import ArchitectureMap, MapInfo
from desktop.store.document import MapDocument, write_new_file
from desktop.store.migrations import SCHEMA_VERSION
from tests.document.crash_worker import ForkServer, big_map

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the crash trials fork (POSIX only)")

EDIT_TRIALS = 50
CREATE_TRIALS = 12
IMPORT_TRIALS = 12
MIGRATE_TRIALS = 6
STATS: dict[str, float] = {}  # the README's Reliability figures, printed after the run (conftest.py)


@pytest.fixture
def server(fork_server: ForkServer) -> ForkServer:
    return fork_server


def check_open(path: Path, read_only: bool = False) -> ArchitectureMap:
    """Open as the app does (MapDocument.open), run integrity_check, return the map."""
    with MapDocument.open(path, read_only=read_only) as doc:
        assert read_only or not doc.read_only, doc.read_only_reason  # a dead writer leaves no lock
        result = [row[0] for row in doc.connection.execute("PRAGMA integrity_check").fetchall()]
        assert result == ["ok"], result
        return doc.load()


def e_numbers(arch: ArchitectureMap) -> set[int]:
    return {int(c.name[1:]) for c in arch.channels if c.name.startswith("E") and c.name[1:].isdigit()}


def test_killed_while_editing_loses_no_acknowledged_edit(server, tmp_path):
    rng = random.Random(int(os.environ.get("CRASH_SEED", "8")))
    path = tmp_path / "edited.distarch"
    started = time.monotonic()
    acknowledged_total = 0
    in_flight_kept = 0
    known: set[int] = set()
    trials_with_acks = 0
    for trial_number in range(EDIT_TRIALS):
        if trial_number % 10 == 0:  # a fresh map every ten trials keeps each edit fast
            for leftover in path.parent.glob(path.name + "*"):
                leftover.unlink()
            write_new_file(path, ArchitectureMap(info=MapInfo(name="Crash trials")))
            known = set()
        # A handshake, not a race with start-up: the kill is armed by the child's own line (its
        # first edit under way, or its n-th acknowledged edit) and lands a few milliseconds later,
        # inside an edit or between two, however loaded the machine.
        during_first = trial_number % 5 == 0
        trial = server.run(
            {"task": "edits", "path": str(path)},
            kill_on="start" if during_first else "ack",
            kill_count=1 if during_first else rng.randint(1, 4),
            kill_after=rng.uniform(0.0, 0.02),
        )
        assert trial.killed and trial.status != 0, trial.lines
        assert not trial.errors, trial.errors
        acked = set(trial.numbers("ack"))
        trials_with_acks += bool(acked)
        arch = check_open(path, read_only=trial_number % 2 == 1)
        found = e_numbers(arch)
        lost = (known | acked) - found
        assert not lost, f"trial {trial_number}: acknowledged edits lost: {sorted(lost)}"
        last = max(known | acked, default=0)
        extra = found - known - acked
        assert extra <= {last + 1}, f"trial {trial_number}: unexpected channels {sorted(extra)}"
        in_flight_kept += len(extra)
        expected_name = f"rev {max(found)}" if found else "Crash trials"
        assert arch.info.name == expected_name, "an edit was saved in part"
        acknowledged_total += len(acked)
        known = found
    STATS["edit_trials"] = EDIT_TRIALS
    STATS["edits_acknowledged"] = acknowledged_total
    STATS["in_flight_kept"] = in_flight_kept
    STATS["edit_seconds"] = time.monotonic() - started
    assert trials_with_acks >= EDIT_TRIALS * 4 // 5  # every kill armed by an acknowledgement came after one


def _timed(server: ForkServer, command: dict) -> float:
    began = time.monotonic()
    trial = server.run(command, kill_after=None)
    assert trial.status == 0 and not trial.errors, trial.lines
    return time.monotonic() - began


def test_killed_while_creating_leaves_no_file_or_a_whole_one(server, tmp_path):
    target = tmp_path / "created.distarch"
    size = 2500
    duration = _timed(server, {"task": "create", "target": str(target), "channels": size})
    assert len(check_open(target, read_only=True)) == size
    rng = random.Random(81)
    outcomes = {"absent": 0, "whole": 0}
    for _ in range(CREATE_TRIALS):
        target.unlink(missing_ok=True)
        trial = server.run(
            {"task": "create", "target": str(target), "channels": size},
            kill_after=rng.uniform(0.0, duration * 1.1),
        )
        assert not trial.errors, trial.lines
        for side in ("-wal", "-shm", "-journal"):
            assert not Path(f"{target}{side}").exists()
        if not target.exists():
            outcomes["absent"] += 1
            continue
        assert len(check_open(target, read_only=True)) == size, "a half-written map"
        outcomes["whole"] += 1
    # A later successful create of the same name removes the temp files killed writes left.
    target.unlink(missing_ok=True)
    write_new_file(target, big_map(3))
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(f".{target.name}.")]
    assert leftovers == []
    assert outcomes["absent"] > 0
    STATS["create_trials"] = CREATE_TRIALS
    STATS["create_absent"] = outcomes["absent"]
    STATS["create_whole"] = outcomes["whole"]


@pytest.mark.parametrize("into", ["empty map", "small map", "new file"])
def test_killed_while_importing_leaves_the_map_as_it_was_or_whole(server, tmp_path, into):
    size = {"empty map": 1500, "small map": 120, "new file": 1500}[into]
    source = tmp_path / "inventory.json"
    source.write_text(interchange.dumps(big_map(size, prefix="Imported")), encoding="utf-8")
    target = tmp_path / "target.distarch"
    before = {"empty map": 0, "small map": 5, "new file": None}[into]

    def reset() -> None:
        for leftover in tmp_path.glob("target.distarch*"):
            leftover.unlink()
        if before is not None:
            write_new_file(target, big_map(before, prefix="Kept"))

    reset()
    duration = _timed(server, {"task": "import", "source": str(source), "target": str(target)})
    assert len(check_open(target, read_only=True)) == (before or 0) + size
    rng = random.Random(hash(into) & 0xFFFF)
    unchanged = 0
    for _ in range(IMPORT_TRIALS // 3 + 1):
        reset()
        trial = server.run(
            {"task": "import", "source": str(source), "target": str(target)},
            kill_after=rng.uniform(0.0, duration * 1.1),
        )
        assert not trial.errors, trial.lines
        if before is None and not target.exists():
            unchanged += 1
            continue
        arch = check_open(target)
        assert len(arch) in ((before or 0), (before or 0) + size), f"half an import: {len(arch)} channels"
        unchanged += len(arch) == (before or 0)
        kept = {c.name for c in arch.channels if c.name.startswith("Kept")}
        assert len(kept) == (before or 0)
    STATS[f"import_trials_{into}"] = IMPORT_TRIALS // 3 + 1
    STATS[f"import_unchanged_{into}"] = unchanged


def test_killed_while_migrating_leaves_the_old_file_or_the_new_and_a_whole_backup(server, tmp_path):
    path = tmp_path / "old.distarch"
    backup = Path(f"{path}.bak-v1")
    size = 1200
    arch = big_map(size)

    def reset() -> None:
        for leftover in tmp_path.glob("*old.distarch*"):
            leftover.unlink()
        write_new_file(path, arch, schema_version=1)

    reset()
    duration = _timed(server, {"task": "migrate", "path": str(path)})
    rng = random.Random(3)
    kept = 0
    for _ in range(MIGRATE_TRIALS):
        reset()
        trial = server.run(
            {"task": "migrate", "path": str(path)}, kill_after=rng.uniform(0.6, 1.05) * duration
        )
        assert not trial.errors, trial.lines
        if backup.exists():
            kept += 1
            assert len(check_open(backup, read_only=True)) == size, "a half backup"
        assert len(check_open(path)) == size  # opening again finishes (or redoes) the migration
        assert len(check_open(backup, read_only=True)) == size
        with MapDocument.open(path, read_only=True) as doc:
            assert doc.schema_version == SCHEMA_VERSION
    assert sorted(p.name for p in tmp_path.glob("*old.distarch*")) == ["old.distarch", "old.distarch.bak-v1"]
    STATS["migrate_trials"] = MIGRATE_TRIALS
    STATS["migrate_backup_kept"] = kept


def test_other_descriptors_of_the_map_do_not_drop_sqlites_locks(server, tmp_path):
    """A migrated map, a second window on it (by a link), an outside program: a crash still loses nothing."""
    path = tmp_path / "old.distarch"
    write_new_file(path, big_map(4), schema_version=1)
    trial = server.run({"task": "lock_drop", "path": str(path)}, kill_after=None)
    assert trial.status != 0  # it killed itself
    assert not trial.errors, trial.lines
    assert trial.numbers("ack") == [1, 2, 3]
    arch = check_open(path)
    assert e_numbers(arch) == {1, 2, 3}
    assert Path(f"{path}.bak-v1").exists()
    with MapDocument.open(path, read_only=True) as doc:
        assert doc.schema_version == SCHEMA_VERSION
