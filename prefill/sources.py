"""Shared data sources and which data elements they provide."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from forms_registry.elements.service import get_element
from prefill.models import SharedBinding, SharedSource


@dataclass(frozen=True)
class SharedProvision:
    element: str
    source_code: str
    source_name: str
    correctable: bool


def get_or_create_source(
    session: Session, code: str, name: str, description: str = ""
) -> SharedSource:
    source = session.scalar(select(SharedSource).where(SharedSource.code == code))
    if source is None:
        source = SharedSource(code=code, name=name, description=description)
        session.add(source)
        session.flush()
    return source


def bind_element(
    session: Session,
    source: SharedSource,
    element_code: str,
    *,
    source_field: str,
    correctable: bool = False,
) -> SharedBinding:
    element = get_element(session, element_code)
    binding = session.scalar(select(SharedBinding).where(SharedBinding.element_id == element.id))
    if binding is None:
        binding = SharedBinding(element=element, source=source, source_field=source_field)
        session.add(binding)
    binding.source, binding.source_field, binding.correctable = source, source_field, correctable
    session.flush()
    return binding


def shared_provisions(session: Session) -> dict[str, SharedProvision]:
    """Element code → the shared source that provides it."""
    rows = session.scalars(select(SharedBinding))
    return {
        binding.element.code: SharedProvision(
            element=binding.element.code,
            source_code=binding.source.code,
            source_name=binding.source.name,
            correctable=binding.correctable,
        )
        for binding in rows
    }
