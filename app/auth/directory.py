"""Directory login (LDAP / Active Directory) with ldap3: who a user is, in the province's directory.

No Flask in here: settings come in as a `DirectorySettings`, a `DirectoryIdentity` or a
`DirectoryError` (with a Vietnamese reason and a machine-readable kind) goes out. The portal's
side (which unit and role a directory group gives, creating the user) is in app/auth/services.py.

Two ways to find the user, as directories are set up:
- search-then-bind: a service account (LDAP_BIND_DN) searches LDAP_USER_FILTER under LDAP_BASE_DN,
  then the portal binds as the entry it found with the user's password;
- direct bind: without a service account, LDAP_USER_DN_TEMPLATE ("uid={username},ou=people,..."
  or Active Directory's "{username}@langson.gov.vn") is bound and the user's own entry read.
"""
from __future__ import annotations

import re
import ssl
from dataclasses import dataclass, field

from ldap3 import BASE, NONE, SUBTREE, Connection, Server, Tls
from ldap3.core import exceptions as lx
from ldap3.utils.conv import escape_filter_chars
from ldap3.utils.dn import escape_rdn

# What a directory user name may look like (uid, sAMAccountName, or a UPN): anything else is
# refused before it reaches a filter; the filter escaping below is the second line.
USERNAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-@]{0,79}$")

UNAVAILABLE = ("Không kết nối được máy chủ thư mục (LDAP). Vui lòng thử lại sau hoặc báo quản trị; "
               "tài khoản nội bộ vẫn đăng nhập được.")
INVALID = "Tên đăng nhập hoặc mật khẩu không đúng."
DISABLED = "Tài khoản đã bị khóa trong thư mục của tỉnh. Liên hệ quản trị để được mở lại."


@dataclass(frozen=True)
class DirectorySettings:
    url: str
    base_dn: str
    bind_dn: str = ""
    bind_password: str = ""
    user_filter: str = "(&(objectClass=inetOrgPerson)(uid={username}))"
    user_dn_template: str = ""
    group_base_dn: str = ""
    # A search for the groups that list the user (OpenLDAP groupOfNames); empty: read the
    # user's memberOf attribute instead (Active Directory).
    group_filter: str = "(&(objectClass=groupOfNames)(member={dn}))"
    # Matches a disabled account (OpenLDAP ppolicy lock; AD: the ACCOUNTDISABLE bit).
    disabled_filter: str = "(pwdAccountLockedTime=*)"
    start_tls: bool = False
    ca_file: str = ""
    timeout: int = 5
    attr_name: str = "displayName"
    attr_email: str = "mail"
    attr_title: str = "title"

    @classmethod
    def from_config(cls, config) -> DirectorySettings | None:
        """The settings in a Flask config (LDAP_* keys); None when no directory is configured."""
        url = (config.get("LDAP_URL") or "").strip()
        if not url:
            return None
        keys = {"base_dn": "LDAP_BASE_DN", "bind_dn": "LDAP_BIND_DN", "bind_password": "LDAP_BIND_PASSWORD",
                "user_filter": "LDAP_USER_FILTER", "user_dn_template": "LDAP_USER_DN_TEMPLATE",
                "group_base_dn": "LDAP_GROUP_BASE_DN", "group_filter": "LDAP_GROUP_FILTER",
                "disabled_filter": "LDAP_DISABLED_FILTER", "ca_file": "LDAP_CA_FILE",
                "attr_name": "LDAP_ATTR_NAME", "attr_email": "LDAP_ATTR_EMAIL", "attr_title": "LDAP_ATTR_TITLE"}
        values = {k: config[v] for k, v in keys.items() if config.get(v) is not None}
        return cls(url=url, start_tls=bool(config.get("LDAP_START_TLS")),
                   timeout=int(config.get("LDAP_TIMEOUT") or 5), **values)


@dataclass(frozen=True)
class DirectoryIdentity:
    dn: str
    username: str
    full_name: str
    email: str | None
    title: str | None
    groups: frozenset[str] = field(default_factory=frozenset)  # group DNs, lower case


class DirectoryError(Exception):
    """kind: 'invalid' (wrong name or password), 'disabled', 'unavailable' (server or TLS)."""

    def __init__(self, kind: str, reason: str, detail: str = ""):
        super().__init__(f"{kind}: {detail or reason}")
        self.kind = kind
        self.reason = reason
        self.detail = detail


def normalise_dn(dn: str) -> str:
    """Group DNs compare without case or spaces after commas (as directories treat them)."""
    return ",".join(part.strip() for part in dn.split(",")).lower()


def _server(s: DirectorySettings) -> Server:
    tls = None
    if s.start_tls or s.url.lower().startswith("ldaps://"):
        tls = Tls(validate=ssl.CERT_REQUIRED, ca_certs_file=s.ca_file or None,
                  version=ssl.PROTOCOL_TLS_CLIENT)
    return Server(s.url, get_info=NONE, connect_timeout=s.timeout, tls=tls)


