"""Text helpers for Vietnamese: diacritic-insensitive search."""

import unicodedata


def fold(text: str | None) -> str:
    """Lower-case, without diacritics: "Công nghệ Nguyễn" -> "cong nghe nguyen" (đ -> d)."""
    if not text:
        return ""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.lower().split())
