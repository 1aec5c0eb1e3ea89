"""prepbook: prepersonalization workshop playbooks as validated YAML, published as a site."""

from prepbook.version import __version__ as __version__
