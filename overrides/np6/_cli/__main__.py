"""``python -m np6._cli``."""

import sys

from . import main

sys.exit(main())
