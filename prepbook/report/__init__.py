"""Reporting: what the checks found, the readiness score, and the output formats."""
