"""Tests that issue a document under a given number (the seeds' 113/BC-SLĐTBXH) bring the
register to it first, as an office moving from its paper register would."""
from __future__ import annotations

from app.clock import now
from app.domain.register import parse_symbol
from app.extensions import db
from app.models import Agency
from app.models.register import RegisterEntry, RegisterSeries
from app.register import services as register


def make_next(agency: Agency | int, year: int, symbol: str) -> None:
    """The register's next number of the symbol's series becomes the symbol's: an empty
    series opens after it (numbers given on paper); otherwise the numbers in between are
    reserved, as the office reserves numbers of documents issued outside the portal."""
    if isinstance(agency, int):
        agency = db.session.get(Agency, agency)
    n, doc_type = parse_symbol(symbol)
    series = db.session.scalar(db.select(RegisterSeries).where(
        RegisterSeries.agency_id == agency.id, RegisterSeries.year == year, RegisterSeries.doc_type == doc_type))
    if series is None or not db.session.scalar(db.select(db.func.count()).select_from(RegisterEntry)
                                               .where(RegisterEntry.series_id == series.id)):
        register.set_opening(None, agency, year, doc_type, n - 1)
        return
    assert series.last_number < n, f"{symbol}: the register is already at {series.last_number}"
    for k in range(series.last_number + 1, n):
        db.session.add(RegisterEntry(series_id=series.id, number=k, symbol=f"{k}/{doc_type}-{agency.abbreviation}",
                                     state="reserved", note="Văn bản ban hành ngoài cổng", reserved_at=now(),
                                     created_at=now()))
    series.last_number = n - 1
    db.session.commit()
