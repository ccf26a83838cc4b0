"""Password policy for local accounts (directory accounts follow the directory's own policy)."""
from __future__ import annotations

import secrets
import unicodedata

# The passwords people choose first; refused whatever their length or mix.
COMMON = frozenset({
    "password", "password1", "matkhau", "matkhau1", "matkhau123", "123456", "12345678", "123456789",
    "1234567890", "qwerty", "qwerty123", "abc123", "admin", "admin123", "admin@123", "111111",
    "iloveyou", "vietnam", "vietnam123", "hanoi123", "laodong", "thuonghinh", "123456aa",
    "a123456", "123123", "000000", "11111111", "88888888", "66666666",
})


def _plain(text: str) -> str:
    folded = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in folded if unicodedata.category(c) != "Mn").lower()


def password_problems(password: str, username: str = "", full_name: str = "", min_length: int = 10) -> list[str]:
    """What is wrong with a new password, in Vietnamese (empty: it may be used)."""
    problems = []
    if len(password) < min_length:
        problems.append(f"Mật khẩu cần ít nhất {min_length} ký tự.")
    classes = sum((any(c.islower() for c in password), any(c.isupper() for c in password),
                   any(c.isdigit() for c in password), any(not c.isalnum() for c in password)))
    if classes < 3:
        problems.append("Mật khẩu cần có ít nhất 3 trong 4 loại: chữ thường, chữ hoa, chữ số, ký tự đặc biệt.")
    plain = _plain(password)
    if username and len(username) >= 3 and _plain(username) in plain:
        problems.append("Mật khẩu không được chứa tên đăng nhập.")
    elif full_name and any(len(w) >= 4 and w in plain for w in _plain(full_name).split()):
        problems.append("Mật khẩu không được chứa họ tên.")
    stripped = plain.strip("!@#$%^&*.-_ ")
    if plain in COMMON or stripped in COMMON or stripped.rstrip("0123456789") in COMMON:
        problems.append("Mật khẩu quá phổ biến, dễ bị đoán.")
    return problems


# No look-alike characters (0/O, 1/l/I) in what an admin reads out to a person.
_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def temporary_password(length: int = 12) -> str:
    """A random password that meets the policy, for an admin's reset (changed at first login)."""
    while True:
        pw = "".join(secrets.choice(_ALPHABET) for _ in range(length - 2)) + "-" + secrets.choice("23456789")
        if not password_problems(pw):
            return pw


def recovery_codes(n: int = 10) -> list[str]:
    """One-time codes for a lost authenticator: 'k7q2-9xbd' style, easy to type."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return ["".join(secrets.choice(alphabet) for _ in range(4)) + "-" + "".join(secrets.choice(alphabet) for _ in range(4))
            for _ in range(n)]
