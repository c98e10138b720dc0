"""The station's violations register (#11): past violations of a vessel, a company or a
person, counted by the pre-check's ``past_violations`` rule.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 23:40:00
"""
import sqlalchemy as sa
from alembic import op

import bastion.core.db

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'clearance_violation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('station_org_id', sa.Integer(), nullable=False),
        sa.Column('subject', sa.String(length=10), nullable=False),
        sa.Column('imo', sa.BigInteger(), nullable=True),
        sa.Column('mmsi', sa.BigInteger(), nullable=True),
        sa.Column('vessel_name', sa.String(length=100), nullable=True),
        sa.Column('agent_org_id', sa.Integer(), nullable=True),
        sa.Column('person_name', sa.String(length=200), nullable=True),
        sa.Column('birth_date', sa.String(length=10), nullable=True),
        sa.Column('document_number', sa.String(length=40), nullable=True),
        sa.Column('occurred_on', sa.Date(), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('call_id', sa.Integer(), nullable=True),
        sa.Column('recorded_by_id', sa.Integer(), nullable=False),
        sa.Column('recorded_at', bastion.core.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['agent_org_id'], ['agency.id'],
                                name=op.f('fk_clearance_violation_agent_org_id_agency'),
                                ondelete='RESTRICT'),
        sa.ForeignKeyConstraint(['call_id'], ['port_call.id'],
                                name=op.f('fk_clearance_violation_call_id_port_call'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'],
                                name=op.f('fk_clearance_violation_recorded_by_id_user_account'),
                                ondelete='RESTRICT'),
        sa.ForeignKeyConstraint(['station_org_id'], ['agency.id'],
                                name=op.f('fk_clearance_violation_station_org_id_agency'),
                                ondelete='RESTRICT'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_clearance_violation')),
    )
    op.create_index(op.f('ix_clearance_violation_document_number'), 'clearance_violation',
                    ['document_number'], unique=False)
    op.create_index(op.f('ix_clearance_violation_imo'), 'clearance_violation', ['imo'],
                    unique=False)
    op.create_index(op.f('ix_clearance_violation_station_org_id'), 'clearance_violation',
                    ['station_org_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_clearance_violation_station_org_id'),
                  table_name='clearance_violation')
    op.drop_index(op.f('ix_clearance_violation_imo'), table_name='clearance_violation')
    op.drop_index(op.f('ix_clearance_violation_document_number'),
                  table_name='clearance_violation')
    op.drop_table('clearance_violation')
