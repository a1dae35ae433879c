"""The migrations in order, as Alembic reads them: what the tests step the schema through."""

from __future__ import annotations

from alembic.script import ScriptDirectory

from bot.db.migrate import alembic_config


def revision_order() -> list[str]:
    """Every revision, oldest first, as Alembic walks the migration scripts."""
    scripts = ScriptDirectory.from_config(alembic_config()).walk_revisions()
    return [script.revision for script in reversed(list(scripts))]
