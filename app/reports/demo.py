"""Demo: quarter II/2022 of Lạng Sơn as seed 001 reports it (with its typing error corrected:
resolved 2.525 = 288 + 2.237 + 0), the figures spread over units, and the issued report."""
from __future__ import annotations

import copy
from datetime import date

from sqlalchemy import select

from app.clock import now
from app.domain.periods import make_period
from app.extensions import db
from app.models import FigureEvent, FigureSet, Report, Unit, User
from app.reports import drafting, services

# unit code -> (online, direct, carried over, early, on time, late, pending in time, pending late)
# Sums: 32, 2.999, 207 | 288, 2.237, 0 | 713, 0  -> received 3.238, resolved 2.525, pending 713.
UNIT_FIGURES = {
    "BTXH": (10, 900, 60, 80, 670, 0, 220, 0),
    "LDVL": (12, 1100, 70, 110, 800, 0, 272, 0),
    "NCC": (5, 600, 50, 60, 450, 0, 145, 0),
    "TNXH": (2, 150, 15, 20, 120, 0, 27, 0),
    "TTDVVL": (3, 249, 12, 18, 197, 0, 49, 0),
}
FIELDS = ("received_online", "received_direct", "carried_over", "resolved_early",
          "resolved_on_time", "resolved_late", "pending_in_time", "pending_late")

# Seed 001's catalog and review figures, as printed, with "109 do địa phương quy định" (parts
# exceeding their whole) corrected to 0.
SEED_CATALOG = {"published": 109, "public": 109, "total": 109, "central": 109, "local": 0,
                "one_stop": 56, "interconnected": 33, "postal": 98, "online_total": 109,
                "online_partial": 30, "online_full": 47, "internal": 0, "by_level": {}}
SEED_REVIEW = {"reviewed": 2, "days_current": 32, "days_proposed": 13, "days_cut": 19,
               "cut_ratio": 0.59375, "proposals": {"keep": 0, "amend": 2, "replace": 0, "abolish": 0},
               "cost_before": 0, "cost_after": 0, "cost_saving": 0, "cost_ratio": 0}

SEED_TEXT = {
    "I.1": "Thực hiện Kế hoạch số 254/KH-UBND ngày 27/12/2021 của Ủy ban nhân dân tỉnh Lạng Sơn về "
           "hoạt động kiểm soát thủ tục hành chính (TTHC), cải cách thủ tục hành chính, triển khai "
           "thực hiện cơ chế một cửa, một cửa liên thông trên địa bàn tỉnh năm 2022; Kế hoạch số "
           "28/KH-UBND ngày 11/02/2022 của UBND tỉnh Lạng Sơn về rà soát, đánh giá thủ tục hành chính "
           "năm 2022. Sở Lao động – Thương binh và Xã hội đã ban hành Kế hoạch số 03/KH-SLĐTBXH ngày "
           "07/01/2022 về hoạt động kiểm soát thủ tục hành chính năm 2022; Kế hoạch số 19/KH-SLĐTBXH "
           "ngày 21/02/2022 về rà soát, đánh giá thủ tục hành chính năm 2022.",
    "I.3": "Ngày 11/01/2022, Ủy ban nhân dân tỉnh ban hành Quyết định số 90/QĐ-UBND về việc thay đổi "
           "công chức đầu mối thực hiện nhiệm vụ kiểm soát thủ tục hành chính tại Sở Lao động – "
           "Thương binh và Xã hội tỉnh Lạng Sơn.\nHiện nay công chức đầu mối thực hiện nhiệm vụ kiểm "
           "soát thủ tục hành chính của Sở gồm: Ông Phạm Đức Huân, Giám đốc Sở; Bà Lương Thị Hồng, "
           "công chức Văn phòng Sở.",
    "I.4": "Hằng năm, Sở Lao động - Thương binh và Xã hội đều bố trí kinh phí để thực hiện công tác "
           "hoạt động kiểm soát TTHC, năm 2022 kinh phí hoạt động kiểm soát TTHC là 35.000.000đ.",
    "II.3": "Thực hiện Kế hoạch số 28/KH-UBND ngày 11/02/2022 của UBND tỉnh, ngày 21/02/2022 Sở đã "
            "ban hành Kế hoạch số 19/KH-SLĐTBXH về rà soát, đánh giá thủ tục hành chính năm 2022; Sở "
            "đã có báo cáo kết quả rà soát, đề xuất cắt giảm thời hạn giải quyết thủ tục hành chính "
            "năm 2022 và trình UBND tỉnh ban hành Quyết định số 797/QĐ-UBND ngày 07/5/2022 phê duyệt "
            "danh mục cắt giảm thời hạn giải quyết thủ tục hành chính lĩnh vực Bảo trợ xã hội.",
    "II.6": "Sở đã thực hiện việc gửi kết quả tự chấm điểm, đánh giá việc thực hiện giải quyết thủ "
            "tục hành chính quý II năm 2022 theo 04 mẫu phiếu về Trung tâm phục vụ Hành chính công "
            "tỉnh, kết quả tự đánh giá chấm điểm đều xếp loại tốt.\nSở thực hiện “4 tại chỗ” đối với "
            "16 TTHC thuộc các lĩnh vực Người có công, Bảo trợ xã hội, Quản lý lao động ngoài nước, "
            "Việc làm, An toàn vệ sinh lao động.",
    "II.7": "Sở đã tổ chức quán triệt, triển khai Nghị định số 45/2020/NĐ-CP ngày 08/4/2020 của Chính "
            "phủ về thực hiện TTHC trên môi trường điện tử đến toàn thể công chức, viên chức, người "
            "lao động.",
    "II.8": "Tiếp tục phổ biến, đẩy mạnh công tác tuyên truyền các văn bản của Trung ương và của tỉnh "
            "về kiểm soát TTHC, cải cách TTHC thông qua các cuộc họp, giao ban, hội nghị.",
    "II.10": "Dự kiến ban hành Kế hoạch kiểm tra việc thực hiện kiểm soát TTHC và thực hiện kiểm tra "
             "theo Kế hoạch trong quý III năm 2022.",
    "II.11": "Sở hiện không có TTHC thực hiện việc tiếp nhận và giải quyết vào buổi sáng thứ bảy hàng "
             "tuần tại Trung tâm phục vụ Hành chính công tỉnh.",
    "EV.1": "Về chỉ đạo điều hành: hoạt động kiểm soát TTHC được lãnh đạo Sở quan tâm, công tác tham "
            "mưu công bố, công khai TTHC hoàn thành kịp thời, đúng quy định.\nVề công tác niêm yết "
            "công khai: TTHC của Sở được đăng tải kịp thời trên trang điện tử của tỉnh và của đơn vị.",
    "EV.2": "Là ngành đa lĩnh vực, sự phối hợp của các phòng chuyên môn và các thành viên Tổ kiểm soát "
            "TTHC của Sở chưa được nhịp nhàng; các thành viên làm việc theo chế độ kiêm nhiệm.\nVẫn "
            "còn một số hồ sơ TTHC được gửi đến theo đường công văn hành chính nên việc hướng dẫn "
            "hoàn thiện hồ sơ mất nhiều thời gian.",
}
BASIS = ("Thực hiện Công văn số 2445/VP-TTPVHCC ngày 03/6/2022 của Văn phòng UBND tỉnh về việc đôn "
         "đốc thực hiện đánh giá việc giải quyết TTHC, báo cáo công tác kiểm soát TTHC quý II năm "
         "2022. Sở Lao động - Thương binh và Xã hội tỉnh Lạng Sơn báo cáo kết quả thực hiện như sau:")


