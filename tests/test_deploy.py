"""path_deploy / `htmio serve DIR/`: every app file under a directory at its path, and nothing else."""
from __future__ import annotations

import warnings

import pytest
from bs4 import BeautifulSoup

from htmio.deploy import create_path_app
from htmio.settings import Settings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

APP = "from htmio.output import put_text\ndef main():\n    put_text({text!r})\n"


@pytest.fixture
def tree(tmp_path):
    base = tmp_path / "apps"
    (base / "tools").mkdir(parents=True)
    (base / "_private").mkdir()
    (base / "hello.py").write_text(APP.format(text="hello"))
    (base / "tools" / "report.py").write_text(APP.format(text="report"))
    (base / "tools" / "helpers.py").write_text("X = 1\n")  # no main: not an app
    (base / "_hidden.py").write_text(APP.format(text="hidden"))
    (base / "_private" / "secret.py").write_text(APP.format(text="secret"))
    (tmp_path / "outside.py").write_text(APP.format(text="outside"))
    return base


def client_for(base, **kwargs):
    return TestClient(create_path_app(base, Settings(first_paint_wait=2), **kwargs))


def texts(response) -> list[str]:
    return [p.get_text() for p in BeautifulSoup(response.text, "html.parser").select(".htmio-text")]


def test_each_app_runs_at_its_path(tree):
    with client_for(tree) as client:
        first = client.get("/tools/report", follow_redirects=False)
        assert first.status_code == 303 and first.headers["location"].startswith("/tools/report/s/")
        page = client.get(first.headers["location"])
        assert texts(page) == ["report"]
        soup = BeautifulSoup(page.text, "html.parser")
        assert soup.select_one('link[rel="stylesheet"]')["href"] == "/tools/report/_htmio/static/htmio.css"
        assert client.get("/tools/report/_htmio/static/htmio.css").status_code == 200
        assert texts(client.get("/hello", follow_redirects=True)) == ["hello"]


def test_folders_list_their_apps_and_folders_but_nothing_hidden(tree):
    with client_for(tree) as client:
        index = BeautifulSoup(client.get("/").text, "html.parser")
        assert [(a.get_text(), a["href"]) for a in index.select(".htmio-index a")] == [
            ("hello", "/hello"), ("tools/", "/tools/")]
        tools = BeautifulSoup(client.get("/tools/").text, "html.parser")
        assert [a.get_text() for a in tools.select(".htmio-index a")] == ["report"]
        assert client.get("/_htmio/static/htmio.css").status_code == 200


@pytest.mark.parametrize("path", [
    "/_hidden", "/_private/secret", "/../outside", "/%2e%2e/outside", "/tools/../../outside", "/tools/helpers",
    "/nope", "/hello.py", "/.hello", "/tools/%2e%2e/%2e%2e/outside",
])
def test_nothing_outside_or_hidden_can_be_reached(tree, path):
    with client_for(tree) as client:
        response = client.get(path, follow_redirects=True)
        assert response.status_code == 404, path
        assert "outside" not in texts(response) and "secret" not in response.text and "hidden" not in texts(response)


def test_index_py_runs_instead_of_the_listing(tree):
    (tree / "tools" / "index.py").write_text(APP.format(text="tools home"))
    with client_for(tree) as client:
        assert texts(client.get("/tools/", follow_redirects=True)) == ["tools home"]
        assert texts(client.get("/tools/report", follow_redirects=True)) == ["report"]


def test_index_false_refuses_listings(tree):
    with client_for(tree, index=False) as client:
        assert client.get("/").status_code == 403
        assert texts(client.get("/hello", follow_redirects=True)) == ["hello"]


def test_reload_loads_the_edited_file(tree):
    with client_for(tree) as client:
        assert texts(client.get("/hello", follow_redirects=True)) == ["hello"]
        (tree / "hello.py").write_text(APP.format(text="hello again"))
        assert texts(client.get("/hello", follow_redirects=True)) == ["hello"]  # cached
        assert texts(client.get("/hello?reload", follow_redirects=True)) == ["hello again"]


def test_a_broken_file_is_an_error_page_and_the_others_keep_working(tree):
    (tree / "broken.py").write_text("def main():\n    pass\nraise RuntimeError('bad import')\n")
    with client_for(tree) as client:
        response = client.get("/broken")
        assert response.status_code == 500 and "bad import" in response.text
        assert texts(client.get("/hello", follow_redirects=True)) == ["hello"]


def test_a_missing_base_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match="not a directory"):
        create_path_app(tmp_path / "missing", Settings())
