"""What happens to an event: decode → detect → redact → hash → audit row.

Everything here but ``worker.py`` is plain Python that never imports faust, so the same code
runs in the stream worker, in a process pool, in ``aitrail scan`` and in unit tests.
"""
