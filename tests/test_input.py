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
    assert [b.get_text() for b in form.select("button:not([hidden])")] == ["Submit", "Reset"]
    # the first submit button is a hidden Submit: Enter in any field submits (never a side button)
    first = form.select_one("button[type=submit]")
    assert first.has_attr("hidden") and (first["name"], first["value"]) == ("_action", "submit")


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


# ---- textarea ---------------------------------------------------------------------------------

from htmio.input import (  # noqa: E402 - grouped with the tests that use them
    actions,
    checkbox,
    file_upload,
    input_group,
    input_update,
    radio,
    select,
    slider,
    textarea,
)


def test_textarea_attributes_and_line_ends(open_app):
    page = open_app(lambda: put_text(repr(textarea("Notes", rows=3, maxlength=20, placeholder="write", value="hi"))))
    area = page.form().select_one("textarea[name=value]")
    assert area["rows"] == "3" and area["maxlength"] == "20" and area.get_text().strip() == "hi"
    assert page.form().select_one(f"label[for={area['id']}]").get_text() == "Notes"
    page.submit("a\r\nb")
    assert page.texts() == ["'a\\nb'"]


def test_textarea_lengths_are_checked_on_the_server(open_app):
    page = open_app(lambda: textarea("t", maxlength=3, minlength=2))
    assert page.submit("toolong") == 422
    assert "at most 3" in page.error()
    assert page.submit("x") == 422
    assert "at least 2" in page.error()


def test_textarea_code_is_an_editor_with_javascript_and_a_textarea_without(open_app):
    page = open_app(lambda: textarea("Code", code={"mode": "python", "theme": object()}))
    area = page.form().select_one("textarea")
    assert area["data-htmio-code"] == '{"mode":"python"}'
    assert area.name == "textarea"  # what a browser without JavaScript uses as it is


# ---- select, checkbox, radio -------------------------------------------------------------------

def test_select_returns_the_python_value_of_the_chosen_option(open_app):
    marker = object()

    def main():
        value = select("Pick", ["red", ("Blue", marker), {"label": "Green", "value": 3, "selected": True}])
        put_text("marker" if value is marker else repr(value))

    page = open_app(main)
    options = page.form().select("select option")
    assert [o.get_text() for o in options] == ["red", "Blue", "Green"]
    assert [o["value"] for o in options] == ["0", "1", "2"]  # only positions reach the browser
    assert options[2].has_attr("selected")
    page.submit("Blue")
    assert page.texts() == ["marker"]


def test_select_multiple_returns_a_list_and_initial_value_selects(open_app):
    page = open_app(lambda: put_text(repr(select("Tags", ["a", "b", "c"], multiple=True, value=["b", "c"]))))
    sel = page.form().select_one("select")
    assert sel.has_attr("multiple")
    assert [o.get_text() for o in sel.select("option[selected]")] == ["b", "c"]
    page.submit(["a", "c"])
    assert page.texts() == ["['a', 'c']"]


def test_select_refuses_an_option_that_was_never_offered_or_is_disabled(open_app):
    page = open_app(lambda: select("Pick", ["a", {"label": "off", "value": 2, "disabled": True}]))
    for sent in ("7", "x", "1"):
        response = page.http.post(page.form()["action"], data={"_token": page._token(), "value": sent},
                                  headers={"HX-Request": "true"})
        assert response.status_code == 422
        assert "was not one of the options offered" in response.text


def test_select_required_multiple_needs_a_choice(open_app):
    page = open_app(lambda: select("Pick", ["a", "b"], multiple=True, required=True))
    assert page.submit() == 422
    assert page.error() == "Please choose at least one option."


def test_checkbox_returns_a_list_with_labels_tied_to_boxes(open_app):
    page = open_app(lambda: put_text(repr(checkbox("Toppings", ["cheese", "olives", "basil"], value=["cheese"],
                                                   inline=True))))
    fieldset = page.form().select_one("fieldset")
    assert fieldset.legend.get_text() == "Toppings"
    boxes = fieldset.select("input[type=checkbox]")
    assert [b.has_attr("checked") for b in boxes] == [True, False, False]
    assert all(fieldset.select_one(f"label[for={b['id']}]") for b in boxes)
    page.submit(["olives", "basil"])
    assert page.texts() == ["['olives', 'basil']"]


