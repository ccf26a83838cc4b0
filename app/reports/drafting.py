"""The words of the report (pure functions, no database): the default sections modelled on
seed 001, the figure paragraphs drafted from the gathered data, the light markup of the
narrative (paragraphs, "- " / "+ " list lines, **bold**) and the signature block."""
from __future__ import annotations

import re
from datetime import date

from decimal import Decimal

from app.domain import metrics
from app.domain.formatting import vn_number
from app.domain.numbers import format_vn_number

TITLE = ("Tình hình, kết quả thực hiện công tác kiểm soát thủ tục hành chính; cải cách thủ tục "
         "hành chính; thực hiện cơ chế một cửa, một cửa liên thông và thực hiện thủ tục hành "
         "chính trên môi trường điện tử {period}")

RECIPIENTS = ("Văn phòng UBND tỉnh;\nLãnh đạo Sở;\nCác phòng và tương đương;\n"
              "Các đơn vị trực thuộc;\nCVP, PCVP;\nLưu: VT.")


def report_title(period_label: str) -> str:
    return TITLE.format(period=period_label)


def plan_report_title(number: str, title: str) -> str:
    return f"Kết quả thực hiện Kế hoạch số {number} về {title[0].lower()}{title[1:]}"


def _dmy(iso: str | None) -> str:
    if not iso:
        return ""
    d = date.fromisoformat(iso)
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def n(value) -> str:
    return vn_number(value or 0)


def two(value) -> str:
    """Counts under 10 are written with two digits in official text (02 thủ tục)."""
    v = int(value or 0)
    return f"{v:02d}" if 0 <= v < 10 else vn_number(v)


# ---- figure paragraphs (recomputed from data while a draft, frozen at issue) -----------------

def catalog_lines(c: dict) -> list[str]:
    published = c.get("published", 0)
    return [
        f"- Tổng số TTHC được công bố {n(published)}; trong đó số TTHC được công khai "
        f"{n(c.get('public', published))}.",
        f"- Tổng số TTHC thuộc thẩm quyền giải quyết của cơ quan, đơn vị: "
        f"{n(c.get('total', published))}; trong đó:",
        f"+ Số TTHC do Trung ương quy định: {n(c.get('central'))} thủ tục.",
        f"+ Số TTHC do địa phương quy định: {n(c.get('local'))} thủ tục.",
        f"+ Số lượng TTHC thực hiện theo cơ chế một cửa: {n(c.get('one_stop'))} thủ tục.",
        f"+ Số lượng TTHC thực hiện theo cơ chế một cửa liên thông: {n(c.get('interconnected'))} thủ tục.",
        f"+ Số lượng TTHC thực hiện qua dịch vụ bưu chính công ích: {n(c.get('postal'))} thủ tục.",
        f"+ Số lượng TTHC thực hiện qua dịch vụ công trực tuyến: {n(c.get('online_total'))} thủ tục.",
        f"Trong đó có {n(c.get('online_partial'))} TTHC mức độ 3 (trực tuyến một phần), "
        f"{n(c.get('online_full'))} TTHC mức độ 4 (trực tuyến toàn trình).",
    ]


PROPOSALS = {"keep": "giữ nguyên", "amend": "sửa đổi, bổ sung", "replace": "thay thế",
             "abolish": "bãi bỏ"}


def exact_ratio(part, whole) -> Decimal | None:
    """The ratio from its stored parts (JSON floats of two-decimal figures), so a target is
    compared on the exact value, not on a rounded float; None when the whole is 0."""
    if part is None or whole is None:
        return None
    return metrics.ratio(Decimal(str(part)), Decimal(str(whole)))


def target_sentence(what: str, ratio: Decimal | None, target) -> str | None:
    """'So với chỉ tiêu ...: đạt.' on the exact value; the hidden miss said in full."""
    if target is None or ratio is None:
        return None
    c = metrics.check_target(ratio, Decimal(str(target)))
    if c.hidden_miss:
        return f"- Tỷ lệ {what}: {c.text}."
    return f"- So với chỉ tiêu {what} tối thiểu {c.target_text} của kế hoạch: {'đạt' if c.met else 'chưa đạt'}."


