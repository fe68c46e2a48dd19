"""Users, departments, login sessions, API tokens and the login rate limit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, joinedload

from forms_registry.accounts.models import (
    ROLES,
    ApiToken,
    Department,
    LoginAttempt,
    LoginSession,
    User,
)
from forms_registry.accounts.passwords import hash_password, verify_password
from forms_registry.accounts.tokens import digest, new_secret
from forms_registry.errors import DomainError, InvalidInput, NotFound
from forms_registry.orgs.service import get_org

MAX_FAILED_LOGINS = 5
LOGIN_WINDOW = timedelta(minutes=15)
SESSION_LIFETIME = timedelta(hours=12)


class InvalidCredentials(DomainError):
    """Wrong username or password (never say which)."""


class TooManyAttempts(DomainError):
    """Too many failed logins for this user name or address within the window."""


@dataclass(frozen=True)
class NewUser:
    username: str
    password: str
    role: str
    display_name: str | None = None
    org_code: str | None = None
    department: str | None = None
    phone: str | None = None


def get_or_create_department(session: Session, name: str) -> Department:
    department = session.scalar(select(Department).where(Department.name == name))
    if department is None:
        department = Department(name=name)
        session.add(department)
        session.flush()
    return department


def create_user(session: Session, new: NewUser) -> User:
    if new.role not in ROLES:
        raise InvalidInput(
            f"未知角色：{new.role}", details={"role": "角色须为 reviewer、owner 或 filler"}
        )
    if session.scalar(select(User.id).where(User.username == new.username)) is not None:
        raise InvalidInput(f"用户名已存在：{new.username}", details={"username": "用户名已存在"})
    if len(new.password) < 8:
        raise InvalidInput("密码至少 8 位", details={"password": "密码至少 8 位"})
    user = User(
        username=new.username,
        display_name=new.display_name or new.username,
        password_hash=hash_password(new.password),
        role=new.role,
        phone=new.phone,
    )
    if new.role == "filler":
        if not new.org_code:
            raise InvalidInput("填报员须绑定行政区划", details={"org": "请指定行政区划代码"})
        user.org_unit = get_org(session, new.org_code)
    if new.role == "owner":
        if not new.department:
            raise InvalidInput("需求方须绑定部门", details={"department": "请指定部门"})
        user.department = get_or_create_department(session, new.department)
    session.add(user)
    session.flush()
    return user


def get_user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"用户不存在：{username}")
    return user


def authenticate(
    session: Session, username: str, password: str, *, remote_addr: str, now: datetime
) -> User:
    """Check a password; failures are recorded and counted per user name and per address."""
    since = now - LOGIN_WINDOW
    failures = session.scalar(
        select(func.count(LoginAttempt.id)).where(
            LoginAttempt.attempted_at >= since,
            (LoginAttempt.username == username) | (LoginAttempt.remote_addr == remote_addr),
        )
    )
    if (failures or 0) >= MAX_FAILED_LOGINS:
        raise TooManyAttempts("登录失败次数过多，请 15 分钟后再试")
    user = session.scalar(select(User).where(User.username == username, User.active.is_(True)))
    if user is None or not verify_password(user.password_hash, password):
        session.add(LoginAttempt(username=username, remote_addr=remote_addr, attempted_at=now))
        session.flush()
        raise InvalidCredentials("用户名或密码错误")
    session.execute(delete(LoginAttempt).where(LoginAttempt.username == username))
    return user


def start_login_session(session: Session, user: User, *, now: datetime) -> str:
    secret = new_secret("s_")
    session.add(
        LoginSession(
            token_hash=digest(secret),
            user=user,
            created_at=now,
            expires_at=now + SESSION_LIFETIME,
        )
    )
    session.flush()
    return secret


def user_for_login_session(session: Session, secret: str, *, now: datetime) -> User | None:
    login = session.scalar(select(LoginSession).where(LoginSession.token_hash == digest(secret)))
    if login is None or login.expires_at <= now or not login.user.active:
        return None
    return login.user


def end_login_session(session: Session, secret: str) -> None:
    session.execute(delete(LoginSession).where(LoginSession.token_hash == digest(secret)))


def issue_api_token(session: Session, user: User, *, now: datetime) -> str:
    secret = new_secret("ro_")
    session.add(ApiToken(token_hash=digest(secret), user=user, created_at=now))
    session.flush()
    return secret


def user_for_api_token(session: Session, secret: str) -> User | None:
    token = session.scalar(
        select(ApiToken)
        .where(ApiToken.token_hash == digest(secret), ApiToken.revoked_at.is_(None))
        .options(joinedload(ApiToken.user))
    )
    if token is None or not token.user.active:
        return None
    return token.user
