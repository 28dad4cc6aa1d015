"""``python -m voicecheck``: the same as the ``voicecheck`` command."""

from .cli import run

run()
