"""Consistency checks of report figures (Biểu II.06a/VPCP/KSTT, catalog counts, feedback).

Totals are computed from their parts; a typed total that disagrees is refused, never silently
replaced. Each failed rule yields one Vietnamese message naming the figures, e.g.
"Đã giải quyết (3.525) phải bằng trước hạn + đúng hạn + quá hạn (288 + 2.237 + 0 = 2.525)".
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields

from app.domain.formatting import vn_number

# The parts a unit enters for Biểu II.06a (every total is computed from these).
DOSSIER_PARTS = ("received_online", "received_direct", "carried_over",
                 "resolved_early", "resolved_on_time", "resolved_late",
                 "pending_in_time", "pending_late")

LABELS = {
    "received": "Tổng số hồ sơ đã tiếp nhận",
    "received_new": "số mới tiếp nhận",
    "received_online": "trực tuyến",
    "received_direct": "trực tiếp và qua dịch vụ bưu chính",
    "carried_over": "từ kỳ trước chuyển qua",
    "resolved": "Đã giải quyết",
    "resolved_early": "trước hạn",
    "resolved_on_time": "đúng hạn",
    "resolved_late": "quá hạn",
    "pending": "Đang giải quyết",
    "pending_in_time": "trong hạn",
    "pending_late": "quá hạn",
    "feedback_received": "Phản ánh, kiến nghị đã tiếp nhận",
    "feedback_handled": "đã xử lý",
}


@dataclass(frozen=True)
class Dossiers:
    """One unit's (or the whole department's) dossier figures for a period."""
    received_online: int = 0
    received_direct: int = 0
    carried_over: int = 0
    resolved_early: int = 0
    resolved_on_time: int = 0
    resolved_late: int = 0
    pending_in_time: int = 0
    pending_late: int = 0

    @property
    def received_new(self) -> int:
        return self.received_online + self.received_direct

    @property
    def received(self) -> int:
        return self.received_new + self.carried_over

    @property
    def resolved(self) -> int:
        return self.resolved_early + self.resolved_on_time + self.resolved_late

    @property
    def pending(self) -> int:
        return self.pending_in_time + self.pending_late

    @property
    def late(self) -> int:
        return self.resolved_late + self.pending_late

    def __add__(self, other: Dossiers) -> Dossiers:
        return Dossiers(**{f.name: getattr(self, f.name) + getattr(other, f.name)
                           for f in fields(self)})

    def as_dict(self) -> dict[str, int]:
        """Parts and computed totals, as the report tables and exports read them."""
        out = {name: getattr(self, name) for name in DOSSIER_PARTS}
        out.update(received=self.received, received_new=self.received_new,
                   resolved=self.resolved, pending=self.pending)
        return out

    @classmethod
    def from_mapping(cls, data: Mapping[str, object]) -> Dossiers:
        return cls(**{name: int(data.get(name) or 0) for name in DOSSIER_PARTS})


def _sum_text(values: Sequence[int]) -> str:
    return " + ".join(vn_number(v) for v in values) + f" = {vn_number(sum(values))}"


def check_sum(total_label: str, total: int | None, parts: Sequence[tuple[str, int]]) -> str | None:
    """A whole must equal the sum of its parts; None when it does (or was not given)."""
    if total is None:
        return None
    values = [v for _, v in parts]
    if total == sum(values):
        return None
    names = " + ".join(label for label, _ in parts)
    return f"{total_label} ({vn_number(total)}) phải bằng {names} ({_sum_text(values)})"


def check_within(whole_label: str, whole: int | None, parts: Sequence[tuple[str, int]]) -> str | None:
    """Parts that together may not exceed their whole (109 central + 109 local of 109)."""
    if whole is None:
        return None
    values = [v for _, v in parts]
    if sum(values) <= whole:
        return None
    names = " + ".join(label for label, _ in parts)
    if len(parts) == 1:
        return f"{names[0].upper()}{names[1:]} ({vn_number(values[0])}) vượt quá {whole_label} ({vn_number(whole)})"
    return f"{names[0].upper()}{names[1:]} ({_sum_text(values)}) vượt quá {whole_label} ({vn_number(whole)})"


def check_negative(values: Mapping[str, int | None]) -> list[str]:
    return [f"{LABELS.get(k, k)[0].upper()}{LABELS.get(k, k)[1:]} không được âm ({vn_number(v)})"
            for k, v in values.items() if v is not None and v < 0]


def check_dossiers(d: Dossiers, received: int | None = None, received_new: int | None = None,
                   resolved: int | None = None, pending: int | None = None) -> list[str]:
    """Check one set of dossier figures; the optional arguments are totals as typed (printed)."""
    L = LABELS
    errors = check_negative({k: getattr(d, k) for k in DOSSIER_PARTS})
    rules = [
        check_sum(L["received"], received,
                  [(L["received_new"], d.received_new), (L["carried_over"], d.carried_over)]),
        check_sum(f"{L['received_new'][0].upper()}{L['received_new'][1:]}", received_new,
                  [(L["received_online"], d.received_online), (L["received_direct"], d.received_direct)]),
        check_sum(L["resolved"], resolved,
                  [(L["resolved_early"], d.resolved_early), (L["resolved_on_time"], d.resolved_on_time),
                   (L["resolved_late"], d.resolved_late)]),
        check_sum(L["pending"], pending,
                  [(L["pending_in_time"], d.pending_in_time), (L["pending_late"], d.pending_late)]),
        # The balance: whatever was received is either resolved or still pending.
        check_sum(L["received"], received if received is not None else d.received,
                  [("đã giải quyết", resolved if resolved is not None else d.resolved),
                   ("đang giải quyết", pending if pending is not None else d.pending)]),
    ]
    return errors + [r for r in rules if r]


def check_feedback(received: int, handled: int) -> list[str]:
    errors = check_negative({"feedback_received": received, "feedback_handled": handled})
    msg = check_within("số đã tiếp nhận", received, [("số phản ánh, kiến nghị đã xử lý", handled)])
    return errors + ([msg] if msg else [])


def check_overdue_cases(d: Dossiers, explained: int) -> list[str]:
    """Each overdue dossier needs the head's explanation before the figures are sent."""
    if explained == d.late:
        return []
    return [f"Số hồ sơ quá hạn có giải trình ({vn_number(explained)}) phải bằng quá hạn đã giải "
            f"quyết + quá hạn đang giải quyết ({_sum_text([d.resolved_late, d.pending_late])})"]


