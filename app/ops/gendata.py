"""`flask gen-data --scale small|medium|agency|department|province`: a large, realistic,
deterministic data set.

Fills the core tables (units, users, procedures, plans, tasks with cooperating units and
assignees, submissions with their history, notifications) with bulk inserts and explicit
ids, so a province (60 units, 2 000 users, 3 000 procedures, 10 years of plans, 200 000
tasks) takes seconds to a minute, not hours. The same scale and seed always give the same rows.

Province-wide (`--scale province`, or `--agencies N` with any scale): the first agency is
generated as above, then copied into N-1 more agencies by INSERT ... SELECT on the database
server (ids shifted by the first agency's largest id per table, usernames suffixed), so each
agency holds the same volume (20 × 50 000 tasks at province scale) and agency 1 is row for
row the database of `--scale agency`: its pages can be measured against a one-agency database.
The province's own agency (its office `kstt_tinh`, its leader `chutich`) is added, ranking them,
with its plans giving each agency tasks, a reporting request per quarter, and what became of the
copied agencies' reports at UBND tỉnh (on time, late, returned with a reason, never sent).

Other features add their own tables through GEN_HOOKS: each entry is a module path whose
`generate(ctx: GenContext) -> dict[str, int]` runs after the core data, on the same
connection and RNG. `app.reports.gendata` adds the quarterly figure sets (400 at province
scale: 10 units × 40 quarters, with overdue explanations and history) and one report per
quarter (issued with its frozen snapshot; the last ended quarter's still a draft);
`app.reviews.gendata` reviews of internal procedures (the province dashboard's review rounds).
"""
from __future__ import annotations

import importlib
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import Connection, Table, insert

from app.domain.text import fold
from app.models import (Agency, Contribution, Notification, Plan, PlanEvent, Procedure, Submission,
                        SubmissionEvent, Task, TaskAssignee, Unit, User, task_cooperating_units)
from app.ops.derived import rebuild_derived, triggers_off
from app.ops.dbutil import batched, empty_tables, ordered_tables, reflect, reset_sequences

PASSWORD = "Bench@2022"
BATCH = 5000

# Modules with `generate(ctx)` for feature tables, run in this order after the core data.
GEN_HOOKS: list[str] = ["app.reports.gendata", "app.reviews.gendata", "app.evaluations.gendata"]


@dataclass(frozen=True)
class Scale:
    units: int
    users: int
    procedures: int
    years: int
    tasks: int
    plans_per_year: int
    notifications_per_user: int
    agencies: int = 1   # copies of the generated agency (province-wide data)


SCALES = {
    "small": Scale(units=20, users=80, procedures=150, years=2, tasks=1_200, plans_per_year=4,
                   notifications_per_user=4),
    "medium": Scale(units=40, users=500, procedures=1_000, years=5, tasks=25_000,
                    plans_per_year=12, notifications_per_user=10),
    # One large department alone (the benchmark of 2026-11-23 ran on it).
    "department": Scale(units=60, users=2_000, procedures=3_000, years=10, tasks=200_000,
                        plans_per_year=30, notifications_per_user=20),
    # One agency of the province (the volume each agency has at province scale).
    "agency": Scale(units=40, users=500, procedures=1_000, years=10, tasks=50_000,
                    plans_per_year=12, notifications_per_user=10),
    # The whole province: 20 agencies of that volume, 1 000 000 tasks.
    "province": Scale(units=40, users=500, procedures=1_000, years=10, tasks=50_000,
                      plans_per_year=12, notifications_per_user=10, agencies=20),
}

# The province's own accounts (added when there are several agencies).
PROVINCE_ACCOUNTS = {"office": "kstt_tinh", "leader": "chutich"}

# Fixed accounts, one per role, so benchmarks and tests know whom to log in as.
ACCOUNTS = {"admin": "admin", "leader": "giamdoc", "office": "vanphong", "head": "tp_btxh",
            "staff": "cv_btxh", "local": "dm_tpls"}

DIVISIONS = [
    ("BTXH", "Phòng Bảo trợ xã hội – Trẻ em"),
    ("TNXH", "Phòng Phòng, chống tệ nạn xã hội – Bình đẳng giới"),
    ("LDVL", "Phòng Lao động, Việc làm – Bảo hiểm xã hội"),
    ("NCC", "Phòng Người có công"),
    ("KHTC", "Phòng Kế hoạch – Tài chính"),
    ("TTRA", "Thanh tra Sở"),
    ("GDNN", "Phòng Giáo dục nghề nghiệp"),
    ("TCCB", "Phòng Tổ chức cán bộ"),
]
AFFILIATES = [
    ("TTDVVL", "Trung tâm Dịch vụ việc làm"),
    ("TTBTXH", "Trung tâm Bảo trợ xã hội"),
    ("CSCN", "Cơ sở cai nghiện ma túy tỉnh"),
    ("TTDD", "Trung tâm Điều dưỡng người có công"),
    ("CDN", "Trường Cao đẳng nghề"),
    ("QBTTE", "Quỹ Bảo trợ trẻ em"),
]
DISTRICTS = [
    ("TPLS", "UBND thành phố Lạng Sơn"), ("CAOLOC", "UBND huyện Cao Lộc"),
    ("VANLANG", "UBND huyện Văn Lãng"), ("TRANGDINH", "UBND huyện Tràng Định"),
    ("BINHGIA", "UBND huyện Bình Gia"), ("VANQUAN", "UBND huyện Văn Quan"),
    ("BACSON", "UBND huyện Bắc Sơn"), ("HUULUNG", "UBND huyện Hữu Lũng"),
    ("CHILANG", "UBND huyện Chi Lăng"), ("LOCBINH", "UBND huyện Lộc Bình"),
    ("DINHLAP", "UBND huyện Đình Lập"),
]
COMMUNES = [
    "Hoàng Đồng", "Mai Pha", "Quảng Lạc", "Gia Cát", "Hợp Thành", "Xuân Long", "Đồng Đăng",
    "Na Sầm", "Thất Khê", "Đồng Mỏ", "Na Dương", "Tân Thành", "Hòa Bình", "Yên Trạch",
    "Thụy Hùng", "Tân Văn", "Hồng Phong", "Quốc Khánh", "Tri Phương", "Kháng Chiến",
    "Hội Hoan", "Thành Hòa", "Tân Đoàn", "Chiến Thắng", "Mẫu Sơn", "Khánh Khê", "Vân Nham",
    "Minh Sơn", "Hữu Liên", "Quang Lang", "Nhân Lý", "Bằng Mạc", "Tú Đoạn", "Xuân Tình",
    "Bính Xá", "Thái Bình", "Kiên Mộc", "Bắc Quỳnh", "Vũ Lăng", "Tân Tri", "Hưng Vũ",
    "Chi Lăng", "Lương Năng", "Tràng Các", "Hoàng Việt", "Tân Mỹ", "Thanh Long", "Cao Minh",
]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
            "Dương", "Lý", "Nông", "Hà", "Lương", "Triệu", "Vi", "Lăng", "Hứa"]
