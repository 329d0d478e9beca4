"""The contact form's question against robots, needing no third-party service: a sum of two small numbers
written in words ("What is three plus five?"), the numbers and the time it was asked signed with the app's
secret, so that the answer is checked without keeping anything; the answer is refused when the form comes back
too quickly (CATALOGUE_MIN_FILL_SECONDS, 3) or too late (CATALOGUE_QUESTION_MAX_AGE, 2 hours)."""

from __future__ import annotations

import secrets
import time

from flask import current_app
from flask_babel import gettext
from itsdangerous import BadSignature, URLSafeSerializer

SALT = "catalogue-contact-question"


def _words() -> list[str]:
    return [gettext("zero"), gettext("one"), gettext("two"), gettext("three"), gettext("four"), gettext("five"),
            gettext("six"), gettext("seven"), gettext("eight"), gettext("nine")]


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def new_question(now: float | None = None) -> tuple[str, str]:
    """(the question in words, the signed token the form carries)."""
    first, second = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    token = _serializer().dumps({"a": first, "b": second, "t": int(now if now is not None else time.time()),
                                 "n": secrets.token_hex(4)})
    return question_of(token) or "", token


def _read(token: str | None) -> dict | None:
    try:
        data = _serializer().loads(token or "")
    except BadSignature:
        return None
    if not isinstance(data, dict) or not all(isinstance(data.get(k), int) for k in ("a", "b", "t")):
        return None
    return data


def question_of(token: str | None) -> str | None:
    """The question a token asks, in the page's language (None: a token not ours)."""
    data = _read(token)
    if data is None:
        return None
    words = _words()
    text = gettext("What is %(first)s plus %(second)s?", first=words[data["a"] % 10], second=words[data["b"] % 10])
    return text[:1].upper() + text[1:]


def problem(token: str | None, answer: str | None, now: float | None = None) -> str | None:
    """Why the answer is refused (a message for the form), or None when it is right and in time."""
    data = _read(token)
    if data is None:
        return gettext("The question has expired. Answer the new one.")
    now = now if now is not None else time.time()
    elapsed = now - data["t"]
    if elapsed > int(current_app.config.get("CATALOGUE_QUESTION_MAX_AGE", 7200)):
        return gettext("The question has expired. Answer the new one.")
    if elapsed < float(current_app.config.get("CATALOGUE_MIN_FILL_SECONDS", 3)):
        return gettext("The form was sent too quickly. Check it and send it again.")
    expected = data["a"] + data["b"]
    text = (answer or "").strip().lower()
    words = [w.lower() for w in _words()] + [gettext("ten").lower(), gettext("eleven").lower(),
                                              gettext("twelve").lower(), gettext("thirteen").lower(),
                                              gettext("fourteen").lower(), gettext("fifteen").lower(),
                                              gettext("sixteen").lower(), gettext("seventeen").lower(),
                                              gettext("eighteen").lower()]
    if text.isdigit() and len(text) < 4 and int(text) == expected:
        return None
    if text and text in words and words.index(text) == expected:
        return None
    return gettext("That is not the answer. Write the result in digits, for example 7.")