def review_lines(r: dict) -> list[str]:
    if not r.get("reviewed"):
        return ["Trong kỳ báo cáo chưa có kết quả rà soát, đơn giản hóa TTHC được tiếp nhận."]
    targets = r.get("targets") or {}
    cut = exact_ratio(r.get("days_cut"), r.get("days_current"))
    # A percentage of nothing is "—", not "0%" (no procedure with a current processing time).
    shown = "—" if cut is None else metrics.check_target(cut, targets.get("time_cut")).percent.replace(" %", "%")
    lines = [f"Tổng số thủ tục hành chính đã rà soát, đề xuất cắt giảm thời hạn giải quyết: "
             f"**{two(r['reviewed'])}** thủ tục hành chính; tổng thời gian cắt giảm: "
             f"{format_vn_number(r.get('days_cut') or 0)}/{format_vn_number(r.get('days_current') or 0)} "
             f"ngày, tỷ lệ cắt giảm **{shown}**."]
    line = target_sentence("cắt giảm thời hạn giải quyết", cut, targets.get("time_cut"))
    if line:
        lines.append(line)
    proposals = r.get("proposals") or {}
    if any(proposals.values()):
        parts = [f"{PROPOSALS.get(k, k)}: {two(v)}" for k, v in proposals.items() if v]
        lines.append("- Phương án đề xuất: " + "; ".join(parts) + ".")
    if r.get("cost_before"):
        cost = exact_ratio(r.get("cost_saving"), r.get("cost_before"))
        lines.append(f"- Chi phí tuân thủ trước đơn giản hóa {n(r['cost_before'])} đồng/năm, sau "
                     f"đơn giản hóa {n(r.get('cost_after'))} đồng/năm; tiết kiệm "
                     f"{n(r.get('cost_saving'))} đồng/năm, tỷ lệ "
                     f"{metrics.check_target(cost, targets.get('cost_cut')).percent}.")
        line = target_sentence("cắt giảm chi phí tuân thủ", cost, targets.get("cost_cut"))
        if line:
            lines.append(line)
    return lines


def feedback_lines(f: dict, period_label: str, agency: str) -> list[str]:
    received, handled = f.get("received", 0), f.get("handled", 0)
    if not received:
        return [f"Trong {period_label}, {agency} chưa nhận được phản ánh kiến nghị nào liên quan "
                "đến giải quyết thủ tục hành chính."]
    return [f"Trong {period_label}, {agency} đã tiếp nhận {n(received)} phản ánh, kiến nghị; đã xử "
            f"lý {n(handled)}, đang xử lý {n(received - handled)}."]


def dossier_lines(d: dict, overdue: list[dict], form_code: str) -> list[str]:
    lines = [
        f"- Tổng số hồ sơ TTHC đã tiếp nhận trong kỳ báo cáo {n(d['received'])}, trong đó: Số mới "
        f"tiếp nhận trong kỳ: {n(d['received_new'])} (trực tuyến: {n(d['received_online'])}; trực "
        f"tiếp và qua dịch vụ bưu chính: {n(d['received_direct'])}); số từ kỳ trước chuyển qua: "
        f"{n(d['carried_over'])} hồ sơ.",
        f"- Số lượng hồ sơ đã giải quyết: {n(d['resolved'])}; trong đó, giải quyết trước hạn: "
        f"{n(d['resolved_early'])}, đúng hạn: {n(d['resolved_on_time'])}, quá hạn: "
        f"{n(d['resolved_late'])}.",
        f"- Số lượng hồ sơ đang giải quyết: {n(d['pending'])}; trong đó, trong hạn: "
        f"{n(d['pending_in_time'])}, quá hạn: {n(d['pending_late'])}.",
    ]
    if overdue:
        lines.append("- Giải trình hồ sơ quá hạn:")
        lines += [f"+ {c['unit']}: hồ sơ {c['dossier_code']} ({c['procedure_name']}): "
                  f"{c['explanation']}" for c in overdue]
    # Figures the office recorded with a confirmation may still lack some explanations: said.
    missing = int(d.get("resolved_late") or 0) + int(d.get("pending_late") or 0) - len(overdue)
    if missing > 0:
        lines.append(f"- Còn {n(missing)} hồ sơ quá hạn chưa có giải trình của Thủ trưởng đơn vị.")
    lines.append(f"(Có biểu số {form_code} kèm theo)")
    return lines


