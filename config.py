"""Configuration read from the environment (12-factor style)."""
from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
DEFAULT_SECRET = "dev-secret-change-me"
ENV_NAME = os.environ.get("PORTAL_ENV", "development")


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{BASE_DIR / 'instance' / 'portal.sqlite'}"
    # Accept the common "postgresql://" spelling and use psycopg 3.
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET)
    SQLALCHEMY_DATABASE_URI = _database_url()
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    PERMANENT_SESSION_LIFETIME = timedelta(hours=int(os.environ.get("SESSION_HOURS", "8")))
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # Production is served over HTTPS: cookies travel only encrypted unless explicitly turned off.
    SESSION_COOKIE_SECURE = os.environ.get(
        "SESSION_COOKIE_SECURE", "1" if ENV_NAME == "production" else "0") == "1"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    WTF_CSRF_TIME_LIMIT = None  # bound to the session, which expires itself
    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER", str(BASE_DIR / "instance" / "uploads"))
    # Present while `flask restore` runs: every request gets the 503 maintenance page
    # (app/ops/maintenance.py). Several app servers: on the shared storage, like UPLOAD_FOLDER.
    MAINTENANCE_FILE = os.environ.get("MAINTENANCE_FILE", str(BASE_DIR / "instance" / "maintenance.json"))
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_UPLOAD_MB", "20")) * 1024 * 1024
    # PKCS#12 files of the signing certificates (0600); their passphrases come from the
    # environment (passphrase reference "env:NAME") or from this KEY=VALUE file ("file:KEY").
    SIGNING_SECRETS_DIR = os.environ.get("SIGNING_SECRETS_DIR", str(BASE_DIR / "instance" / "secrets"))
    SIGNING_SECRETS_FILE = os.environ.get("SIGNING_SECRETS_FILE", str(BASE_DIR / "instance" / "secrets" / "passphrases.env"))
    SIGNING_MAX_P12_KB = int(os.environ.get("SIGNING_MAX_P12_KB", "64"))
    VERIFY_MAX_PDF_MB = int(os.environ.get("VERIFY_MAX_PDF_MB", "20"))
    UPLOAD_EXTENSIONS = {"pdf", "doc", "docx", "xls", "xlsx", "odt", "ods", "png", "jpg", "jpeg", "zip", "txt"}
    # "Today" can be pinned (demo data from 2022, tests); empty means the real date.
    PORTAL_TODAY = os.environ.get("PORTAL_TODAY", "")
    PORTAL_NOW = ""  # tests only: a fixed UTC instant (ISO) for app.clock.now()
    DUE_SOON_DAYS = int(os.environ.get("DUE_SOON_DAYS", "7"))
    PAGE_SIZE = int(os.environ.get("PAGE_SIZE", "25"))
    LOGIN_MAX_FAILURES = int(os.environ.get("LOGIN_MAX_FAILURES", "5"))  # per account
    # Per client address only against floods across many user names: on an intranet a whole
    # department shares one address (NAT, proxy), so this must stay far above LOGIN_MAX_FAILURES.
    LOGIN_IP_MAX_FAILURES = int(os.environ.get("LOGIN_IP_MAX_FAILURES", "100"))
    LOGIN_WINDOW_MINUTES = int(os.environ.get("LOGIN_WINDOW_MINUTES", "15"))
    PASSWORD_HASH_METHOD = os.environ.get("PASSWORD_HASH_METHOD", "scrypt")
    PASSWORD_MIN_LENGTH = int(os.environ.get("PASSWORD_MIN_LENGTH", "10"))
    # Roles that must use the second factor (TOTP), e.g. "admin,leader"; empty: optional for all.
    TOTP_REQUIRED_ROLES = frozenset(r.strip() for r in os.environ.get("TOTP_REQUIRED_ROLES", "").split(",") if r.strip())
    AGENCY_NAME = os.environ.get("AGENCY_NAME", "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI")
    AGENCY_TITLE = os.environ.get("AGENCY_TITLE", "Sở Lao động – Thương binh và Xã hội")
    PARENT_AGENCY_NAME = os.environ.get("PARENT_AGENCY_NAME", "UBND TỈNH LẠNG SƠN")
    PROVINCE_NAME = os.environ.get("PROVINCE_NAME", "Lạng Sơn")
    ENV_NAME = ENV_NAME
    # Behind a load balancer / reverse proxy: how many proxies set X-Forwarded-* (0 = none).
    # Needed so the login rate limit sees the client's address, not the proxy's.
    PROXY_HOPS = int(os.environ.get("PROXY_HOPS", "0"))
    # Reminder e-mails (`flask remind`): sent only when MAIL_SERVER is set; in-app always.
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "0") == "1"   # STARTTLS
    MAIL_USE_SSL = os.environ.get("MAIL_USE_SSL", "0") == "1"   # SMTPS
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_FROM = os.environ.get("MAIL_FROM", "kstt@localhost")
    MAIL_TIMEOUT = int(os.environ.get("MAIL_TIMEOUT", "20"))
    # Absolute address of the portal, for links in e-mails.
    PORTAL_URL = os.environ.get("PORTAL_URL", "http://localhost:5000")
    # Directory login (LDAP / Active Directory), off unless LDAP_URL is set; docs/operations.md
    # has an Active Directory example. The service account's password may come from a file.
    LDAP_URL = os.environ.get("LDAP_URL", "")
    LDAP_BASE_DN = os.environ.get("LDAP_BASE_DN", "")
    LDAP_BIND_DN = os.environ.get("LDAP_BIND_DN", "")
    LDAP_BIND_PASSWORD = (Path(os.environ["LDAP_BIND_PASSWORD_FILE"]).read_text().strip()
                          if os.environ.get("LDAP_BIND_PASSWORD_FILE") else os.environ.get("LDAP_BIND_PASSWORD", ""))
    LDAP_USER_FILTER = os.environ.get("LDAP_USER_FILTER", "(&(objectClass=inetOrgPerson)(uid={username}))")
    LDAP_USER_DN_TEMPLATE = os.environ.get("LDAP_USER_DN_TEMPLATE", "")
    LDAP_GROUP_BASE_DN = os.environ.get("LDAP_GROUP_BASE_DN", "")
    LDAP_GROUP_FILTER = os.environ.get("LDAP_GROUP_FILTER", "(&(objectClass=groupOfNames)(member={dn}))")
    LDAP_DISABLED_FILTER = os.environ.get("LDAP_DISABLED_FILTER", "(pwdAccountLockedTime=*)")
    LDAP_START_TLS = os.environ.get("LDAP_START_TLS", "0") == "1"
    LDAP_CA_FILE = os.environ.get("LDAP_CA_FILE", "")
    LDAP_TIMEOUT = int(os.environ.get("LDAP_TIMEOUT", "5"))
    LDAP_ATTR_NAME = os.environ.get("LDAP_ATTR_NAME", "displayName")
    LDAP_ATTR_EMAIL = os.environ.get("LDAP_ATTR_EMAIL", "mail")
    LDAP_ATTR_TITLE = os.environ.get("LDAP_ATTR_TITLE", "title")
    # How long the audit log keeps an entry (`flask audit-prune`); 0 keeps everything.
    AUDIT_RETENTION_DAYS = int(os.environ.get("AUDIT_RETENTION_DAYS", "1825"))
    # Levels that carry out procedures (the 2025 reform removed "Cấp huyện"): a comma-separated list.
    PROCEDURE_LEVELS = [s.strip() for s in os.environ.get(
        "PROCEDURE_LEVELS", "Cấp tỉnh,Cấp huyện,Cấp xã").split(",") if s.strip()]
    # Background jobs (app/jobs, docs/operations.md): RQ on Redis; `flask jobs worker` runs them.
    REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    JOBS_QUEUE = os.environ.get("JOBS_QUEUE", "portal")
    # Run every job inline in the request (no Redis, no worker): tests and one-off scripts.
    JOBS_EAGER = os.environ.get("JOBS_EAGER", "0") == "1"
    JOBS_TIMEOUT = int(os.environ.get("JOBS_TIMEOUT", "900"))   # seconds a job may run
    # Where jobs keep their files (issued PDFs, the export cache): written whole or not at all.
    STORAGE_FOLDER = os.environ.get("STORAGE_FOLDER", str(BASE_DIR / "instance" / "storage"))
    # Render the PDF of every issued plan and report (LibreOffice headless).
    ISSUED_PDF = os.environ.get("ISSUED_PDF", "1") == "1"
    SOFFICE = os.environ.get("SOFFICE", "soffice")


class TestConfig(Config):
    TESTING = True
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # fast hashing in tests only
    SERVER_NAME = None
    JOBS_EAGER = True     # jobs run inline; tests/jobs also run them through Redis + a worker
    ISSUED_PDF = False    # LibreOffice per issued document only where a test turns it on