def _figure_sets(period, office: User) -> None:
    units = {u.code: u for u in db.session.scalars(select(Unit).where(Unit.code.in_(UNIT_FIGURES)))}
    for code, numbers in UNIT_FIGURES.items():
        unit = units.get(code)
        if unit is None:
            continue
        values = dict(zip(FIELDS, numbers))
        fs = FigureSet(unit_id=unit.id, period_key=period.key, state="sent", sent_at=now(),
                       updated_by_id=office.id, updated_at=now(), **values)
        fs.events.append(FigureEvent(actor_id=office.id, action="import",
                                     changes={k: [None, v] for k, v in values.items()},
                                     created_at=now()))
        db.session.add(fs)
    db.session.commit()


def load(today: date) -> None:
    office = db.session.scalar(select(User).where(User.username == "vanphong"))
    director = db.session.scalar(select(User).where(User.username == "giamdoc"))
    if office is None or director is None:
        return
    period = make_period("quarter", 2022, 2)
    _figure_sets(period, office)
    report = services.open_report(office, "quarter", 2022, 2)
    sections = copy.deepcopy(report.sections)
    for s in sections:
        if s["key"] in SEED_TEXT:  # drafted summaries of accepted results stay after the seed's words
            drafted = s["text"] if s.get("figures") else ""
            s["text"] = "\n".join(t for t in (SEED_TEXT[s["key"]], drafted) if t)
    report.sections, report.basis = sections, BASIS
    db.session.commit()
    services.transition(office, report, "submit")
    # The demo's Director has read the gaps (sections seed 001 leaves empty, units without figures).
    # Numbers 1..112 of the year's reports were given on the Sở's paper register before the portal.
    from app.register import services as register
    register.set_opening(None, report.agency, today.year, "BC", 112)
    services.transition(director, report, "issue", number="113/BC-SLĐTBXH", issued_on=today,
                        confirm_gaps=True)
    # The catalog and review features bring their own demo rows; the issued report keeps the
    # figures the department printed in seed 001 (corrected), as an issued document does.
    snap = copy.deepcopy(report.snapshot)
    snap["figures"]["catalog"], snap["figures"]["review"] = SEED_CATALOG, SEED_REVIEW
    snap["problems"] = []
    for s in snap["sections"]:
        s["figure_lines"] = drafting.figure_lines(s.get("figures"), snap)
    report.snapshot = snap
    db.session.commit()


def demo_report() -> Report | None:
    return db.session.scalar(select(Report).where(Report.number == "113/BC-SLĐTBXH"))