def test_checkbox_with_nothing_ticked_is_an_empty_list(open_app):
    page = open_app(lambda: put_text(repr(checkbox(options=["I agree"]))))
    page.submit()
    assert page.texts() == ["[]"]


def test_radio_returns_the_value_or_none(open_app):
    page = open_app(lambda: put_text(repr(radio("Size", [("Small", "s"), ("Large", "l")]))))
    page.submit()
    assert page.texts() == ["None"]
    page = open_app(lambda: put_text(repr(radio("Size", [("Small", "s"), ("Large", "l")]))))
    page.submit("Large")
    assert page.texts() == ["'l'"]


def test_radio_required(open_app):
    page = open_app(lambda: radio("Size", ["S", "M"], required=True))
    assert page.form().select("input[type=radio]")[-1].has_attr("required")
    assert page.submit() == 422
    assert page.error() == "Please choose an option."


# ---- slider ------------------------------------------------------------------------------------

def test_slider_int_and_float(open_app):
    page = open_app(lambda: put_text(repr(slider("Volume", value=30))))
    assert page.form().select_one("input[type=range]")["value"] == "30"
    page.submit("42")
    assert page.texts() == ["42"]
    page = open_app(lambda: put_text(repr(slider("Ratio", min_value=0.0, max_value=1.0, step=0.25))))
    page.submit("0.75")
    assert page.texts() == ["0.75"]


def test_slider_refuses_values_out_of_range(open_app):
    page = open_app(lambda: slider("Volume", min_value=0, max_value=10))
    assert page.submit("11") == 422
    assert "outside the range" in page.error()
    assert page.submit("abc") == 422


# ---- actions -----------------------------------------------------------------------------------

def test_actions_return_the_pressed_button_value(open_app):
    page = open_app(lambda: put_text(repr(actions("Continue?", ["Yes", ("No", 0)]))))
    form = page.form()
    assert [b.get_text() for b in form.select("button:not([hidden])")] == ["Yes", "No"]  # no default Submit/Reset
    page.submit("No")
    assert page.texts() == ["0"]


def test_actions_cancel_returns_none_and_reset_is_a_reset_button(open_app):
    buttons = [{"label": "Save", "value": "s"}, {"label": "Clear", "type": "reset"},
               {"label": "Cancel", "type": "cancel", "color": "secondary"}]
    page = open_app(lambda: put_text(repr(actions(buttons=buttons))))
    assert page.form().select_one("button[type=reset]").get_text() == "Clear"
    page.submit("Cancel")
    assert page.texts() == ["None"]


def test_actions_without_javascript(open_app):
    page = open_app(lambda: put_text(repr(actions("Go?", ["Yes", "No"]))))
    assert page.submit("Yes", htmx=False) == 303
    assert page.texts() == ["'Yes'"]


# ---- file_upload -------------------------------------------------------------------------------

def test_file_upload_returns_pywebio_dict(open_app):
    def main():
        f = file_upload("Photo", accept=["image/*", ".png"], placeholder="Pick one")
        put_text(f"{f['filename']} {f['content']!r} {f['mime_type']} {type(f['last_modified']).__name__}")

    page = open_app(main)
    form = page.form()
    assert form["enctype"] == "multipart/form-data"
    field = form.select_one("input[type=file]")
    assert field["accept"] == "image/*,.png"
    assert page.submit(files={"value": ("C:\\photos\\me.png", b"\x89PNG", "image/png")}) == 204
    assert page.texts() == ["me.png b'\\x89PNG' image/png float"]


def test_file_upload_multiple_and_none_chosen(open_app):
    page = open_app(lambda: put_text(repr([f["filename"] for f in file_upload("Docs", multiple=True)])))
    assert page.form().select_one("input[type=file]").has_attr("multiple")
    page.submit(files={"value": [("a.txt", b"a", "text/plain"), ("b.txt", b"b", "text/plain")]})
    assert page.texts() == ["['a.txt', 'b.txt']"]
    page = open_app(lambda: put_text(repr(file_upload("Doc"))))
    page.submit(files={"value": ("", b"", "application/octet-stream")})
    assert page.texts() == ["None"]


