"""Plain HTTP/1.1 over asyncio streams for the benchmark clients: light enough to share two cores with the
server under test, and standard library only (``bench/scaleout.py``'s client runs on the PyWebIO venv)."""
from __future__ import annotations

import asyncio


async def read_head(reader: asyncio.StreamReader) -> tuple[int, dict[str, str]]:
    """The status and the headers (names lower-cased) of the next answer on ``reader``.

        status, headers = await read_head(reader)
    """
    line = await reader.readline()
    if not line:
        raise ConnectionError("closed before a status line")
    status = int(line.split()[1])
    headers: dict[str, str] = {}
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            return status, headers
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
