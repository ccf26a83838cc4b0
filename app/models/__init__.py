"""All models, imported here so Alembic and the app see one metadata."""
from app.models.agency import Agency, UnitMove  # noqa: F401
from app.models.org import DirectoryMapping, LoginAttempt, RecoveryCode, Unit, User, UserSession  # noqa: F401
from app.models.plan import Plan, PlanEvent, Task, TaskAssignee, UnitTask, task_cooperating_units  # noqa: F401
from app.models.submission import Attachment, Contribution, Submission, SubmissionEvent  # noqa: F401
from app.models.notify import Notification  # noqa: F401
from app.models.catalog import Procedure  # noqa: F401
from app.models.deadlines import CalendarDay, ReminderLog, Setting, TaskExplanation, TaskStage  # noqa: F401
from app.models.report import FigureEvent, FigureSet, OverdueCase, Report, ReportEvent, ReportForm  # noqa: F401
from app.models.review import ProcedureChange, ProcedureReview, ReviewCostItem  # noqa: F401
from app.models.audit import AuditEvent  # noqa: F401
from app.models.sendup import ReportingReminder, ReportingRequest  # noqa: F401
from app.models.delegation import Delegation  # noqa: F401
from app.models.evaluation import (EvaluationCorrection, EvaluationEvent, EvaluationMark,  # noqa: F401
                                   Evaluation, EvaluationScheme)
from app.models.register import RegisterEntry, RegisterSeries  # noqa: F401
from app.models.signing import SigningCertificate, TrustMaterial  # noqa: F401
from app.models.job import IssuedFile, Job  # noqa: F401
