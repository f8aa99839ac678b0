"""Reading a post's form while it streams, within its limits: a running count for each file, each field and the
whole body, whatever the framing (Content-Length or chunked); files spooled to disk past a threshold; a refusal
as soon as a limit is passed, with every spooled file closed (nothing kept)."""
from __future__ import annotations

import codecs
from collections.abc import Mapping
from dataclasses import dataclass, field
from tempfile import SpooledTemporaryFile
from urllib.parse import parse_qsl

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.datastructures import FormData, Headers, UploadFile
from starlette.requests import Request

from htmio.events import number_or_none
from htmio.fields import PostLimit

SPOOL = 1024 * 1024  # a file's bytes stay in memory up to this, then go to a temporary file


@dataclass(frozen=True)
class Limits:
    """What one post may bring: ``body`` bytes in all, each field as its ``PostLimit`` says (a field not named
    there: ``body``), at most ``max_files`` files and ``max_fields`` other fields."""

    body: int
    fields: Mapping[str, PostLimit] = field(default_factory=dict)
    max_files: int = 1000
    max_fields: int = 1000


class TooLarge(Exception):
    """A post passed a limit while it streamed. ``name`` is the field (None: the body as a whole), ``kind`` says
    which limit (``"each"``: one file or text, ``"total"``: all files of the field, ``"body"``), ``limit`` its bytes;
    ``texts`` holds the text fields read before it (the page's token among them)."""

    def __init__(self, name: str | None, filename: str | None, kind: str, limit: int,
                 texts: Mapping[str, list[str]]) -> None:
        what = "the post" if name is None else f"field {name!r}" + (f" (file {filename!r})" if filename else "")
        super().__init__(f"{what} passed its limit of {limit:,} bytes ({kind})")
        self.name, self.filename, self.kind, self.limit, self.texts = name, filename, kind, limit, texts


class Unreadable(ValueError):
    """A body that is not a well-formed form (its message says what is wrong)."""


def is_chunked(request: Request) -> bool:
    """True when the request does not say its length up front (chunked): a refusal then closes the connection,
    so the server reads no more of it."""
    return number_or_none(request.headers.get("content-length", ""), 30) is None


async def read_form(request: Request, limits: Limits) -> FormData:
    """The request's form, read as it streams and refused (``TooLarge``) the moment it passes a limit; a body
    that is not a form raises ``Unreadable``. Files come as ``UploadFile`` (closed by ``form.close()``)."""
    content_type, params = parse_options_header(request.headers.get("content-type"))
    if content_type == b"multipart/form-data":
        boundary = params.get(b"boundary")
        if not boundary:
            raise Unreadable("The multipart body names no boundary")
        charset = params.get(b"charset", b"utf-8").decode("latin-1")
        try:
            b"".decode(charset)  # a text encoding ('rot13' is a codec, but not one)
            charset = codecs.lookup(charset).name
        except (LookupError, ValueError):
            charset = "latin-1"
        return await _Multipart(limits, charset).read(request, boundary)
    if content_type != b"application/x-www-form-urlencoded":
        return FormData()  # not a form: no fields (as Starlette's request.form() answers), and nothing read
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limits.body:
            raise TooLarge(None, None, "body", limits.body, {})
    texts: list[tuple[str, str | UploadFile]] = []
    try:
        pairs = parse_qsl(body.decode("latin-1"), keep_blank_values=True, max_num_fields=limits.max_fields,
                          encoding="utf-8", errors="replace")
    except ValueError as exc:
        raise Unreadable(str(exc)) from None
    seen: dict[str, list[str]] = {}
    for name, value in pairs:
        seen.setdefault(name, []).append(value)
        if _too_long(limits, name, value):
            raise TooLarge(name, None, "each", limits.fields[name].each, seen)
        texts.append((name, value))
    return FormData(texts)


def _too_long(limits: Limits, name: str, value: str) -> bool:
    limit = limits.fields.get(name)
    return limit is not None and not limit.is_file and limit.each > 0 and len(value.encode()) > limit.each


@dataclass
class _Part:
    name: str = ""
    disposition: bytes = b""
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    data: bytearray = field(default_factory=bytearray)
    upload: UploadFile | None = None
    size: int = 0