def figure_lines(block: str | None, doc: dict) -> list[str]:
    """The figure paragraphs of one section, from the document's figures."""
    lines = _figure_lines(block, doc)
    if block and lines:
        # other forms drafted into this section are attached as annexes too
        lines += [f"(Có biểu số {a['code']} kèm theo)" for a in doc.get("annexes", [])
                  if a.get("report_block") == block and a["code"] != doc["form"]["code"]]
    return lines


def _figure_lines(block: str | None, doc: dict) -> list[str]:
    f = doc["figures"]
    if block == "catalog":
        return catalog_lines(f["catalog"])
    if block == "review":
        return review_lines(f["review"])
    if block == "feedback":
        return feedback_lines(f["feedback"], doc["period"]["label"], doc["agency_short"])
    if block == "dossiers":
        return dossier_lines(f["dossiers"], f["overdue"], doc["form"]["code"])
    return []


# ---- default sections (seed 001) ---------------------------------------------------------

def _plans_text(plans: list[dict], agency: str) -> str:
    if not plans:
        return f"{agency} đã ban hành các kế hoạch triển khai hoạt động kiểm soát TTHC trong năm."
    items = "; ".join(f"Kế hoạch số {p['number']} ngày {_dmy(p['issued_on'])} về {p['title']}"
                      .replace(" ngày  về", " về") for p in plans)
    return f"{agency} đã ban hành {items}."


def _people_text(people: list[dict], agency: str) -> str:
    if not people:
        return ""
    names = ", ".join(f"{p['name']}, {p['title']}" for p in people)
    return (f"Hiện nay công chức đầu mối thực hiện nhiệm vụ kiểm soát thủ tục hành chính của "
            f"{agency} gồm: {names}.")


# Up to this many accepted results are quoted one by one; beyond it (a province's quarter
# has thousands) the draft counts them per unit, so its length follows the units, not the data.
MAX_QUOTED_RESULTS = 30


def _results_text(results: list[dict]) -> str:
    if not results:
        return ""
    lines = ["Kết quả thực hiện của các đơn vị trong kỳ:"]
    if len(results) > MAX_QUOTED_RESULTS:
        per_unit: dict[str, int] = {}
        for r in results:
            per_unit[r["unit"]] = per_unit.get(r["unit"], 0) + 1
        lines[0] = (f"Trong kỳ, Văn phòng Sở đã tiếp nhận {n(len(results))} kết quả thực hiện "
                    "nhiệm vụ của các đơn vị:")
        lines += [f"- {unit}: {n(count)} nhiệm vụ đã hoàn thành." for unit, count
                  in sorted(per_unit.items(), key=lambda kv: (-kv[1], kv[0]))]
        return "\n".join(lines)
    for r in results:
        text = " ".join(r["result_text"].split()) or "đã hoàn thành."
        lines.append(f"- {r['unit']} ({r['task']}): {text}")
    return "\n".join(lines)


def results_by_unit(results: list[dict]) -> list[dict]:
    """Accepted results grouped per unit (units by name, results in acceptance order), each with
    the line a draft quotes, so the office can see and cite every one of them."""
    groups: dict[str, list[dict]] = {}
    for r in results:
        text = " ".join((r.get("result_text") or "").split()) or "đã hoàn thành."
        groups.setdefault(r["unit"], []).append(
            {"task": r["task"], "text": text, "cite": f"- {r['unit']} ({r['task']}): {text}"})
    return [{"unit": unit, "items": items} for unit, items in sorted(groups.items())]


