"""The province's whole loop in real headless Chromium (issue 10): the province plan's task given
to the Sở → the Sở's office cascades it into its own plan → the division's result is accepted
(and the province sees the progress) → the Sở's issued quarterly report is sent up → the province
office records its request, sees who reported, opens the consolidation and downloads the DOCX,
whose totals are asserted. Steps covered by other browser tests (issuing a plan or a report,
a division drafting its result) are done through the services to keep this one short."""
import io

import pytest
from docx import Document
from sqlalchemy import select

from app.extensions import db
from app.models import Plan, Submission, Task
from app.plans import services as plans
from app.reports import services as reports
from tests.agencies.test_province import province  # noqa: F401  (fixture)
from tests.conftest import browser_login
from tests.sendup.helpers import FIGS_A, figures
from tests.register.helpers import make_next

pytestmark = pytest.mark.browser


def _as(page, base, user):
    page.goto("about:blank")
    page.context.clear_cookies()
    browser_login(page, base, user)


def test_province_loop(page, live_server, world, province, app):
    base = live_server
    t = province.task
    # 1. the Sở's office opens its own plan carrying the province's task out
    _as(page, base, "vanphong")
    page.goto(f"{base}/tasks/{t.id}")
    page.click("text=Lập kế hoạch triển khai của cơ quan")
    page.wait_for_selector("text=Đã lập dự thảo kế hoạch triển khai")
    db.session.expire_all()
    plan = db.session.scalar(select(Plan).where(Plan.agency_id == world.agency.id, Plan.state == "draft"))
    assert plan.basis.startswith("Thực hiện Kế hoạch số 28/KH-UBND")
    linked = db.session.scalar(select(Task).where(Task.plan_id == plan.id))
    assert linked.source_task_id == t.id
    # (the Sở gives the task to its division and issues the plan; the division drafts and its
    # head approves the result)
    linked.lead_unit_id = world.div_a.id
    plan.number = "19/KH-SLĐTBXH"
    db.session.commit()
    make_next(world.agency, 2022, "19/KH-SLĐTBXH")   # the register gives it 19 at issue
    with app.test_request_context():   # the notifications' links are built with url_for
        plans.transition(world.office_user, plan, "submit", None, confirm_undated=True)
        plans.transition(world.leader, plan, "issue", None, confirm_undated=True)
    sub = db.session.scalar(select(Submission).where(Submission.task_id == linked.id))
    sub.state, sub.result_text = "approved", "Đã rà soát 02 TTHC, đề xuất cắt giảm 19/32 ngày."
    db.session.commit()
    # 2. the Sở's office accepts the division's result
    page.goto(f"{base}/tasks/{linked.id}")
    page.click("[data-dialog-open=dlg-accept]")
    page.click("#confirm-accept")
    page.wait_for_selector("text=Hoàn thành")
    # 3. the Sở's quarterly report, issued, is sent up to UBND tỉnh
    figures(world.div_a, FIGS_A)
    r = reports.open_report(world.office_user, "quarter", 2022, 2)
    reports.transition(world.office_user, r, "submit")
    make_next(r.agency_id, 2022, "113/BC-SLĐTBXH")
    reports.transition(world.leader, r, "issue", None, "113/BC-SLĐTBXH", None, confirm_gaps=True)
    page.goto(f"{base}/reports/{r.id}")
    page.click("#open-send_up")
    page.click("#confirm-send_up")
    page.wait_for_selector("text=Đã gửi báo cáo lên UBND tỉnh.")
    assert "Đã gửi UBND tỉnh" in page.inner_text("#sendup-panel")

    # 4. the province office: the task's progress, its request, who reported, the consolidation
    _as(page, base, "vp_ubnd")
    page.goto(f"{base}/tasks/{t.id}")
    assert "đã hoàn thành 1 (100,00 %)" in page.inner_text("#cascade")
    page.goto(f"{base}/province/requests")
    page.select_option("#kind", "quarter")
    page.select_option("#number_in_year", "2")
    page.fill("#year", "2022")
    page.fill("#number", "2445/VP-TTPVHCC")
    page.fill("#letter_date", "03/06/2022")
    page.fill("#deadline", "10/06/2022")
    page.fill("#time_cut_target", "20")
    page.fill("#cost_cut_target", "20")
    page.click("#save-request")
    page.wait_for_selector("#sendup-status")
    status = page.inner_text("#sendup-status")
    assert "Sở Lao động – Thương binh và Xã hội\tĐã gửi đúng hạn\t113/BC-SLĐTBXH" in status
    assert "Sở Y tế\tChưa gửi" in status
    page.click("#open-consolidation")
    page.wait_for_selector("#consolidation-table")
    assert "3.238" in page.inner_text("#consolidation-total")
    with page.expect_download() as dl:
        page.click("#download-consolidation-docx")
    d = Document(io.BytesIO(open(dl.value.path(), "rb").read()))
    texts = [p.text for p in d.paragraphs]
    header = "\n".join(c.text for row in d.tables[0].rows for c in row.cells)
    assert "ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN" in header and "Số:      /BC-UBND" in header
    assert "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH" in "\n".join(c.text for c in d.tables[1].rows[0].cells)
    assert ("- Tổng số hồ sơ tiếp nhận: 3.238 (trực tuyến 32; trực tiếp, bưu chính 2.999; kỳ trước chuyển qua "
            "207).") in texts
    assert "- Số hồ sơ đã giải quyết: 2.525 (trước hạn 288, đúng hạn 2.237, quá hạn 0)." in texts
    assert "- Số hồ sơ đang giải quyết: 713 (trong hạn 713, quá hạn 0)." in texts
    total = [c.text for c in d.tables[-1].rows[-1].cells]
    assert total[1:5] == ["Tổng cộng", "3.238", "207", "32"]
