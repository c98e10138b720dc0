"""One screening hit per person, entry and scope (#11): re-screening a list added a new
pending hit each time. Existing duplicates are folded into one (a decided hit is kept before
a pending one, then the oldest), then a unique constraint holds it.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 23:40:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('screening_hit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scope', sa.String(length=80), nullable=True))
    op.execute("UPDATE screening_hit SET scope = source_kind || ':' || CAST(source_id AS VARCHAR(20)) "
               "WHERE source_kind IS NOT NULL")
    op.execute("UPDATE screening_hit SET scope = 'agency:' || "
               "COALESCE(CAST(screened_by_org_id AS VARCHAR(20)), '') WHERE scope IS NULL")
    op.execute(
        "DELETE FROM screening_hit WHERE id IN (SELECT id FROM ("
        " SELECT id, ROW_NUMBER() OVER (PARTITION BY subject_key, entry_id, scope ORDER BY"
        "  CASE status WHEN 'confirmed' THEN 0 WHEN 'dismissed' THEN 1 ELSE 2 END, id) AS n"
        " FROM screening_hit) ranked WHERE n > 1)")
    with op.batch_alter_table('screening_hit', schema=None) as batch_op:
        batch_op.alter_column('scope', existing_type=sa.String(length=80), nullable=False)
        batch_op.create_unique_constraint(
            batch_op.f('uq_screening_hit_subject_key_entry_id_scope'),
            ['subject_key', 'entry_id', 'scope'])


def downgrade() -> None:
    with op.batch_alter_table('screening_hit', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_screening_hit_subject_key_entry_id_scope'),
                                 type_='unique')
        batch_op.drop_column('scope')
