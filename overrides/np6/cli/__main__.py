"""``python -m np6.cli``."""

import sys

from . import main

sys.exit(main())
