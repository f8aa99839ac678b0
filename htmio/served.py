"""What a session keeps for the server to hand out or call: files, images, and the views of outputs.

Outputs and session functions fill these through ``session.part(Downloads)`` and the like; the server's
routes read them with ``session.part_if_made(...)``, so neither side imports the other.
"""
from __future__ import annotations

import weakref
from collections.abc import Callable


class Media:
    """Bytes an output serves from its session (an image, a file); lives as long as its output."""

    __slots__ = ("media_type", "content", "filename", "__weakref__")

    def __init__(self, media_type: str, content: bytes, filename: str | None = None) -> None:
        self.media_type = media_type
        self.content = content
        self.filename = filename


class MediaFiles(weakref.WeakValueDictionary[int, Media]):
    """A session's served images and files, by number; an entry goes when its output does."""


class Downloads(dict[int, tuple[str, bytes]]):
    """Files the app offered with ``download()``: number -> (file name, content)."""


class Views(dict[int, Callable[[dict[str, list[str]]], object]]):
    """Outputs that render a new view of themselves on request (a data table's page, sort, filter):
    number -> a function of the request's fields that gives the new HTML."""