def default_sections(src: dict, period_label: str, agency: str) -> list[dict]:
    """Every section of seed 001, drafted from the data; the office edits the narrative."""
    def s(key, level, heading, text="", figures=None):
        return {"key": key, "level": level, "heading": heading, "text": text, "figures": figures}

    return [
        s("I", 1, "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH"),
        s("I.1", 2, "1. Việc ban hành văn bản chỉ đạo, triển khai thực hiện",
          _plans_text(src.get("plans", []), agency)),
        s("I.2", 2, "2. Công tác đôn đốc, tổ chức thực hiện",
          "Nhằm nâng cao hiệu quả hoạt động kiểm soát thủ tục hành chính, lãnh đạo Sở thường "
          "xuyên chỉ đạo, đôn đốc các đơn vị tổ chức thực hiện tốt nhiệm vụ kiểm soát TTHC, như: "
          "công khai các thủ tục hành chính, việc thống kê, rà soát, cập nhật kịp thời, đầy đủ các "
          "thủ tục hành chính mới ban hành hoặc sửa đổi bổ sung, thay thế; giải quyết các thủ tục "
          "hành chính đảm bảo theo thời gian quy định; thực hiện tốt công tác báo cáo định kỳ theo "
          "yêu cầu của cấp trên; tiếp nhận xử lý những phản ánh, kiến nghị của cá nhân, tổ chức "
          "đối với các quy định thủ tục hành chính thuộc thẩm quyền của Sở."),
        s("I.3", 2, "3. Công tác tổ chức, bố trí cán bộ đầu mối làm công tác kiểm soát TTHC",
          _people_text(src.get("people", []), agency)),
        s("I.4", 2, "4. Việc bố trí và sử dụng kinh phí hoạt động kiểm soát TTHC",
          f"Hằng năm, {agency} đều bố trí kinh phí để thực hiện công tác hoạt động kiểm soát TTHC."),
        s("II", 1, "II. TÌNH HÌNH VÀ KẾT QUẢ THỰC HIỆN CÔNG TÁC KIỂM SOÁT TTHC, CẢI CÁCH TTHC, "
                   "THỰC HIỆN CƠ CHẾ MỘT CỬA, MỘT CỬA LIÊN THÔNG TRONG GIẢI QUYẾT TTHC"),
        s("II.1", 2, "1. Đánh giá tác động quy định về thủ tục hành chính trong lập đề nghị văn "
                     "bản quy phạm pháp luật và dự thảo văn bản quy phạm pháp luật",
          "Sở chủ động tổ chức thực hiện văn bản quy phạm pháp luật của cơ quan nhà nước cấp trên "
          "liên quan đến các lĩnh vực của ngành."),
        s("II.2", 2, "2. Về công bố, công khai TTHC",
          "Sau khi nhận được Quyết định công bố, Sở đã tiến hành niêm yết công khai TTHC thuộc "
          "thẩm quyền giải quyết tại trụ sở và cập nhật trên Trang tin điện tử của Sở.", "catalog"),
        s("II.3", 2, "3. Rà soát, đơn giản hóa TTHC",
          _results_text(src.get("results", [])), "review"),
        s("II.4", 2, "4. Tiếp nhận, xử lý phản ánh, kiến nghị về quy định, TTHC",
          "Việc niêm yết công khai địa chỉ tiếp nhận phản ánh kiến nghị về quy định hành chính "
          "được Sở niêm yết tại Trung tâm phục vụ Hành chính công tỉnh và tại trụ sở Sở.",
          "feedback"),
        s("II.5", 2, "5. Tình hình, kết quả giải quyết TTHC", "", "dossiers"),
        s("II.6", 2, "6. Triển khai cơ chế một cửa, một cửa liên thông trong giải quyết TTHC"),
        s("II.7", 2, "7. Thực hiện TTHC trên môi trường điện tử"),
        s("II.8", 2, "8. Truyền thông hỗ trợ hoạt động kiểm soát TTHC"),
        s("II.9", 2, "9. Nghiên cứu, đề xuất sáng kiến cải cách TTHC",
          f"Trong {period_label}, {agency} chưa có nghiên cứu, đề xuất sáng kiến cải cách thủ tục "
          "hành chính."),
        s("II.10", 2, "10. Kiểm tra thực hiện kiểm soát thủ tục hành chính"),
        s("II.11", 2, "11. Việc tổ chức làm việc vào buổi sáng thứ bảy hàng tuần để tiếp nhận, "
                      "giải quyết TTHC tại cơ quan, đơn vị"),
        s("EV", 1, "ĐÁNH GIÁ CHUNG"),
        s("EV.1", 2, "1. Ưu điểm"),
        s("EV.2", 2, "2. Khó khăn, vướng mắc trong quá trình thực hiện"),
        s("III", 1, "III. PHƯƠNG HƯỚNG, NHIỆM VỤ TRONG THỜI GIAN TỚI",
          "1. Tăng cường công tác tuyên truyền, phổ biến các văn bản về kiểm soát TTHC.\n"
          "2. Nâng cao vai trò trách nhiệm của người đứng đầu cơ quan, đơn vị trong tiếp nhận, "
          "giải quyết TTHC.\n"
          "3. Nâng cao hiệu quả phối hợp giữa các cơ quan, đơn vị trong việc giải quyết thủ tục "
          "hành chính, nâng cao tỷ lệ trả kết quả trước hạn, đúng hạn."),
    ]


