"""Incidents: violations and security signals grouped per (tenant, user, rule), with a
lifecycle (open → acknowledged → resolved), a timeline, escalation, and one alert each.

``model``, ``grouping`` and ``security`` are pure; ``agents`` runs them in faust.
"""
