"""``python -m analytics``: see analytics.cli."""

import sys

from .cli import main

sys.exit(main())
