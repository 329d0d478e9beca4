"""Helpers for the enums every domain declares."""

from enum import StrEnum

import sqlalchemy as sa


class LabelledEnum(StrEnum):
    """A string enum whose members carry a translatable label (set in each domain's LABELS)."""

    @property
    def label(self) -> str:
        return str(type(self).labels()[self])

    @classmethod
    def labels(cls) -> dict:
        raise NotImplementedError

    @classmethod
    def choices(cls) -> list:
        from wtforms.fields.choices import SelectChoice

        return [SelectChoice(m.value, m.label) for m in cls]


def enum_column(enum_cls, length: int = 32) -> sa.Enum:
    """Stored as its value in a VARCHAR: portable, and a new member needs no ALTER TYPE."""
    return sa.Enum(
        enum_cls,
        native_enum=False,
        create_constraint=False,
        length=length,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )
