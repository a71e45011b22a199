"""Editorial filter rules made in the admin or the CLI (table filter_rules), and what they excluded.

Rules from babelwire.toml are not stored: they live in the settings (stories/filter_config.py);
screening (pipeline/screening.py) applies both, the configured ones first.
"""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from babelwire.store.models import FilterRuleRow, ItemRow, ItemStatus, SourceRow
from babelwire.stories.filters import Rule, RuleError, make_rule


def stored_rules(session: Session, *, source_id: int | None = None, everywhere: bool = True) -> list[Rule]:
    """Stored rules in the order made: every one (`everywhere`), else the global ones and the source's."""
    query = (
        select(FilterRuleRow, SourceRow.name)
        .outerjoin(SourceRow, SourceRow.id == FilterRuleRow.source_id)
        .order_by(FilterRuleRow.id)
    )
    if not everywhere:
        query = query.where(or_(FilterRuleRow.source_id.is_(None), FilterRuleRow.source_id == source_id))
    return [_rule(row, name) for row, name in session.execute(query).all()]


def rules_for_source(session: Session, source_id: int) -> list[Rule]:
    """The stored rules that apply to the source's articles: global ones and its own."""
    return stored_rules(session, source_id=source_id, everywhere=False)


def add_rule(session: Session, rule: Rule, source_id: int | None = None) -> Rule:
    """Store a parsed rule for every source (None) or one; ValueError for an unknown source or a repeat."""
    name = None
    if source_id is not None:
        source = session.get(SourceRow, source_id)
        if source is None:
            raise ValueError(f"no source {source_id}; `babelwire sources list` shows the ids")
        name = source.name
    same = session.scalar(
        select(FilterRuleRow.id).where(
            FilterRuleRow.source_id.is_(None) if source_id is None else FilterRuleRow.source_id == source_id,
            FilterRuleRow.action == rule.action,
            FilterRuleRow.field == rule.field,
            FilterRuleRow.pattern == rule.pattern,
            FilterRuleRow.regex.is_(rule.regex),
        )
    )
    if same is not None:
        raise ValueError(f"the rule {rule.text!r} exists already as #{same}")
    row = FilterRuleRow(
        source_id=source_id, action=rule.action, field=rule.field, pattern=rule.pattern, regex=rule.regex
    )
    session.add(row)
    session.flush()
    return _rule(row, name)


def remove_rule(session: Session, rule_id: int) -> str | None:
    """Delete a stored rule; what it was, as a person reads it, or None if there is no such rule."""
    found = session.execute(
        select(FilterRuleRow, SourceRow.name)
        .outerjoin(SourceRow, SourceRow.id == FilterRuleRow.source_id)
        .where(FilterRuleRow.id == rule_id)
    ).first()
    if found is None:
        return None
    row, name = found
    session.delete(row)
    session.flush()
    try:
        return _rule(row, name).describe()
    except RuleError:  # stored before a stricter rule: gone now either way
        return f"rule #{rule_id}"


def find_source(session: Session, ref: str) -> SourceRow | None:
    """A source by its id, feed URL or name (as `babelwire sources list` shows them)."""
    if ref.isdigit():
        return session.get(SourceRow, int(ref))
    by_url = session.scalar(select(SourceRow).where(SourceRow.url == ref))
    if by_url is not None:
        return by_url
    named = list(session.scalars(select(SourceRow).where(func.lower(SourceRow.name) == ref.lower()).limit(2)))
    return named[0] if len(named) == 1 else None


def excluded_items(session: Session, limit: int = 100) -> list[ItemRow]:
    """The latest items a filter rule excluded (items.excluded_by says which rule)."""
    return list(
        session.scalars(
            select(ItemRow)
            .where(ItemRow.status == ItemStatus.EXCLUDED)
            .order_by(ItemRow.updated_at.desc(), ItemRow.id.desc())
            .limit(limit)
        )
    )


def excluded_counts(session: Session) -> list[tuple[str, int]]:
    """How many items each rule excluded, most first."""
    rows = session.execute(
        select(ItemRow.excluded_by, func.count())
        .where(ItemRow.status == ItemStatus.EXCLUDED)
        .group_by(ItemRow.excluded_by)
        .order_by(func.count().desc(), ItemRow.excluded_by)
    ).all()
    return [(str(rule or "?"), int(count)) for rule, count in rows]


def _rule(row: FilterRuleRow, source_name: str | None) -> Rule:
    try:
        return make_rule(
            row.action,
            row.field,
            row.pattern,
            regex=row.regex,
            source_id=row.source_id,
            scope=_scope(row, source_name),
            origin=f"#{row.id}",
        )
    except RuleError as exc:
        raise RuleError(
            f"stored filter rule #{row.id} is invalid ({exc}); remove it: babelwire filters remove {row.id}"
        ) from exc


def _scope(row: FilterRuleRow, source_name: str | None) -> str:
    if row.source_id is None:
        return "global"
    return source_name or f"source {row.source_id}"