MIDDLES = ["Văn", "Thị", "Đức", "Minh", "Thu", "Ngọc", "Quang", "Thanh", "Hữu", "Kim", "Mạnh"]
GIVENS = ["An", "Bình", "Chiến", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hoa", "Hùng", "Hương",
          "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Phong", "Phương", "Quân", "Quyết",
          "Sơn", "Tâm", "Thắng", "Thảo", "Thủy", "Trang", "Tuấn", "Tùng", "Vân", "Yến"]
FIELDS = ["Bảo trợ xã hội", "Người có công", "Việc làm", "Giáo dục nghề nghiệp",
          "An toàn, vệ sinh lao động", "Trẻ em", "Phòng, chống tệ nạn xã hội",
          "Lao động, tiền lương", "Bảo hiểm xã hội", "Bình đẳng giới"]
PROC_ACTIONS = ["Cấp", "Cấp lại", "Gia hạn", "Điều chỉnh", "Thu hồi", "Công nhận",
                "Giải quyết chế độ", "Xác nhận", "Đăng ký", "Thẩm định"]
PROC_OBJECTS = ["giấy phép hoạt động dịch vụ việc làm", "trợ cấp xã hội hằng tháng",
                "hỗ trợ chi phí mai táng", "trợ cấp ưu đãi người có công", "giấy phép lao động",
                "hồ sơ người hoạt động kháng chiến", "chứng nhận đăng ký hoạt động giáo dục nghề nghiệp",
                "nội quy lao động", "thang lương, bảng lương", "cơ sở trợ giúp xã hội",
                "hỗ trợ học nghề", "cơ sở cai nghiện ma túy tự nguyện", "thân nhân liệt sĩ",
                "danh sách hộ nghèo, hộ cận nghèo", "hợp đồng lao động xuất khẩu"]
TASK_VERBS = ["Rà soát, đánh giá", "Công bố, công khai", "Cắt giảm thời hạn giải quyết",
              "Đơn giản hóa", "Kiểm tra việc thực hiện", "Tổng hợp, báo cáo kết quả",
              "Tuyên truyền, phổ biến", "Tiếp nhận, xử lý phản ánh, kiến nghị về",
              "Số hóa hồ sơ, kết quả giải quyết", "Tính chi phí tuân thủ"]
TASK_OBJECTS = ["TTHC lĩnh vực {field}", "quy định liên quan đến hoạt động kinh doanh",
                "TTHC nội bộ giữa các cơ quan hành chính nhà nước", "thủ tục thuộc thẩm quyền cấp xã",
                "danh mục TTHC được công bố năm {year}", "dịch vụ công trực tuyến toàn trình",
                "tình hình giải quyết hồ sơ tại Bộ phận Một cửa"]
GROUPS = ["I. Rà soát, đánh giá TTHC", "II. Công bố, công khai TTHC",
          "III. Cắt giảm, đơn giản hóa TTHC", "IV. Kiểm tra, báo cáo"]
PLAN_TITLES = ["Kế hoạch rà soát, đánh giá thủ tục hành chính năm {year}",
               "Kế hoạch kiểm soát thủ tục hành chính năm {year}",
               "Kế hoạch cắt giảm thời hạn giải quyết TTHC năm {year}",
               "Kế hoạch rà soát, đơn giản hóa TTHC nội bộ năm {year}",
               "Kế hoạch cải cách hành chính năm {year}"]
PLAN_KIND_CYCLE = ["review", "reform", "time_cut", "internal", "review"]
QUARTERS = ["I", "II", "III", "IV"]


@dataclass
class GenContext:
    """What hooks receive: the connection, the RNG, today, and the ids made so far."""
    conn: Connection
    rng: random.Random
    today: date
    scale: Scale
    ids: dict[str, list[int]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def insert(self, table: Table | type, rows: list[dict]) -> None:
        """Bulk insert in batches (executemany, explicit ids)."""
        t = table if isinstance(table, Table) else table.__table__
        for chunk in batched(rows, BATCH):
            self.conn.execute(insert(t), chunk)
        self.counts[t.name] += len(rows)


def scaled(scale: Scale, factor: float) -> Scale:
    f = lambda n: max(1, round(n * factor))  # noqa: E731
    return Scale(units=f(scale.units), users=f(scale.users), procedures=f(scale.procedures),
                 years=scale.years, tasks=f(scale.tasks), plans_per_year=scale.plans_per_year,
                 notifications_per_user=scale.notifications_per_user, agencies=scale.agencies)


def generate(conn: Connection, scale: Scale, today: date, password_hash: str, seed: int = 2022,
             reset: bool = True, progress=None) -> dict[str, int]:
    """Fill the database; returns rows inserted per table."""
    if reset:
        empty_tables(conn, ordered_tables(reflect(conn)))
    ctx = GenContext(conn=conn, rng=random.Random(seed), today=today, scale=scale)
    # Row triggers off for the load (each submission would rewrite its task and unit_tasks
    # rows: dead tuples on PostgreSQL); the derived data is made once at the end.
    with triggers_off(conn):
        _agency(ctx)
        units = _units(ctx)
        users = _users(ctx, units, password_hash)
        _procedures(ctx, units)
        _plans_and_tasks(ctx, units, users)
        _notifications(ctx, users)
        _delegations(ctx, units, users)
        for path in GEN_HOOKS:
            importlib.import_module(path).generate(ctx)
        if scale.agencies > 1:
            replicate_agencies(ctx, scale.agencies, progress)
        reset_sequences(conn, ordered_tables(reflect(conn)))
        if progress:
            progress("Dựng dữ liệu dẫn xuất (cột công việc, unit_tasks, chỉ mục tìm kiếm)…")
        rebuild_derived(conn, progress)
    return dict(ctx.counts)


# ---- organisation ------------------------------------------------------------------------

@dataclass
class UnitRow:
    id: int
    code: str
    kind: str


def _agency(ctx: GenContext) -> None:
    """The one department the generated data belongs to (as a migrated deployment has)."""
    ctx.insert(Agency, [{"id": 1, "name": "Sở Lao động - Thương binh và Xã hội tỉnh Lạng Sơn",
                         "short_name": "Sở Lao động – Thương binh và Xã hội", "abbreviation": "SLĐTBXH",
                         "kind": "department", "parent_id": None, "place_name": "Lạng Sơn", "active": True,
                         "valid_from": None, "valid_to": None, "sort_order": 10, "settings": {},
                         "created_at": datetime.combine(ctx.today, datetime.min.time())}])
    ctx.ids["agencies"] = [1]


def _units(ctx: GenContext) -> list[UnitRow]:
    specs = [("LD", "Lãnh đạo Sở", "leadership"), ("VP", "Văn phòng Sở", "office")]
    specs += [(c, n, "division") for c, n in DIVISIONS]
    specs += [(c, n, "affiliate") for c, n in AFFILIATES]
    specs += [(c, n, "local") for c, n in DISTRICTS]
    i = 0
    while len(specs) < ctx.scale.units:
        name = COMMUNES[i % len(COMMUNES)]
        round_ = i // len(COMMUNES)
        suffix = f" ({round_ + 1})" if round_ else ""
        specs.append((f"XA{i + 1:03d}", f"UBND xã {name}{suffix}", "local"))
        i += 1
    specs = specs[:max(ctx.scale.units, 4)]
    rows, out = [], []
    for n, (code, name, kind) in enumerate(specs, start=1):
        rows.append({"id": n, "agency_id": ctx.ids["agencies"][0], "code": code, "name": name,
                     "kind": kind, "parent_id": None,
                     "active": True, "sort_order": n})
        out.append(UnitRow(n, code, kind))
    ctx.insert(Unit, rows)
    ctx.ids["units"] = [u.id for u in out]
    return out


@dataclass
class People:
    by_unit: dict[int, dict[str, list[int]]]  # unit id -> role -> user ids
    office: list[int]
    leaders: list[int]
    all: list[int]


def _person(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLES)} {rng.choice(GIVENS)}"


