"""Benchmarks of prepbook at playbook scale: see ``python -m bench``."""
