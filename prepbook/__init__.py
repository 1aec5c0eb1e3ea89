"""prepbook: prepersonalization workshop playbooks as validated YAML, published as a site.

The names below are what another tool may import from prepbook and rely on; everything
else is inside. They are:

- the build service: the module ``build`` (``build.build`` checks and renders a playbook,
  ``build.check`` and ``build.check_blobs`` check one), what it takes (``Project``,
  ``Settings``, and ``load_project``, which reads them from a ``mkdocs.yml``) and what it
  returns (``Built``, ``Checked``);
- the loaded playbook (``Playbook``) and the models of the format, from ``Workshop`` down;
- what the checks conclude: ``Finding``, its ``Severity``, and the ``Report``;
- the error family: ``PrepbookError``, the one class to catch, and the class of each layer.

Each is imported when it is first asked for, not with the package, so ``import prepbook``
(and the command line, which imports it first) costs nothing for the names it does not use.
"""

import importlib as _importlib
import typing as _typing

from prepbook.version import __version__ as __version__

if _typing.TYPE_CHECKING:  # what type checkers and editors see; at run time, __getattr__
    from prepbook import build as build
    from prepbook.build import Built as Built
    from prepbook.config import Project as Project
    from prepbook.config import Settings as Settings
    from prepbook.errors import ConfigError as ConfigError
    from prepbook.errors import DiffError as DiffError
    from prepbook.errors import FetchError as FetchError
    from prepbook.errors import GitError as GitError
    from prepbook.errors import LoadError as LoadError
    from prepbook.errors import OutputError as OutputError
    from prepbook.errors import PrepbookError as PrepbookError
    from prepbook.errors import RenderError as RenderError
    from prepbook.errors import ReportError as ReportError
    from prepbook.errors import UsageError as UsageError
    from prepbook.findings import Finding as Finding
    from prepbook.load.playbook import Playbook as Playbook
    from prepbook.mkdocs_options import load_project as load_project
    from prepbook.model import Asset as Asset
    from prepbook.model import Barrier as Barrier
    from prepbook.model import DateRange as DateRange
    from prepbook.model import IceScore as IceScore
    from prepbook.model import Metric as Metric
    from prepbook.model import Mitigation as Mitigation
    from prepbook.model import Persofail as Persofail
    from prepbook.model import Phase as Phase
    from prepbook.model import Priority as Priority
    from prepbook.model import Reading as Reading
    from prepbook.model import Recipe as Recipe
    from prepbook.model import RiceScore as RiceScore
    from prepbook.model import RiskRating as RiskRating
    from prepbook.model import Roadmap as Roadmap
    from prepbook.model import Step as Step
    from prepbook.model import TeamMember as TeamMember
    from prepbook.model import Workshop as Workshop
    from prepbook.report import Report as Report
    from prepbook.report.checked import Checked as Checked
    from prepbook.rules import Severity as Severity

# Where each public name is defined; ``build`` is the service's module itself.
_HOMES = {
    "build": "prepbook.build",
    "Built": "prepbook.build",
    "Checked": "prepbook.report.checked",
    "Project": "prepbook.config",
    "Settings": "prepbook.config",
    "load_project": "prepbook.mkdocs_options",
    "Playbook": "prepbook.load.playbook",
    **dict.fromkeys(
        (
            "Asset",
            "Barrier",
            "DateRange",
            "IceScore",
            "Metric",
            "Mitigation",
            "Persofail",
            "Phase",
            "Priority",
            "Reading",
            "Recipe",
            "RiceScore",
            "RiskRating",
            "Roadmap",
            "Step",
            "TeamMember",
            "Workshop",
        ),
        "prepbook.model",
    ),
    "Finding": "prepbook.findings",
    "Severity": "prepbook.rules",
    "Report": "prepbook.report",
    **dict.fromkeys(
        (
            "PrepbookError",
            "UsageError",
            "LoadError",
            "ConfigError",
            "ReportError",
            "RenderError",
            "GitError",
            "DiffError",
            "OutputError",
            "FetchError",
        ),
        "prepbook.errors",
    ),
}

__all__ = [
    "Asset",
    "Barrier",
    "Built",
    "Checked",
    "ConfigError",
    "DateRange",
    "DiffError",
    "FetchError",
    "Finding",
    "GitError",
    "IceScore",
    "LoadError",
    "Metric",
    "Mitigation",
    "OutputError",
    "Persofail",
    "Phase",
    "Playbook",
    "PrepbookError",
    "Priority",
    "Project",
    "Reading",
    "Recipe",
    "RenderError",
    "Report",
    "ReportError",
    "RiceScore",
    "RiskRating",
    "Roadmap",
    "Settings",
    "Severity",
    "Step",
    "TeamMember",
    "UsageError",
    "Workshop",
    "build",
    "load_project",
]


def __getattr__(name: str) -> object:
    """A public name, imported from where it is defined when it is first asked for."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'prepbook' has no attribute {name!r}")
    module = _importlib.import_module(home)
    value = module if home == f"{__name__}.{name}" else getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*__all__, "__version__"])
