"""`LibraryMap`: one team library map as a `MapRepository` (desktop/document/repository.py).

A write is one transaction: the map row's revision goes up by one (that row
lock orders concurrent writers), the edits are applied to the rows, one row
is appended to the edit log (seq = the new revision, an edit id, the
`base_revision` the editor saw, who wrote it), and the score point is added.
Only when the commit returns is the new revision returned: a write that
fails for any reason, the server going away included, raises `WriteRefused`
and the editor puts its map back, so the window never shows an edit as saved
that the server did not commit. (If the connection drops during the commit
itself, the server may have kept it: the window reloads what the server
holds once it is back, and the edit id in the log says which.)

Live editing: each write also sends `NOTIFY distarch_edits, 'map-id:seq'` in
its transaction (delivered at commit; never the edit itself). `follow()`
listens on the map's connection; the window watches the socket, `poll` reads
the notifications, `pending` says this map moved on and `missed` returns the log
entries after the last one shown (desktop/document/live.py applies them).

While the server is away the map is read-only with that reason; `poll`
notices a dropped connection (the window watches the socket), `reconnect`
tries again.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Sequence
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from desktop.document.live import LogEntry
from desktop.document.repository import RepositoryError, ScorePoint, ScoreStamp, VersionInfo, WriteRefused
from desktop.domain import interchange
from desktop.domain.edits import (
    AddChannel,
    AddFlow,
    Edit,
    RemoveChannel,
    RemoveFlow,
    SetInfo,
)
from desktop.domain.errors import MapError
from desktop.domain.model import ArchitectureMap, fold
from desktop.domain.vocabulary import parse_currency, stored_currency
from desktop.store.library.catalog import (
    CURRENCY_KEY,
    Library,
    LibraryError,
    MapExists,
    clean_name,
    gone_message,
    now_iso,
)
from desktop.store.library.connection import ServerUnreachable
from desktop.store.library.editlog import edits_from_json, edits_to_json
from desktop.store.library.merging import EditWriter
from desktop.store.library.queries import q
from desktop.store.safety import build_checked

COMPACT_OVER = 1000  # log entries of one map before they are folded into a snapshot
COMPACT_EVERY = 250  # revisions between two looks at the log's length


class LibraryMap:
    """An open library map. Create through `Library.open` or `desktop.store.opening.open_map`."""

    def __init__(
        self,
        library: Library,
        map_id: uuid.UUID,
        *,
        read_only: bool = False,
        owns: bool = False,
        name: str = "",
    ):
        self.library = library
        self.map_id = map_id
        self._asked_read_only = read_only
        self._owns = owns
        self._revision = 0
        self._name = name or library.entry_by_id(map_id).name
        self.offline_reason = ""
        self._seen = 0  # the last log entry the editor shows
        self._own: set[int] = set()  # log entries this repository wrote
        self._notified = 0  # the highest entry the server announced
        self._following = False
        self.on_pending: Callable[[], None] | None = None  # told when the server announced an entry
        self.on_presence: Callable[[dict[str, Any]], None] | None = None  # someone's presence notice
        self._rewritten: dict[int, list[str]] = {}  # own entries the server wrote otherwise: the notices

    # --- where and who --------------------------------------------------------------------
    @property
    def name(self) -> str:
        return self._name

    @property
    def location(self) -> str:
        return self.library.address.with_map(self._name).public

    @property
    def where(self) -> str:
        """For the status bar: "team library: db on host"."""
        return f"team library: {self.library.where}"

    @property
    def read_only(self) -> bool:
        return self._asked_read_only or not self.library.writable or bool(self.offline_reason)

    @property
    def read_only_reason(self) -> str:
        if self.offline_reason:
            return self.offline_reason
        if not self.library.writable:
            return self.library.read_only_reason
        return "this map is open read-only" if self._asked_read_only else ""

    @property
    def revision(self) -> int:
        return self._revision

    # --- reading ------------------------------------------------------------------------------
    def load(self) -> ArchitectureMap:
        conn = self.library.conn
        with self._guard("read the map"), conn.transaction():
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            row = conn.execute(q()["map_row"], (self.map_id,)).fetchone()
            if row is None or row[-1] is not None:
                raise LibraryError(f"the map {self._name!r} was deleted from the team library")
            channels = conn.execute(q()["channels"], (self.map_id,)).fetchall()
            flows = conn.execute(q()["flows"], (self.map_id,)).fetchall()
            currency = conn.execute(q()["setting"], (self.map_id, CURRENCY_KEY)).fetchone()
        try:
            arch = build_checked(row[:4], channels, flows)
        except MapError as exc:
            raise LibraryError(f"the library map {self._name!r} breaks the map's rules ({exc})") from None
        arch.info.currency = stored_currency(currency[0] if currency else "")
        self._revision = row[4]
        self._seen = max(self._seen, row[4])
        self._name = arch.info.name
        return arch

    # --- writing ------------------------------------------------------------------------------
    def write(self, edits: Sequence[Edit], score: ScoreStamp | None, base_revision: int) -> int:
        if self.read_only:
            raise WriteRefused(self.read_only_reason)
        conn = self.library.conn
        stamp = now_iso()
        new_name = self._name
        with self._guard("save the edit", write=True), conn.transaction():
            row = conn.execute(q()["bump"], (stamp, self.library.author, 0, 0, self.map_id)).fetchone()
            if row is None:
                raise WriteRefused(f"the map {self._name!r} was deleted from the team library")
            revision = row[0]
            with conn.cursor() as cur:
                writer = EditWriter(cur, self.map_id)
                for edit in edits:
                    if isinstance(edit, SetInfo):
                        new_name = _set_info(cur, self.map_id, edit)
                        writer.logged.append(edit)
                    else:
                        writer.write(edit)
                logged = writer.logged
                cur.execute(q()["count"], (_net(logged, AddChannel, RemoveChannel),
                                           _net(logged, AddFlow, RemoveFlow), self.map_id))  # fmt: skip
                if score is not None:
                    cur.execute(q()["set_score"], (score.score, score.contract, self.map_id))
                    cur.execute(
                        q()["insert_score"],
                        (self.map_id, stamp, score.score, json.dumps(score.components), score.contract),
                    )
                cur.execute(
                    q()["log"],
                    (self.map_id, revision, uuid.uuid4(), base_revision, "edits", self.library.author,
                     Jsonb(edits_to_json(logged))),
                )  # fmt: skip
                cur.execute(q()["notify"], (NOTIFY_CHANNEL, f"{self.map_id}:{revision}"))
        if logged == list(edits):
            self._own.add(revision)
        else:  # the server wrote it otherwise (a name taken meanwhile, flows drawn to a deleted channel)
            self._rewritten[revision] = writer.notes
            self._notified = max(self._notified, revision)
            if self.on_pending is not None:
                self.on_pending()
        self._revision = revision
        self._name = new_name
        if revision % COMPACT_EVERY == 0:
            try:
                self.compact()
            except RepositoryError:
                pass  # the log stays long; nothing anyone sees depends on it
        return revision

    def append_score(self, score: ScoreStamp) -> None:
        if self.read_only:
            return
        with self._guard("save the score", write=True), self.library.conn.transaction():
            self.library.conn.execute(q()["set_score"], (score.score, score.contract, self.map_id))
            self.library.conn.execute(
                q()["insert_score"],
                (self.map_id, now_iso(), score.score, json.dumps(score.components), score.contract),
            )

    def score_history(self, limit: int | None = None) -> list[ScorePoint]:
        with self._guard("read the score history"):
            rows = self.library.conn.execute(q()["scores"], (self.map_id, limit)).fetchall()
        rows.reverse()
        return [ScorePoint(stamp, score, _json_dict(comp), contract) for stamp, score, comp, contract in rows]

    def setting(self, key: str, default: str = "") -> str:
        with self._guard("read a setting"):
            row = self.library.conn.execute(q()["setting"], (self.map_id, key)).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str) -> None:
        if self.read_only:
            return
        with self._guard("save a setting", write=True):
            self.library.conn.execute(q()["put_setting"], (self.map_id, key, value))

    # --- versions -----------------------------------------------------------------------------
    def _version_rows(self) -> list[tuple[Any, ...]]:
        with self._guard("list the versions"):
            return self.library.conn.execute(q()["versions"], (self.map_id,)).fetchall()

    def list_versions(self) -> list[VersionInfo]:
        return [
            VersionInfo(n, note, str(created), score, ch, fl, index)
            for n, note, created, score, ch, fl, index in self._version_rows()
        ]

    def version_marks(self) -> list[tuple[int, str]]:
        """(index in the score history, name) of each version, for the score chart."""
        return [(row[6], row[0]) for row in self._version_rows()]

    def _find_version(self, name: str) -> str | None:
        return next((v.name for v in self.list_versions() if fold(v.name) == fold(name)), None)

    def save_version(
        self, name: str, note: str, arch: ArchitectureMap, score: float, kept: VersionInfo | None = None
    ) -> VersionInfo:
        if self.read_only:
            raise WriteRefused(self.read_only_reason)
        clean = name.strip()
        if not clean:
            raise MapError("a version needs a name")
        if len(clean) > 120:
            raise MapError("a version name is at most 120 characters")
        existing = self._find_version(clean)
        if existing is not None:
            raise MapError(f"a version named {existing!r} already exists")
        conn = self.library.conn
        with self._guard("save the version", write=True), conn.transaction():
            count = conn.execute(q()["count_scores"], (self.map_id,)).fetchone()[0]  # type: ignore[index]
            created, index = (kept.created, kept.history_index) if kept is not None else (now_iso(), count)
            conn.execute(
                q()["insert_version"],
                (self.map_id, clean, note, created, score, interchange.dumps(arch), index, len(arch),
                 len(arch.flows)),
            )  # fmt: skip
        return next(v for v in self.list_versions() if v.name == clean)

    def load_version(self, name: str) -> ArchitectureMap:
        found = self._find_version(name)
        if found is None:
            known = ", ".join(repr(v.name) for v in self.list_versions()) or "none saved yet"
            raise MapError(f"no version named {name.strip()!r} (versions: {known})")
        with self._guard("read the version"):
            row = self.library.conn.execute(q()["version_snapshot"], (self.map_id, found)).fetchone()
        return interchange.loads(row[0] if row else "")

    def rename_version(self, old: str, new: str) -> None:
        found = self._find_version(old)
        if found is None:
            raise MapError(f"no version named {old!r}")
        clean = new.strip()
        if not clean:
            raise MapError("a version needs a name")
        other = self._find_version(clean)
        if other is not None and other != found:
            raise MapError(f"a version named {clean!r} already exists")
        with self._guard("rename the version", write=True):
            self.library.conn.execute(q()["rename_version"], (clean, self.map_id, found))

    def delete_version(self, name: str) -> None:
        found = self._find_version(name)
        if found is None:
            raise MapError(f"no version named {name!r}")
        with self._guard("delete the version", write=True):
            self.library.conn.execute(q()["delete_version"], (self.map_id, found))

    # --- following others' edits -----------------------------------------------------------
    def follow(self) -> None:
        """Listen for other people's writes to this map (again after a reconnect)."""
        self._following = True
        conn = self.library.conn
        conn.add_notify_handler(self._on_notify)
        with self._guard("follow the map"):
            conn.execute(q()["listen"])

    def compact(self, threshold: int = COMPACT_OVER) -> bool:
        """Fold a log longer than `threshold` into one snapshot at the current revision.

        What any client sees does not change: one that had applied everything has nothing
        to fetch; one behind gets the snapshot and reads the map again (`missed`).
        """
        conn = self.library.conn
        with self._guard("compact the edit log", write=True), conn.transaction():
            count = conn.execute(q()["log_count"], (self.map_id,)).fetchone()
            if count is None or count[0] <= threshold:
                return False
            row = conn.execute(q()["lock_map"], (self.map_id,)).fetchone()
            if row is None:
                return False
            revision = row[0]
            header = conn.execute(q()["map_row"], (self.map_id,)).fetchone()
            channels = conn.execute(q()["channels"], (self.map_id,)).fetchall()
            flows = conn.execute(q()["flows"], (self.map_id,)).fetchall()
            arch = build_checked(header[:4], channels, flows)  # type: ignore[index]
            conn.execute(q()["log_drop"], (self.map_id, revision))
            conn.execute(
                q()["log"],
                (self.map_id, revision, uuid.uuid4(), revision - 1, "snapshot", self.library.author,
                 Jsonb(json.loads(interchange.dumps(arch)))),
            )  # fmt: skip
        return True

    def announce(self, state: dict[str, Any]) -> None:
        """Tell the others in this map who is here and what they selected (NOTIFY only, nothing stored).

        Read-only viewers announce too; a failure is silent (presence is a courtesy).
        """
        payload = json.dumps({"m": str(self.map_id), **state}, separators=(",", ":"))
        if len(payload) > 7000:  # NOTIFY payloads stop near 8 kB: the selection is cut short
            state = {**state, "sel": list(state.get("sel", []))[:100]}
            payload = json.dumps({"m": str(self.map_id), **state}, separators=(",", ":"))
        if self.offline_reason:
            return
        try:
            self.library.conn.execute(q()["notify"], (PRESENCE_CHANNEL, payload[:7900]))
        except psycopg.Error:
            pass

    def _on_notify(self, note: psycopg.Notify) -> None:
        if note.channel == PRESENCE_CHANNEL:
            self._on_presence(note.payload)
            return
        map_id, _, seq = note.payload.partition(":")
        if note.channel == NOTIFY_CHANNEL and map_id == str(self.map_id) and seq.isdigit():
            self._notified = max(self._notified, int(seq))
            if self.on_pending is not None:
                self.on_pending()  # the notice may have come in while another query ran

    def _on_presence(self, payload: str) -> None:
        try:
            state = json.loads(payload)
        except ValueError:
            return
        if isinstance(state, dict) and state.get("m") == str(self.map_id) and self.on_presence is not None:
            self.on_presence(state)

    @property
    def pending(self) -> bool:
        gap = range(self._seen + 1, self._notified + 1)
        return len(gap) > 0 and (len(gap) > 64 or not all(s in self._own for s in gap))

    def missed(self) -> list[LogEntry]:
        """Log entries after the last one shown, in order; own ones marked. Marks them seen."""
        with self._guard("read the edit log"):
            rows = self.library.conn.execute(q()["log_since"], (self.map_id, self._seen)).fetchall()
        entries = []
        for seq, _edit_id, _base, kind, author, _role, _at, body in rows:
            snapshot = kind != "edits"
            edits = [] if snapshot else edits_from_json(body if isinstance(body, dict) else json.loads(body))
            notes = self._rewritten.pop(seq, None)
            if notes is not None:  # our own edit, written otherwise: read the map again, say why
                entries.append(LogEntry(seq, author, edits, own=True, snapshot=True, base=_base, notes=notes))
                continue
            entries.append(LogEntry(seq, author, edits, own=seq in self._own, snapshot=snapshot, base=_base))
        if entries:
            self._seen = entries[-1].seq
            self._revision = max(self._revision, self._seen)
            self._own = {s for s in self._own if s > self._seen}
        return entries

    # --- the connection -------------------------------------------------------------------------
    def socket(self) -> int | None:
        """The connection's socket, for the window to watch (it turns readable when the server leaves)."""
        try:
            return None if self.offline_reason else self.library.conn.fileno()
        except Exception:  # noqa: BLE001
            return None

    def poll(self) -> bool:
        """Whether the server is still there (reads what it sent; a closed connection goes offline)."""
        if self.offline_reason:
            return False
        conn = self.library.conn
        try:
            conn.execute("SELECT 1")
            return True
        except psycopg.Error:
            if conn.closed or conn.broken:
                self.offline_reason = gone_message(self.library.where)
                return False
            return True

    def reconnect(self) -> bool:
        """Try to reach the server again; True when back (the caller reloads the map)."""
        try:
            self.library.reconnect()
        except LibraryError:
            return False
        self.offline_reason = ""
        if self._following:
            try:
                self.follow()
            except LibraryError:
                return False
        return True

    def close(self) -> None:
        if self._owns:
            self.library.close()

    def __enter__(self) -> LibraryMap:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _guard(self, doing: str, write: bool = False):
        return _MapGuard(self, doing, write)


