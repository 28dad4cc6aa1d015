"""``python -m voicecheck``: the same as the ``voicecheck`` command."""

import sys

from .cli import main

sys.exit(main())
