"""Connecting to a real server: libpq's settings, each failure in one line, and the server going away."""

from __future__ import annotations

import pytest

from desktop.cli import run_command
from desktop.document.repository import ScoreStamp, WriteRefused
from desktop.domain import operations as ops
from desktop.domain.edits import apply_all
from desktop.domain.layers import Layer
from desktop.store.library import schema
from desktop.store.library.address import parse_address, public_address
from desktop.store.library.catalog import Library
from desktop.store.library.connection import (
    LibraryError,
    PasswordNeeded,
    ServerUnreachable,
    WrongPassword,
    connect,
)
from desktop.store.opening import open_map
from tests.postgres import closed_port


def one_line_exit_2(capsys, *args: str) -> str:
    code = run_command(list(args))
    err = capsys.readouterr().err
    assert code == 2, err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    return err


@pytest.fixture()
def alice(pg_cluster, library_url):
    """A role that must give its password (scram-sha-256 in pg_hba), and a map to open."""
    pg_cluster.sql("DROP ROLE IF EXISTS alice")
    pg_cluster.sql("CREATE ROLE alice LOGIN SUPERUSER PASSWORD 'right horse'")
    with Library.connect(library_url) as library:
        library.create("Plan")
    return library_url.split("/")[3].split("?")[0]


@pytest.fixture(autouse=True)
def _no_pgpass(tmp_path, monkeypatch):
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no-pgpass"))
    monkeypatch.delenv("PGSERVICEFILE", raising=False)


def test_addresses_decode_the_fragment_and_never_show_a_password():
    address = parse_address("postgresql://bob:s3cret@db.example:5433/plans?sslmode=require#Q3%20%23plan")
    assert address.map_name == "Q3 #plan"
    assert "s3cret" not in address.public and "bob" not in address.public
    assert address.public == "postgresql://db.example:5433/plans?sslmode=require#Q3 %23plan"
    assert parse_address(address.public).map_name == "Q3 #plan"
    assert (
        parse_address("postgresql:///?service=team#Map name").public == "postgresql:///?service=team#Map name"
    )
    assert "zz" not in public_address("postgresql://h/db?password=zz&user=u")


def test_wrong_password_is_one_line(pg_cluster, alice, capsys):
    url = pg_cluster.url(alice, "alice", "wrong")
    with pytest.raises(WrongPassword):
        Library.connect(url)
    err = one_line_exit_2(capsys, "score", f"{url}#Plan")
    assert "refused the password for role alice" in err and "wrong" not in err


def test_no_password_asks_for_one_and_a_given_one_connects(pg_cluster, alice):
    url = pg_cluster.url(alice, "alice")
    with pytest.raises(PasswordNeeded, match="asks for a password"):
        Library.connect(url)
    with Library.connect(url, password="right horse") as library:
        assert [e.name for e in library.list_maps()] == ["Plan"]


def test_pgpass_and_a_service_file_are_read(pg_cluster, alice, tmp_path, monkeypatch):
    passfile = tmp_path / "pgpass"
    passfile.write_text(f"127.0.0.1:{pg_cluster.port}:*:alice:right horse\n")
    passfile.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(passfile))
    services = tmp_path / "services.conf"
    services.write_text(f"[team]\nhost=127.0.0.1\nport={pg_cluster.port}\ndbname={alice}\nuser=alice\n")
    monkeypatch.setenv("PGSERVICEFILE", str(services))
    with open_map("postgresql:///?service=team#plan") as repo:
        assert repo.load().info.name == "Plan"
        assert repo.location == "postgresql:///?service=team#Plan"


def test_unreachable_server_is_one_line(capsys):
    url = f"postgresql://someone@127.0.0.1:{closed_port()}/db"
    with pytest.raises(ServerUnreachable):
        Library.connect(url)
    err = one_line_exit_2(capsys, "score", f"{url}#Plan")
    assert "cannot reach the team library server (db on 127.0.0.1:" in err


def test_tls_required_but_refused_is_one_line(pg_cluster, alice, capsys):
    url = pg_cluster.url(alice, "alice", "right%20horse") + "?sslmode=require"
    err = one_line_exit_2(capsys, "library", "list", url)
    assert "does not offer an encrypted (TLS) connection" in err and "horse" not in err


def test_a_malformed_address_never_echoes_the_password(pg_cluster, alice, capsys):
    err = one_line_exit_2(capsys, "library", "list", pg_cluster.url(alice, "alice", "right horse"))
    assert "horse" not in err


def test_no_such_database_or_service(pg_cluster, capsys):
    err = one_line_exit_2(capsys, "library", "list", pg_cluster.url("nope"))
    assert "no database named 'nope'" in err
    err = one_line_exit_2(capsys, "library", "list", "postgresql:///?service=nosuch")
    assert "no PostgreSQL service named 'nosuch'" in err


def test_server_stopped_and_started_mid_session_loses_nothing_acknowledged(own_cluster):
    url = own_cluster.url()
    conn = connect(url)
    schema.init(conn)
    conn.close()
    with Library.connect(url) as library:
        library.create("Plan")
    repo = open_map(f"{url}#Plan", author="Ann")
    arch = repo.load()
    acknowledged = []
    for name in ("A", "B", "C"):
        edits = ops.add_channel(arch, name, Layer.CAPTURE)
        apply_all(arch, edits)
        repo.write(edits, ScoreStamp(10.0), repo.revision)
        acknowledged.append(name)
    assert repo.poll()
    own_cluster.stop()
    assert not repo.poll()
    assert repo.read_only and "not answering" in repo.read_only_reason
    edits = ops.add_channel(arch, "Lost", Layer.CAPTURE)
    with pytest.raises(WriteRefused, match="not answering"):
        repo.write(edits, None, repo.revision)
    with pytest.raises(LibraryError):
        repo.load()
    assert not repo.reconnect()
    own_cluster.resume()
    assert repo.reconnect()
    assert not repo.read_only
    back = repo.load()
    assert [c.name for c in back.channels] == acknowledged
    assert back.same_content(arch)
    edits = ops.add_channel(back, "D", Layer.CAPTURE)
    apply_all(back, edits)
    assert repo.write(edits, None, repo.revision) == 5
    repo.close()
