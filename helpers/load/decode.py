"""Bytes to clean text: encoding detection, mojibake repair, entities, NFC and whitespace."""

from __future__ import annotations

import codecs
import html
import re
import unicodedata
from dataclasses import dataclass, field

import ftfy
from ftfy.badness import is_bad
from charset_normalizer import from_bytes

from helpers.load.common import LoadError

BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
]
BINARY_SIGNATURES = {
    b"%PDF": "a PDF document", b"PK\x03\x04": "a zip container (e.g. .docx)", b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image", b"GIF8": "a GIF image", b"\x7fELF": "a program",
    b"\xd0\xcf\x11\xe0": "an old Office document",
}
NEWS_ENCODINGS = ["cp1252", "latin_1", "iso8859_15", "cp1250", "iso8859_2", "cp1251", "koi8_r", "iso8859_5",
                  "cp1253", "iso8859_7", "cp1254", "iso8859_9", "cp1255", "cp1256", "iso8859_6", "cp874",
                  "shift_jis", "euc_jp", "gb18030", "big5", "euc_kr"]
HORIZONTAL_SPACE = re.compile(r"[ \t\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")
MANY_NEWLINES = re.compile(r"\n{3,}")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
LINE_BREAKS = re.compile(r"\r\n|[\r\u2028\u2029\x85]")
ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]{1,31});")


def _looks_like_utf16(sample: bytes) -> str | None:
    """UTF-16 without a BOM: mostly ASCII text has a NUL in every other byte."""
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


