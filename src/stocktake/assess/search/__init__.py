"""Full-text search over a review: findings, submissions' sections, memos (and, once the
reflection app registers them, session notes).

- ``index.py``: the index itself, kept by the database (SQLite FTS5 or a PostgreSQL
  tsvector column with a GIN index) and filled by triggers on each source's table;
- ``sources.py``: the registry of what is searched (one :class:`sources.SearchSource` per
  kind of text: its table, its code in the index, who may see which rows, the filters);
- ``query.py``: :func:`query.search`, the one query function, which picks the vendor's
  SQL, and ``terms.py``, the user's words parsed once and highlighted safely.
"""
