"""aitrail: an audit trail for LLM traffic, built for SOC 2 evidence."""

__version__ = "0.1.0"