NOTIFY_CHANNEL = "distarch_edits"
PRESENCE_CHANNEL = "distarch_presence"


class _MapGuard:
    def __init__(self, repo: LibraryMap, doing: str, write: bool) -> None:
        self.repo, self.doing, self.write = repo, doing, write

    def __enter__(self) -> None:
        if self.repo.offline_reason:
            raise (WriteRefused if self.write else ServerUnreachable)(self.repo.offline_reason)

    def __exit__(self, kind, exc, tb) -> None:
        if exc is None or not isinstance(exc, psycopg.Error):
            return
        library = self.repo.library
        if not library.connected:
            self.repo.offline_reason = gone_message(library.where)
            raise (WriteRefused if self.write else ServerUnreachable)(self.repo.offline_reason) from None
        if isinstance(exc, psycopg.errors.ForeignKeyViolation):
            raise WriteRefused(
                "someone else deleted a channel at one end of this flow: nothing was saved"
            ) from None
        constraint = getattr(getattr(exc, "diag", None), "constraint_name", None) or ""
        if isinstance(exc, psycopg.errors.UniqueViolation) and constraint == "uq_flow_map_pair":
            raise WriteRefused("someone else drew this flow at the same time: nothing was saved") from None
        if isinstance(exc, psycopg.errors.UniqueViolation):
            raise WriteRefused(
                "another map in the team library already has that name: nothing was saved"
            ) from None
        if isinstance(exc, psycopg.errors.InsufficientPrivilege | psycopg.errors.ReadOnlySqlTransaction):
            raise WriteRefused(
                f"your PostgreSQL role {library.role} may not change this team library"
            ) from None
        diag = getattr(exc, "diag", None)
        text = " ".join(str(getattr(diag, "message_primary", None) or exc).split())
        raise (WriteRefused if self.write else LibraryError)(f"could not {self.doing}: {text}") from None


def _net(edits: list[Edit], added: type, removed: type) -> int:
    return sum(isinstance(e, added) for e in edits) - sum(isinstance(e, removed) for e in edits)


def _set_info(cur: psycopg.Cursor[Any], map_id: uuid.UUID, edit: SetInfo) -> str:
    """Write the map's name and description, and its currency when the edit sets one (a setting row,
    as in a .distarch file); returns the name."""
    try:
        clean = clean_name(edit.name)
        currency = None if edit.currency is None else parse_currency(edit.currency)
    except LibraryError as exc:
        raise WriteRefused(exc.message) from None
    except ValueError as exc:
        raise WriteRefused(str(exc)) from None
    cur.execute(q()["set_info"], (clean, fold(clean), edit.description, map_id))
    if currency is not None:
        cur.execute(q()["put_setting"], (map_id, CURRENCY_KEY, currency))
    return clean


def _json_dict(text: object) -> dict[str, float]:
    try:
        value = json.loads(text) if isinstance(text, str | bytes) else None
        return {str(k): float(v) for k, v in value.items()} if isinstance(value, dict) else {}
    except (ValueError, TypeError, RecursionError):
        return {}


__all__ = ["LibraryMap", "MapExists"]