def test_a_file_over_max_size_is_refused_in_the_form(open_app):
    def main():
        put_text("kept")
        f = file_upload("Doc", max_size="1K")
        put_text(f["filename"])

    page = open_app(main)
    # refused as it streams, the moment it passes 1 KB: 413, and the form says why
    assert page.submit(files={"value": ("big.bin", b"x" * 2048, "application/octet-stream")}) == 413
    assert page.error() == "big.bin is larger than 1.0 KB, the limit for each file."
    assert page.texts() == ["kept"]
    page.submit(files={"value": ("small.bin", b"x" * 10, "application/octet-stream")})
    assert page.texts() == ["kept", "small.bin"]


def test_an_upload_larger_than_the_form_allows_is_refused_before_it_is_read(open_app):
    def main():
        put_text("kept")
        file_upload("Doc", multiple=True, max_total_size="1K")

    page = open_app(main)
    status = page.submit(files={"value": ("huge.bin", b"x" * (3 << 20), "application/octet-stream")})
    assert status == 413
    assert page.error() == "These files come to more than 1.0 KB, the limit for all of them together."
    assert page.texts() == ["kept"]


def test_max_size_is_for_each_file_of_a_multiple_upload(open_app):
    page = open_app(lambda: put_text(repr([len(f["content"]) for f in file_upload("Docs", multiple=True,
                                                                                  max_size="1M")])))
    three = [(f"{n}.bin", b"x" * (900 << 10), "application/octet-stream") for n in "abc"]
    assert page.submit(files={"value": three}) == 204  # 2.7 MB in all: max_size is not the total
    assert page.texts() == [repr([900 << 10] * 3)]


def test_max_total_size_is_for_all_files_of_the_field(open_app):
    page = open_app(lambda: file_upload("Docs", multiple=True, max_size="1K", max_total_size="2K"))
    three = [(f"{n}.bin", b"x" * 1000, "application/octet-stream") for n in "abc"]
    assert page.submit(files={"value": three}) == 413
    assert page.error() == "These files come to more than 2.0 KB, the limit for all of them together."


def test_each_file_field_of_a_group_has_its_own_limits(open_app):
    def main():
        got = input_group("Files", [input("Title", name="title"),
                                    file_upload("Small", name="small", max_size="1K"),
                                    file_upload("Large", name="large", max_size="10K")])
        put_text(got["title"], len(got["small"]["content"]), len(got["large"]["content"]))

    page = open_app(main)
    small, large = ("s.bin", b"s" * 1000, "text/plain"), ("l.bin", b"l" * 9000, "text/plain")
    assert page.submit(title="both fit", files={"small": small, "large": large}) == 204  # 10 KB in all
    assert page.texts() == ["both fit 1000 9000"]

    page = open_app(main)
    assert page.submit(title="kept", files={"small": ("big.bin", b"s" * 2000, "text/plain"), "large": large}) == 413
    errors = {e.find_parent(class_="htmio-field").select_one("input")["name"]: e.get_text()
              for e in page.form().select(".htmio-field-error")}
    assert errors == {"small": "big.bin is larger than 1.0 KB, the limit for each file."}
    assert page.fields()["title"]["value"] == "kept"  # what the form showed stays


def test_a_text_field_takes_what_its_maxlength_allows_not_a_parser_default(open_app):
    def main():
        got = input_group("Long", [textarea("Text", name="text", maxlength=20_000_000), file_upload("F", name="f")])
        put_text(len(got["text"]))

    page = open_app(main)
    # a file makes it multipart, whose parser refused any text over 1 MB by default
    assert page.submit(text="y" * (3 << 20), files={"f": ("a.txt", b"a", "text/plain")}) == 204
    assert page.texts() == [str(3 << 20)]


def test_a_text_far_over_its_maxlength_is_refused_as_it_streams(open_app):
    page = open_app(lambda: put_text(textarea("Notes", maxlength=10)))
    assert page.submit("z" * 200) == 413  # more bytes than 10 characters can take
    assert page.error() == "This is larger than 104 bytes, the limit of this field. Shorten it."
    assert page.submit("fits") == 204 and page.texts() == ["fits"]


