"""`make bench`: how the ingest pipeline compares with the raw readers it is built on.

`python -m bench` prints a table and writes bench/latest.json, a list of records
`{"name", "ours_s", "baseline_s", "ratio", ...}` with ratio = ours / baseline, plus "target", "ok", "unit"
and details. For the peak_memory_* figures the unit is MB: ours_s is the pipeline's peak RSS growth and
baseline_s the file's size (also given as peak_mb and file_mb). Over-target figures are reported, not
asserted: the command exits 0 whenever it could measure.
"""
