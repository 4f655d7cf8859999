"""Visitor feedback reports without joins: session attributes copied into the report tables,
choices and survey answers kept per session, indexes for every filter; existing data backfilled.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

ATTRS = [("pack", sa.String(64)), ("language", sa.String(16)), ("kiosk_id", sa.String(32)),
         ("day", sa.String(10)), ("hour", sa.Integer), ("school", sa.Boolean)]
TABLES = ("feedback_story_visits", "feedback_scene_views", "feedback_choices",
          "feedback_survey_answers")


def _attr_columns() -> list[sa.Column]:
    return [sa.Column(name, type_, nullable=True) for name, type_ in ATTRS]


# One covering index per report table: its grouping columns, then every filter column
# (see admin/models_feedback.py, FILTER_COLUMNS).
FILTERS = ["language", "pack", "kiosk_id", "day", "hour", "school"]
REPORT_KEYS = {
    "feedback_story_visits": ["story", "ms", "started", "finished", "last_scene"],
    "feedback_scene_views": ["story", "scene"],
    "feedback_choices": ["story", "scene", "choice"],
    "feedback_survey_answers": ["story", "question", "before", "after", "before_value",
                                "after_value"],
}


def _indexes(table: str) -> None:
    op.create_index(f"ix_{table}_report", table, REPORT_KEYS[table] + FILTERS)


def upgrade() -> None:
    op.add_column("feedback_sessions", sa.Column("day", sa.String(10), nullable=True))
    op.add_column("feedback_sessions", sa.Column("hour", sa.Integer, nullable=True))
    for table in TABLES[:2]:
        for column in _attr_columns():
            op.add_column(table, column)
    op.create_table(
        "feedback_choices",
        sa.Column("session_id", sa.String(32), nullable=False),
        sa.Column("story", sa.String(64), nullable=False),
        sa.Column("scene", sa.String(64), nullable=False),
        sa.Column("choice", sa.String(64), nullable=False),
        sa.Column("offset_ms", sa.Integer, nullable=False),
        *_attr_columns(),
        sa.PrimaryKeyConstraint("session_id", "story", "scene"),
    )
    op.create_table(
        "feedback_survey_answers",
        sa.Column("session_id", sa.String(32), nullable=False),
        sa.Column("story", sa.String(64), nullable=False),
        sa.Column("question", sa.String(64), nullable=False),
        sa.Column("before", sa.String(200), nullable=True),
        sa.Column("before_value", sa.Float, nullable=True),
        sa.Column("before_offset", sa.Integer, nullable=False),
        sa.Column("after", sa.String(200), nullable=True),
        sa.Column("after_value", sa.Float, nullable=True),
        sa.Column("after_offset", sa.Integer, nullable=False),
        *_attr_columns(),
        sa.PrimaryKeyConstraint("session_id", "story", "question"),
    )
    _backfill()  # before the indexes: filling an indexed table is slower
    for table in TABLES:
        _indexes(table)
    op.create_index("ix_feedback_sessions_report", "feedback_sessions", FILTERS)
    op.create_index("ix_feedback_story_visits_breakdown", "feedback_story_visits",
                    FILTERS + ["started", "finished", "story"])


def _backfill() -> None:
    """Days and hours of sessions; choices and answers from the events; attributes copied."""
    conn = op.get_bind()
    conn.execute(sa.text("UPDATE feedback_sessions SET day = substr(started_minute, 1, 10), "
                         "hour = CAST(substr(started_minute, 12, 2) AS INTEGER)"))
    choices: dict[tuple, dict] = {}
    answers: dict[tuple, dict] = {}
    rows = conn.execute(sa.text(
        "SELECT session_id, offset_ms, kind, payload FROM feedback_events "
        "WHERE kind IN ('choice_made', 'survey_answer', 'rating')").execution_options(
        yield_per=5000))
    for sid, off, kind, payload in rows:
        p = json.loads(payload)
        if kind == "choice_made":
            key = (sid, p["story"], p["scene"])
            if key not in choices or off >= choices[key]["offset_ms"]:
                choices[key] = {"session_id": sid, "story": p["story"], "scene": p["scene"],
                                "choice": str(p["choice"])[:64], "offset_ms": off}
            continue
        question, phase, answer = (("rating", "after", p["value"]) if kind == "rating"
                                   else (p["question"], p["phase"], p["answer"]))
        key = (sid, p.get("story") or "", question)
        a = answers.setdefault(key, {"session_id": sid, "story": key[1], "question": question,
                                     "before": None, "before_value": None, "before_offset": -1,
                                     "after": None, "after_value": None, "after_offset": -1})
        if off >= a[f"{phase}_offset"]:
            number = (float(answer) if isinstance(answer, int | float)
                      and not isinstance(answer, bool) else None)
            a.update({phase: json.dumps(answer, sort_keys=True, separators=(",", ":"))[:200],
                      f"{phase}_value": number, f"{phase}_offset": off})
    meta = sa.MetaData()
    for name, values in (("feedback_choices", choices), ("feedback_survey_answers", answers)):
        table = sa.Table(name, meta, autoload_with=conn)
        batch = list(values.values())
        for i in range(0, len(batch), 5000):
            conn.execute(table.insert(), batch[i:i + 5000])
    copy = ", ".join(f"{name} = (SELECT s.{name} FROM feedback_sessions s "
                     f"WHERE s.session_id = t.session_id)" for name, _type in ATTRS)
    for table in TABLES:
        conn.execute(sa.text(f"UPDATE {table} AS t SET {copy}"))


def downgrade() -> None:
    for table in TABLES[2:]:
        op.drop_table(table)
    op.drop_index("ix_feedback_story_visits_breakdown", table_name="feedback_story_visits")
    for table in TABLES[:2]:
        op.drop_index(f"ix_{table}_report", table_name=table)
        with op.batch_alter_table(table) as batch:
            for name, _type in ATTRS:
                batch.drop_column(name)
    op.drop_index("ix_feedback_sessions_report", table_name="feedback_sessions")
    with op.batch_alter_table("feedback_sessions") as batch:
        batch.drop_column("hour")
        batch.drop_column("day")
