"""The search index: one table per database, filled and emptied by triggers on each source.

Every indexed row is one text of one source (a finding's text, a section's text, a
memo's text). Its ``rowid`` is ``id * SLOTS + code``: the source row's id and the
source's code (:mod:`.sources`), so a trigger finds a row to replace by its key and a
search tells sources apart by ``rowid % SLOTS`` with no join.

- SQLite: an FTS5 virtual table ``search_index(body, review)`` with the Porter stemmer
  over unicode61 words, ``review`` holding the one token ``r<review id>`` (see
  :func:`review_token`); ranked by ``bm25`` on ``body`` alone.
- PostgreSQL: a table ``search_index(rowid, review_id, body, vector)`` whose ``vector``
  is a stored ``to_tsvector('english', body)`` with a GIN index; ranked by ``ts_rank_cd``.

Triggers (one set per source, made by :func:`install_source`) insert on INSERT, replace on
an UPDATE of the text, delete on DELETE, and on PostgreSQL also empty a source's rows when
its table is truncated (Django's ``flush``), so no code path that writes those tables can
leave the index behind: bulk inserts, cascading deletes and undone imports included.

Migrations call these functions with literal arguments (a source's table, text column,
code and the SQL that gives its review id), so a migration keeps meaning what it said
when it was written.
"""

from __future__ import annotations

TABLE = "search_index"
SLOTS = 16  # room for 15 sources in a rowid; code 0 is never used


def review_token(review_id: int) -> str:
    """The SQLite index's token for a review (its ``review`` column)."""
    return f"r{int(review_id)}"


def _runner(schema_editor):
    """Execute DDL without parameters (so ``%`` is the modulo operator, not a placeholder)."""
    return lambda sql: schema_editor.execute(sql, None)


def create_index(schema_editor) -> None:
    """Create the index table (once, before any source is installed)."""
    run = _runner(schema_editor)
    if schema_editor.connection.vendor == "postgresql":
        run(
            f"CREATE TABLE {TABLE} (rowid bigint PRIMARY KEY, review_id integer NOT NULL, "
            "body text NOT NULL, vector tsvector GENERATED ALWAYS AS "
            "(to_tsvector('english'::regconfig, body)) STORED)"
        )
        run(f"CREATE INDEX {TABLE}_vector ON {TABLE} USING gin (vector)")
        run(f"CREATE INDEX {TABLE}_review ON {TABLE} (review_id)")
    else:
        # The review is an indexed column holding one token, "r<id>": a MATCH on it is answered
        # from the index, where an UNINDEXED column would be read row by row (on 100,000
        # findings, 25,000 matches: about 30 ms against well under one).
        run(
            f"CREATE VIRTUAL TABLE {TABLE} USING fts5(body, review, "
            "tokenize = 'porter unicode61 remove_diacritics 2')"
        )


def drop_index(schema_editor) -> None:
    _runner(schema_editor)(f"DROP TABLE IF EXISTS {TABLE}")


def install_source(
    schema_editor, *, key: str, table: str, column: str, code: int, review_sql: str
) -> None:
    """Triggers that keep source ``key``'s rows of ``table`` in the index, and its existing rows.

    ``review_sql`` gives a row's review id with ``{row}`` standing for the row (``NEW`` or
    ``OLD`` in a trigger, the table in the first fill): ``"{row}.review_id"``, or a subquery.
    """
    if not 0 < code < SLOTS:
        raise ValueError(f"A search source's code is between 1 and {SLOTS - 1}")
    run = _runner(schema_editor)
    key_of = f"{{row}}.id * {SLOTS} + {code}"
    new_key, old_key = key_of.format(row="NEW"), key_of.format(row="OLD")
    new_review = review_sql.format(row="NEW")
    if schema_editor.connection.vendor == "postgresql":
        run(f"""CREATE FUNCTION search_sync_{key}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    DELETE FROM {TABLE} WHERE rowid % {SLOTS} = {code};
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    DELETE FROM {TABLE} WHERE rowid = {old_key};
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO {TABLE} (rowid, review_id, body) VALUES ({new_key}, {new_review},
      coalesce(NEW.{column}, ''))
    ON CONFLICT (rowid) DO UPDATE SET review_id = EXCLUDED.review_id, body = EXCLUDED.body;
  END IF;
  RETURN NULL;
END $$""")
        run(
            f"CREATE TRIGGER search_sync_{key} AFTER INSERT OR DELETE OR UPDATE OF {column} "
            f"ON {table} FOR EACH ROW EXECUTE FUNCTION search_sync_{key}()"
        )
        run(
            f"CREATE TRIGGER search_truncate_{key} AFTER TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION search_sync_{key}()"
        )
        run(
            f"INSERT INTO {TABLE} (rowid, review_id, body) SELECT "
            f"{key_of.format(row=table)}, {review_sql.format(row=table)}, "
            f"coalesce({table}.{column}, '') FROM {table} ON CONFLICT (rowid) DO NOTHING"
        )
        return
    insert = (
        f"INSERT OR REPLACE INTO {TABLE} (rowid, body, review) "
        f"VALUES ({new_key}, coalesce(NEW.{column}, ''), 'r' || ({new_review}));"
    )
    delete = f"DELETE FROM {TABLE} WHERE rowid = {old_key};"
    run(f"CREATE TRIGGER search_{key}_insert AFTER INSERT ON {table} BEGIN {insert} END")
    run(
        f"CREATE TRIGGER search_{key}_update AFTER UPDATE OF {column} ON {table} "
        f"BEGIN {delete} {insert} END"
    )
    run(f"CREATE TRIGGER search_{key}_delete AFTER DELETE ON {table} BEGIN {delete} END")
    run(
        f"INSERT INTO {TABLE} (rowid, body, review) SELECT {key_of.format(row=table)}, "
        f"coalesce({table}.{column}, ''), 'r' || ({review_sql.format(row=table)}) FROM {table}"
    )


def remove_source(schema_editor, *, key: str, table: str, code: int) -> None:
    """Undo :func:`install_source` (a migration's reverse)."""
    run = _runner(schema_editor)
    if schema_editor.connection.vendor == "postgresql":
        run(f"DROP TRIGGER IF EXISTS search_sync_{key} ON {table}")
        run(f"DROP TRIGGER IF EXISTS search_truncate_{key} ON {table}")
        run(f"DROP FUNCTION IF EXISTS search_sync_{key}()")
    else:
        for event in ("insert", "update", "delete"):
            run(f"DROP TRIGGER IF EXISTS search_{key}_{event}")
    run(f"DELETE FROM {TABLE} WHERE rowid % {SLOTS} = {code}")
