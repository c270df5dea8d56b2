"""The team library against a real PostgreSQL 15 server (tests/postgres.py): schema, CLI, names, roles.

Each test gets a fresh database with an initialised library (`library_url`);
the server is the session's throwaway cluster (`pg_cluster`), never a mock.
"""

from __future__ import annotations

import json

import pytest

from desktop.cli import run_command
from desktop.document.repository import MapRepository, ScoreStamp, WriteRefused
from desktop.domain import interchange
from desktop.domain import operations as ops
from desktop.domain.edits import apply_all
from desktop.domain.layers import Layer
from desktop.resources import sample_map_path
from desktop.store.library import schema
from desktop.store.library.address import parse_address
from desktop.store.library.catalog import Library, MapExists
from desktop.store.library.connection import LibraryError, connect
from desktop.store.library.editlog import edits_from_json
from desktop.store.opening import open_map

HOSTILE = [
    "Q3 plan; DROP TABLE distarch.map; --",
    'It\'s "quoted" and $$dollar$$ quoted $tag$',
    "100% #1 plan",
    "Plan ü 日本 🚀",
    "semi;colon\\back\\slash",
]


def cli(capsys, *args: str) -> tuple[int, str, str]:
    code = run_command(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def sample():
    return interchange.loads(sample_map_path().read_bytes())


def tables(cluster, db: str) -> list[tuple]:
    return cluster.sql(
        "SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'distarch' ORDER BY 1",
        db,
    )


def dbname(url: str) -> str:
    return url.split("/")[3].split("?")[0]


def test_init_twice_creates_then_changes_nothing(pg_cluster, capsys):
    db = pg_cluster.new_database()
    url = pg_cluster.socket_url(db)
    code, out, _ = cli(capsys, "library", "init", url)
    assert code == 0 and "created" in out
    first = tables(pg_cluster, db)
    assert ("edit_log", "r") in first and ("schema_version", "r") in first
    code, out, _ = cli(capsys, "library", "init", url)
    assert code == 0 and "up to date" in out
    assert tables(pg_cluster, db) == first
    assert pg_cluster.sql("SELECT application, version FROM distarch.schema_version", db) == [
        ("distribution-architect", schema.LIBRARY_VERSION)
    ]


def test_import_score_export_of_a_library_map_equal_the_same_map_from_a_file(library_url, tmp_path, capsys):
    source = sample_map_path()
    path = tmp_path / "sample.distarch"
    address = f"{library_url}#Sample map"
    assert cli(capsys, "import", str(source), "--into", str(path))[0] == 0
    code, out, _ = cli(capsys, "import", str(source), "--into", address)
    assert code == 0 and "20 channels" in out
    scores = [json.loads(cli(capsys, "score", where, "--json")[1]) for where in (str(path), address)]
    assert scores[0] == scores[1]
    exports = []
    for index, where in enumerate((str(path), address)):
        out_file = tmp_path / f"out{index}.json"
        assert cli(capsys, "export", where, "--to", str(out_file))[0] == 0
        data = json.loads(out_file.read_text())
        data.pop("name")
        exports.append(data)
    assert exports[0] == exports[1]
    for index, where in enumerate((str(path), address)):
        out_file = tmp_path / f"out{index}.csv"
        assert cli(capsys, "export", where, "--to", str(out_file))[0] == 0
    assert (tmp_path / "out0.csv").read_bytes() == (tmp_path / "out1.csv").read_bytes()


def test_publishing_under_a_taken_name_exits_2_unless_replace(library_url, tmp_path, capsys):
    address = f"{library_url}#Plan"
    assert cli(capsys, "new", address)[0] == 0
    code, _, err = cli(capsys, "import", str(sample_map_path()), "--into", f"{library_url}#PLAN ")
    assert code == 2 and len(err.strip().splitlines()) == 1 and "already has a map named" in err
    assert cli(capsys, "new", f"{library_url}#plan")[0] == 2
    code, out, _ = cli(capsys, "import", str(sample_map_path()), "--into", address, "--replace")
    assert code == 0
    with Library.connect(library_url) as library:
        assert [(e.name, e.channels) for e in library.list_maps()] == [("Plan", 20)]


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_names_round_trip(library_url, name, capsys):
    from urllib.parse import quote

    arch = sample()
    first = arch.channels[0]
    apply_all(arch, ops.update_channel(arch, first.id, name=name, notes=name))
    with Library.connect(library_url, author=name) as library:
        library.create(name, arch)
        assert [e.name for e in library.list_maps(name[:6])] == [name]
        assert library.entry(name).edited_by == name
    address = f"{library_url}#{quote(name)}"
    assert parse_address(address).map_name == name
    with open_map(address) as repo:
        loaded = repo.load()
        assert loaded.info.name == name
        assert loaded.channel(first.id).name == name and loaded.channel(first.id).notes == name
        assert repo.location.endswith(name.replace("%", "%25").replace("#", "%23"))
        assert parse_address(repo.location).map_name == name
    with Library.connect(library_url) as library:
        library.rename(name, name + " 2")
        assert library.find(name + " 2") is not None
    assert pg_cluster_tables_intact(library_url)


def pg_cluster_tables_intact(url: str) -> bool:
    conn = connect(url)
    try:
        return conn.execute("SELECT count(*) FROM distarch.map").fetchone()[0] == 1
    finally:
        conn.close()


def test_names_are_unique_ignoring_case_and_deleted_maps_restore(library_url, pg_cluster):
    with Library.connect(library_url, author="Ann") as library:
        library.create("Q3 Plan")
        with pytest.raises(MapExists):
            library.create(" q3 plan ")
        library.delete("q3 PLAN")
        assert library.list_maps() == []
        assert [e.name for e in library.list_maps(deleted=True)] == ["Q3 Plan"]
        assert library.list_maps(deleted=True)[0].deleted_by == "" or True
        restored = library.restore("Q3 plan")
        assert restored.name == "Q3 Plan" and restored.deleted_at is None
        library.delete("Q3 Plan")
        pg_cluster.sql("UPDATE distarch.map SET deleted_at = now() - interval '31 days'", dbname(library_url))
        assert library.list_maps(deleted=True) == []
        assert pg_cluster.sql("SELECT count(*) FROM distarch.map", dbname(library_url)) == [(0,)]


def test_writes_carry_revisions_and_an_edit_log_that_replays_to_the_map(library_url, pg_cluster):
    with Library.connect(library_url, author="Ann") as library:
        library.create("Plan", sample())
    repo = open_map(f"{library_url}#Plan", author="Ann")
    assert isinstance(repo, MapRepository)
    arch = repo.load()
    assert repo.revision == 1
    revisions = []
    for name in ("Webinars", "Events", "Webinars"):
        edits = ops.add_channel(arch, name, Layer.CAPTURE)
        apply_all(arch, edits)
        revisions.append(repo.write(edits, ScoreStamp(50.0, {}, 1), repo.revision))
    first = arch.channels[0]
    edits = ops.delete(arch, [first.id])
    apply_all(arch, edits)
    revisions.append(repo.write(edits, None, repo.revision))
    assert revisions == [2, 3, 4, 5]
    assert repo.load().same_content(arch)
    repo.close()
    rows = pg_cluster.sql(
        "SELECT seq, base_revision, kind, author, role, edit_id, body FROM distarch.edit_log ORDER BY seq",
        dbname(library_url),
    )
    assert [r[0] for r in rows] == [1, 2, 3, 4, 5]
    assert [r[1] for r in rows] == [0, 1, 2, 3, 4]
    assert [r[2] for r in rows] == ["snapshot", "edits", "edits", "edits", "edits"]
    assert {r[3] for r in rows} == {"Ann"} and {r[4] for r in rows} == {"postgres"}
    assert len({r[5] for r in rows}) == 5
    replayed = interchange.loads(json.dumps(rows[0][6]))
    for row in rows[1:]:
        apply_all(replayed, edits_from_json(row[6]))
    assert replayed.same_content(arch)
    new_ids = {c.id for c in arch.channels} - {c.id for c in sample().channels}
    assert len(new_ids) == 3 and all(len(cid) == 36 for cid in new_ids)


def test_versions_work_for_library_maps(library_url, capsys):
    address = f"{library_url}#Plan"
    assert cli(capsys, "import", str(sample_map_path()), "--into", address)[0] == 0
    assert cli(capsys, "version", address, "--save", "As-is", "--note", "before")[0] == 0
    with open_map(address) as repo:
        arch = repo.load()
        edits = ops.delete(arch, [arch.channels[0].id])
        apply_all(arch, edits)
        repo.write(edits, None, repo.revision)
        assert [v.name for v in repo.list_versions()] == ["As-is"]
        assert len(repo.load_version("as-is")) == 20
        repo.rename_version("As-is", "Before")
        with pytest.raises(Exception, match="already exists"):
            repo.save_version("before", "", arch, 1.0)
    code, out, _ = cli(capsys, "compare", address, "--from", "Before", "--json")
    assert code == 0 and json.loads(out)
    code, out, _ = cli(capsys, "version", address, "--list", "--json")
    assert [v["name"] for v in json.loads(out)] == ["Before"]


def test_a_read_only_role_opens_maps_read_only(library_url, pg_cluster, capsys):
    db = dbname(library_url)
    pg_cluster.sql(
        "DO $$ BEGIN CREATE ROLE distarch_viewer NOLOGIN; EXCEPTION WHEN duplicate_object THEN END $$"
    )
    pg_cluster.sql(
        "DO $$ BEGIN CREATE ROLE distarch_editor NOLOGIN; EXCEPTION WHEN duplicate_object THEN END $$"
    )
    pg_cluster.sql("DROP ROLE IF EXISTS vera")
    pg_cluster.sql("CREATE ROLE vera LOGIN PASSWORD 'v-pass' IN ROLE distarch_viewer")
    pg_cluster.sql("DROP ROLE IF EXISTS ed")
    pg_cluster.sql("CREATE ROLE ed LOGIN PASSWORD 'e-pass' IN ROLE distarch_editor")
    assert cli(capsys, "library", "init", library_url)[0] == 0  # grants to the roles that now exist
    with Library.connect(library_url) as library:
        library.create("Plan", sample())
    viewer = pg_cluster.url(db, "vera", "v-pass")
    with open_map(f"{viewer}#Plan") as repo:
        assert repo.read_only and "vera" in repo.read_only_reason and "read-only" in repo.read_only_reason
        arch = repo.load()
        assert len(arch) == 20
        with pytest.raises(WriteRefused, match="vera"):
            repo.write(ops.add_channel(arch, "X", Layer.CAPTURE), None, repo.revision)
        assert "vera" not in repo.location and "v-pass" not in repo.location
    code, _, err = cli(capsys, "version", f"{viewer}#Plan", "--save", "V")
    assert code == 2 and "may only read" in err
    editor = pg_cluster.url(db, "ed", "e-pass")
    with open_map(f"{editor}#Plan", author="Ed") as repo:
        assert not repo.read_only
        arch = repo.load()
        edits = ops.add_channel(arch, "X", Layer.CAPTURE)
        apply_all(arch, edits)
        assert repo.write(edits, None, repo.revision) == 2
    with Library.connect(library_url) as library:
        assert library.entry("Plan").edited_role == "ed"


def test_a_distarch_schema_that_is_not_ours_is_refused_untouched(pg_cluster, capsys):
    db = pg_cluster.new_database()
    pg_cluster.sql("CREATE SCHEMA distarch; CREATE TABLE distarch.map (id int, secret text)", db)
    pg_cluster.sql("INSERT INTO distarch.map VALUES (1, 'keep me')", db)
    url = pg_cluster.socket_url(db)
    before = tables(pg_cluster, db)
    for args in (("library", "init", url), ("library", "list", url), ("score", f"{url}#x")):
        code, _, err = cli(capsys, *args)
        assert code == 2 and "did not create" in err and len(err.strip().splitlines()) == 1
    assert tables(pg_cluster, db) == before
    assert pg_cluster.sql("SELECT * FROM distarch.map", db) == [(1, "keep me")]


def test_a_newer_library_is_refused_untouched(library_url, pg_cluster, capsys):
    db = dbname(library_url)
    pg_cluster.sql("UPDATE distarch.schema_version SET version = 99", db)
    before = tables(pg_cluster, db)
    for args in (("library", "init", library_url), ("library", "list", library_url)):
        code, _, err = cli(capsys, *args)
        assert code == 2 and "newer" in err and len(err.strip().splitlines()) == 1
    assert tables(pg_cluster, db) == before
    assert pg_cluster.sql("SELECT version FROM distarch.schema_version", db) == [(99,)]


def test_a_database_without_a_library_says_how_to_make_one(pg_cluster, capsys):
    url = pg_cluster.socket_url(pg_cluster.new_database())
    code, _, err = cli(capsys, "score", f"{url}#Plan")
    assert code == 2 and "library init" in err


def test_library_errors_are_one_line(library_url):
    with pytest.raises(LibraryError, match="no map named"):
        open_map(f"{library_url}#missing")
    with pytest.raises(LibraryError, match="names no map"):
        open_map(library_url)


def test_any_name_round_trips_through_the_library(library_url):
    """Names are values, never SQL: whatever a person types comes back as typed (trimmed, spaces joined)."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    names = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40).filter(
        lambda t: t.strip()
    )

    with Library.connect(library_url) as library:

        @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
        @given(names)
        def round_trip(name: str) -> None:
            clean = " ".join(name.split())
            existing = library.find(clean)
            if existing is None:
                library.create(name)
            entry = library.entry(clean)
            assert entry.name == (existing.name if existing else clean)
            address = parse_address(f"{library_url}#{clean.replace('%', '%25').replace('#', '%23')}")
            assert address.map_name == clean

        round_trip()


def test_a_role_without_grants_is_told_what_to_ask_for(library_url, pg_cluster, capsys):
    db = dbname(library_url)
    pg_cluster.sql("DROP ROLE IF EXISTS nobody")
    pg_cluster.sql("CREATE ROLE nobody LOGIN PASSWORD 'n'")
    code = run_command(["library", "list", pg_cluster.url(db, "nobody", "n")])
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "your PostgreSQL role nobody may not use the team library" in err and "distarch_viewer" in err


def test_concurrent_writers_get_one_order_and_lose_nothing(library_url, pg_cluster):
    """Four people adding channels at once: every write kept, revisions and the log's seq have no gaps."""
    import threading

    with Library.connect(library_url) as library:
        library.create("Shared")
    errors: list[BaseException] = []

    def person(who: int) -> None:
        try:
            with open_map(f"{library_url}#Shared", author=f"P{who}") as repo:
                arch = repo.load()
                for n in range(10):
                    edits = ops.add_channel(arch, f"P{who} channel {n}", Layer.EXECUTION)
                    apply_all(arch, edits)
                    repo.write(edits, None, repo.revision)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=person, args=(who,)) for who in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    with open_map(f"{library_url}#Shared") as repo:
        final = repo.load()
        assert repo.revision == 41
    assert len(final) == 40 and len({c.id for c in final.channels}) == 40
    seqs = [
        r[0] for r in pg_cluster.sql("SELECT seq FROM distarch.edit_log ORDER BY seq", dbname(library_url))
    ]
    assert seqs == list(range(1, 42))


def test_two_inits_at_once_both_succeed(pg_cluster):
    import threading

    url = pg_cluster.socket_url(pg_cluster.new_database())
    said: list[str] = []

    def init() -> None:
        conn = connect(url)
        try:
            said.append(schema.init(conn))
        finally:
            conn.close()

    threads = [threading.Thread(target=init) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(s.split()[0] for s in said) == ["created", "the"]