def _connect(s: DirectorySettings, server: Server, dn: str, password: str) -> Connection:
    """A bound connection, or DirectoryError ('invalid' for bad credentials)."""
    conn = Connection(server, user=dn, password=password, receive_timeout=s.timeout,
                      raise_exceptions=False, auto_referrals=False)
    try:
        conn.open()
        if s.start_tls and not s.url.lower().startswith("ldaps://"):
            conn.start_tls()
        if not conn.bind():
            result = conn.result or {}
            conn.unbind()
            if result.get("result") == 49:  # invalidCredentials (also a ppolicy-locked account)
                raise DirectoryError("invalid", INVALID, result.get("message", ""))
            raise DirectoryError("unavailable", UNAVAILABLE, str(result.get("description")))
    except DirectoryError:
        raise
    except (lx.LDAPException, OSError, ssl.SSLError) as e:
        raise DirectoryError("unavailable", UNAVAILABLE, f"{type(e).__name__}: {e}") from e
    return conn


def _first(entry: dict, name: str) -> str | None:
    value = entry.get(name) if name else None
    if isinstance(value, list):
        value = value[0] if value else None
    return str(value).strip() if value not in (None, "") else None


def _search_user(s: DirectorySettings, conn: Connection, username: str, dn: str | None):
    attrs = [a for a in (s.attr_name, s.attr_email, s.attr_title, "cn", "memberOf") if a]
    try:
        if dn:
            ok = conn.search(dn, "(objectClass=*)", search_scope=BASE, attributes=attrs)
        else:
            flt = s.user_filter.format(username=escape_filter_chars(username))
            ok = conn.search(s.base_dn, flt, search_scope=SUBTREE, attributes=attrs, size_limit=2)
    except lx.LDAPException as e:
        raise DirectoryError("unavailable", UNAVAILABLE, f"{type(e).__name__}: {e}") from e
    entries = [r for r in (conn.response or []) if r.get("type") == "searchResEntry"]
    if not ok or len(entries) != 1:  # none, or an ambiguous name: never guess who it is
        return None
    return entries[0]


def _is_disabled(s: DirectorySettings, conn: Connection, dn: str) -> bool:
    if not s.disabled_filter:
        return False
    try:
        conn.search(dn, s.disabled_filter, search_scope=BASE, attributes=[])
    except lx.LDAPException:
        return False
    return any(r.get("type") == "searchResEntry" for r in (conn.response or []))


def _groups(s: DirectorySettings, conn: Connection, dn: str, entry_attrs: dict) -> frozenset[str]:
    found = {normalise_dn(g) for g in (entry_attrs.get("memberOf") or [])}
    if s.group_filter:
        flt = s.group_filter.format(dn=escape_filter_chars(dn))
        try:
            conn.search(s.group_base_dn or s.base_dn, flt, search_scope=SUBTREE, attributes=[])
        except lx.LDAPException as e:
            raise DirectoryError("unavailable", UNAVAILABLE, f"{type(e).__name__}: {e}") from e
        found |= {normalise_dn(r["dn"]) for r in (conn.response or []) if r.get("type") == "searchResEntry"}
    return frozenset(found)


def authenticate(s: DirectorySettings, username: str, password: str) -> DirectoryIdentity:
    """Check a user name and password against the directory; raise DirectoryError if refused."""
    username = (username or "").strip()
    # An empty password would be an anonymous ("unauthenticated") bind that many servers accept.
    if not password or not USERNAME_RE.match(username):
        raise DirectoryError("invalid", INVALID, "bad user name or empty password")
    server = _server(s)
    if s.bind_dn:
        svc = _connect(s, server, s.bind_dn, s.bind_password)
        try:
            entry = _search_user(s, svc, username, None)
            if entry is None:
                raise DirectoryError("invalid", INVALID, "no such user")
            dn = entry["dn"]
            disabled = _is_disabled(s, svc, dn)
            try:
                _connect(s, server, dn, password).unbind()  # the password check itself
            except DirectoryError as e:
                # A locked account's bind fails as a wrong password would (ppolicy, AD 533):
                # name the lock, which is what its owner needs to hear.
                if disabled and e.kind == "invalid":
                    raise DirectoryError("disabled", DISABLED, dn) from e
                raise
            if disabled:
                raise DirectoryError("disabled", DISABLED, dn)
            groups = _groups(s, svc, dn, entry.get("attributes") or {})
        finally:
            svc.unbind()
    else:
        template = s.user_dn_template or "{username}"
        dn = template.format(username=escape_rdn(username) if "=" in template else username)
        conn = _connect(s, server, dn, password)
        try:
            entry = _search_user(s, conn, username, dn if "=" in template else None)
            if entry is None:
                raise DirectoryError("invalid", INVALID, "entry not readable")
            dn = entry["dn"]
            if _is_disabled(s, conn, dn):
                raise DirectoryError("disabled", DISABLED, dn)
            groups = _groups(s, conn, dn, entry.get("attributes") or {})
        finally:
            conn.unbind()
    attrs = entry.get("attributes") or {}
    return DirectoryIdentity(
        dn=dn, username=username.lower(),
        full_name=_first(attrs, s.attr_name) or _first(attrs, "cn") or username,
        email=_first(attrs, s.attr_email), title=_first(attrs, s.attr_title), groups=groups)


def pick_mapping(groups: frozenset[str], mappings: list):
    """The mapping that decides a directory user's unit and role: among the active mappings whose
    group the user is in, the one with the lowest `priority` number (then the lowest id)."""
    matching = [m for m in mappings if m.active and normalise_dn(m.group_dn) in groups]
    return min(matching, key=lambda m: (m.priority, m.id or 0), default=None)