class _Multipart:
    """python-multipart's streaming parser, counting as it goes; its callbacks run inside ``parser.write``."""

    def __init__(self, limits: Limits, charset: str) -> None:
        self.limits, self.charset = limits, charset
        self.part = _Part()
        self.header_name = self.header_value = b""
        self.items: list[tuple[str, str | UploadFile]] = []
        self.texts: dict[str, list[str]] = {}
        self.totals: dict[str, int] = {}  # bytes of files per field
        self.files = self.fields = 0
        self.uploads: list[UploadFile] = []
        self.to_write: list[tuple[UploadFile, bytes]] = []

    async def read(self, request: Request, boundary: bytes) -> FormData:
        parser = MultipartParser(boundary, {
            "on_part_begin": self.on_part_begin, "on_part_data": self.on_part_data, "on_part_end": self.on_part_end,
            "on_header_field": self.on_header_field, "on_header_value": self.on_header_value,
            "on_header_end": self.on_header_end, "on_headers_finished": self.on_headers_finished,
        })
        received = 0
        try:
            async for chunk in request.stream():
                received += len(chunk)
                if received > self.limits.body:
                    raise TooLarge(None, None, "body", self.limits.body, self.texts)
                parser.write(chunk)
                for upload, data in self.to_write:
                    await upload.write(data)  # in a thread once the file is on disk
                self.to_write.clear()
            parser.finalize()
            for upload in self.uploads:
                await upload.seek(0)
        except BaseException as exc:
            self.to_write.clear()
            for upload in self.uploads:
                upload.file.close()  # a spooled file on disk is deleted as it closes
            self.items.clear()
            if isinstance(exc, FormParserError):
                raise Unreadable(f"The multipart body is malformed ({exc})") from None
            raise
        return FormData(self.items)

    def on_part_begin(self) -> None:
        self.part = _Part()

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self.header_name += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self.header_value += data[start:end]
        if len(self.header_value) > 16 * 1024:
            raise Unreadable("A multipart header is longer than 16 KB")

    def on_header_end(self) -> None:
        name = self.header_name.lower()
        if name == b"content-disposition":
            self.part.disposition = self.header_value
        self.part.headers.append((name, self.header_value))
        self.header_name = self.header_value = b""

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self.part.disposition)
        if b"name" not in options:
            raise Unreadable('A part of the multipart body has no Content-Disposition "name"')
        self.part.name = options[b"name"].decode(self.charset, errors="replace")
        if b"filename" in options:
            self.files += 1
            if self.files > self.limits.max_files:
                raise Unreadable(f"The post holds more than {self.limits.max_files} files")
            upload = UploadFile(SpooledTemporaryFile(max_size=SPOOL), size=0,  # type: ignore[arg-type]
                                filename=options[b"filename"].decode(self.charset, errors="replace"),
                                headers=Headers(raw=self.part.headers))
            self.uploads.append(upload)
            self.part.upload = upload
        else:
            self.fields += 1
            if self.fields > self.limits.max_fields:
                raise Unreadable(f"The post holds more than {self.limits.max_fields} fields")

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        part, size = self.part, end - start
        part.size += size
        limit = self.limits.fields.get(part.name)
        if part.upload is None:
            each = limit.each if limit is not None and not limit.is_file and limit.each else 0
            if each and part.size > each:
                raise TooLarge(part.name, None, "each", each, self.texts)
            part.data += data[start:end]
            return
        total = self.totals[part.name] = self.totals.get(part.name, 0) + size
        if limit is not None and limit.each and part.size > limit.each:
            raise TooLarge(part.name, part.upload.filename, "each", limit.each, self.texts)
        if limit is not None and limit.total and total > limit.total:
            raise TooLarge(part.name, part.upload.filename, "total", limit.total, self.texts)
        self.to_write.append((part.upload, data[start:end]))

    def on_part_end(self) -> None:
        part = self.part
        if part.upload is not None:
            self.items.append((part.name, part.upload))
            return
        text = part.data.decode(self.charset, errors="replace")
        self.texts.setdefault(part.name, []).append(text)
        self.items.append((part.name, text))