def missing_explanations(d: Dossiers, explained: int) -> int:
    """Overdue dossiers (resolved late + pending late) still without the head's explanation."""
    return max(0, d.late - explained)


def missing_explanations_message(missing: int) -> str:
    return (f"Còn {vn_number(missing)} hồ sơ quá hạn chưa có giải trình của Thủ trưởng đơn vị")


def check_catalog(c: Mapping[str, int]) -> list[str]:
    """Catalog counts as printed in a report: no part may exceed its whole.

    Keys: published, public, total (under the department's authority), central, local,
    one_stop, interconnected, postal, online_total, online_partial (mức độ 3 / một phần),
    online_full (mức độ 4 / toàn trình). Missing keys are not checked.
    """
    g = c.get
    total = g("total", g("published"))
    rules = [
        check_within("số TTHC được công bố", g("published"), [("số TTHC được công khai", g("public", 0))]),
        check_within("tổng số TTHC thuộc thẩm quyền", total,
                     [("số TTHC do Trung ương quy định", g("central", 0)),
                      ("số TTHC do địa phương quy định", g("local", 0))]),
        check_within("tổng số TTHC thuộc thẩm quyền", total,
                     [("số TTHC một cửa", g("one_stop", 0))]),
        check_within("tổng số TTHC thuộc thẩm quyền", total,
                     [("số TTHC một cửa liên thông", g("interconnected", 0))]),
        check_within("tổng số TTHC thuộc thẩm quyền", total,
                     [("số TTHC qua bưu chính công ích", g("postal", 0))]),
        check_within("tổng số TTHC thuộc thẩm quyền", total,
                     [("số TTHC dịch vụ công trực tuyến", g("online_total", 0))]),
        check_within("số TTHC dịch vụ công trực tuyến", g("online_total"),
                     [("mức độ 3 (một phần)", g("online_partial", 0)),
                      ("mức độ 4 (toàn trình)", g("online_full", 0))]),
    ]
    return [r for r in rules if r]


def cut_ratio(before: float, after: float) -> float | None:
    """Share cut: (before − after) / before; None when there was nothing to cut."""
    if not before:
        return None
    return (before - after) / before


def report_gaps(missing: Sequence[tuple[str, Sequence[str]]], sections: Sequence[Mapping],
                dossiers: Mapping[str, int]) -> list[str]:
    """What a report lacks, for the office and the leader to see before it is issued:
    `missing` is (quarter label, units without sent figures) per quarter the report counts;
    a sub-section with neither text nor figures is empty; dossier figures all at 0 mean no
    unit's figures reached the report."""
    gaps = [f"{label}: chưa có số liệu đã gửi của {', '.join(units)}." for label, units in missing if units]
    for s in sections:
        if s.get("level", 1) < 2:
            continue  # a part heading (I, II, ...): its sub-sections carry the content
        heading = s.get("heading") or s.get("key") or ""
        if s.get("figures") == "dossiers" and not any(dossiers.get(k) for k in ("received", "resolved", "pending")):
            gaps.append(f"Mục “{heading}”: mọi số liệu hồ sơ bằng 0 (chưa có số liệu của đơn vị nào).")
        elif not (s.get("text") or "").strip() and not s.get("figure_lines"):
            gaps.append(f"Mục “{heading}” chưa có nội dung.")
    return gaps
