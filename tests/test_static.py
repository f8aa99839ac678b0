"""The vendored htmx files are exactly npm's htmx.org 4.0.1, and ship inside the package."""
from __future__ import annotations

import gzip
import hashlib
from importlib import resources

import pytest

PINNED = {
    # sha256 of dist/htmx.js, dist/ext/hx-sse.js and LICENSE from npm's htmx.org-4.0.1.tgz
    "htmx/htmx-4.0.1.js": "89b09a0392a9077ce037bb913f023dd349fa19bdb980df556d943d386bf0bfe8",
    "htmx/hx-sse-4.0.1.js": "8bd89f42bf6b61b459dace65046154bb80254ea380b9868c494c0ff33018f3d6",
    # ... and their minified builds, dist/htmx.min.js and dist/ext/hx-sse.min.js (served unless debug)
    "htmx/htmx-4.0.1.min.js": "a0abb04f2f45a1f89d1d4844023245537e5e6014c87b144553e0607b4cc32130",
    "htmx/hx-sse-4.0.1.min.js": "18ef2761356ec1fe0bb6d92612315b37517a7c1e9856b661c5ae81fef239d103",
    "htmx/LICENSE-htmx-4.0.1.txt": "d3d2456f76414f2456104660ebd65aff1c04cd7966b942bdabd63f3cdb316a38",
    # lib/codemirror.js, lib/codemirror.css and LICENSE from npm's codemirror-5.65.20.tgz
    "codemirror-5.65.20/codemirror.js": "8e8b5e3cc4be7530a9b6b624bce95ff966cd667283005a103739fe37d3bdd97c",
    "codemirror-5.65.20/codemirror.css": "eb494ea972d2661ef86f7f6ac656dd6786d721e49c9c1b46e1eb967e4b6f9bf3",
    "codemirror-5.65.20/LICENSE-codemirror.txt": "168a4becc968f5001e2ee2e0291b6e4daabafc1894a11ade1e11d56e96096e07",
}


@pytest.mark.parametrize(("path", "digest"), sorted(PINNED.items()))
def test_vendored_htmx_files_are_pinned(path, digest):
    data = (resources.files("htmio") / "static" / path).read_bytes()
    assert hashlib.sha256(data).hexdigest() == digest


def test_htmio_script_stays_small():
    # the one htmio script: toasts, commands (scroll, run_js, eval_js, download, set_env), presence
    # beacons, the code editor loader, modal popups, scroll boxes that follow their bottom, put_html's
    # scripts in order: about 3.5 KB gzipped beside htmx's 16 KB (minified)
    data = (resources.files("htmio") / "static" / "htmio.js").read_bytes()
    assert len(gzip.compress(data, 9)) < 4096
