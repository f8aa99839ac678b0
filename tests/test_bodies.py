"""htmio.server.bodies over a real socket: a post is counted as it streams, refused the moment it passes a limit
(Content-Length or chunked), and nothing of it is kept after the refusal."""
from __future__ import annotations

import gc
import os
import time
from pathlib import Path

import httpx
import pytest
from bs4 import BeautifulSoup
from starlette.datastructures import UploadFile

from htmio.events import FormSubmitted, UploadedFile
from htmio.input import file_upload
from htmio.output import put_text
from tests.live import LiveServer, RawUpload

MB = 1 << 20


def app():
    put_text("kept")
    f = file_upload("Doc", max_size="1M")
    put_text(f["filename"], len(f["content"]))


def opened(server: LiveServer, client: httpx.Client) -> tuple[str, str, str]:
    """The page's address, the form's action and the page's token of a new session."""
    url = client.get("/", follow_redirects=False).headers["location"]
    soup = BeautifulSoup(client.get(url).text, "html.parser")
    return url, soup.select_one("#htmio-inputs form")["action"], soup.select_one("body")["data-htmio-token"]


def shown(client: httpx.Client, url: str) -> tuple[list[str], list[str]]:
    """The texts and the field errors the page shows now."""
    soup = BeautifulSoup(client.get(url).text, "html.parser")
    return [p.get_text() for p in soup.select(".htmio-text")], [e.get_text() for e in soup.select(".htmio-field-error")]


def raw_upload(server: LiveServer, client: httpx.Client, action: str, token: str, **kwargs) -> RawUpload:
    return RawUpload(server.port, action, dict(client.cookies.items()), token, **kwargs)


@pytest.fixture
def client(serve):
    clients: list[httpx.Client] = []

    def make(server: LiveServer) -> httpx.Client:
        clients.append(httpx.Client(base_url=server.url, timeout=30))
        return clients[-1]

    yield make
    for c in clients:
        c.close()


def test_a_chunked_upload_is_refused_as_soon_as_it_passes_the_limit(serve, client):
    server = serve(app)
    http = client(server)
    url, action, token = opened(server, http)
    upload = raw_upload(server, http, action, token, size=200 * MB, chunked=True)
    try:
        upload.send()
        # the server read a little past 1 MB, answered, and closes the connection: the rest never left (what
        # did was in the sockets' buffers, or read and dropped so the answer arrives before the close)
        assert upload.answered and upload.sent < 32 * MB
        status, headers, body = upload.response()
        assert status == 413 and headers["connection"] == "close"
        assert "big.bin is larger than 1.0 MB, the limit for each file." in body
        upload.answered = False
        upload.send()  # a client that goes on sending is cut off: the server reads a few MB more, then closes
        assert (upload.answered or upload.cut) and upload.sent < 48 * MB
    finally:
        upload.close()
    # the form says why, what the page showed stays, and a file within the limit goes through
    assert shown(http, url) == (["kept"], ["big.bin is larger than 1.0 MB, the limit for each file."])
    done = http.post(action, data={"_token": token}, files={"value": ("ok.bin", b"x" * 10, "text/plain")})
    assert done.status_code == 303
    assert shown(http, url)[0] == ["kept", "ok.bin 10"]


def test_an_upload_with_a_length_gets_its_answer_before_it_is_sent(serve, client):
    server = serve(app)
    http = client(server)
    url, action, token = opened(server, http)
    upload = raw_upload(server, http, action, token, size=200 * MB, chunked=False)
    try:
        upload.send()
        # the answer came while the client was still sending; the connection stays open (a browser that is
        # still sending reads it instead of a reset), the server throws the rest away unread
        assert upload.answered and not upload.cut
        assert upload.sent < 32 * MB
        status, headers, body = upload.response()
        assert status == 413 and "connection" not in headers
        assert "big.bin is larger than 1.0 MB, the limit for each file." in body
    finally:
        upload.close()
    assert shown(http, url) == (["kept"], ["big.bin is larger than 1.0 MB, the limit for each file."])


def spooled(where: Path) -> list[str]:
    """The files open in this process (the server runs in it) or left behind in ``where``."""
    opened_here = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith(str(where)):
            opened_here.append(target)
    return opened_here + os.listdir(where)


def holds(thing: object, filename: str) -> bool:
    """True when ``thing`` is an upload of ``filename``, or a form submission carrying one."""
    if isinstance(thing, (UploadFile, UploadedFile)):
        return thing.filename == filename
    return isinstance(thing, FormSubmitted) and any(f.filename == filename for fs in thing.files.values() for f in fs)


def wait_until(check, what: str, seconds: float = 30.0):
    """Poll ``check()`` until it is true (no timing is asserted: the deadline only ends a hung test)."""
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"still not {what} after {seconds} s")
        time.sleep(0.02)


@pytest.mark.parametrize("chunked", [True, False], ids=["chunked", "content-length"])
def test_a_refused_upload_leaves_no_spooled_file(serve, client, tmp_path, monkeypatch, chunked):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where SpooledTemporaryFile rolls over to

    def main():
        f = file_upload("Doc", max_size="8M")
        put_text(f["filename"], len(f["content"]))

    server = serve(main)
    http = client(server)
    url, action, token = opened(server, http)
    upload = raw_upload(server, http, action, token, size=100 * MB, chunked=chunked, filename="spooled.bin")
    try:
        upload.send(4 * MB)  # past the 1 MB kept in memory: the server spools it to a file in tmp_path
        wait_until(lambda: len(spooled(tmp_path)) == 1, "spooled to tmp_path")
        upload.send()
        assert upload.sent < 40 * MB
        wait_until(lambda: spooled(tmp_path) == [], "closed and deleted")
    finally:
        upload.close()
    assert shown(http, url) == ([], ["spooled.bin is larger than 8.0 MB, the limit for each file."])
    # nothing of the refused post is held: no upload object, no submission waiting in the app's thread
    gc.collect()
    assert [o for o in gc.get_objects() if holds(o, "spooled.bin")] == []
