"""PII recognizers: Presidio's, with the defects measured in DESIGN.md fixed, plus our own.

Each recognizer is a Presidio recognizer with a ``PREFILTER`` tuple: Hyperscan-compatible
regexes that match inside every true positive, so the engine runs it only on windows around
those hits (see ``pipelines.detection.prefilter``).
"""
