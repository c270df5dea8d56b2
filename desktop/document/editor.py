"""`MapEditor`: the one door for every write to an open map (pure Python: no Qt, no concrete store).

The route of an edit: `perform(text, edits)` checks and applies primitive edits
(desktop.domain.edits, each with an exact inverse) to the map, writes them and
the score after them to the repository in one `write`, records one history
step (consecutive steps with the same merge key fold into one, so typing a
name is one undo step) and tells every listener once with a `Change`. If the
repository refuses the write, the map is put back: nothing is shown that the
repository does not hold.

Edits that arrive from elsewhere (another editor of the same repository, a
server, the workshop room) enter through `apply_remote`: the same `Change`,
and never a step of the local history. Versions (save, rename, delete) are
history steps too, announced with `Change.versions`.

The Qt adapter (desktop.commands.session) re-emits the changes as a signal and
mirrors the history on a QUndoStack whose commands call `undo`/`redo` here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from desktop.document.repository import MapRepository, RepositoryError, ScoreStamp, VersionInfo, WriteRefused
from desktop.domain import edits as kinds
from desktop.domain.coherence import CoherenceReport, assess
from desktop.domain.edits import Edit, apply_all, apply_narrowed
from desktop.domain.errors import MapError
from desktop.domain.model import ArchitectureMap, fold


@dataclass
class Change:
    """What an edit touched, so views update only that (`reset`: everything, on open or reload)."""

    channels: set[str] = field(default_factory=set)
    flows: set[tuple[str, str]] = field(default_factory=set)
    info: bool = False
    reset: bool = False
    versions: bool = False

    @classmethod
    def of(cls, edits: Sequence[Edit]) -> Change:
        change = cls()
        for edit in edits:
            match edit:
                case kinds.AddChannel(channel) | kinds.UpdateChannel(channel):
                    change.channels.add(channel.id)
                case kinds.RemoveChannel(channel_id):
                    change.channels.add(channel_id)
                case kinds.AddFlow(flow) | kinds.UpdateFlow(flow):
                    change.flows.add(flow.pair)
                case kinds.RemoveFlow(source, target):
                    change.flows.add((source, target))
                case kinds.SetInfo():
                    change.info = True
        return change


@dataclass(frozen=True)
class Result:
    """How `perform`, `undo`, `redo` and the version operations went.

    Truthy when `ok`, so `if editor.perform(...)` reads naturally. `reason` is
    one line for a person; `new_ids` the channels the edit added; `write_failed`
    says the repository refused to keep it (the caller reloads); `merged` that
    the step folded into the previous one.
    """

    ok: bool
    reason: str = ""
    new_ids: tuple[str, ...] = ()
    write_failed: bool = False
    merged: bool = False
    kept: bool = False  # refused before changing anything: the history stays where it was

    def __bool__(self) -> bool:
        return self.ok


@dataclass
class VersionStep:
    """A saved, renamed or deleted version, with what undoing it needs."""

    kind: str  # "save", "rename" or "delete"
    name: str
    new_name: str = ""
    note: str = ""
    snapshot: ArchitectureMap | None = None
    score: float = 0.0
    kept: VersionInfo | None = None  # the version as saved: undoing a deletion brings back its time


@dataclass
class Step:
    """One entry of the history: map edits and their inverses, or a version operation."""

    text: str
    edits: list[Edit]
    inverses: list[Edit]
    merge_key: str = ""
    version: VersionStep | None = None


Listener = Callable[[Change], None]


class MapEditor:
    """An open map: the map, its coherence report, its history, its listeners."""

    def __init__(self, repository: MapRepository) -> None:
        self.repository = repository
        self.map: ArchitectureMap = repository.load()
        self.report: CoherenceReport = assess(self.map)
        self._revision = repository.revision
        self._steps: list[Step] = []
        self._done = 0
        self._listeners: list[Listener] = []
        self._versions: list[VersionInfo] | None = None
        self.contract_changed = False  # opened with history rows of an older contract (the v2 notice)
        self._record_opening_score()

    # --- reading --------------------------------------------------------------------
    @property
    def read_only(self) -> bool:
        return self.repository.read_only

    @property
    def read_only_reason(self) -> str:
        return self.repository.read_only_reason or "this map is read-only"

    @property
    def location(self) -> str:
        return self.repository.location

    @property
    def history(self) -> list[str]:
        """The text of every step, oldest first; `undo_count` of them are done."""
        return [step.text for step in self._steps]

    @property
    def undo_count(self) -> int:
        return self._done

    # --- listeners --------------------------------------------------------------------
    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call `listener(change)` after every change; returns the function that stops it."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def _announce(self, change: Change) -> None:
        for listener in list(self._listeners):
            listener(change)

    # --- editing ------------------------------------------------------------------------
    def perform(self, text: str, edits: Sequence[Edit], merge_key: str = "") -> Result:
        """Apply a user's edit as one history step (merged with the previous one of the same key)."""
        edits = list(edits)
        if not edits:
            return Result(True)
        if self.read_only:
            return Result(False, self.read_only_reason)
        try:
            edits, inverses = apply_narrowed(self.map, edits)
        except (MapError, KeyError, ValueError) as exc:
            return Result(False, _reason(exc))
        written = self._write(edits, inverses)
        if not written:
            return written
        merged = self._record(Step(text, edits, inverses, merge_key))
        self._announce(Change.of(edits))
        new_ids = tuple(e.channel.id for e in edits if isinstance(e, kinds.AddChannel))
        return Result(True, new_ids=new_ids, merged=merged)

    def apply_remote(self, edits: Sequence[Edit], revision: int | None = None) -> Change:
        """Edits another writer already stored: shown like a local edit, never in the local history.

        A list that no longer fits this map (it moved on) reloads what the repository holds.
        """
        edits = list(edits)
        try:
            apply_all(self.map, edits)
        except (MapError, KeyError, ValueError):
            self.reload()
            return Change(reset=True)
        if revision is not None:
            self._revision = revision
        self.report = assess(self.map)
        change = Change.of(edits)
        self._announce(change)
        return change

    def refresh(self, revision: int | None = None) -> Change:
        """Show what the repository holds now, keeping the history (a shared map moved on under us)."""
        self.map = self.repository.load()
        self._revision = max(self.repository.revision, revision or 0)
        self.report = assess(self.map)
        change = Change(reset=True)
        self._announce(change)
        return change

    def seen(self, revision: int) -> None:
        """The repository's log up to `revision` is shown (own and others' edits applied)."""
        self._revision = max(self._revision, revision)

    def undo(self) -> Result:
        """Undo this editor's own last step (a new write); refused if someone changed it since."""
        if self._done == 0:
            return Result(False, "nothing to undo")
        overwrites = self._overwrites(self._steps[self._done - 1].edits, "undo")
        if overwrites:
            return Result(False, overwrites, kept=True)
        self._done -= 1
        step = self._steps[self._done]
        if step.version is not None:
            return self._replay_version(step.version, forward=False)
        return self._replay(step.inverses)

    def redo(self) -> Result:
        if self._done == len(self._steps):
            return Result(False, "nothing to redo")
        overwrites = self._overwrites(self._steps[self._done].inverses, "redo")
        if overwrites:
            return Result(False, overwrites, kept=True)
        step = self._steps[self._done]
        self._done += 1
        if step.version is not None:
            return self._replay_version(step.version, forward=True)
        return self._replay(step.edits)

    def reload(self) -> None:
        """Show exactly what the repository holds and forget the history (after a failed write)."""
        self.map = self.repository.load()
        self._revision = self.repository.revision
        self.report = assess(self.map)
        self._steps.clear()
        self._done = 0
        self._versions = None
        self._announce(Change(reset=True, versions=True))

    def close(self) -> None:
        self._steps.clear()
        self._done = 0
        self._listeners.clear()
        self.repository.close()

    # --- versions ------------------------------------------------------------------------
    def versions(self) -> list[VersionInfo]:
        """The map's versions, oldest first (read again only after they changed)."""
        if self._versions is None:
            self._versions = self.repository.list_versions()
        return self._versions

    def find_version(self, name: str) -> VersionInfo | None:
        return next((v for v in self.versions() if fold(v.name) == fold(name)), None)

    def load_version(self, name: str) -> ArchitectureMap:
        return self.repository.load_version(name)

    def save_version(self, name: str, note: str = "") -> Result:
        """Keep the map as it is now under `name`: one undoable step."""
        step = VersionStep("save", name.strip(), note=note, snapshot=self.map.copy(), score=self.report.score)
        return self._version_step(f"Save version {name.strip()}", step)

    def rename_version(self, old: str, new: str) -> Result:
        found = self.find_version(old)
        shown = found.name if found is not None else old
        return self._version_step(
            f"Rename version {shown} to {new.strip()}", VersionStep("rename", shown, new.strip())
        )

    def delete_version(self, name: str) -> Result:
        found = self.find_version(name)
        if found is None:
            return Result(False, f"no version named {name!r}")
        try:
            snapshot = self.repository.load_version(found.name)
        except MapError as exc:
            return Result(False, exc.message)
        step = VersionStep(
            "delete", found.name, note=found.note, snapshot=snapshot, score=found.score, kept=found
        )
        return self._version_step(f"Delete version {found.name}", step)

    def _version_step(self, text: str, step: VersionStep) -> Result:
        if self.read_only:
            return Result(False, self.read_only_reason)
        done = self._apply_version(step, forward=True)
        if done:
            self._record(Step(text, [], [], version=step))
        return done

    def _apply_version(self, step: VersionStep, forward: bool) -> Result:
        repo = self.repository
        try:
            if step.kind == "rename":
                old, new = (step.name, step.new_name) if forward else (step.new_name, step.name)
                repo.rename_version(old, new)
            elif (step.kind == "save") == forward:
                assert step.snapshot is not None
                saved = repo.save_version(step.name, step.note, step.snapshot, step.score, step.kept)
                step.kept = step.kept or saved  # redoing a save, or undoing a delete, keeps its time
            else:
                repo.delete_version(step.name)
        except MapError as exc:
            return Result(False, exc.message, write_failed=isinstance(exc, WriteRefused))
        self._versions = None
        self._announce(Change(versions=True))
        return Result(True)

    # --- inside -------------------------------------------------------------------------------
    def _record(self, step: Step) -> bool:
        """Add a step after the done ones (dropping the undone); True if it merged into the last."""
        del self._steps[self._done :]
        last = self._steps[-1] if self._steps else None
        if step.merge_key and last is not None and last.merge_key == step.merge_key and last.version is None:
            last.edits = last.edits + step.edits
            last.inverses = step.inverses + last.inverses
            return True
        self._steps.append(step)
        self._done = len(self._steps)
        return False

    def _overwrites(self, done: list[Edit], verb: str) -> str:
        """Why undoing (or redoing) would overwrite someone else's newer change, or "".

        `done`: the edits whose field values the map should still show (a field-level update is
        undone only while the map holds what it set; someone else's later value is kept).
        """
        expected: dict[tuple[str, str], object] = {}
        for edit in done:
            if isinstance(edit, kinds.UpdateChannel) and edit.fields is not None:
                for name in edit.fields:
                    expected[(edit.channel.id, name)] = getattr(edit.channel, name)
        for (cid, name), value in expected.items():
            if not self.map.has_channel(cid):
                return f"cannot {verb}: someone else deleted that channel since"
            channel = self.map.channel(cid)
            if getattr(channel, name) != value:
                word = {"x": "place", "y": "place"}.get(name, name.replace("_", " "))
                return f"cannot {verb}: someone else changed the {word} of {channel.name!r} since, and {verb} would overwrite it"
        return ""

    def _replay(self, edits: list[Edit]) -> Result:
        """Undo/redo: re-apply a recorded list; a list out of step with the map reloads."""
        try:
            inverses = apply_all(self.map, edits)
        except (MapError, KeyError, ValueError) as exc:
            return Result(False, f"could not undo or redo: {_reason(exc)}")
        written = self._write(edits, inverses)
        if written:
            self._announce(Change.of(edits))
        return written

    def _replay_version(self, step: VersionStep, forward: bool) -> Result:
        done = self._apply_version(step, forward)
        return done if done else Result(False, done.reason, write_failed=True)

    def _write(self, edits: list[Edit], inverses: list[Edit]) -> Result:
        # Positions never change the score (coherence.md), so a move keeps the report it had.
        report = self.report if _moves_only(edits, inverses) else assess(self.map)
        try:
            self._revision = self.repository.write(edits, _stamp(report), self._revision)
        except MapError as exc:
            apply_all(self.map, inverses)
            return Result(False, exc.message, write_failed=True)
        self.report = report
        return Result(True)

    def _record_opening_score(self) -> None:
        """A map's history starts with its score as opened, so the line has a first point; a map first
        opened under a newer contract gets a row of that contract (the chart starts its new line there)."""
        if self.read_only:
            return
        last = self.repository.score_history(limit=1)
        self.contract_changed = bool(last) and last[-1].contract != self.report.version
        if last and not self.contract_changed:
            return
        try:
            self.repository.append_score(_stamp(self.report))
        except RepositoryError:
            pass


def _stamp(report: CoherenceReport) -> ScoreStamp:
    return ScoreStamp(report.score, dict(report.components), report.version)


def _moves_only(edits: list[Edit], inverses: list[Edit]) -> bool:
    """Whether the edits only move channels within their lanes (the most frequent edit, a drag)."""
    before = {e.channel.id: e.channel for e in inverses if isinstance(e, kinds.UpdateChannel)}
    for edit in edits:
        if not isinstance(edit, kinds.UpdateChannel):
            return False
        if edit.fields is not None:
            if not set(edit.fields) <= {"x", "y"}:
                return False
            continue
        old = before.get(edit.channel.id)
        if old is None or edit.channel.with_changes(x=old.x, y=old.y) != old:
            return False
    return True


def _reason(exc: BaseException) -> str:
    if isinstance(exc, MapError):
        return exc.message
    if isinstance(exc, KeyError):
        return f"{exc.args[0]!r} no longer exists"
    return str(exc)
