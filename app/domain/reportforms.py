"""Official report forms (Biểu II.06a, II.07b ... /VPCP/KSTT) as data: columns, labels, group
headers, computed totals and consistency checks, read by the entry form, the import template,
the checks and the report's XLSX/DOCX tables alike. A new circular adds a version as data.

A definition is a dict (stored in `report_forms`, shipped as JSON in app/reportforms/forms/):
  columns: [{"key", "headers": [row 1, row 2, row 3] (None: the cell above runs down),
             "label": short name for messages and entry, "sum_of": [keys] for a total}]
  checks:  [{"rule": "sum", "total": k, "parts": [..]}   whole equals the sum of the parts
            {"rule": "within", "whole": k, "parts": [..]} the parts together do not exceed it
            {"builtin": "dossiers"}]                      a named check in code (BUILTIN)
The columns "stt" and "unit" are the row number and the unit's name, never figures.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from app.domain.checks import Dossiers, check_dossiers, check_sum, check_within
from app.domain.formatting import vn_number
from app.domain.numbers import parse_vn_integer
from app.domain.text import fold

ROW_KEYS = ("stt", "unit")

# Checks that need more than a sum (kept as code, named by data).
BUILTIN: dict[str, Callable[[Mapping[str, int], Mapping[str, int | None]], list[str]]] = {
    "dossiers": lambda values, typed: check_dossiers(
        Dossiers.from_mapping(values), **{k: typed.get(k) for k in ("received", "received_new",
                                                                     "resolved", "pending")}),
}


class FormError(ValueError):
    """A definition that cannot work (a total of an unknown column, a loop of totals)."""


@dataclass(frozen=True)
class FormSpec:
    code: str
    version: int
    title: str
    columns: tuple[dict, ...]
    checks: tuple[dict, ...] = ()
    options: Mapping = field(default_factory=dict)
    legal_basis: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None

    @classmethod
    def from_data(cls, data: Mapping) -> FormSpec:
        spec = cls(code=data["code"], version=int(data.get("version") or 1), title=data["title"],
                   columns=tuple(data.get("columns") or ()), checks=tuple(data.get("checks") or ()),
                   options=dict(data.get("options") or {}), legal_basis=data.get("legal_basis"),
                   valid_from=_date(data.get("valid_from")), valid_to=_date(data.get("valid_to")))
        spec.validate()
        return spec

    def validate(self) -> None:
        keys = [c["key"] for c in self.columns]
        if len(set(keys)) != len(keys):
            raise FormError(f"{self.code}: cột trùng khóa")
        known = set(keys)
        for c in self.columns:
            for p in c.get("sum_of") or ():
                if p not in known:
                    raise FormError(f"{self.code}: cột {c['key']} cộng cột không có: {p}")
        for rule in self.checks:
            if "builtin" in rule:
                if rule["builtin"] not in BUILTIN:
                    raise FormError(f"{self.code}: không có phép kiểm tra {rule['builtin']}")
                continue
            names = [rule.get("total") or rule.get("whole"), *rule.get("parts", ())]
            if rule.get("rule") not in ("sum", "within") or not all(n in known for n in names):
                raise FormError(f"{self.code}: quy tắc kiểm tra không hợp lệ: {rule}")
        self.order()  # raises on a loop

    # ---- columns ---------------------------------------------------------------------

    @property
    def figure_columns(self) -> list[dict]:
        return [c for c in self.columns if c["key"] not in ROW_KEYS]

    @property
    def input_keys(self) -> list[str]:
        """What a unit types: every figure column that is not a total of others."""
        return [c["key"] for c in self.figure_columns if not c.get("sum_of")]

    @property
    def total_keys(self) -> list[str]:
        return [c["key"] for c in self.figure_columns if c.get("sum_of")]

    def column(self, key: str) -> dict:
        return next(c for c in self.columns if c["key"] == key)

    def label(self, key: str) -> str:
        c = self.column(key)
        if c.get("label"):
            return c["label"]
        return " – ".join(h for h in c["headers"] if h)

    @property
    def sheet(self) -> str:
        """Worksheet name (31 characters at most in XLSX)."""
        return (self.options.get("sheet") or f"Biểu {self.code.split('/')[0]}")[:31]

    @property
    def slug(self) -> str:
        """The form's name in a URL: 'II.07b/VPCP/KSTT' -> 'ii-07b-vpcp-kstt'."""
        return re.sub(r"[^a-z0-9]+", "-", fold(self.code)).strip("-")

    @property
    def count_unit(self) -> str:
        return self.options.get("count_unit") or "hồ sơ"

    def order(self) -> list[str]:
        """Totals in an order where each one's parts come first (a total may add totals)."""
        sums = {c["key"]: list(c["sum_of"]) for c in self.figure_columns if c.get("sum_of")}
        done: list[str] = []
        visiting: set[str] = set()

        def visit(k: str) -> None:
            if k in done or k not in sums:
                return
            if k in visiting:
                raise FormError(f"{self.code}: tổng {k} tự cộng chính nó")
            visiting.add(k)
            for p in sums[k]:
                visit(p)
            visiting.discard(k)
            done.append(k)

        for k in sums:
            visit(k)
        return done

    # ---- figures ---------------------------------------------------------------------

    def complete(self, values: Mapping[str, object]) -> dict[str, int]:
        """The parts as given (missing: 0) and every total computed from them."""
        out = {k: int(values.get(k) or 0) for k in self.input_keys}
        for k in self.order():
            out[k] = sum(out[p] for p in self.column(k)["sum_of"])
        return out

    def add(self, rows: Iterable[Mapping[str, object]]) -> dict[str, int]:
        """Sum of several units' rows (the table's last line)."""
        total = {k: 0 for k in self.input_keys}
        for r in rows:
            for k in self.input_keys:
                total[k] += int(r.get(k) or 0)
        return self.complete(total)

    def check(self, values: Mapping[str, object], typed: Mapping[str, int | None] | None = None) -> list[str]:
        """Vietnamese messages for every rule the figures break; [] when they agree.

        `typed` are totals as printed elsewhere (the one-stop software's report, the import
        file): each must equal the sum of its parts."""
        typed = dict(typed or {})
        full = self.complete(values)
        errors = [f"{_cap(self.label(k))} không được âm ({vn_number(full[k])})"
                  for k in self.input_keys if full[k] < 0]
        for k in self.order():
            if typed.get(k) is not None:
                msg = check_sum(_cap(self.label(k)), typed[k],
                                [(self.label(p), full[p]) for p in self.column(k)["sum_of"]])
                if msg:
                    errors.append(msg)
        for rule in self.checks:
            if "builtin" in rule:
                errors += BUILTIN[rule["builtin"]](full, typed)
                continue
            parts = [(self.label(p), full[p]) for p in rule["parts"]]
            if rule["rule"] == "sum":
                msg = check_sum(_cap(self.label(rule["total"])), full[rule["total"]], parts)
            else:
                msg = check_within(self.label(rule["whole"]), full[rule["whole"]], parts)
            if msg and msg not in errors:
                errors.append(msg)
        return errors

    def applies_to(self, start: date, end: date) -> bool:
        """In force for some day of the period [start, end]."""
        return (self.valid_from is None or self.valid_from <= end) and \
            (self.valid_to is None or self.valid_to >= start)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def parse_count(text: object) -> int:
    """A count as people type it ('3.238', '3238', '3 238'; blank is 0), read by the portal's one
    number parser (app.domain.numbers). ValueError (a NumberError) otherwise."""
    value = parse_vn_integer(text, allow_negative=True)
    return 0 if value is None else value


def pick(specs: Iterable[FormSpec], start: date, end: date) -> list[FormSpec]:
    """For each form code, its latest version in force in the period (codes in first-seen order)."""
    best: dict[str, FormSpec] = {}
    for s in specs:
        if s.applies_to(start, end) and (s.code not in best or s.version > best[s.code].version):
            best[s.code] = s
    return list(best.values())
