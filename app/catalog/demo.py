"""Demo catalog: 109 procedures in force whose counts reproduce seed 001 (56 một cửa,
33 liên thông, 98 bưu chính, 109 trực tuyến), a handful of real LĐ-TB&XH names, the rest
generated with plausible names; plus the seed 000 review procedures (Phụ lục I and II) and a few
internal procedures (seed 003)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from app.domain.text import fold
from app.extensions import db
from app.models import Procedure, Unit

# (code, name, field, level, unit code, days) — the seed 000 review procedures come first.
TIME_CUT = [  # Phụ lục I: 02 TTHC cấp xã, 20 + 12 = 32 days
    ("1.001776", "Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hàng tháng, hỗ trợ kinh phí chăm sóc, "
     "nuôi dưỡng hàng tháng", "Bảo trợ xã hội", "Cấp xã", "BTXH", 20),
    ("1.001758", "Xác định, xác định lại mức độ khuyết tật và cấp Giấy xác nhận khuyết tật",
     "Bảo trợ xã hội", "Cấp xã", "BTXH", 12),
]
REVIEW_02 = [  # Phụ lục II: 03 cấp Sở (tỉnh), 03 cấp huyện, 01 cấp xã
    ("1.000114", "Cấp giấy phép hoạt động dịch vụ việc làm của doanh nghiệp hoạt động dịch vụ việc làm",
     "Việc làm", "Cấp tỉnh", "LDVL", 7),
    ("1.005134", "Đăng ký nội quy lao động của doanh nghiệp", "Lao động, tiền lương", "Cấp tỉnh", "LDVL", 7),
    ("1.002519", "Giải quyết chế độ trợ cấp thờ cúng liệt sĩ", "Người có công", "Cấp tỉnh", "NCC", 12),
    ("2.000294", "Tiếp nhận đối tượng bảo trợ xã hội có hoàn cảnh đặc biệt khó khăn vào cơ sở trợ giúp "
     "xã hội cấp huyện", "Bảo trợ xã hội", "Cấp huyện", "BTXH", 15),
    ("1.001653", "Cấp giấy phép hoạt động đối với cơ sở trợ giúp xã hội có giấy phép hoạt động do Phòng "
     "Lao động – Thương binh và Xã hội cấp", "Bảo trợ xã hội", "Cấp huyện", "BTXH", 15),
    ("2.000286", "Đăng ký thành lập cơ sở trợ giúp xã hội ngoài công lập thuộc thẩm quyền của Phòng Lao "
     "động – Thương binh và Xã hội", "Bảo trợ xã hội", "Cấp huyện", "BTXH", 10),
    ("1.004946", "Cấp giấy xác nhận đối tượng hưởng chính sách hỗ trợ theo Nghị quyết của HĐND tỉnh",
     "Bảo trợ xã hội", "Cấp xã", "BTXH", 5),
]

# Internal procedures (TTHC nội bộ, seed 003), between agencies: counted apart from the 109.
INTERNAL = [
    ("NB.01", "Thẩm định, phê duyệt kế hoạch kiểm tra việc thực hiện chính sách bảo trợ xã hội hằng năm",
     "Bảo trợ xã hội", "Cấp tỉnh", "BTXH", 10),
    ("NB.02", "Tổng hợp, báo cáo kết quả thực hiện chính sách trợ giúp xã hội của UBND cấp huyện",
     "Bảo trợ xã hội", "Cấp huyện", "BTXH", 15),
    ("NB.03", "Công nhận xã, phường, thị trấn phù hợp với trẻ em", "Trẻ em", "Cấp tỉnh", "BTXH", 20),
    ("NB.04", "Phân bổ kinh phí thực hiện chính sách ưu đãi người có công với cách mạng",
     "Người có công", "Cấp tỉnh", "NCC", 15),
    ("NB.05", "Thẩm định hồ sơ đề nghị tặng Bằng khen về công tác lao động, thương binh và xã hội",
     "Thi đua, khen thưởng", "Cấp tỉnh", "VP", 10),
]

# Generated entries: (field, unit code, subjects of "Thủ tục ...") cycled to reach 109.
GENERATED = [
    ("Người có công", "NCC", ["Giải quyết chế độ ưu đãi đối với {}", "Cấp giấy chứng nhận {}",
                               "Hỗ trợ kinh phí mua sắm phương tiện trợ giúp cho {}"],
     ["thân nhân liệt sĩ", "thương binh", "người hoạt động kháng chiến bị nhiễm chất độc hóa học",
      "người có công giúp đỡ cách mạng", "Bà mẹ Việt Nam anh hùng"]),
    ("Việc làm", "LDVL", ["Giải quyết hưởng {}", "Tạm dừng, tiếp tục hưởng {}", "Chuyển nơi hưởng {}"],
     ["trợ cấp thất nghiệp", "hỗ trợ học nghề", "hỗ trợ tư vấn, giới thiệu việc làm"]),
    ("Giáo dục nghề nghiệp", "LDVL", ["Cấp giấy chứng nhận đăng ký hoạt động {}", "Đăng ký bổ sung {}"],
     ["giáo dục nghề nghiệp trình độ sơ cấp", "liên kết đào tạo với nước ngoài"]),
    ("An toàn, vệ sinh lao động", "LDVL", ["Cấp giấy chứng nhận đủ điều kiện hoạt động {}",
                                            "Gia hạn giấy chứng nhận {}"],
     ["huấn luyện an toàn, vệ sinh lao động hạng A", "kiểm định kỹ thuật an toàn lao động"]),
    ("Phòng, chống tệ nạn xã hội", "TNXH", ["Quyết định {}", "Hỗ trợ {}"],
     ["cai nghiện ma túy tự nguyện tại gia đình", "học văn hóa, học nghề cho người sau cai nghiện"]),
    ("Trẻ em", "BTXH", ["Áp dụng {}", "Chấm dứt {}"],
     ["biện pháp can thiệp khẩn cấp hoặc tạm thời cách ly trẻ em", "việc chăm sóc thay thế cho trẻ em"]),
]

LEVELS = ["Cấp tỉnh"] * 7 + ["Cấp huyện"] * 2 + ["Cấp xã"]  # most procedures are the department's


def _plan_rows() -> list[tuple]:
    rows = [(*r, True) for r in TIME_CUT + REVIEW_02]
    n = 0
    while len(rows) < 109:
        field, unit, verbs, subjects = GENERATED[n % len(GENERATED)]
        verb = verbs[(n // len(GENERATED)) % len(verbs)]
        subject = subjects[(n // (len(GENERATED) * len(verbs))) % len(subjects)]
        name = verb.format(subject)
        level = LEVELS[n % len(LEVELS)]
        code = f"{1 + n % 2}.{3000 + n * 7:06d}"
        rows.append((code, name if not any(r[1] == name for r in rows) else f"{name} ({level.lower()})",
                     field, level, unit, [5, 7, 10, 12, 15, 20][n % 6], False))
        n += 1
    return rows


def load(today: date) -> None:
    if db.session.scalar(select(Procedure.id).limit(1)) is not None:
        return
    units = {u.code: u for u in db.session.scalars(select(Unit))}
    for i, (code, name, field, level, unit, days, real) in enumerate(_plan_rows()):
        # Seed 001 counts: 56 một cửa, 33 liên thông (disjoint), 98 bưu chính, 109 trực tuyến
        # (47 toàn trình, the rest một phần).
        db.session.add(Procedure(
            code=code, name=name, name_folded=fold(name), field=field, level=level,
            lead_unit_id=units[unit].id if unit in units else None,
            processing_days=Decimal(days), fees="Không",
            one_stop=i < 56, interconnected=56 <= i < 89, postal=i < 98,
            online_service="full" if i % 109 < 47 else "partial",
            internal=False, set_by="central",
            legal_basis="Luật Người khuyết tật 2010; Nghị định 20/2021/NĐ-CP" if field == "Bảo trợ xã hội"
            else "Văn bản quy phạm pháp luật chuyên ngành",
            decision="Quyết định số 1234/QĐ-UBND ngày 10/6/2021 của Chủ tịch UBND tỉnh Lạng Sơn",
            status="active"))
    for code, name, field, level, unit, days in INTERNAL:
        db.session.add(Procedure(code=code, name=name, name_folded=fold(name), field=field, level=level,
                                 lead_unit_id=units[unit].id if unit in units else None,
                                 processing_days=Decimal(days), internal=True, set_by="local",
                                 status="active"))
    # One abolished and replaced entry, to show the history of a catalog.
    db.session.add(Procedure(code="1.000999", name="Cấp sổ hưu trí (đã bãi bỏ)",
                             name_folded=fold("Cấp sổ hưu trí (đã bãi bỏ)"), field="Bảo hiểm xã hội",
                             level="Cấp tỉnh", status="abolished"))
    db.session.commit()