def _users(ctx: GenContext, units: list[UnitRow], password_hash: str) -> People:
    rng = ctx.rng
    created = datetime.combine(ctx.today.replace(year=ctx.today.year - ctx.scale.years + 1, month=1, day=1),
                               datetime.min.time())
    rows: list[dict] = []
    people = People(by_unit=defaultdict(lambda: defaultdict(list)), office=[], leaders=[], all=[])

    def add(unit: UnitRow, role: str, username: str | None = None, title: str | None = None) -> None:
        uid = len(rows) + 1
        rows.append({"id": uid, "username": username or f"{role}{uid:05d}", "full_name": _person(rng),
                     "email": f"u{uid}@example.test", "password_hash": password_hash, "role": role,
                     "unit_id": unit.id, "title": title, "active": rng.random() > 0.02 or username is not None,
                     "created_at": created, "last_login_at": None})
        people.by_unit[unit.id][role].append(uid)
        people.all.append(uid)
        if role == "office":
            people.office.append(uid)
        if role == "leader":
            people.leaders.append(uid)

    lead = next(u for u in units if u.kind == "leadership")
    office = next(u for u in units if u.kind == "office")
    add(lead, "leader", ACCOUNTS["leader"], "Giám đốc")
    for _ in range(3):
        add(lead, "leader", title="Phó Giám đốc")
    add(office, "admin", ACCOUNTS["admin"])
    add(office, "office", ACCOUNTS["office"])
    add(office, "head", title="Chánh Văn phòng")
    for _ in range(3):
        add(office, "office")
    working = [u for u in units if u.kind in ("division", "affiliate")]
    locals_ = [u for u in units if u.kind == "local"]
    for u in working:
        add(u, "head", ACCOUNTS["head"] if u.code == "BTXH" else None, "Trưởng phòng")
    for u in locals_:
        add(u, "local", ACCOUNTS["local"] if u.code == "TPLS" else None)
    # The rest are staff, most in divisions and affiliates, some more focal points in localities.
    first_staff = True
    while len(rows) < ctx.scale.users:
        if locals_ and rng.random() < 0.3:
            add(rng.choice(locals_), "local")
        else:
            u = working[0] if first_staff else rng.choice(working)
            add(u, "staff", ACCOUNTS["staff"] if first_staff else None)
            first_staff = False
    ctx.insert(User, rows)
    ctx.ids["users"] = people.all
    return people


def _delegations(ctx: GenContext, units: list[UnitRow], people: People) -> None:
    """Each head's past delegations (ủy quyền), a dozen a year, revoked now and then, and one
    in force today: the head of BTXH's to the measured staff account (so its pages take the
    delegated path); the Director's to a deputy."""
    from app.models import Delegation
    rng = ctx.rng
    rows: list[dict] = []
    stamp = datetime.combine(ctx.today, datetime.min.time())
    for u in units:
        heads = people.by_unit[u.id].get("head", []) or people.by_unit[u.id].get("leader", [])[:1]
        others = [i for role, ids in people.by_unit[u.id].items() for i in ids if i not in heads]
        if not heads or not others:
            continue
        head, kind = heads[0], ("leader" if u.kind == "leadership" else "unit_head")
        for year_back in range(ctx.scale.years):
            for month in range(1, 13):
                start = date(ctx.today.year - year_back, month, rng.randint(1, 20))
                if start >= ctx.today:
                    continue
                revoked = rng.random() < 0.1
                rows.append({"id": len(rows) + 1, "delegator_id": head, "delegate_id": rng.choice(others),
                             "kind": kind, "unit_id": u.id, "plan_id": None, "starts_on": start,
                             "ends_on": min(start + timedelta(days=rng.randint(1, 7)), ctx.today - timedelta(days=1)),
                             "reason": "Đi công tác", "created_by_id": head, "created_at": stamp,
                             "revoked_at": stamp if revoked else None,
                             "revoked_by_id": head if revoked else None})
        delegate = others[0]  # BTXH: the first staff account (ACCOUNTS["staff"])
        rows.append({"id": len(rows) + 1, "delegator_id": head, "delegate_id": delegate, "kind": kind,
                     "unit_id": u.id, "plan_id": None, "starts_on": ctx.today - timedelta(days=2),
                     "ends_on": ctx.today + timedelta(days=5), "reason": "Nghỉ phép", "created_by_id": head,
                     "created_at": stamp, "revoked_at": None, "revoked_by_id": None})
    ctx.insert(Delegation, rows)


def _procedures(ctx: GenContext, units: list[UnitRow]) -> None:
    rng = ctx.rng
    owners = [u.id for u in units if u.kind in ("division", "affiliate")]
    stamp = datetime.combine(ctx.today, datetime.min.time())
    rows = []
    for i in range(1, ctx.scale.procedures + 1):
        fld = FIELDS[i % len(FIELDS)]
        name = f"{rng.choice(PROC_ACTIONS)} {rng.choice(PROC_OBJECTS)} ({fld.lower()}, mã {i})"
        days = rng.choice([None, 3, 5, 7, 10, 12, 15, 20, 30, 45])
        rows.append({
            "id": i, "agency_id": ctx.ids["agencies"][0], "code": f"1.{i:06d}", "name": name, "name_folded": fold(name), "field": fld,
            "level": rng.choice(["Cấp tỉnh", "Cấp tỉnh", "Cấp huyện", "Cấp xã"]),
            "lead_unit_id": rng.choice(owners), "processing_days": None if days is None else Decimal(days),
            "processing_text": "Không quy định" if days is None else f"{days} ngày làm việc",
            "fees": rng.choice([None, "Không", "50.000 đồng/hồ sơ", "100.000 đồng/giấy phép"]),
            "one_stop": rng.random() < 0.6, "interconnected": rng.random() < 0.2,
            "postal": rng.random() < 0.7, "online_service": rng.choice(["", "partial", "full"]),
            "internal": rng.random() < 0.1, "set_by": rng.choice(["central", "central", "local"]),
            "legal_basis": "Nghị định số 63/2010/NĐ-CP; Thông tư số 02/2017/TT-VPCP",
            "decision": f"Quyết định số {rng.randint(100, 2500)}/QĐ-UBND",
            "status": "active" if rng.random() < 0.9 else "abolished", "replaced_by_id": None,
            "created_at": stamp, "updated_at": stamp,
        })
    ctx.insert(Procedure, rows)


