"""``python -m prepbook``, the same as the ``prepbook`` command."""

import sys

from prepbook.cli import main

sys.exit(main())
