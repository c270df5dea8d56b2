"""Team library figures: opening a 500-channel library map against the same map as a file, and
listing and searching a library of 10,000 maps, on a throwaway PostgreSQL 15 server (loopback).

Opening counts what a user waits for: connect (unix socket, the library
checked), read and check the map, close; the file's side is `MapDocument.open`
and its `load`. Listing is `Library.list_maps` on an open connection, as the
Team Library dialog calls it on every keystroke of the search (debounced).
"""

from __future__ import annotations

import time
from pathlib import Path

from bench.maps import make_map
from bench.report import Figure


def figures(folder: Path, runs: int) -> list[Figure]:
    from desktop.store.document import MapDocument, write_new_file
    from desktop.store.library import schema
    from desktop.store.library.catalog import Library
    from desktop.store.library.connection import connect
    from desktop.store.opening import open_map
    from tests.postgres import Cluster, ClusterUnavailable

    try:
        cluster = Cluster().start()
    except ClusterUnavailable as exc:
        return [Figure(f"team library (not measured: {exc})", [], note="no PostgreSQL")]
    try:
        url = cluster.socket_url(cluster.new_database())
        conn = connect(url)
        schema.init(conn)
        conn.close()
        arch = make_map(500)
        path = folder / "library-500.distarch"
        folder.mkdir(parents=True, exist_ok=True)
        write_new_file(path, arch)
        with Library.connect(url) as library:
            library.create("Audit 500", arch)
        address = f"{url}#Audit 500"
        ours, bare = [], []
        for _ in range(max(runs, 5)):
            began = time.perf_counter()
            with MapDocument.open(path) as doc:
                doc.load()
            bare.append(time.perf_counter() - began)
            began = time.perf_counter()
            with open_map(address) as repo:
                repo.load()
            ours.append(time.perf_counter() - began)
        opening = Figure(
            "open a 500-channel library map (vs the same .distarch file)", ours, bare, note="connect included"
        ).check(max_ratio=2)
        cluster.sql(
            "INSERT INTO distarch.map (id, name, name_key, description, created, modified, revision, edited_at, "
            "edited_by, edited_role, score, score_contract, channels, flows, deleted_by) "
            "SELECT gen_random_uuid(), 'Plan ' || i, 'plan ' || i, '', '', '', 1, "
            "now() - i * interval '1 minute', 'Ann', 'postgres', 50 + i % 50, 1, 20, 30, '' "
            "FROM generate_series(1, 9999) AS i",
            url.split("/")[3].split("?")[0],
        )
        listing, searching = [], []
        with Library.connect(url) as library:
            library.conn.execute("ANALYZE distarch.map")
            for index in range(max(runs, 5) * 3):
                began = time.perf_counter()
                found = library.list_maps()
                listing.append(time.perf_counter() - began)
                began = time.perf_counter()
                hits = library.list_maps(f"plan {index + 12}")
                searching.append(time.perf_counter() - began)
            assert len(found) == 1000 and hits
        return [
            opening,
            Figure("list a library of 10,000 maps (the newest 1,000)", listing).check(under=0.2),
            Figure("search a library of 10,000 maps by name", searching).check(under=0.2),
        ]
    finally:
        cluster.remove()
