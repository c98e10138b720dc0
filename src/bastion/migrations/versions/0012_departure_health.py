"""Departure (#11): departure facts and outbound screening per call, reasons for the changes
against arrival; the port health decision on the Maritime Declaration of Health.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 23:17:44
"""
import sqlalchemy as sa
from alembic import op

import bastion.core.db

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('port_call_departure',
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('draught_m', sa.Float(), nullable=True),
    sa.Column('window_start', bastion.core.db.UTCDateTime(), nullable=True),
    sa.Column('window_end', bastion.core.db.UTCDateTime(), nullable=True),
    sa.Column('screened_at', bastion.core.db.UTCDateTime(), nullable=True),
    sa.Column('screened_versions', sa.JSON(), nullable=False),
    sa.Column('persons', sa.JSON(), nullable=False),
    sa.Column('by_list', sa.JSON(), nullable=False),
    sa.Column('updated_at', bastion.core.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['call_id'], ['port_call.id'], name=op.f('fk_port_call_departure_call_id_port_call'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('call_id', name=op.f('pk_port_call_departure'))
    )
    op.create_table('port_call_departure_reason',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('person_key', sa.String(length=120), nullable=False),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', bastion.core.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['call_id'], ['port_call.id'], name=op.f('fk_port_call_departure_reason_call_id_port_call'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_port_call_departure_reason_recorded_by_id_user_account'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_port_call_departure_reason')),
    sa.UniqueConstraint('call_id', 'person_key', name=op.f('uq_port_call_departure_reason_call_id_person_key'))
    )
    with op.batch_alter_table('port_call_departure_reason', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_port_call_departure_reason_call_id'), ['call_id'], unique=False)

    op.create_table('port_call_health_decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('declaration_id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('decision', sa.String(length=20), nullable=False),
    sa.Column('conditions', sa.Text(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=False),
    sa.Column('decided_at', bastion.core.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_port_call_health_decision_agency_id_agency'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['call_id'], ['port_call.id'], name=op.f('fk_port_call_health_decision_call_id_port_call'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], name=op.f('fk_port_call_health_decision_decided_by_id_user_account'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['declaration_id'], ['port_call_declaration.id'], name=op.f('fk_port_call_health_decision_declaration_id_port_call_declaration'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_port_call_health_decision'))
    )
    with op.batch_alter_table('port_call_health_decision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_port_call_health_decision_call_id'), ['call_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('port_call_health_decision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_port_call_health_decision_call_id'))

    op.drop_table('port_call_health_decision')
    with op.batch_alter_table('port_call_departure_reason', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_port_call_departure_reason_call_id'))

    op.drop_table('port_call_departure_reason')
    op.drop_table('port_call_departure')
