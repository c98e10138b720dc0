"""Idempotent AIS ingest (#10): one stored fix per vessel and instant, and the engine states an
alert has already been stored, so replaying a file after a crash stores nothing twice.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 22:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Duplicates from earlier replays go first: the lowest id of each (mmsi, at) stays.
    op.execute("DELETE FROM vessel_position WHERE id NOT IN "
               "(SELECT keep FROM (SELECT MIN(id) AS keep FROM vessel_position "
               "GROUP BY mmsi, at) AS kept)")
    op.drop_index('ix_vessel_position_mmsi_at', table_name='vessel_position')
    op.create_index('uq_vessel_position_mmsi_at', 'vessel_position', ['mmsi', 'at'],
                    unique=True)
    with op.batch_alter_table('vessel_alert') as batch:
        batch.add_column(sa.Column('engine_states', sa.JSON(), nullable=False,
                                   server_default='[]'))


def downgrade() -> None:
    with op.batch_alter_table('vessel_alert') as batch:
        batch.drop_column('engine_states')
    op.drop_index('uq_vessel_position_mmsi_at', table_name='vessel_position')
    op.create_index('ix_vessel_position_mmsi_at', 'vessel_position', ['mmsi', 'at'])
