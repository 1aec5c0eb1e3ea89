"""prepbook: prepersonalization workshop playbooks as validated YAML, published as a site."""

__version__ = "0.2.0"
