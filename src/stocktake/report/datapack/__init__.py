"""The review's data pack: its material as tables (CSV, XLSX), one JSON document and a
REFI-QDA project, for analysts and for moving a review between databases.

Every format is made from one source, :func:`~.document.review_document` (the JSON
document, format ``stocktake.review`` version 2, described by
``docs/schema/stocktake-review-v2.schema.json``): the tables are its rows
(:mod:`.tables`), the REFI-QDA project its sources and codes (:mod:`.qdpx`). Loading a
document back into a database is ``track.review_load`` (it needs track's actions).
"""

from stocktake.report.datapack.document import FORMAT, VERSION, review_document
from stocktake.report.datapack.pack import write_data_pack
from stocktake.report.datapack.qdpx import write_qdpx

__all__ = ["FORMAT", "VERSION", "review_document", "write_data_pack", "write_qdpx"]
