"""prepbook's version, in a module of its own: the report formats and a new playbook's pin
name it, and they sit below the package's public surface (``prepbook/__init__.py``), which
must not be imported from below. ``pyproject.toml`` declares the same version."""

__version__ = "0.3.0"