def test_a_text_field_without_maxlength_is_bounded_by_max_body_size(open_app):
    from htmio.settings import Settings

    def main():
        got = input_group("Long", [textarea("Text", name="text"), file_upload("F", name="f")])
        put_text(len(got["text"]))

    page = open_app(main, settings=Settings(max_body_size=4 << 20))
    assert page.submit(text="y" * (3 << 20), files={"f": ("a.txt", b"a", "text/plain")}) == 204
    assert page.texts() == [str(3 << 20)]
    page = open_app(main, settings=Settings(max_body_size=1 << 20))
    assert page.submit(text="y" * (3 << 20), files={"f": ("a.txt", b"a", "text/plain")}) == 413
    assert page.texts() == []


def test_a_validation_message_never_repeats_a_huge_value(open_app):
    page = open_app(lambda: input("Count", type=NUMBER))
    assert page.submit("1" * 1000 + "x") == 422
    message = page.error()
    assert message.startswith(repr("1" * 60) + "…") and message.endswith("is not a number. Enter a whole number, like 42.")
    assert len(message) < 200


def test_file_sizes_parse_like_pywebio(raised_in_app):
    from htmio.input import parse_file_size

    assert parse_file_size("3M") == 3 << 20 and parse_file_size("500k") == 500 << 10 and parse_file_size(7) == 7
    message = raised_in_app(lambda: file_upload("x", max_size="1T"), ValueError)
    assert "is not a size" in message
    message = raised_in_app(lambda: file_upload("x", max_size="1G"), ValueError)
    assert "larger than the server accepts" in message


# ---- input_group -------------------------------------------------------------------------------

def group_app(**kwargs):
    def main():
        data = input_group("Details", [
            input("Name", name="name", required=True),
            input("Age", name="age", type=NUMBER, validate=lambda a: "be serious" if a is not None and a < 0 else None),
            select("Team", [("Red", "r"), ("Blue", "b")], name="team"),
            checkbox("Tags", ["x", "y"], name="tags"),
        ], **kwargs)
        put_text(repr(data))
    return main


def test_input_group_returns_a_dict_of_python_values(open_app):
    page = open_app(group_app())
    form = page.form()
    assert form.select_one(".htmio-form-title").get_text() == "Details"
    assert form.select_one("input[name=name]").has_attr("autofocus")
    assert [b.get_text() for b in form.select(".htmio-form-actions button")] == ["Submit", "Reset"]
    page.submit(name="Ada", age="36", team="Blue", tags=["y"])
    assert page.texts() == ["{'name': 'Ada', 'age': 36, 'team': 'b', 'tags': ['y']}"]


def test_input_group_item_validation_and_group_validation(open_app):
    page = open_app(group_app(validate=lambda d: ("name", "taken") if d["name"] == "Bob" else None))
    assert page.submit(name="Ada", age="-1", team="Red") == 422
    assert page.fields()["age"]["aria-invalid"] == "true"
    assert "be serious" in page.form().get_text()
    assert page.fields()["name"]["value"] == "Ada"  # typed values stay
    assert page.fields()["age"].has_attr("autofocus")  # the first invalid field gets focus
    assert page.submit(name="Bob", age="5", team="Red") == 422
    assert page.error() == "taken"
    page.submit(name="Cy", age="5", team="Red")
    assert page.texts() == ["{'name': 'Cy', 'age': 5, 'team': 'r', 'tags': []}"]


def test_input_group_cancel_returns_none(open_app):
    page = open_app(group_app(cancelable=True))
    cancel = page.form().select_one("button[value=cancel]")
    assert cancel.get_text() == "Cancel" and cancel.has_attr("formnovalidate")
    page.submit(action="cancel")
    assert page.texts() == ["None"]


def test_input_group_cancel_is_refused_when_not_offered(open_app):
    page = open_app(group_app())
    assert page.submit(action="cancel", name="A", age="1", team="Red") == 204
    assert page.texts()[0].startswith("{'name': 'A'")


