"""The search index (migration 0015_search_index): SQLite's FTS5 trigram tables and
PostgreSQL's pg_trgm indexes follow every kind of write, a restore rebuilds them, and
`matches()` answers exactly what the plain LIKE over the folded column answers."""
from sqlalchemy import delete, func, insert, select, text, update

from app.domain.text import fold, like_pattern
from app.extensions import db
from app.models import Plan, Procedure, Task, User
from app.models.folded import SEARCH_INDEXES, matches
from app.ops.backup import backup, restore
from app.ops.dbutil import empty_tables, ordered_tables, reflect
from app.clock import now
from tests.conftest import login
from tests.factories import add_task, make_plan

TEXTS = [
    "Rà soát thủ tục bảo trợ xã hội",
    "BẢO TRỢ trẻ em có hoàn cảnh đặc biệt",
    "Đánh giá 100% hồ sơ trực tuyến",
    "Cập nhật mã_số thủ tục \"một cửa\" và 'liên thông'",
    "Đường dẫn C:\\du lieu\\tthc",
    "Giải quyết chế độ người có công",
    "Ứng dụng CNTT trong tiếp nhận hồ sơ",
    "Tiền lương tối thiểu vùng",
]
QUERIES = ["bao tro", "Bảo trợ", "BẢO TRỢ XÃ", "tro xa hoi", "100%", "0% h", "ma_so", "a_s", "_",
           "%", "\"mot cua\"", "'lien thong'", "\"", "c:\\du", "\\", "ho so", "hồ sơ trực",
           "đường", "duong dan", "ung dung", "ứng", "un", "tiền lương tối thiểu vùng",
           "nguoi co cong nhan", "zzz", "  bao   tro  ", "o t", "re em co"]


def _like_ids(column, q):
    return set(db.session.scalars(select(column.class_.id).where(column.like(like_pattern(q), escape="\\"))))


def _ids(column, q):
    return set(db.session.scalars(select(column.class_.id).where(matches(column, q))))


def _integrity() -> None:
    """SQLite: each FTS table agrees with its table's rows (FTS5's own check against the
    external content); PostgreSQL: nothing to check (plain indexes)."""
    if db.engine.dialect.name != "sqlite":
        return
    db.session.commit()
    for fts in SEARCH_INDEXES.values():
        db.session.execute(text(f"INSERT INTO {fts} ({fts}, rank) VALUES ('integrity-check', 1)"))
    db.session.commit()


def _fts_ids(fts: str, needle: str) -> set[int]:
    return set(db.session.scalars(text(f"SELECT rowid FROM {fts} WHERE {fts} MATCH :q"),
                                  {"q": '"' + needle + '"'}))


def test_index_answers_exactly_like_the_like(world):
    plan = make_plan(world, state="draft", number="5/KH-DT", tasks=[{"content": c} for c in TEXTS])
    db.session.commit()
    assert db.session.scalar(select(func.count(Task.id)).where(Task.plan_id == plan.id)) == len(TEXTS)
    for q in QUERIES:
        assert _ids(Task.content_folded, q) == _like_ids(Task.content_folded, q), q
    assert len(_ids(Task.content_folded, "bao tro")) == 2  # accent- and case-insensitive
    assert len(_ids(Task.content_folded, "100%")) == 1 and not _ids(Task.content_folded, "10%0")
    assert len(_ids(Task.content_folded, "ma_so")) == 1 and not _ids(Task.content_folded, "maxso")
    if db.engine.dialect.name == "sqlite":  # a query of 3 or more characters goes through FTS5
        sql = str(select(Task.id).where(matches(Task.content_folded, "bao tro"))
                  .compile(db.engine))
        assert "tasks_fts MATCH" in sql
        assert "MATCH" not in str(select(Task.id).where(matches(Task.content_folded, "ba")).compile(db.engine))
    # The other indexed columns: plans, procedures, users.
    assert _ids(Plan.search_folded, "5/kh") == {plan.id} == _like_ids(Plan.search_folded, "5/kh")
    db.session.add(Procedure(code="1.0001", name="Thủ tục hưởng trợ cấp bảo trợ", lead_unit_id=world.div_a.id))
    db.session.commit()
    for q in ("tro cap", "BẢO TRỢ", "thu tuc huong", "xyz"):
        assert _ids(Procedure.name_folded, q) == _like_ids(Procedure.name_folded, q), q
    assert len(_ids(Procedure.name_folded, "tro cap")) == 1
    q = world.staff_a.username
    assert world.staff_a.id in _ids(User.search_folded, q) == _like_ids(User.search_folded, q)
    _integrity()


