"""Links and @handles: what in a post points elsewhere instead of being the writer's words.

One definition for every part that sets them apart (style counts them, the lexical family and language
detection leave them out, the evaluation protocol masks them), so that all agree on where a link ends.
"""

from __future__ import annotations

import re

__all__ = ["LINK", "HANDLE"]

# A link never ends with the punctuation that follows it in a sentence ("see https://x.it/orari!"), nor
# with a closing bracket or quote.
_TAIL = r"[^\s<>\"«»]*[^\s<>\"«».,;:!?)\]}'’”…]"
# The endings of the names people write without https:// ("auroracaffe.it", "bit.ly/x", "shop.co.uk/a").
# A closed list: a word, a full stop and another word ("ecc.it") must not turn into a link.
_ENDINGS = ("com|net|org|info|biz|io|co|ly|me|app|shop|store|online|site|blog|news|link|tv|fm|gl|"
            "it|eu|uk|de|fr|es|ch|at|nl|be|us|ca|au|ie|pt|se|dk|no|pl")

#: A link: with its scheme or www., or a bare domain with a known ending; the punctuation after it is not
#: part of it.
LINK = re.compile(
    r"(?:https?://|www\.)" + _TAIL
    + r"|(?<![\w@.\-/])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:" + _ENDINGS + r")(?![\w@.-]*\w)"
    + r"(?:/(?:" + _TAIL + r")?)?",
    re.I)
#: An @handle, dots inside included (Instagram's @giulia.latteart), not an e-mail address's @.
HANDLE = re.compile(r"(?<![\w@])@\w+(?:\.\w+)*")
