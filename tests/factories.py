"""factory_boy factories; `use_session` points them at the test's session."""

from __future__ import annotations

import factory
from factory.alchemy import SQLAlchemyModelFactory
from sqlalchemy.orm import Session

from forms_registry.accounts.models import Department, User
from forms_registry.accounts.passwords import hash_password
from forms_registry.orgs.models import OrgUnit

TEST_PASSWORD = "correct-horse-9"
_PASSWORD_HASH = hash_password(TEST_PASSWORD)
_current: list[Session] = []


def use_session(session: Session) -> None:
    _current[:] = [session]


def _session() -> Session:
    return _current[0]


class BaseFactory(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = _session
        sqlalchemy_session_persistence = "flush"


class OrgUnitFactory(BaseFactory):
    class Meta:
        model = OrgUnit

    code = factory.Sequence(lambda n: f"5{n:011d}")
    name = factory.Sequence(lambda n: f"测试村{n}")
    level = "village"
    parent = None


class DepartmentFactory(BaseFactory):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"测试局{n}")


class UserFactory(BaseFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.LazyAttribute(lambda user: user.username)
    password_hash = _PASSWORD_HASH
    role = "reviewer"
    active = True

    class Params:
        filler_of = factory.Trait(role="filler")
