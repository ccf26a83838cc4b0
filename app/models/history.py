"""The columns every document history shares: who moved it, when, from which state to which, why."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from app.clock import now
from app.models.org import User


class EventMixin:
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(40))
    from_state: Mapped[str | None] = mapped_column(String(20))
    to_state: Mapped[str | None] = mapped_column(String(20))
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=now)
    # Set when the actor acted under a delegation (ủy quyền): "X, thay mặt Y" (migration
    # 0015_delegations).
    on_behalf_of_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    @declared_attr
    def actor(cls) -> Mapped[User]:
        return relationship(User, foreign_keys=f"{cls.__name__}.actor_id")

    @declared_attr
    def on_behalf_of(cls) -> Mapped[User | None]:
        return relationship(User, foreign_keys=f"{cls.__name__}.on_behalf_of_id")
