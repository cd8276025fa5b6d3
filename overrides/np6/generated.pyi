"""What type checkers see as ``np6.generated``: the generated package, ``np6_generated``.

At run time ``np6.generated`` is that very package under a second name (see
``np6._generated_alias``); this stub gives type checkers the same, so that
``from np6.generated import models`` is typed as the README shows it.
"""

from np6_generated import AuthenticatedClient as AuthenticatedClient
from np6_generated import Client as Client
from np6_generated import api as api
from np6_generated import client as client
from np6_generated import errors as errors
from np6_generated import models as models
from np6_generated import types as types
