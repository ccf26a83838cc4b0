"""Every form of the portal answers in Vietnamese: each form class is filled with blank, garbage
and overlong input (and a bad CSRF token) and every message it gives must be Vietnamese. A new
form, field or validator with an English default message fails here."""
from __future__ import annotations

import importlib
import io
import pkgutil
import re

import pytest
from flask_wtf import FlaskForm
from werkzeug.datastructures import FileStorage, MultiDict
from wtforms import (BooleanField, FileField, HiddenField, SelectField, SelectMultipleField)

import app as app_package
from app.forms_common import VnDecimalField, VnForm, VnIntegerField

VIETNAMESE = re.compile(r"[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]", re.I)
ENGLISH = re.compile(r"\b(field|valid|invalid|must|required|characters?|number|choice|token|"
                     r"missing|value|file|extension|approved|date|not a)\b", re.I)


def all_form_classes() -> list[type]:
    for mod in pkgutil.walk_packages(app_package.__path__, "app."):
        if mod.name.endswith(".forms") or mod.name.endswith("forms_common"):
            importlib.import_module(mod.name)
    seen, todo = [], [FlaskForm]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("app.") and sub is not VnForm:
                seen.append(sub)
    return sorted(seen, key=lambda c: (c.__module__, c.__name__))


FORMS = all_form_classes()


def _bad(field, kind: str):
    """Input for one field: blank, garbage or overlong."""
    if isinstance(field, FileField):
        return None if kind == "blank" else FileStorage(io.BytesIO(b"MZ"), "virus.exe")
    if isinstance(field, SelectMultipleField):
        return [] if kind == "blank" else ["__không_có__", "x"]
    if isinstance(field, (SelectField,)):
        return "" if kind == "blank" else "__không_có__"
    if isinstance(field, (VnIntegerField, VnDecimalField)):
        return {"blank": "", "garbage": "mười hai", "long": "1,234,567"}[kind]
    if isinstance(field, BooleanField):
        return "" if kind == "blank" else "y"
    return {"blank": "", "garbage": "@@ !! ##", "long": "x" * 100_001}[kind]


def _messages(errors) -> list[str]:
    out = []
    if isinstance(errors, dict):
        for v in errors.values():
            out += _messages(v)
    elif isinstance(errors, (list, tuple)):
        for v in errors:
            out += _messages(v)
    elif errors is not None:
        out.append(str(errors))
    return out


def _validate(app, cls, kind: str, csrf: bool = False) -> list[str]:
    probe = None
    with app.test_request_context("/", method="POST"):
        probe = cls(meta={"csrf": False})
        data = MultiDict()
        for name, field in probe._fields.items():
            value = _bad(field, kind)
            if isinstance(value, list):
                for v in value:
                    data.add(name, v)
            elif value is not None:
                data.add(name, value)
        if csrf:
            data["csrf_token"] = "không-phải-mã"
    with app.test_request_context("/", method="POST", data=data):
        form = cls(meta={"csrf": csrf})
        for field in form:
            if isinstance(field, SelectField) and field.choices is None:
                field.choices = [(1, "Một")]
        form.validate()
        return _messages(form.errors) + _messages(form.form_errors)


def test_every_form_is_found_and_built_on_the_vietnamese_base():
    names = {c.__name__ for c in FORMS}
    assert {"FigureForm", "PlanForm", "LoginForm", "ReportDaysForm", "UserForm", "ImportForm"} <= names
    assert [c.__name__ for c in FORMS if not issubclass(c, VnForm)] == []


@pytest.mark.parametrize("cls", FORMS, ids=lambda c: f"{c.__module__}.{c.__name__}")
def test_every_message_is_vietnamese(app, cls):
    messages = []
    for kind in ("blank", "garbage", "long"):
        messages += _validate(app, cls, kind)
    messages += _validate(app, cls, "blank", csrf=True)
    assert messages, "a form with no way to fail is not checked"
    bad = [m for m in messages if not VIETNAMESE.search(m) or ENGLISH.search(m)]
    assert bad == []


def test_the_checker_catches_english_defaults(app):
    """The walk above is not vacuous: a plain WTForms form gives English messages it would flag."""
    from wtforms import IntegerField, StringField
    from wtforms.validators import DataRequired, Length

    class English(FlaskForm):
        n = IntegerField("n")
        s = StringField("s", validators=[DataRequired(), Length(max=3)])

    with app.test_request_context("/", method="POST", data={"n": "3.238", "s": ""}):
        form = English(meta={"csrf": False})
        form.validate()
        assert any(ENGLISH.search(m) for m in _messages(form.errors))

    class Vietnamese(VnForm):
        s = StringField("s", validators=[DataRequired(), Length(max=3)])
        c = SelectField("c", choices=[("a", "A")])

    with app.test_request_context("/", method="POST", data={"s": "abcd", "c": "z"}):
        form = Vietnamese(meta={"csrf": False})
        form.validate()
        assert form.errors == {"s": ["Tối đa 3 ký tự."], "c": ["Lựa chọn không hợp lệ: hãy chọn trong danh sách."]}


def test_csrf_messages_are_vietnamese(app):
    with app.test_request_context("/", method="POST", data={"csrf_token": "sai"}):
        form = VnForm(meta={"csrf": True})
        assert not form.validate()
        assert form.errors["csrf_token"] == [
            "Mã bảo mật của biểu mẫu không hợp lệ. Vui lòng tải lại trang và thử lại."]


def test_number_fields_take_vietnamese_numbers_and_show_them_back(app):
    from app.figures.forms import FigureForm
    with app.test_request_context("/", method="POST", data={
            "received_online": "3.238", "received_direct": "2 999", "carried_over": "mười",
            "resolved_early": "2,5"}):
        form = FigureForm(meta={"csrf": False})
        assert not form.validate()
        assert form.received_online.data == 3238 and form.received_direct.data == 2999
        assert form.carried_over.errors == ["Giá trị phải là số nguyên (ví dụ 3.238)."]
        assert form.resolved_early.errors == ["Giá trị phải là số nguyên (ví dụ 3.238)."]
        html = form.carried_over() + form.received_direct()
        assert 'value="mười"' in html and 'value="2 999"' in html and 'inputmode="numeric"' in html
        assert 'type="text"' in form.received_online()
    with app.test_request_context("/"):
        form = FigureForm(data={"received_online": 3238})
        assert 'value="3.238"' in form.received_online()
