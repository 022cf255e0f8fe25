"""Ingest: read → locate table → recognise → map → clean → validate → load, each a small pure step.

The DuckDB used in here is a compute engine, not the warehouse: files are read and cleaned in
private in-memory DuckDB connections, whatever database the warehouse is (a DuckDB file or
PostgreSQL). Only the load writes to the warehouse, through shopdata.store. When the warehouse is a
DuckDB file, cleaning runs in its own connection instead (Engine.ingest_connection), so the cleaned
rows are inserted from there without a round trip through Arrow.
"""
