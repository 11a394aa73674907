"""The tables of schema version 2, as guildboard wrote them before migrations.

Revision ID: 0001
Revises:
Create Date: 2026-11-28

Written out in full rather than taken from `store.schema`, so it stays what it was when the tables
change. A database from before migrations (`guildboard_meta.schema_version` 2) already has these
tables: `guildboard db upgrade` marks it as at this revision and goes on from here.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "guildboard_meta",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("root", sa.Text(), nullable=False),
        sa.Column("started_at", sa.String(length=40), nullable=False),
        sa.Column("detectors", sa.String(length=64), nullable=True),
        sa.Column("label", sa.Text(), nullable=True),
        sa.Column("options", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_runs_source_root", "runs", ["source", "root"], unique=False)
    op.create_table(
        "snapshots",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("taken_at", sa.String(length=40), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("root", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=True),
        sa.Column("repo_count", sa.Integer(), nullable=False),
        sa.Column("warning_count", sa.Integer(), nullable=False),
        sa.Column("facts_version", sa.Integer(), nullable=False),
        sa.Column("detectors", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "actions",
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("repo", sa.String(length=512), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("ref", sa.Text(), nullable=True),
        sa.Column("path", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["snapshot_id"], ["snapshots.id"], ondelete="CASCADE"),
    )
    op.create_index("ix_actions_snapshot_repo", "actions", ["snapshot_id", "repo"], unique=False)
    op.create_table(
        "build_health",
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("repo", sa.String(length=512), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("commit", sa.String(length=64), nullable=True),
        sa.Column("checked_at", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(["snapshot_id"], ["snapshots.id"], ondelete="CASCADE"),
    )
    op.create_index("ix_build_health_snapshot_repo", "build_health", ["snapshot_id", "repo"], unique=False)
    op.create_table(
        "checks",
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("repo", sa.String(length=512), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("app", sa.String(length=128), nullable=True),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["snapshot_id"], ["snapshots.id"], ondelete="CASCADE"),
    )
    op.create_index("ix_checks_snapshot_repo", "checks", ["snapshot_id", "repo"], unique=False)
    op.create_table(
        "ci_files",
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("repo", sa.String(length=512), nullable=False),
        sa.Column("provider", sa.String(length=64), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["snapshot_id"], ["snapshots.id"], ondelete="CASCADE"),
    )
    op.create_index("ix_ci_files_snapshot_repo", "ci_files", ["snapshot_id", "repo"], unique=False)
    op.create_table(
        "dependencies",
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("repo", sa.String(length=512), nullable=False),
        sa.Column("ecosystem", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=512), nullable=False),
        sa.Column("declared", sa.Text(), nullable=True),
        sa.Column("resolved", sa.Text(), nullable=True),
        sa.Column("scope", sa.String(length=32), nullable=False),
        sa.Column("manifest", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["snapshot_id"], ["snapshots.id"], ondelete="CASCADE"),
    )
    op.create_index("ix_dependencies_snapshot_repo", "dependencies", ["snapshot_id", "repo"], unique=False)
    op.create_table(
        "docker_images",
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("repo", sa.String(length=512), nullable=False),
        sa.Column("image", sa.Text(), nullable=False),
        sa.Column("tag", sa.Text(), nullable=True),
        sa.Column("digest", sa.Text(), nullable=True),
        sa.Column("stage", sa.Text(), nullable=True),
        sa.Column("path", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["snapshot_id"], ["snapshots.id"], ondelete="CASCADE"),
    )
    op.create_index("ix_docker_images_snapshot_repo", "docker_images", ["snapshot_id", "repo"], unique=False)
    op.create_table(
        "hygiene",
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("repo", sa.String(length=512), nullable=False),
        sa.Column("item", sa.String(length=64), nullable=False),
        sa.Column("present", sa.Boolean(), nullable=False),
        sa.Column("path", sa.Text(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["snapshot_id"], ["snapshots.id"], ondelete="CASCADE"),
    )
    op.create_index("ix_hygiene_snapshot_repo", "hygiene", ["snapshot_id", "repo"], unique=False)
    op.create_table(
        "languages",
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("repo", sa.String(length=512), nullable=False),
        sa.Column("language", sa.String(length=128), nullable=False),
        sa.Column("bytes", sa.BigInteger(), nullable=False),
        sa.Column("counted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["snapshot_id"], ["snapshots.id"], ondelete="CASCADE"),
    )
    op.create_index("ix_languages_snapshot_repo", "languages", ["snapshot_id", "repo"], unique=False)
    op.create_table(
        "repos",
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("repo", sa.String(length=512), nullable=False),
        sa.Column("team", sa.String(length=255), nullable=False),
        sa.Column("team_source", sa.String(length=64), nullable=False),
        sa.Column("default_branch", sa.String(length=255), nullable=True),
        sa.Column("head", sa.String(length=64), nullable=True),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("pushed_at", sa.String(length=40), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("topics", sa.Text(), nullable=False),
        sa.Column("fork", sa.Boolean(), nullable=False),
        sa.Column("visibility", sa.String(length=16), nullable=True),
        sa.Column("team_candidates", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["snapshot_id"], ["snapshots.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("snapshot_id", "repo"),
    )
    op.create_table(
        "run_repos",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("repo", sa.String(length=512), nullable=False),
        sa.Column("head", sa.String(length=64), nullable=True),
        sa.Column("record", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("run_id", "repo"),
    )
    op.create_table(
        "runtimes",
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("repo", sa.String(length=512), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Text(), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["snapshot_id"], ["snapshots.id"], ondelete="CASCADE"),
    )
    op.create_index("ix_runtimes_snapshot_repo", "runtimes", ["snapshot_id", "repo"], unique=False)
    op.create_table(
        "technologies",
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("repo", sa.String(length=512), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("category", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Text(), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["snapshot_id"], ["snapshots.id"], ondelete="CASCADE"),
    )
    op.create_index("ix_technologies_snapshot_repo", "technologies", ["snapshot_id", "repo"], unique=False)
    op.create_table(
        "warnings",
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("repo", sa.String(length=512), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["snapshot_id"], ["snapshots.id"], ondelete="CASCADE"),
    )
    op.create_index("ix_warnings_snapshot_repo", "warnings", ["snapshot_id", "repo"], unique=False)
    op.create_table(
        "workflows",
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("repo", sa.String(length=512), nullable=False),
        sa.Column("workflow", sa.Text(), nullable=False),
        sa.Column("path", sa.Text(), nullable=True),
        sa.Column("runs", sa.BigInteger(), nullable=False),
        sa.Column("latest_conclusion", sa.String(length=32), nullable=True),
        sa.Column("latest_at", sa.String(length=40), nullable=True),
        sa.Column("success_rate", sa.Float(), nullable=True),
        sa.Column("median_duration_s", sa.Float(), nullable=True),
        sa.Column("last_success_at", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(["snapshot_id"], ["snapshots.id"], ondelete="CASCADE"),
    )
    op.create_index("ix_workflows_snapshot_repo", "workflows", ["snapshot_id", "repo"], unique=False)
    meta = sa.table("guildboard_meta", sa.column("key", sa.String), sa.column("value", sa.Text))
    op.bulk_insert(meta, [{"key": "schema_version", "value": "2"}])


def downgrade() -> None:
    raise NotImplementedError("guildboard does not go back to an earlier schema: restore a backup instead")
