"""input(): forms as the user receives them, typed values back in the app, validation, hostile posts."""
from __future__ import annotations

import pytest

from htmio.input import FLOAT, NUMBER, PASSWORD, TEXT, input
from htmio.output import put_text


def echo(**kwargs):
    def main():
        value = input(**kwargs)
        put_text(f"{type(value).__name__}:{value!r}")
    return main


def test_the_form_has_a_real_label_and_the_pywebio_attributes(open_app):
    page = open_app(echo(label="Your name", placeholder="Ada", help_text="as on your badge",
                         required=True, value="Bob"))
    form = page.form()
    field = form.select_one("input[name=value]")
    label = form.select_one(f"label[for={field['id']}]")
    assert label.get_text() == "Your name"
    assert field["placeholder"] == "Ada" and field["value"] == "Bob"
    assert field.has_attr("required") and field.has_attr("autofocus")
    help_node = form.select_one(".htmio-help")
    assert help_node.get_text() == "as on your badge"
    assert help_node["id"] in field["aria-describedby"]
    assert [b.get_text() for b in form.select("button")] == ["Submit", "Reset"]


@pytest.mark.parametrize(
    ("type_", "html_type", "sent", "shown"),
    [
        (TEXT, "text", "hi there", "str:'hi there'"),
        (PASSWORD, "password", "s3cret", "str:'s3cret'"),
        (NUMBER, "number", "42", "int:42"),
        (NUMBER, "number", " 7 ", "int:7"),
        (FLOAT, "number", "2.5", "float:2.5"),
        (FLOAT, "number", "3", "float:3.0"),
    ],
)
def test_values_come_back_as_python_values(open_app, type_, html_type, sent, shown):
    page = open_app(echo(label="v", type=type_))
    assert page.form().select_one("input[name=value]")["type"] == html_type
    assert page.submit(sent) == 204
    assert page.texts() == [shown]


def test_empty_optional_number_is_none(open_app):
    page = open_app(echo(label="n", type=NUMBER))
    page.submit("")
    assert page.texts() == ["NoneType:None"]


@pytest.mark.parametrize(("type_", "sent", "message"), [
    (NUMBER, "abc", "is not a number"),
    (NUMBER, "1.5", "not a whole number"),
    (FLOAT, "x1", "is not a number"),
    (FLOAT, "nan", "not a finite number"),
])
def test_malformed_numbers_get_a_message_in_the_form(open_app, type_, sent, message):
    page = open_app(echo(label="n", type=type_))
    assert page.submit(sent) == 422
    assert message in page.error()
    assert page.form().select_one("input[name=value]")["value"] == sent
    assert page.texts() == []


def test_required_is_checked_on_the_server_too(open_app):
    page = open_app(echo(label="n", required=True))
    assert page.submit("") == 422
    assert page.error() == "Please fill in this field."


def test_validate_message_shows_in_the_form_and_keeps_the_typed_value(open_app):
    page = open_app(echo(label="age", type=NUMBER, validate=lambda v: "must be 18 or more" if v < 18 else None))
    assert page.submit("5") == 422
    form = page.form()
    field = form.select_one("input[name=value]")
    assert page.error() == "must be 18 or more"
    assert field["value"] == "5" and field["aria-invalid"] == "true"
    assert form.select_one(".htmio-field-error")["id"] in field["aria-describedby"]
    # the 422 body is the form again, as an htmx partial replacing it in place
    body = page.last_response.text
    assert body.startswith('<hx-partial hx-target="#htmio-form-') and 'hx-swap="outerHTML"' in body
    assert page.submit("20") == 204
    assert page.texts() == ["int:20"]


def test_validate_runs_in_the_session_thread_and_may_output(open_app):
    def main():
        def check(v):
            put_text(f"checking {v}")
            return None if v == "ok" else "not ok"
        input("x", validate=check)

    page = open_app(main)
    page.submit("no")
    page.submit("ok")
    assert page.texts() == ["checking no", "checking ok"]