# ---- plans, tasks, submissions -----------------------------------------------------------

class _Buffers:
    """Rows waiting to be inserted, flushed in batches so memory stays flat."""
    ORDER = [Plan, PlanEvent, Task, task_cooperating_units, TaskAssignee, Submission, SubmissionEvent, Contribution]

    def __init__(self, ctx: GenContext):
        self.ctx = ctx
        self.rows: dict[object, list[dict]] = {k: [] for k in self.ORDER}
        self.next_id: dict[object, int] = defaultdict(lambda: 1)

    def add(self, kind, row: dict) -> dict:
        if kind is Task and len(self.rows[Task]) >= BATCH:
            # Before appending: the task just added stays buffered while its work is made
            # (its work columns are written into the row, see _work).
            self.flush()
        if kind is not task_cooperating_units:
            row["id"] = self.next_id[kind]
            self.next_id[kind] += 1
        self.rows[kind].append(row)
        return row

    def flush(self) -> None:
        for kind in self.ORDER:  # parents first
            if self.rows[kind]:
                self.ctx.insert(kind, self.rows[kind])
                self.rows[kind] = []


def _plan_sizes(rng: random.Random, total: int, n: int) -> list[int]:
    weights = [rng.lognormvariate(0, 0.8) for _ in range(n)]
    weights[rng.randrange(n)] *= 4  # one big plan a year (every commune, monthly instances)
    s = sum(weights)
    sizes = [max(3, int(total * w / s)) for w in weights]
    sizes[0] += max(0, total - sum(sizes))
    return sizes