def closing_text(title: str, agency: str) -> str:
    return f"Trên đây là Báo cáo {title[0].lower()}{title[1:]} của {agency}./."


# ---- light markup of the narrative ---------------------------------------------------------

_BOLD = re.compile(r"\*\*(.+?)\*\*")


def runs(line: str) -> list[tuple[str, bool]]:
    """'a **b** c' -> [('a ', False), ('b', True), (' c', False)]."""
    out, pos = [], 0
    for m in _BOLD.finditer(line):
        if m.start() > pos:
            out.append((line[pos:m.start()], False))
        out.append((m.group(1), True))
        pos = m.end()
    if pos < len(line):
        out.append((line[pos:], False))
    return out


def paragraphs(text: str | None) -> list[dict]:
    """Narrative text -> paragraphs: each non-empty line is one; '- ' and '+ ' lines are list
    items (level 1 and 2), as official reports write them."""
    out = []
    for raw in (text or "").splitlines():
        line = raw.strip()
        if not line:
            continue
        kind = "item" if line.startswith("- ") else "subitem" if line.startswith("+ ") else "para"
        out.append({"kind": kind, "text": line, "runs": runs(line)})
    return out


# ---- signature ---------------------------------------------------------------------------

def signature(title: str | None, name: str | None, signed_for: str | None = None) -> dict:
    """Giám đốc signs as 'GIÁM ĐỐC'; a deputy signs 'KT. GIÁM ĐỐC' over 'PHÓ GIÁM ĐỐC'.

    `signed_for`: the title of the head whose delegated rights the signer used (ủy quyền). A
    deputy signs 'KT.' (ký thay) for them; anybody else 'TUQ.' (thừa ủy quyền, Nghị định
    30/2020) over their own title."""
    t = (title or "").strip()
    if signed_for:
        head = signed_for.strip().upper()
        kind = "KT." if t.lower().startswith("phó") else "TUQ."
        return {"authority": f"{kind} {head}", "title": t.upper() or None, "name": name or ""}
    if t.lower().startswith("phó"):
        head = t[4:].strip() or "Giám đốc"
        return {"authority": f"KT. {head.upper()}", "title": t.upper(), "name": name or ""}
    return {"authority": (t or "Giám đốc").upper(), "title": None, "name": name or ""}
