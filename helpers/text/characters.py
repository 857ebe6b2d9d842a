"""One table of character classes for the tokenisers that work on code-point arrays (sentences and words).

:func:`character_flags` reads a text as a numpy array of code points and one byte of flags per character, so
both tokenisers take their whitespace, end marks and quotes from one pass over the text.
"""

from __future__ import annotations

import numpy as np

SPACE = 1  # str.isspace, which is also what Python's re calls \s
PUNKT_SPACE = 2  # \s in the regex module, which runs NLTK's Punkt patterns: not \x1c-\x1f
ASCII_SPACE = 4  # string.whitespace, where Punkt looks for the start of the word before an end mark
END_MARK = 8  # Punkt's sentence end characters
NON_WORD = 16  # Punkt's non-word characters: after an end mark they make it a candidate boundary
CLOSING = 32  # what Punkt's boundary realignment moves back to the previous sentence
CLOSER = 64  # what may stand between the final period NLTK splits off and the sentence's end
OPENER = 128  # before a straight quote, these make it an opening quote (no closer)

# NLTK's final-period rule lets these stand between a sentence's last period and its end.
CLOSERS = "]})>\"'»”’ "
_TABLE_SIZE = 0x10000  # code points beyond have no flag (none is whitespace or punctuation used here)
_BLOCK = 1 << 16
TABLE = np.zeros(_TABLE_SIZE, dtype=np.uint8)
_spaces = [c for c in range(0x3001) if chr(c).isspace()]
TABLE[_spaces] |= SPACE | PUNKT_SPACE
TABLE[[0x1C, 0x1D, 0x1E, 0x1F]] &= ~np.uint8(PUNKT_SPACE)
TABLE[[ord(c) for c in " \t\n\r\x0b\x0c"]] |= ASCII_SPACE
TABLE[[ord(c) for c in ".?!"]] |= END_MARK
TABLE[[ord(c) for c in ")\";}]*:@'({[\u2018\u2019\u201c\u201d\xab\xbb?!"]] |= NON_WORD
TABLE[[ord(c) for c in "\"')]}\u2018\u2019\u201c\u201d\xab\xbb"]] |= CLOSING
TABLE[[ord(c) for c in CLOSERS]] |= CLOSER
TABLE[[ord(c) for c in " ([{<"]] |= OPENER


def character_flags(text: str) -> tuple[np.ndarray, np.ndarray]:
    """The code points of ``text`` (uint16 when all are in the Basic Multilingual Plane, else uint32) and their
    flags (uint8, the constants of this module or-ed).

    >>> codepoints, flags = character_flags("Hi. ")
    >>> codepoints.tolist(), bool(flags[2] & END_MARK), bool(flags[3] & SPACE)
    ([72, 105, 46, 32], True, True)
    """
    data = text.encode("utf-16-le", "surrogatepass")
    if len(data) == 2 * len(text):  # no character beyond the BMP: two bytes each, and the table covers them all
        codepoints = np.frombuffer(data, dtype=np.uint16)
    else:
        codepoints = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    # Read block by block: numpy converts the code points it looks up to 64-bit indices, and a block's stay in the
    # cache (twice as fast as one lookup of millions). Code points beyond the table are clipped to its last entry.
    flags = np.empty(len(codepoints), dtype=np.uint8)
    for start in range(0, len(codepoints), _BLOCK):
        np.take(TABLE, codepoints[start:start + _BLOCK], out=flags[start:start + _BLOCK], mode="clip")
    return codepoints, flags
