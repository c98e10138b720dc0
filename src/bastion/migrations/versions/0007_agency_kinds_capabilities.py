"""Agency kinds that functions follow; system accounts; screening hits tied to their source;
watchlist names unique per owning agency.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 20:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A command and its posts, a station and its duty teams, were one kind each: split them.
    op.execute("UPDATE agency SET kind = 'joint_defence_command' "
               "WHERE kind = 'joint_defence' AND parent_id IS NULL")
    op.execute("UPDATE agency SET kind = 'joint_defence_post' "
               "WHERE kind = 'joint_defence' AND parent_id IS NOT NULL")
    op.execute("UPDATE agency SET kind = 'border_inspection_team' "
               "WHERE kind = 'border_inspection' AND parent_id IS NOT NULL")
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('system', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    op.execute("UPDATE user_account SET system = TRUE "
               "WHERE username = 'ais-sensor' OR username LIKE 'precheck-%'")
    with op.batch_alter_table('screening_hit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('screened_by_org_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('source_kind', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('source_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_screening_hit_screened_by_org_id'),
                              ['screened_by_org_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_screening_hit_screened_by_org_id_agency'),
                                    'agency', ['screened_by_org_id'], ['id'], ondelete='RESTRICT')
    # Areas of responsibility: units narrowed to the places they answer for.
    op.create_table(
        'area_assignment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('agency_id', sa.Integer(), nullable=False),
        sa.Column('area_kind', sa.String(length=40), nullable=False),
        sa.Column('area_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['agency_id'], ['agency.id'],
                                name=op.f('fk_area_assignment_agency_id_agency'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_area_assignment')),
        sa.UniqueConstraint('agency_id', 'area_kind', 'area_id',
                            name=op.f('uq_area_assignment_agency_id_area_kind_area_id')))
    with op.batch_alter_table('area_assignment', schema=None) as batch_op:
        batch_op.create_index('ix_area_assignment_area', ['area_kind', 'area_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_area_assignment_agency_id'), ['agency_id'],
                              unique=False)
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.add_column(sa.Column('area_kind', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('area_id', sa.Integer(), nullable=True))
    with op.batch_alter_table('watchlist', schema=None) as batch_op:
        batch_op.drop_constraint('uq_watchlist_name', type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_watchlist_owner_org_id_name'),
                                          ['owner_org_id', 'name'])


def downgrade() -> None:
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.drop_column('area_id')
        batch_op.drop_column('area_kind')
    op.drop_table('area_assignment')
    with op.batch_alter_table('watchlist', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_watchlist_owner_org_id_name'), type_='unique')
        batch_op.create_unique_constraint('uq_watchlist_name', ['name'])
    with op.batch_alter_table('screening_hit', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_screening_hit_screened_by_org_id_agency'),
                                 type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_screening_hit_screened_by_org_id'))
        batch_op.drop_column('source_id')
        batch_op.drop_column('source_kind')
        batch_op.drop_column('screened_by_org_id')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('system')
    op.execute("UPDATE agency SET kind = 'border_inspection' "
               "WHERE kind = 'border_inspection_team'")
    op.execute("UPDATE agency SET kind = 'joint_defence' "
               "WHERE kind IN ('joint_defence_command', 'joint_defence_post')")
