"""Sharded runs: N collectors journal one run, each its own shard, and `guildboard seal` makes it a snapshot.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("runs") as batch:
        batch.add_column(sa.Column("name", sa.String(length=128), nullable=True))
        batch.add_column(sa.Column("shards", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("snapshot_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("sealed_at", sa.String(length=40), nullable=True))
    op.create_index("ux_runs_name", "runs", ["name"], unique=True)
    with op.batch_alter_table("run_repos") as batch:
        batch.add_column(sa.Column("shard", sa.Integer(), nullable=True))
    op.create_table(
        "run_shards",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("shard", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.String(length=40), nullable=False),
        sa.Column("finished_at", sa.String(length=40), nullable=True),
        sa.Column("repo_count", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("run_id", "shard"),
    )
    # An older guildboard reads this key: 3 makes it refuse the database as newer than itself.
    meta = sa.table("guildboard_meta", sa.column("key", sa.String), sa.column("value", sa.Text))
    op.execute(meta.update().where(meta.c.key == "schema_version").values(value="3"))


def downgrade() -> None:
    raise NotImplementedError("guildboard does not go back to an earlier schema: restore a backup instead")