def test_a_failing_validate_is_a_message_not_a_crash(open_app, caplog):
    def main():
        value = input("x", validate=lambda v: 1 / 0)
        put_text(value)

    page = open_app(main)
    assert page.submit("a") == 422
    assert "could not be checked" in page.error()


def test_without_javascript_the_post_redirects_to_the_page(open_app):
    page = open_app(echo(label="name"))
    assert page.submit("Ada", htmx=False) == 303
    assert page.last_response.headers["location"].startswith(page.url)
    assert page.texts() == ["str:'Ada'"]


def test_without_javascript_an_invalid_value_shows_on_the_reloaded_page(open_app):
    page = open_app(echo(label="n", type=NUMBER))
    assert page.submit("x", htmx=False) == 303
    assert "is not a number" in page.error()


def test_a_sequence_of_inputs(open_app):
    def main():
        a = input("a", type=NUMBER)
        b = input("b", type=NUMBER)
        put_text(f"sum {a + b}")

    page = open_app(main)
    page.submit("2")
    assert page.form().select_one("label").get_text() == "b"
    page.submit("3")
    assert page.texts() == ["sum 5"]
    assert page.soup.select("#htmio-inputs form") == []


def test_input_refuses_unknown_types(raised_in_app):
    assert "'number'" in raised_in_app(lambda: input("x", type="colour"), ValueError)


def test_other_html_attrs_and_datalist(open_app):
    page = open_app(echo(label="fruit", datalist=["apple", "pear"], maxlength=10))
    field = page.form().select_one("input[name=value]")
    assert field["maxlength"] == "10"
    options = page.form().select(f"datalist#{field['list']} option")
    assert [o["value"] for o in options] == ["apple", "pear"]


# ---- hostile and stale posts -------------------------------------------------------------------

def test_a_post_without_the_field_is_answered_in_the_form(open_app):
    page = open_app(echo(label="n"))
    response = page.http.post(page.form()["action"], data={"_token": page._token()}, headers={"HX-Request": "true"})
    assert response.status_code == 422
    assert "missing" in response.text


def test_a_post_with_a_wrong_token_is_refused_and_nothing_is_lost(open_app):
    page = open_app(echo(label="n"))
    for token in ("", "wrong"):
        response = page.http.post(page.form()["action"], data={"_token": token, "value": "x"},
                                  headers={"HX-Request": "true"})
        assert response.status_code == 403
        assert "security token" in response.text
    page.refresh()
    assert page.submit("fine") == 204
    assert page.texts() == ["str:'fine'"]


def test_a_post_from_another_site_is_refused(open_app):
    page = open_app(echo(label="n"))
    response = page.http.post(page.form()["action"], data={"_token": page._token(), "value": "x"},
                              headers={"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 403
    assert "another site" in response.text


def test_a_second_post_to_an_answered_form_says_it_was_answered(open_app):
    def main():
        input("a")
        input("b")

    page = open_app(main)
    action = page.form()["action"]
    page.submit("1")
    response = page.http.post(action, data={"_token": page._token(), "value": "again"},
                              headers={"HX-Request": "true"})
    assert response.status_code == 409
    assert "already answered" in response.text
    assert page.form().select_one("label").get_text() == "b"


def test_a_malformed_body_is_a_clear_400(open_app):
    page = open_app(echo(label="n"))
    response = page.http.post(page.form()["action"], content=b"--xx\r\nbroken",
                              headers={"Content-Type": "multipart/form-data; boundary=xx", "HX-Request": "true"})
    assert response.status_code in (400, 403)
    page.refresh()
    assert page.form() is not None


def test_a_non_numeric_form_id_is_a_clear_error(open_app):
    page = open_app(echo(label="n"))
    response = page.http.post(page.url + "/form/abc", data={"_token": page._token()})
    assert response.status_code == 400
    assert "malformed" in response.text
