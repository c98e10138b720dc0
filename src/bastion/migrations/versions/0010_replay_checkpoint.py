"""Replay checkpoints (#10): how far a recorded AIS file is stored, so a replay of a file
without timestamps resumes after a crash instead of storing its first part twice.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 23:20:00
"""
import sqlalchemy as sa
from alembic import op

import bastion.core.db

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'replay_checkpoint',
        sa.Column('source', sa.String(length=64), nullable=False),
        sa.Column('name', sa.String(length=255), nullable=False),
        sa.Column('messages', sa.Integer(), nullable=False),
        sa.Column('updated_at', bastion.core.db.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('source', name=op.f('pk_replay_checkpoint')),
    )


def downgrade() -> None:
    op.drop_table('replay_checkpoint')
