"""The team library's SQL, built once with `psycopg.sql` (identifiers quoted by `sql.Identifier`).

Every value is a bound parameter (`%s`): no text a user typed is ever part of
a statement. Column lists come from the same frozen facts the file uses
(safety.py), so the two stores read and write the same columns.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from psycopg import sql

from desktop.store.library.schema import SCHEMA
from desktop.store.safety import CHANNEL_COLUMNS, FLOW_COLUMNS, MAP_COLUMNS


def table(name: str) -> sql.Identifier:
    return sql.Identifier(SCHEMA, name)


def _names(columns: tuple[str, ...]) -> sql.Composable:
    return sql.SQL(", ").join(sql.Identifier(c) for c in columns)


def _marks(count: int) -> sql.Composable:
    return sql.SQL(", ").join(sql.Placeholder() for _ in range(count))


CATALOG_COLUMNS = (
    "id", "name", "score", "score_contract", "channels", "flows", "edited_by", "edited_role", "edited_at",
    "deleted_at", "deleted_by", "revision",
)  # fmt: skip


@cache
def q() -> dict[str, Any]:
    """Every statement, by name."""
    m, ch, fl = table("map"), table("channel"), table("flow")
    sc, st, ve, log = table("score_history"), table("setting"), table("version"), table("edit_log")
    upd_channel = sql.SQL(", ").join(
        sql.SQL("{} = %s").format(sql.Identifier(c)) for c in CHANNEL_COLUMNS[1:]
    )
    S = sql.SQL
    return {
        "map_by_key": S("SELECT id FROM {} WHERE name_key = %s AND deleted_at IS NULL").format(m),
        "map_row": S("SELECT {}, revision, deleted_at FROM {} WHERE id = %s").format(_names(MAP_COLUMNS), m),
        "channels": S("SELECT {} FROM {} WHERE map_id = %s ORDER BY ord").format(_names(CHANNEL_COLUMNS), ch),
        "flows": S("SELECT {} FROM {} WHERE map_id = %s ORDER BY ord").format(_names(FLOW_COLUMNS), fl),
        "insert_map": S(
            "INSERT INTO {} (id, name, name_key, description, created, modified, revision, edited_at, "
            "edited_by, edited_role, score, score_contract, channels, flows, deleted_by) "
            "VALUES (%s, %s, %s, %s, %s, %s, 1, now(), %s, current_user, %s, %s, %s, %s, '')"
        ).format(m),
        "bump": S(
            "UPDATE {} SET revision = revision + 1, modified = %s, edited_at = now(), edited_by = %s, "
            "edited_role = current_user, channels = channels + %s, flows = flows + %s "
            "WHERE id = %s AND deleted_at IS NULL RETURNING revision"
        ).format(m),
        "set_score": S("UPDATE {} SET score = %s, score_contract = %s WHERE id = %s").format(m),
        "set_counts": S("UPDATE {} SET channels = %s, flows = %s, description = %s WHERE id = %s").format(m),
        "touch": S("UPDATE {} SET modified = %s WHERE id = %s").format(m),
        "set_info": S("UPDATE {} SET name = %s, name_key = %s, description = %s WHERE id = %s").format(m),
        "insert_channel": S("INSERT INTO {} (map_id, {}) VALUES (%s, {})").format(
            ch, _names(CHANNEL_COLUMNS), _marks(len(CHANNEL_COLUMNS))
        ),
        "update_channel": S("UPDATE {} SET {} WHERE map_id = %s AND id = %s").format(ch, upd_channel),
        "delete_channel": S("DELETE FROM {} WHERE map_id = %s AND id = %s").format(ch),
        "insert_flow": S("INSERT INTO {} (map_id, {}) VALUES (%s, {})").format(
            fl, _names(FLOW_COLUMNS), _marks(len(FLOW_COLUMNS))
        ),
        "update_flow": S(
            "UPDATE {} SET rule = %s, label = %s, ord = %s WHERE map_id = %s AND source = %s AND target = %s"
        ).format(fl),
        "delete_flow": S("DELETE FROM {} WHERE map_id = %s AND source = %s AND target = %s").format(fl),
        "clear_flows": S("DELETE FROM {} WHERE map_id = %s").format(fl),
        "clear_channels": S("DELETE FROM {} WHERE map_id = %s").format(ch),
        "insert_score": S(
            "INSERT INTO {} (map_id, timestamp, score, components, contract) VALUES (%s, %s, %s, %s, %s)"
        ).format(sc),
        "scores": S(
            "SELECT timestamp, score, components, contract FROM {} WHERE map_id = %s ORDER BY id DESC LIMIT %s"
        ).format(sc),
        "count_scores": S("SELECT count(*) FROM {} WHERE map_id = %s").format(sc),
        "log": S(
            "INSERT INTO {} (map_id, seq, edit_id, base_revision, kind, author, role, at, body) "
            "VALUES (%s, %s, %s, %s, %s, %s, current_user, now(), %s)"
        ).format(log),
        "log_since": S(
            "SELECT seq, edit_id, base_revision, kind, author, role, at, body FROM {} "
            "WHERE map_id = %s AND seq > %s ORDER BY seq"
        ).format(log),
        "count": S("UPDATE {} SET channels = channels + %s, flows = flows + %s WHERE id = %s").format(m),
        "log_count": S("SELECT count(*) FROM {} WHERE map_id = %s").format(log),
        "log_drop": S("DELETE FROM {} WHERE map_id = %s AND seq <= %s").format(log),
        "lock_map": S("SELECT revision FROM {} WHERE id = %s AND deleted_at IS NULL FOR UPDATE").format(m),
        "notify": S("SELECT pg_notify(%s, %s)"),
        "listen": S("LISTEN distarch_edits; LISTEN distarch_presence"),
        "setting": S('SELECT value FROM {} WHERE map_id = %s AND "key" = %s').format(st),
        "put_setting": S(
            'INSERT INTO {} (map_id, "key", value) VALUES (%s, %s, %s) '
            'ON CONFLICT (map_id, "key") DO UPDATE SET value = EXCLUDED.value'
        ).format(st),
        "versions": S(
            "SELECT name, note, created, score, channels, flows, history_index FROM {} "
            "WHERE map_id = %s ORDER BY created, id"
        ).format(ve),
        "version_snapshot": S("SELECT snapshot FROM {} WHERE map_id = %s AND name = %s").format(ve),
        "insert_version": S(
            "INSERT INTO {} (map_id, name, note, created, score, snapshot, history_index, channels, flows) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
        ).format(ve),
        "rename_version": S("UPDATE {} SET name = %s WHERE map_id = %s AND name = %s").format(ve),
        "delete_version": S("DELETE FROM {} WHERE map_id = %s AND name = %s").format(ve),
        "catalog": S(
            "SELECT {} FROM {} WHERE (deleted_at IS NULL) = %s AND (%s = '' OR strpos(name_key, %s) > 0) "
            "ORDER BY edited_at DESC LIMIT %s"
        ).format(_names(CATALOG_COLUMNS), m),
        "entry_by_key": S("SELECT {} FROM {} WHERE name_key = %s AND deleted_at IS NULL").format(
            _names(CATALOG_COLUMNS), m
        ),
        "entry": S("SELECT {} FROM {} WHERE id = %s").format(_names(CATALOG_COLUMNS), m),
        "rename_map": S(
            "UPDATE {} SET name = %s, name_key = %s, revision = revision + 1, edited_at = now(), "
            "edited_by = %s, edited_role = current_user WHERE id = %s RETURNING revision"
        ).format(m),
        "soft_delete": S(
            "UPDATE {} SET deleted_at = now(), deleted_by = %s WHERE id = %s AND deleted_at IS NULL"
        ).format(m),
        "deleted_by_key": S(
            "SELECT id FROM {} WHERE name_key = %s AND deleted_at IS NOT NULL ORDER BY deleted_at DESC LIMIT 1"
        ).format(m),
        "restore": S("UPDATE {} SET deleted_at = NULL, deleted_by = '' WHERE id = %s").format(m),
        "purge": S("DELETE FROM {} WHERE deleted_at < now() - make_interval(days => %s)").format(m),
        "can_write": S("SELECT has_table_privilege({}, 'UPDATE'), current_user, "
                       "current_setting('transaction_read_only') = 'on'").format(sql.Literal(f"{SCHEMA}.map")),
    }  # fmt: skip
