"""Links and @handles: what in a post points elsewhere instead of being the writer's words.

One definition for every part that sets them apart (style counts them, the lexical family and language
detection leave them out, the evaluation protocol masks them), so that all agree on where a link ends.
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["LINK", "HANDLE"]

# A link never ends with the punctuation that follows it in a sentence ("see https://x.it/orari!"), nor
# with a closing bracket or quote, unless the bracket closes one opened inside it (.../Moka_(caffettiera)).
_BRACKETED = r"\([^\s()<>]*\)"
_TAIL = (r"(?:[^\s<>\"«»()]|" + _BRACKETED + r")*"
         r"(?:[^\s<>\"«»().,;:!?\]}'’”…]|" + _BRACKETED + r")")
# The endings of the names people write without https:// ("auroracaffe.it", "bit.ly/x", "shop.co.uk/a"),
# in lower case: a closed list, so that two sentences with no space between them ("Prenota ora.Se vuoi")
# stay words. Endings that are everyday words (se, no, be, me, us, at) are left out.
_ENDINGS = ("com|net|org|info|biz|io|co|ly|app|shop|store|online|site|blog|news|link|tv|fm|gl|"
            "it|eu|uk|de|fr|es|ch|nl|ca|au|ie|pt|dk|pl")

_SCHEMED = re.compile(r"(?:https?://|www\.)" + _TAIL, re.I)
_ANY = re.compile(
    _SCHEMED.pattern
    # at most 8 labels of at most 63 characters, and an ending not followed by more of a name: linear time
    + r"|(?<![\w@.\-/])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.){1,8}(?-i:" + _ENDINGS + r")(?![\w@-]|\.\w)"
    + r"(?:/(?:" + _TAIL + r")?)?",
    re.I)
# A bare domain is tried at every word, which costs four times the rest; most posts have none, and this
# finds that out at the cost of one scan for a full stop and an ending.
_ENDING = re.compile(r"\.(?:" + _ENDINGS + r")\b")


class _Links:
    """The link pattern: with its scheme or www., or a bare domain with a known ending; the punctuation after a
    link is not part of it. ``sub``, ``subn`` and ``findall`` as a compiled pattern has them."""

    def _pattern(self, text: str) -> re.Pattern:
        return _ANY if _ENDING.search(text) else _SCHEMED

    def sub(self, repl: str | Callable[[re.Match[str]], str], text: str) -> str:
        return self._pattern(text).sub(repl, text)

    def subn(self, repl: str, text: str) -> tuple[str, int]:
        return self._pattern(text).subn(repl, text)

    def findall(self, text: str) -> list[str]:
        return self._pattern(text).findall(text)


LINK = _Links()
#: An @handle, dots inside included (Instagram's @giulia.latteart), not an e-mail address's @.
HANDLE = re.compile(r"(?<![\w@])@\w+(?:\.\w+)*")
