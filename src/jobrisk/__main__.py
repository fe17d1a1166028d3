"""``python -m jobrisk``: the same as the ``jobrisk`` command."""

import sys

from .cli import main

sys.exit(main())
