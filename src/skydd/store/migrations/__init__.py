"""Alembic migrations of Skydd's store; run by ``skydd.store.db.migrate`` on every open."""