def test_index_follows_every_kind_of_write(world):
    plan = make_plan(world, state="draft", number="6/KH-DT", tasks=[{"content": "Khảo sát mức độ hài lòng"}])
    db.session.commit()
    task_id = db.session.scalar(select(Task.id).where(Task.plan_id == plan.id))
    assert _ids(Task.content_folded, "hai long") == {task_id}
    # ORM update: the old text leaves the index, the new one enters.
    task = db.session.get(Task, task_id)
    task.content = "Niêm yết công khai thủ tục"
    db.session.commit()
    assert not _ids(Task.content_folded, "hai long") and _ids(Task.content_folded, "niem yet") == {task_id}
    _integrity()
    # Core insert (gen-data, imports): the folded default and the index both follow.
    db.session.execute(insert(Task).values(plan_id=plan.id, position=2, content="Số hoá hồ sơ lưu trữ",
                                           lead_unit_id=world.div_a.id, created_at=now()))
    db.session.commit()
    core_id = db.session.scalar(select(Task.id).where(Task.position == 2, Task.plan_id == plan.id))
    assert _ids(Task.content_folded, "so hoa ho so") == {core_id}
    # Core update of the text with its folded copy (a manual fix).
    db.session.execute(update(Task).where(Task.id == core_id)
                       .values(content="Lưu trữ điện tử", content_folded=fold("Lưu trữ điện tử")))
    db.session.commit()
    assert not _ids(Task.content_folded, "so hoa") and _ids(Task.content_folded, "dien tu") == {core_id}
    _integrity()
    # ORM and Core deletes.
    db.session.delete(db.session.get(Task, task_id))
    db.session.commit()
    assert not _ids(Task.content_folded, "niem yet")
    db.session.execute(delete(Task).where(Task.id == core_id))
    db.session.commit()
    assert not _ids(Task.content_folded, "dien tu")
    # Plans, users: ORM change of their sources.
    plan = db.session.get(Plan, plan.id)
    plan.title = "Kế hoạch kiểm soát thủ tục hành chính năm 2022"
    world.staff_a.full_name = "Hoàng Thị Ngọc Ánh"
    db.session.commit()
    assert _ids(Plan.search_folded, "kiem soat thu tuc") == {plan.id}
    assert _ids(User.search_folded, "ngoc anh") == {world.staff_a.id}
    _integrity()
    if db.engine.dialect.name == "sqlite":
        assert _fts_ids("tasks_fts", "dien tu") == set()


def test_restore_rebuilds_the_index(app, world, tmp_path):
    plan = make_plan(world, state="draft", number="7/KH-DT", tasks=[{"content": "Công bố danh mục thủ tục"}])
    db.session.commit()
    task_id = db.session.scalar(select(Task.id).where(Task.plan_id == plan.id))
    q, staff_id = world.staff_a.username, world.staff_a.id
    archive = tmp_path / "kstt.tar.gz"
    summary = backup(db.engine, app.config["UPLOAD_FOLDER"], archive)
    assert not any(name.endswith("_fts") or "_fts_" in name for name in summary.tables)
    # Change the data after the backup, and wipe it; the restore brings back the backup's.
    db.session.get(Task, task_id).content = "Nội dung mới hơn"
    db.session.commit()
    db.session.remove()
    with db.engine.begin() as conn:
        empty_tables(conn, ordered_tables(reflect(conn)))
    assert not _ids(Task.content_folded, "noi dung moi")
    db.session.remove()  # no open transaction holding a lock the restore waits for
    restore(db.engine, app.config["UPLOAD_FOLDER"], archive)
    assert _ids(Task.content_folded, "cong bo danh muc") == {task_id}
    assert not _ids(Task.content_folded, "noi dung moi")
    assert staff_id in _ids(User.search_folded, q) == _like_ids(User.search_folded, q)
    _integrity()


def test_search_pages_use_the_index(client, world):
    make_plan(world, number="8/KH-DT", tasks=[{"content": "Rà soát thủ tục bảo trợ xã hội"},
                                                 {"content": "Tập huấn nghiệp vụ"}])
    db.session.commit()
    login(client, world.office_user)
    body = client.get("/tasks/?q=bao+tro&year=").get_data(as_text=True)
    assert "bảo trợ xã hội" in body and "Tập huấn nghiệp vụ" not in body
    body = client.get("/plans/?q=8%2Fkh").get_data(as_text=True)
    assert "8/KH-DT" in body


def test_the_database_uses_the_index(world):
    make_plan(world, state="draft", number="9/KH-DT", tasks=[{"content": "Rà soát thủ tục bảo trợ"}])
    db.session.commit()
    stmt = select(Task.id).where(matches(Task.content_folded, "bao tro"))
    compiled = stmt.compile(db.engine, compile_kwargs={"literal_binds": True})
    if db.engine.dialect.name == "sqlite":
        plan = " ".join(str(r[-1]) for r in db.session.execute(text(f"EXPLAIN QUERY PLAN {compiled}")))
        assert "VIRTUAL TABLE INDEX" in plan and "tasks_fts" in plan, plan
        return
    names = set(db.session.scalars(text("SELECT indexname FROM pg_indexes WHERE indexname LIKE '%_trgm'")))
    assert names == {"ix_tasks_content_folded_trgm", "ix_plans_search_folded_trgm",
                     "ix_procedures_name_folded_trgm", "ix_users_search_folded_trgm"}
    db.session.execute(text("SET LOCAL enable_seqscan = off"))  # a tiny table: prove it is usable
    plan = "\n".join(db.session.scalars(text(f"EXPLAIN {compiled}")))
    assert "ix_tasks_content_folded_trgm" in plan, plan
    db.session.rollback()