def _due(rng: random.Random, year: int, start: date) -> tuple[str, date | None]:
    kind = rng.random()
    if kind < 0.45:
        d = start + timedelta(days=rng.randint(20, 300))
        d = min(d, date(year, 12, 31))
        return f"Trước ngày {d.day:02d}/{d.month}/{d.year}", d
    if kind < 0.65:
        m = rng.randint(max(start.month, 2), 12)
        last = (date(year + (m == 12), m % 12 + 1, 1) - timedelta(days=1))
        return f"Tháng {m}/{year}", last
    if kind < 0.8:
        q = rng.randint(max(1, (start.month + 2) // 3), 4)
        last = date(year + (q == 4), (q * 3) % 12 + 1, 1) - timedelta(days=1)
        return f"Quý {QUARTERS[q - 1]}/{year}", last
    if kind < 0.93:
        return rng.choice([f"Năm {year}", f"Trong năm {year}"]), date(year, 12, 31)
    return rng.choice(["Thường xuyên", "Sau khi UBND tỉnh ban hành Kế hoạch"]), None


def _plans_and_tasks(ctx: GenContext, units: list[UnitRow], people: People) -> None:
    rng = ctx.rng
    buf = _Buffers(ctx)
    lead_candidates = [u for u in units if u.kind in ("division", "affiliate", "local", "office")]
    heads = {u.id: people.by_unit[u.id].get("head") or people.by_unit[u.id].get("local") or [] for u in units}
    doers = {u.id: (people.by_unit[u.id].get("staff") or people.by_unit[u.id].get("local")
                    or people.by_unit[u.id].get("office") or heads[u.id]) for u in units}
    office, leaders = people.office, people.leaders
    years = range(ctx.today.year - ctx.scale.years + 1, ctx.today.year + 1)
    per_year = ctx.scale.tasks // len(years)
    for year in years:
        sizes = _plan_sizes(rng, per_year, ctx.scale.plans_per_year)
        for k, size in enumerate(sizes):
            issued_on = date(year, rng.randint(1, 4), rng.randint(1, 28))
            if year == ctx.today.year:
                issued_on = min(issued_on, ctx.today)
                state = rng.choices(["issued", "pending", "draft"], [8, 1, 1])[0]
            else:
                state = "issued"
            created = datetime.combine(issued_on - timedelta(days=10), datetime.min.time()) + timedelta(hours=8)
            title = PLAN_TITLES[k % len(PLAN_TITLES)].format(year=year)
            if k >= len(PLAN_TITLES):
                title += f" (đợt {k // len(PLAN_TITLES) + 1})"
            plan = buf.add(Plan, {
                "agency_id": ctx.ids["agencies"][0], "number": f"{rng.randint(5, 250)}/KH-SLĐTBXH",
                "issued_on": issued_on if state == "issued" else None, "title": title,
                "basis": f"Thực hiện Kế hoạch số {rng.randint(10, 300)}/KH-UBND ngày "
                         f"{issued_on.day:02d}/{issued_on.month:02d}/{year} của UBND tỉnh",
                "year": year, "kind": PLAN_KIND_CYCLE[k % len(PLAN_KIND_CYCLE)],
                "targets": "Cắt giảm ít nhất 30% thời gian giải quyết TTHC",
                "state": state, "created_by_id": office[0], "created_at": created, "updated_at": created,
            })
            if state in ("pending", "issued"):
                buf.add(PlanEvent, {"plan_id": plan["id"], "actor_id": office[0], "action": "submit",
                                    "from_state": "draft", "to_state": "pending", "comment": None,
                                    "created_at": created + timedelta(days=3)})
            if state == "issued":
                buf.add(PlanEvent, {"plan_id": plan["id"], "actor_id": leaders[0], "action": "issue",
                                    "from_state": "pending", "to_state": "issued", "comment": "Đồng ý ban hành",
                                    "created_at": datetime.combine(issued_on, datetime.min.time()) + timedelta(hours=9)})
            _tasks_of_plan(ctx, buf, plan["id"], year, issued_on, state, size, lead_candidates, units,
                           heads, doers, office, created)
    buf.flush()


def _tasks_of_plan(ctx, buf, plan_id, year, issued_on, state, size, lead_candidates, units,
                   heads, doers, office, created) -> None:
    rng = ctx.rng
    made, position = 0, 0
    # The fixed accounts' units are busy ones, so their lists are never empty at any scale.
    busy = [u for u in lead_candidates if u.code in ("BTXH", "TPLS")]
    while made < size:
        position += 1
        lead = rng.choice(busy) if busy and rng.random() < 0.12 else rng.choice(lead_candidates)
        fld = rng.choice(FIELDS).lower()
        content = f"{rng.choice(TASK_VERBS)} {rng.choice(TASK_OBJECTS).format(field=fld, year=year)}"
        group = GROUPS[min(len(GROUPS) - 1, position * len(GROUPS) // max(size, 1))]
        coop = rng.sample(units, k=rng.choice([0, 0, 1, 1, 2, 3]))
        coop = [u for u in coop if u.id != lead.id]
        recurring = rng.random() < 0.2 and size - made > 12
        if recurring:
            monthly = rng.random() < 0.4
            parent = buf.add(Task, _task(plan_id, position, group, content, lead.id,
                                         "Hàng tháng" if monthly else "Hàng quý, năm", None,
                                         "Báo cáo định kỳ", None, None, created))
            parent["agency_id"] = ctx.ids["agencies"][0]
            made += 1
            periods = range(1, 13) if monthly else range(1, 5)
            for p in periods:
                if monthly:
                    due = date(year + (p == 12), p % 12 + 1, 1) - timedelta(days=1)
                    label = f"Tháng {p}/{year}"
                else:
                    due = date(year + (p == 4), (p * 3) % 12 + 1, 1) - timedelta(days=1)
                    label = f"Quý {QUARTERS[p - 1]}/{year}"
                if due < issued_on:
                    continue
                child = buf.add(Task, _task(plan_id, position, group, content, lead.id,
                                            f"{label}", due, "Báo cáo định kỳ", parent["id"], label, created))
                child["agency_id"] = ctx.ids["agencies"][0]
                made += 1
                _work(ctx, buf, child, state, lead.id, coop, heads, doers, office, year)
        else:
            due_text, due_on = _due(rng, year, issued_on)
            task = buf.add(Task, _task(plan_id, position, group, content, lead.id, due_text, due_on,
                                       rng.choice(["Báo cáo kết quả", "Biểu mẫu 02/RS-KSTT",
                                                   "Quyết định công bố", "Văn bản đề xuất"]),
                                       None, None, created))
            task["agency_id"] = ctx.ids["agencies"][0]
            made += 1
            _work(ctx, buf, task, state, lead.id, coop, heads, doers, office, year)


def _task(plan_id, position, group, content, lead_id, due_text, due_on, product, parent_id,
          period_label, created) -> dict:
    # The derived columns (agency, work) are written here as the triggers would; generate()
    # loads with the triggers off and app.ops.derived.rebuild_derived fixes whatever differs.
    return {"plan_id": plan_id, "position": position, "group_label": group, "content": content,
            "lead_unit_id": lead_id, "due_text": due_text, "due_on": due_on, "product": product,
            "parent_id": parent_id, "period_label": period_label, "created_at": created,
            "agency_id": None, "work_state": None, "accepted_on": None, "plan_year": None}


def _pick_state(rng: random.Random, due: date | None, today: date) -> str:
    if due is not None and due < today - timedelta(days=365):  # old years: a small backlog
        return rng.choices(["accepted", "draft", "submitted", "approved", "returned"], [97, 1, 1, 0.5, 0.5])[0]
    if due is not None and due < today - timedelta(days=45):
        return rng.choices(["accepted", "draft", "submitted", "approved", "returned"], [88, 5, 3, 2, 2])[0]
    if due is not None and due < today:  # recently overdue: many still open
        return rng.choices(["accepted", "draft", "submitted", "approved", "returned"], [50, 25, 10, 10, 5])[0]
    return rng.choices(["draft", "submitted", "approved", "accepted", "returned"], [50, 20, 15, 10, 5])[0]


# Timelines that lead to each state: (action, from, to, who)
_PATHS = {
    "draft": [],
    "submitted": [("submit", "draft", "submitted", "doer")],
    "approved": [("submit", "draft", "submitted", "doer"), ("approve", "submitted", "approved", "head")],
    "returned": [("submit", "draft", "submitted", "doer"), ("approve", "submitted", "approved", "head"),
                 ("office_return", "approved", "returned", "office")],
    "accepted": [("submit", "draft", "submitted", "doer"), ("approve", "submitted", "approved", "head"),
                 ("accept", "approved", "accepted", "office")],
}
_DETOUR = [("submit", "draft", "submitted", "doer"),
           ("head_return", "submitted", "returned", "head"),
           ("submit", "returned", "submitted", "doer"),
           ("approve", "submitted", "approved", "head"),
           ("accept", "approved", "accepted", "office")]


def _work(ctx, buf, task, plan_state, lead_id, coop, heads, doers, office, year) -> None:
    rng = ctx.rng
    for u in coop:
        buf.add(task_cooperating_units, {"task_id": task["id"], "unit_id": u.id})
    pool = doers[lead_id]
    head = (heads[lead_id] or pool)[0]
    assignees = rng.sample(pool, k=min(len(pool), rng.choice([1, 1, 2])))
    if pool[0] not in assignees:  # the unit's focal officer (KSTT) follows most tasks
        assignees[0] = pool[0] if rng.random() < 0.7 else assignees[0]
    for uid in assignees:
        buf.add(TaskAssignee, {"task_id": task["id"], "user_id": uid, "assigned_by_id": head,
                               "assigned_at": task["created_at"] + timedelta(days=rng.randint(1, 5))})
    if plan_state != "issued":
        return
    due = task["due_on"]
    state = _pick_state(rng, due, ctx.today)
    path = _DETOUR if state == "accepted" and rng.random() < 0.1 else _PATHS[state]
    # Spread the steps between assignment and (around) the due date, never after today.
    start = task["created_at"] + timedelta(days=7)
    end = datetime.combine(due, datetime.min.time()) + timedelta(days=rng.choice([-20, -5, 0, 3, 15])) \
        if due else start + timedelta(days=60)
    end = max(start + timedelta(hours=len(path) + 1), min(end, datetime.combine(ctx.today, datetime.min.time())))
    step = (end - start) / (len(path) + 1)
    who = {"doer": assignees[0], "head": head, "office": rng.choice(office)}
    text = f"Đã {task['content'][0].lower()}{task['content'][1:]}; kết quả: {rng.randint(3, 120)} TTHC."
    sub = buf.add(Submission, {"task_id": task["id"], "state": state, "result_text": text if path else "",
                               "version": 1 + len(path), "updated_by_id": who["doer"],
                               "updated_at": start, "submitted_at": None, "accepted_at": None})
    when = start
    for action, src, dst, role in path:
        when = when + step
        buf.add(SubmissionEvent, {"submission_id": sub["id"], "actor_id": who[role], "action": action,
                                  "from_state": src, "to_state": dst,
                                  "comment": "Đề nghị bổ sung số liệu" if "return" in action else None,
                                  "snapshot": text if action == "submit" else None, "created_at": when})
        if action == "approve" and sub["submitted_at"] is None:
            sub["submitted_at"] = when
        if action == "accept":
            sub["accepted_at"] = when
        sub["updated_at"], sub["updated_by_id"] = when, who[role]
    task.update(work_state=state, plan_year=year,
                accepted_on=sub["accepted_at"].date() if sub["accepted_at"] else None)
    if coop and state in ("approved", "accepted") and rng.random() < 0.3:
        u = coop[0]
        author = (doers[u.id] or [who["office"]])[0]
        buf.add(Contribution, {"task_id": task["id"], "unit_id": u.id, "author_id": author,
                               "text": "Đơn vị phối hợp đã gửi ý kiến tham gia.", "created_at": start + step})


def _notifications(ctx: GenContext, people: People) -> None:
    rng = ctx.rng
    base = datetime.combine(ctx.today, datetime.min.time())
    rows, nid = [], 0
    for uid in people.all:
        for k in range(ctx.scale.notifications_per_user):
            nid += 1
            at = base - timedelta(days=rng.randint(0, 365), minutes=rng.randint(0, 1440))
            rows.append({"id": nid, "user_id": uid, "kind": rng.choice(["task", "submission", "overdue"]),
                         "text": rng.choice(["Bạn được giao nhiệm vụ mới", "Kết quả đã được tiếp nhận",
                                             "Nhiệm vụ đã quá hạn, đề nghị giải trình",
                                             "Văn phòng đã trả lại kết quả"]),
                         "url": "/", "created_at": at,
                         "read_at": None if k < 2 or rng.random() < 0.2 else at + timedelta(hours=3)})
    ctx.insert(Notification, rows)


# ---- province-wide: copies of the first agency -------------------------------------------

# Agencies of a province (Lạng Sơn): sở, ban, ngành and UBND xã/phường. Beyond the list, numbered.
PROVINCE_AGENCIES = [
    ("Sở Y tế", "SYT", "department"), ("Sở Tư pháp", "STP", "department"),
    ("Sở Tài chính", "STC", "department"), ("Sở Xây dựng", "SXD", "department"),
    ("Sở Công Thương", "SCT", "department"), ("Sở Nông nghiệp và Môi trường", "SNNMT", "department"),
    ("Sở Giáo dục và Đào tạo", "SGDĐT", "department"), ("Sở Văn hóa, Thể thao và Du lịch", "SVHTTDL", "department"),
    ("Sở Khoa học và Công nghệ", "SKHCN", "department"), ("Sở Nội vụ", "SNV", "department"),
    ("Sở Dân tộc và Tôn giáo", "SDTTG", "department"), ("Thanh tra tỉnh", "TTT", "department"),
    ("Ban Quản lý Khu kinh tế cửa khẩu Đồng Đăng - Lạng Sơn", "BQLKKT", "department"),
    ("Ủy ban nhân dân phường Đông Kinh", "UBND", "commune"), ("Ủy ban nhân dân phường Tam Thanh", "UBND", "commune"),
    ("Ủy ban nhân dân phường Lương Văn Tri", "UBND", "commune"), ("Ủy ban nhân dân xã Mai Pha", "UBND", "commune"),
    ("Ủy ban nhân dân xã Cao Lộc", "UBND", "commune"), ("Ủy ban nhân dân xã Đồng Đăng", "UBND", "commune"),
    ("Ủy ban nhân dân xã Hữu Lũng", "UBND", "commune"),
]
# Never copied: the agencies themselves, shared reference data, rows triggers derive.
NOT_COPIED = frozenset({"agencies", "report_forms", "unit_tasks"})
# Tables of which each copy keeps only a share of the rows, different for each agency.
COPY_SHARE = frozenset({"procedure_reviews"})
# Unique across the province: a copy's value gets the agency's number.
UNIQUE_TEXT = {("users", "username"): ".a{:02d}", ("procedures", "code"): "-{:02d}"}


def _province_agency_rows(n: int, created: datetime) -> list[dict]:
    rows = []
    for k in range(1, n):
        name, abbr, kind = PROVINCE_AGENCIES[(k - 1) % len(PROVINCE_AGENCIES)]
        if k > len(PROVINCE_AGENCIES):
            name = f"{name} ({k // len(PROVINCE_AGENCIES) + 1})"
        full = name if kind == "commune" else f"{name} tỉnh Lạng Sơn"
        short = name.replace("Ủy ban nhân dân", "UBND") if kind == "commune" else name
        rows.append({"id": k + 1, "name": full, "short_name": short, "abbreviation": abbr, "kind": kind,
                     "parent_id": None, "place_name": "Lạng Sơn", "active": True, "valid_from": None,
                     "valid_to": None, "sort_order": 10 + 10 * k, "settings": {"header_name": full.upper()},
                     "created_at": created})
    return rows


def _foreign_targets(table: Table) -> dict[str, str]:
    """column -> referenced table, from the models (a plain column on SQLite, e.g.
    tasks.source_task_id, is still a reference) and from the database."""
    from app.extensions import db
    out = {fk.parent.name: fk.column.table.name for fk in table.foreign_keys}
    model = db.Model.metadata.tables.get(table.name)
    if model is not None:
        out.update({fk.parent.name: fk.column.table.name for fk in model.foreign_keys})
    return out


def replicate_agencies(ctx: GenContext, n: int, progress=None) -> None:
    """Copy every row of agency 1 into agencies 2..n (one INSERT ... SELECT per table and
    agency, on the server; triggers fill the derived columns and unit_tasks as usual), then
    add the province's own agency with its office and leader."""
    from sqlalchemy import func, literal, select
    conn = ctx.conn
    created = datetime.combine(ctx.today, datetime.min.time())
    ctx.insert(Agency, _province_agency_rows(n, created))
    md = reflect(conn)
    tables = [t for t in ordered_tables(md) if t.name not in NOT_COPIED
              and conn.scalar(select(func.count()).select_from(t)) > 0]
    span = {t.name: conn.scalar(select(func.max(t.c.id))) or 0
            for t in tables if "id" in t.c and [c.name for c in t.primary_key.columns] == ["id"]}
    for k in range(1, n):
        agency_id = k + 1
        for t in tables:
            refs = _foreign_targets(t)
            cols, where = [], None
            for c in t.c:
                target = refs.get(c.name)
                if c.name == "id" and t.name in span:
                    cols.append((c + k * span[t.name]).label(c.name))
                elif c.name == "agency_id" or target == "agencies":
                    cols.append(literal(agency_id).label(c.name))
                elif target in span:
                    cols.append((c + k * span[target]).label(c.name))
                    if where is None and t.name not in span and not c.nullable:
                        where = c <= span[target]   # a link table: agency 1's rows only
                elif (t.name, c.name) in UNIQUE_TEXT:
                    cols.append((c + literal(UNIQUE_TEXT[t.name, c.name].format(agency_id))).label(c.name))
                else:
                    cols.append(c)
            if t.name in span:
                where = t.c.id <= span[t.name]   # agency 1's rows, not the copies made so far
            if t.name in COPY_SHARE:   # each agency its own share of these rows (no ties)
                where = where & ((t.c.id * 7 + agency_id) % 20 < 20 - (agency_id * 3) % 11)
            src = select(*cols)
            if where is not None:
                src = src.where(where)
            conn.execute(t.insert().from_select([c.name for c in t.c], src))
        if progress:
            progress(f"  cơ quan {agency_id}/{n}")
    for t in tables:
        ctx.counts[t.name] = conn.scalar(select(func.count()).select_from(t))
    _province_office(ctx, n)


def _province_office(ctx: GenContext, n: int) -> None:
    """The province's agency (UBND tỉnh, Phòng Kiểm soát TTHC of its office): it ranks the
    others on the province dashboard; its plans would give them tasks."""
    from sqlalchemy import func, select
    conn = ctx.conn
    agency_id = n + 1
    created = datetime.combine(ctx.today, datetime.min.time())
    ctx.insert(Agency, [{"id": agency_id, "name": "Ủy ban nhân dân tỉnh Lạng Sơn", "short_name": "Ủy ban nhân dân tỉnh",
                         "abbreviation": "UBND", "kind": "province", "parent_id": None, "place_name": "Lạng Sơn",
                         "active": True, "valid_from": None, "valid_to": None, "sort_order": 1,
                         "settings": {"header_name": "ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN", "parent_header": ""},
                         "created_at": created}])
    unit_id = (conn.scalar(select(func.max(Unit.id))) or 0) + 1
    ctx.insert(Unit, [{"id": unit_id, "agency_id": agency_id, "code": "LD", "name": "Lãnh đạo UBND tỉnh",
                       "kind": "leadership", "parent_id": None, "active": True, "sort_order": 1},
                      {"id": unit_id + 1, "agency_id": agency_id, "code": "KSTT",
                       "name": "Phòng Kiểm soát TTHC (Văn phòng UBND tỉnh)", "kind": "office",
                       "parent_id": None, "active": True, "sort_order": 2}])
    user_id = (conn.scalar(select(func.max(User.id))) or 0) + 1
    password_hash = conn.scalar(select(User.password_hash).where(User.username == ACCOUNTS["office"]))
    ctx.insert(User, [
        {"id": user_id, "username": PROVINCE_ACCOUNTS["office"], "full_name": _person(ctx.rng),
         "email": "kstt@example.test", "password_hash": password_hash, "role": "office", "unit_id": unit_id + 1,
         "title": "Chuyên viên Phòng Kiểm soát TTHC", "active": True, "created_at": created, "last_login_at": None},
        {"id": user_id + 1, "username": PROVINCE_ACCOUNTS["leader"], "full_name": _person(ctx.rng),
         "email": "chutich@example.test", "password_hash": password_hash, "role": "leader", "unit_id": unit_id,
         "title": "Chủ tịch", "active": True, "created_at": created, "last_login_at": None}])
    _province_plans(ctx, agency_id, user_id, user_id + 1)
    _province_reporting(ctx, agency_id, user_id)


PROVINCE_TASKS = ["Rà soát, đánh giá TTHC thuộc thẩm quyền giải quyết, báo cáo quý {q}",
                  "Công bố, công khai danh mục TTHC được chuẩn hóa, báo cáo quý {q}"]


def _province_plans(ctx: GenContext, agency_id: int, office_id: int, leader_id: int) -> None:
    """One issued plan of the province a year, giving each agency (its office unit) two tasks
    a quarter, with the submission and history the lead agency's office, its leader and the
    province office leave (drafted, approved, accepted or returned)."""
    from sqlalchemy import func, select
    conn, rng = ctx.conn, ctx.rng
    offices = dict(conn.execute(select(Unit.agency_id, func.min(Unit.id)).where(
        Unit.kind == "office", Unit.agency_id != agency_id).group_by(Unit.agency_id)).all())
    people: dict[tuple[int, str], int] = {
        (a, role): uid for a, role, uid in conn.execute(
            select(Unit.agency_id, User.role, func.min(User.id)).join(Unit, Unit.id == User.unit_id)
            .where(User.role.in_(("office", "leader"))).group_by(Unit.agency_id, User.role))}
    ids = {t: (conn.scalar(select(func.max(t.id))) or 0) for t in (Plan, PlanEvent, Task, Submission, SubmissionEvent)}
    plans, events, tasks, subs, sub_events = [], [], [], [], []
    today0 = datetime.combine(ctx.today, datetime.min.time())
    for year in range(ctx.today.year - ctx.scale.years + 1, ctx.today.year + 1):
        issued_on = min(date(year, 1, 20), ctx.today)
        at = datetime.combine(issued_on, datetime.min.time()) + timedelta(hours=9)
        pid = ids[Plan] + len(plans) + 1
        plans.append({"id": pid, "agency_id": agency_id, "number": f"{10 + year % 50}/KH-UBND", "issued_on": issued_on,
                      "title": f"Kế hoạch kiểm soát thủ tục hành chính năm {year} trên địa bàn tỉnh Lạng Sơn",
                      "basis": "Thực hiện Nghị định số 63/2010/NĐ-CP của Chính phủ", "year": year, "kind": "reform",
                      "targets": "100% TTHC được công bố, công khai đúng hạn", "state": "issued",
                      "created_by_id": office_id, "created_at": at - timedelta(days=10), "updated_at": at})
        events.append({"id": ids[PlanEvent] + len(events) + 1, "plan_id": pid, "actor_id": leader_id,
                       "action": "issue", "from_state": "pending", "to_state": "issued",
                       "comment": "Đồng ý ban hành", "created_at": at})
        position = 0
        for agency, unit_id in sorted(offices.items()):
            for q in range(1, 5):
                due = date(year, 3 * q, 20)
                for text in PROVINCE_TASKS:
                    position += 1
                    tid = ids[Task] + len(tasks) + 1
                    tasks.append({"id": tid, **_task(pid, position, f"Quý {QUARTERS[q - 1]}", text.format(q=QUARTERS[q - 1]),
                                                     unit_id, f"Trước ngày 20/{3 * q:02d}/{year}", due,
                                                     "Báo cáo kết quả", None, None, at)})
                    state = _pick_state(rng, due, ctx.today)
                    path = _PATHS[state]
                    who = {"doer": people.get((agency, "office"), office_id),
                           "head": people.get((agency, "leader"), office_id), "office": office_id}
                    end = min(datetime.combine(due, datetime.min.time()) + timedelta(days=rng.choice([-15, -3, 0, 4, 20])),
                              today0)
                    step = max(timedelta(hours=1), (end - at) / (len(path) + 1))
                    sid = ids[Submission] + len(subs) + 1
                    sub = {"id": sid, "task_id": tid, "state": state, "result_text": "Đã thực hiện." if path else "",
                           "version": 1 + len(path), "updated_by_id": who["doer"], "updated_at": at,
                           "submitted_at": None, "accepted_at": None}
                    when = at
                    for action, src, dst, role in path:
                        when += step
                        sub_events.append({"id": ids[SubmissionEvent] + len(sub_events) + 1, "submission_id": sid,
                                           "actor_id": who[role], "action": action, "from_state": src,
                                           "to_state": dst, "comment": None, "snapshot": None, "created_at": when})
                        if action == "approve" and sub["submitted_at"] is None:
                            sub["submitted_at"] = when
                        if action == "accept":
                            sub["accepted_at"] = when
                        sub["updated_at"], sub["updated_by_id"] = when, who[role]
                    subs.append(sub)
    ctx.insert(Plan, plans)
    ctx.insert(PlanEvent, events)
    ctx.insert(Task, tasks)
    ctx.insert(Submission, subs)
    ctx.insert(SubmissionEvent, sub_events)


# ---- province-wide: reporting requests and the reports sent up ---------------------------

RETURN_REASONS = ["Bổ sung số liệu hồ sơ tồn kỳ trước chuyển sang.",
                  "Số liệu Biểu II.06a chưa khớp với phần mềm một cửa, đề nghị rà soát lại.",
                  "Đề nghị bổ sung kết quả cắt giảm chi phí tuân thủ."]


def _province_reporting(ctx: GenContext, province_id: int, office_id: int) -> None:
    """The province office's reporting request for every quarter the agencies reported (letter,
    deadline: the configured report day, targets 20 % / 20 %), and for the copied agencies
    (2..n; agency 1 stays row for row the one-agency database) what became of each quarterly
    report at UBND tỉnh: most sent on time, some late by days, some returned with a reason,
    some never sent; the older ones accepted. Each move is a report event. Reminders go to the
    agencies late on the latest request. Some hundred rows per agency: plain inserts and one
    executemany UPDATE."""
    from sqlalchemy import bindparam, func, select, update
    from app.domain.deadlines import report_due
    from app.models import Report, ReportEvent, ReportingReminder, ReportingRequest
    conn, rng = ctx.conn, random.Random(ctx.rng.random())
    rows = conn.execute(select(Report.id, Report.agency_id, Report.period_key, Report.issued_on,
                               Report.sendup_state)
                        .where(Report.plan_id.is_(None), Report.state == "issued",
                               Report.period_key.like("%-q%")).order_by(Report.period_key, Report.agency_id)).all()
    keys = sorted({r.period_key for r in rows})
    if not keys:
        return
    first_year = int(keys[0][:4])

    def deadline_of(key: str) -> date:
        year, q = int(key[:4]), int(key[-1])
        return report_due("yearly" if q == 4 else "quarterly", year, q)

    requests, req_id = {}, (conn.scalar(select(func.max(ReportingRequest.id))) or 0)
    for n, key in enumerate(keys, start=1):
        deadline = deadline_of(key)
        req_id += 1
        year, q = int(key[:4]), int(key[-1])
        requests[key] = {"id": req_id, "agency_id": province_id, "period_key": key,
                         "number": f"{100 + 7 * (year - first_year) + q}/VP-KSTT",
                         "letter_date": deadline - timedelta(days=14), "deadline": deadline,
                         "subject": f"V/v báo cáo tình hình, kết quả thực hiện kiểm soát TTHC quý {QUARTERS[q - 1]}/{year}",
                         "time_cut_target": Decimal(20), "cost_cut_target": Decimal(20),
                         "created_by_id": office_id,
                         "created_at": datetime.combine(deadline - timedelta(days=14), datetime.min.time())
                         + timedelta(hours=2)}
    ctx.insert(ReportingRequest, list(requests.values()))
    offices = dict(conn.execute(select(Unit.agency_id, func.min(User.id)).join(User, User.unit_id == Unit.id)
                                .where(User.role == "office").group_by(Unit.agency_id)).all())
    agencies = sorted({r.agency_id for r in rows if r.agency_id != 1})
    silent = agencies[-1] if agencies else None     # one commune sent nothing this last year
    latest = keys[-1]
    updates, events, reminders = [], [], []
    ev_id = conn.scalar(select(func.max(ReportEvent.id))) or 0
    rem_id = conn.scalar(select(func.max(ReportingReminder.id))) or 0
    for r in rows:
        if r.agency_id == 1:
            continue
        deadline = requests[r.period_key]["deadline"]
        roll, recent, pos = rng.random(), r.period_key == latest, agencies.index(r.agency_id)
        missing = (r.agency_id == silent and r.period_key[:4] == latest[:4]) or (not recent and roll < 0.05)
        # the latest quarter by the agency's place (whatever the size, each case shows): every
        # fourth late, every fifth returned, every fifth accepted already; older ones at random
        late = not missing and (pos % 4 == 1 if recent else roll < 0.22)
        if missing:
            upd = {"rid": r.id, "b_state": None, "b_at": None, "b_by": None, "b_issued": r.issued_on}
        else:
            day = deadline + timedelta(days=rng.randint(1, 12)) if late else deadline - timedelta(days=rng.randint(0, 6))
            at = datetime.combine(day, datetime.min.time()) + timedelta(hours=rng.randint(1, 9))
            fate = rng.random()
            state = ({2: "returned", 4: "accepted"}.get(pos % 5, "sent") if recent
                     else "returned" if fate < 0.03 else "accepted")
            by = offices.get(r.agency_id, office_id)
            upd = {"rid": r.id, "b_state": state, "b_at": at, "b_by": by,
                   "b_issued": min(r.issued_on or day, day)}
            ev_id += 1
            events.append({"id": ev_id, "report_id": r.id, "actor_id": by, "action": "send_up",
                           "from_state": "unsent", "to_state": "sent", "comment": None, "created_at": at})
            if state != "sent":
                ev_id += 1
                events.append({"id": ev_id, "report_id": r.id, "actor_id": office_id,
                               "action": "province_accept" if state == "accepted" else "province_return",
                               "from_state": "sent", "to_state": state,
                               "comment": rng.choice(RETURN_REASONS) if state == "returned" else None,
                               "created_at": at + timedelta(days=rng.randint(1, 5))})
        updates.append(upd)
        if r.period_key == latest and (missing or late):
            rem_id += 1
            reminders.append({"id": rem_id, "request_id": requests[latest]["id"], "agency_id": r.agency_id,
                              "actor_id": office_id,
                              "created_at": datetime.combine(deadline + timedelta(days=1), datetime.min.time())
                              + timedelta(hours=2)})
    if updates:
        t = Report.__table__
        conn.execute(update(t).where(t.c.id == bindparam("rid")).values(
            sendup_state=bindparam("b_state"), sent_up_at=bindparam("b_at"), sent_up_by_id=bindparam("b_by"),
            issued_on=bindparam("b_issued")), updates)
    ctx.insert(ReportEvent, events)
    ctx.insert(ReportingReminder, reminders)