@dataclass
class Decoded:
    """Text decoded from bytes, and what decoding had to replace or re-decode to get it.

    ``replaced``: invalid bytes in otherwise UTF-8 lines, replaced with U+FFFD. ``redecoded``: lines that were not
    UTF-8 at all in an otherwise UTF-8 file, decoded as ``fallback``. ``fixed_lines`` holds ``(fix, line)`` for
    each such line, so a table's rows can say which of them were touched.
    """

    text: str
    encoding: str
    replaced: int = 0
    redecoded: int = 0
    fallback: str | None = None
    fixed_lines: list = field(default_factory=list)

    def describe(self) -> str:
        """What the load report says about decoding: empty for clean UTF-8 (or a BOM's encoding)."""
        parts = []
        if self.replaced:
            lines = sum(1 for fix, _ in self.fixed_lines if fix == "invalid-bytes")
            parts.append(f"{self.replaced} invalid UTF-8 byte{'s' if self.replaced != 1 else ''} on "
                         f"{lines} line{'s' if lines != 1 else ''} replaced with U+FFFD")
        if self.redecoded:
            parts.append(f"{self.redecoded} line{'s' if self.redecoded != 1 else ''} not in UTF-8 "
                         f"re-decoded as {self.fallback}")
        if not parts and self.encoding not in ("utf-8", "utf-8-sig", "utf-16", "utf-32"):
            parts.append(f"decoded as {self.encoding}")
        return "; ".join(parts)


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode ``data``, detecting the encoding when UTF-8 fails; raise :class:`LoadError` for binary data.

    Returns ``(text, encoding)``; :func:`decode` says also what was replaced or re-decoded.

    >>> decode_bytes("café".encode("cp1252"))
    ('café', 'cp1252')
    >>> decode_bytes(codecs.BOM_UTF8 + "Tripoli".encode())
    ('Tripoli', 'utf-8-sig')
    """
    decoded = decode(data)
    return decoded.text, decoded.encoding


def decode(data: bytes) -> Decoded:
    r"""Decode ``data``: a BOM wins; then strict UTF-8; then UTF-16 without a BOM; then, in a file whose other
    lines are UTF-8, each bad line on its own (a few invalid bytes replaced, a line in another encoding re-decoded);
    then charset-normalizer's best guess for the whole file. Raises :class:`LoadError` for binary data.

    >>> d = decode("Résidents café naïve ".encode() + b"\xff" * 9 + " fin.\nLe marché".encode())
    >>> d.text.count("\ufffd"), "café naïve" in d.text, d.describe()
    (9, True, '9 invalid UTF-8 bytes on 1 line replaced with U+FFFD')
    >>> decode("Le café\n".encode() + "idée naïve".encode("latin-1")).text
    'Le café\nidée naïve'
    """
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(encoding), encoding)
            except UnicodeDecodeError as error:
                raise LoadError(f"starts with a {encoding} byte-order mark but is not valid {encoding}: {error}")
    for signature, kind in BINARY_SIGNATURES.items():
        if data.startswith(signature):
            raise LoadError(f"binary file ({kind}), not text; convert it to text or HTML first", "skipped")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    utf16 = _looks_like_utf16(data[:4096])
    if utf16:
        try:
            return Decoded(data.decode(utf16), utf16)
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:8192]:
        raise LoadError("binary file (contains NUL bytes), not text", "skipped")
    mixed = _decode_mostly_utf8(data)
    if mixed is not None:
        return mixed
    text, encoding = _guess(data)
    return Decoded(text, encoding)


BAD_BYTES = re.compile("[\udc80-\udcff]+")


def _decode_mostly_utf8(data: bytes) -> Decoded | None:
    """Line by line, when some line is UTF-8 with characters beyond ASCII (else ``None``: not a UTF-8 file).

    A bad line with more valid UTF-8 characters beyond ASCII than places with invalid bytes is UTF-8 with a few
    bad bytes (replaced); any other bad line is in another encoding, guessed from all such lines together.
    """
    lines = data.split(b"\n")
    texts: list[str | None] = []
    damaged, foreign = [], []
    utf8_seen = False
    for number, line in enumerate(lines):
        if line.isascii():
            texts.append(line.decode("ascii"))
            continue
        escaped = line.decode("utf-8", "surrogateescape")
        places = BAD_BYTES.findall(escaped)
        if not places:
            utf8_seen = True
            texts.append(escaped)
            continue
        valid = sum(1 for char in BAD_BYTES.sub("", escaped) if ord(char) > 127)
        if valid > len(places):
            utf8_seen = True
            damaged.append(number)
            texts.append(escaped)
        else:
            foreign.append(number)
            texts.append(None)
    if not utf8_seen:
        return None
    decoded = Decoded("", "utf-8")
    for number in damaged:
        decoded.replaced += sum(len(place) for place in BAD_BYTES.findall(texts[number]))
        texts[number] = BAD_BYTES.sub(lambda m: "\ufffd" * len(m.group()), texts[number])
        decoded.fixed_lines.append(("invalid-bytes", texts[number]))
    if foreign:
        _, decoded.fallback = _guess(b"\n".join(lines[n] for n in foreign))
        for number in foreign:
            texts[number] = lines[number].decode(decoded.fallback.replace("-", "_"), errors="replace")
            decoded.fixed_lines.append(("re-decoded", texts[number]))
        decoded.redecoded = len(foreign)
    decoded.text = "\n".join(texts)
    return decoded


def _guess(data: bytes) -> tuple[str, str]:
    """The whole of ``data`` in the news encoding charset-normalizer finds likeliest (cp1252 on a tie)."""
    # Candidates limited to encodings news text is published in: on short inputs the detector otherwise
    # picks exotic code pages (cp1006, shift-jis-2004) that happen to decode the bytes.
    results = list(from_bytes(data[:200_000], cp_isolation=NEWS_ENCODINGS))
    if not results:
        if _decodes(data, "cp1252"):
            return data.decode("cp1252"), "cp1252"
        raise LoadError("binary file or unknown encoding: no text encoding fits", "skipped")
    best = results[0]
    # A tie between code pages is common on short Western text; cp1252 is then by far the likeliest.
    tied = [m for m in results if m.encoding == "cp1252" and m.chaos <= best.chaos + 0.01
            and m.coherence >= best.coherence - 0.01]
    encoding = "cp1252" if tied else best.encoding
    text = data.decode(encoding, errors="replace")
    if encoding != "cp1252" and _decodes(data, "cp1252") and data.decode("cp1252") == text:
        encoding = "cp1252"  # the same text either way: name the code page Western news is usually in
    return text, encoding.replace("_", "-")


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
        return True
    except UnicodeDecodeError:
        return False


def clean_text(text: str) -> tuple[str, list[str]]:
    """Repair and normalise article text; return ``(clean, fixes)`` where ``fixes`` names what changed.

    Fixes: ``mojibake`` (ftfy), ``entities`` (HTML entities decoded), ``nfc`` (Unicode NFC), ``whitespace``
    (runs of spaces collapsed, lines trimmed, at most one blank line between paragraphs).

    >>> clean_text("Libya\u00e2\u20ac\u2122s  MoU &amp; the   DEA\\n\\n\\n\\nSigned")
    ('Libya’s MoU & the DEA\\n\\nSigned', ['mojibake', 'entities', 'whitespace'])
    """
    fixes = []
    fixed = LINE_BREAKS.sub("\n", CONTROL.sub("", text))
    if not fixed.isascii() and is_bad(fixed):  # ftfy's own detector; running the fixer on clean text costs time
        fixed = ftfy.fix_text(fixed, unescape_html=False, normalization=None, uncurl_quotes=False,
                              fix_latin_ligatures=False, fix_character_width=False)
    if fixed != LINE_BREAKS.sub("\n", text):
        fixes.append("mojibake")
    unescaped = html.unescape(fixed) if ENTITY.search(fixed) else fixed
    if unescaped != fixed:
        fixes.append("entities")
    composed = unicodedata.normalize("NFC", unescaped)
    if composed != unescaped:
        fixes.append("nfc")
    lines = (HORIZONTAL_SPACE.sub(" ", line).strip() for line in ZERO_WIDTH.sub("", composed).split("\n"))
    spaced = MANY_NEWLINES.sub("\n\n", "\n".join(lines)).strip()
    if spaced != composed.strip():
        fixes.append("whitespace")
    return spaced, fixes
