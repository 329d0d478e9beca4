"""Text helpers for Vietnamese: diacritic-insensitive search."""

import unicodedata

# Characters no one types on purpose and that change how a text reads or is stored: every control character
# (C0 with NUL, DEL, C1), the line and paragraph separators, and the bidirectional overrides and isolates that
# make a name display otherwise than it is stored.
_INVISIBLE = frozenset("\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def is_invisible_control(char: str) -> bool:
    return char in _INVISIBLE or unicodedata.category(char) == "Cc"


def has_control_characters(value: str, allowed: str = "") -> bool:
    """Whether ``value`` holds a control character other than those ``allowed`` (e.g. tabs and line breaks)."""
    return any(is_invisible_control(c) and c not in allowed for c in value)


def fold(text: str | None) -> str:
    """Lower-case, without diacritics: "Công nghệ Nguyễn" -> "cong nghe nguyen" (đ -> d)."""
    if not text:
        return ""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.lower().split())


# Vietnamese alphabetical order: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y (with the
# foreign letters f j w z in their Latin places); the tone marks only break ties, in dictionary order:
# none, huyền (grave), hỏi (hook), ngã (tilde), sắc (acute), nặng (dot below).
_ALPHABET = ["a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "ô",
             "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z"]
_LETTER_CODE = {letter: f"{12 + i:02d}" for i, letter in enumerate(_ALPHABET)}
_SHAPE_MARKS = {"\u0306": "\u0306", "\u0302": "\u0302", "\u031b": "\u031b"}  # breve, circumflex, horn
_TONE_RANK = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}


def vietnamese_sort_key(text: str | None) -> str:
    """A string of digits whose plain order is the Vietnamese order of ``text`` (any collation agrees on
    digits, so SQLite and PostgreSQL sort it alike). Letters first, then tones to break ties."""
    primary, tones = [], []
    for char in unicodedata.normalize("NFC", " ".join((text or "").lower().split())):
        if char == "đ":
            base, tone = "đ", "0"
        else:
            decomposed = unicodedata.normalize("NFD", char)
            letter = decomposed[0] + "".join(m for m in decomposed[1:] if m in _SHAPE_MARKS)
            base = unicodedata.normalize("NFC", letter)
            tone = next((_TONE_RANK[m] for m in decomposed[1:] if m in _TONE_RANK), "0")
        if base in _LETTER_CODE:
            primary.append(_LETTER_CODE[base])
            tones.append(tone)
        elif base.isdigit() and base.isascii():
            primary.append(f"{2 + int(base):02d}")
            tones.append("0")
        elif base.isspace():
            primary.append("01")
            tones.append("0")
        # other characters (punctuation) do not take part in the order
    return ("".join(primary) + "00" + "".join(tones))[:1300]


def clean_text(value: str | None, max_length: int) -> str | None:
    """A free text from a request, without control characters (PostgreSQL refuses NUL), cut to its length."""
    if not value:
        return None
    cleaned = "".join(c for c in value if not is_invisible_control(c) or c in "\t\r\n").strip()
    return cleaned[:max_length] or None