def test_input_group_with_actions_as_last_item_replaces_the_buttons(open_app):
    def main():
        data = input_group("Order", [
            input("Item", name="item"),
            actions(name="cmd", buttons=["Buy", {"label": "Stop", "type": "cancel"}]),
        ])
        put_text(repr(data))

    page = open_app(main)
    assert [b.get_text() for b in page.form().select("button:not([hidden])")] == ["Buy", "Stop"]
    page.submit(item="tea", cmd="Buy")
    assert page.texts() == ["{'item': 'tea', 'cmd': 'Buy'}"]
    page = open_app(main)
    page.submit(item="tea", cmd="Stop")
    assert page.texts() == ["None"]


def test_a_bad_group_validate_return_is_a_clear_error_in_the_app(open_app):
    page = open_app(group_app(validate=lambda d: "wrong"))
    page.submit(name="A", age="1", team="Red")
    assert page.soup.select_one(".htmio-app-error") is not None


def test_input_group_refuses_unnamed_and_duplicate_items(raised_in_app):
    assert "name=" in raised_in_app(lambda: input_group("x", [input("a", name="a"), "oops"]), TypeError)
    message = raised_in_app(lambda: input_group("x", [input("a", name="a"), input("b", name="a")]), ValueError)
    assert "two inputs are named 'a'" in message


# ---- onchange, input_update, action ------------------------------------------------------------

CITIES = {"France": ["Paris", "Lyon"], "Italy": ["Rome", "Milan"]}


def test_onchange_can_update_another_item(open_app):
    seen = []

    def on_country(country):
        seen.append(country)
        input_update("city", options=CITIES[country], help_text=f"cities of {country}")

    def main():
        data = input_group("Where", [
            select("Country", list(CITIES), name="country", onchange=on_country),
            select("City", CITIES["France"], name="city"),
        ])
        put_text(repr(data))

    page = open_app(main)
    country = page.fields()["country"]
    assert country["hx-trigger"] == "change" and "change:country" in country["hx-vals"]
    response = page.http.post(page.form()["action"], data={
        "_token": page._token(), "_action": "change:country", "country": "1", "city": "0"},
        headers={"HX-Request": "true"})
    assert response.status_code == 200 and seen == ["Italy"]
    assert 'hx-target="#htmio-form-' in response.text and "-city-field" in response.text
    assert "Milan" in response.text
    page.refresh()
    assert [o.get_text() for o in page.form().select("select[name=city] option")] == ["Rome", "Milan"]
    assert page.fields()["country"].select_one("option[selected]").get_text() == "Italy"  # kept
    page.submit(country="Italy", city="Milan")
    assert page.texts() == ["{'country': 'Italy', 'city': 'Milan'}"]


def test_validate_runs_when_a_field_changes(open_app):
    page = open_app(lambda: input("age", type=NUMBER, validate=lambda v: "too small" if v < 3 else None))
    response = page.http.post(page.form()["action"], data={
        "_token": page._token(), "_action": "change:value", "value": "1"}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and "too small" in response.text


def test_input_update_outside_onchange_says_where_it_works(raised_in_app):
    assert "only inside an onchange callback" in raised_in_app(lambda: input_update("x", value=1), RuntimeError)


def test_input_action_fills_the_field_and_can_choose_the_returned_value(open_app):
    marker = object()

    def pick(set_value):
        set_value(marker, "the marker")

    def main():
        code = input("Code", action=("Generate", lambda set_value: set_value("abc123")))
        put_text(code)
        value = input("Thing", action=("Pick", pick))
        put_text("marker" if value is marker else repr(value))

    page = open_app(main)
    button = page.form().select_one("button[value='action:value']")
    assert button.get_text() == "Generate"
    assert page.submit(action="action:value", value="") == 200
    assert page.fields()["value"]["value"] == "abc123"
    page.submit("abc123")
    assert page.texts() == ["abc123"]
    page.submit(action="action:value", htmx=False)
    field = page.fields()["value"]
    assert field["value"] == "the marker" and field.has_attr("readonly")
    assert page.form().select_one("button[value='action:value']") is None
    page.submit("whatever the browser sends")
    assert page.texts() == ["abc123", "marker"]
