"""The paths the commands take (backup, restore, report --output, import-register): a path that cannot be one
(empty, a NUL byte, a name longer than the file system allows, a folder that does not exist) is a usage
error with a message, never a traceback."""

from __future__ import annotations

import os
from pathlib import Path

import click


def _text(value) -> str:
    return os.fsdecode(value) if isinstance(value, bytes) else str(value)


class FilePath(click.Path):
    """click.Path that also refuses an empty path and a NUL byte (os.stat raises ValueError on it, which
    click.Path lets through), and gives a Path."""

    def __init__(self, **kwargs):
        kwargs.setdefault("path_type", Path)
        super().__init__(**kwargs)

    def convert(self, value, param, ctx):
        if isinstance(value, Path):
            return value
        text = _text(value)
        if not text.strip():
            self.fail("the path is empty.", param, ctx)
        if "\x00" in text:
            self.fail(f"{click.format_filename(text)!r} contains a NUL byte.", param, ctx)
        try:
            return super().convert(value, param, ctx)
        except OSError as exc:  # a name too long, a path through a file …
            self.fail(f"{click.format_filename(text)!r}: {exc.strerror or exc}.", param, ctx)


class OutputPath(FilePath):
    """A file to be written: not a folder, in a folder that exists (unless the command creates it), with a
    name the file system takes."""

    def __init__(self, folder_must_exist: bool = True):
        super().__init__(dir_okay=False, writable=True)
        self.folder_must_exist = folder_must_exist

    def convert(self, value, param, ctx):
        path = super().convert(value, param, ctx)
        folder = path.parent
        if not os.path.isdir(folder):
            if not self.folder_must_exist:
                return path
            self.fail(f"the folder {click.format_filename(folder)!r} does not exist.", param, ctx)
        try:
            name_max = os.pathconf(folder, "PC_NAME_MAX")
        except (OSError, ValueError):
            name_max = 255
        if len(os.fsencode(path.name)) > name_max:
            self.fail(f"the file name is longer than {name_max} bytes.", param, ctx)
        return path


def make_folders(folder: Path) -> None:
    """The missing folders of a path, made one by one (pathlib's and os's recursion fails on a deep path)."""
    missing = []
    while not os.path.isdir(folder) and folder.parent != folder:
        missing.append(folder)
        folder = folder.parent
    for each in reversed(missing):
        each.mkdir()


def write_failure(path: Path, exc: Exception) -> click.ClickException:
    """The error a command prints when writing or reading PATH failed after all (permissions, a full disk)."""
    reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return click.ClickException(f"{click.format_filename(path)}: {reason}")
