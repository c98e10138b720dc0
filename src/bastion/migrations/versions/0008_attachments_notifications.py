"""Attachments for any record (notice attachments move there, keeping their ids); in-app
notifications with per-recipient read and acknowledgement times.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 21:00:00
"""
import hashlib

import sqlalchemy as sa
from alembic import op

import bastion.core.db

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

# The types the attachments package accepts, told from the first bytes; anything else moved
# from notice_attachment is kept, but served as an opaque download as before.
_MAGIC = ((b"%PDF-", "application/pdf"), (b"\x89PNG\r\n\x1a\n", "image/png"),
          (b"\xff\xd8\xff", "image/jpeg"))


def _sniffed(data: bytes) -> str:
    return next((kind for magic, kind in _MAGIC if data.startswith(magic)),
                "application/octet-stream")


def upgrade() -> None:
    op.create_table(
        'attachment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('record_kind', sa.String(length=40), nullable=False),
        sa.Column('record_id', sa.Integer(), nullable=False),
        sa.Column('filename', sa.String(length=255), nullable=False),
        sa.Column('content_type', sa.String(length=100), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('width', sa.Integer(), nullable=True),
        sa.Column('height', sa.Integer(), nullable=True),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.Column('created_at', bastion.core.db.UTCDateTime(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'],
                                name=op.f('fk_attachment_created_by_id_user_account'),
                                ondelete='RESTRICT'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_attachment')),
    )
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.create_index('ix_attachment_record', ['record_kind', 'record_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachment_sha256'), ['sha256'], unique=False)

    op.create_table(
        'notification',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('params', sa.JSON(), nullable=False),
        sa.Column('link', sa.String(length=500), nullable=True),
        sa.Column('severity', sa.Enum('info', 'warning', 'urgent', name='severity',
                                      native_enum=False, length=32), nullable=False),
        sa.Column('record_kind', sa.String(length=40), nullable=True),
        sa.Column('record_id', sa.Integer(), nullable=True),
        sa.Column('created_at', bastion.core.db.UTCDateTime(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'],
                                name=op.f('fk_notification_created_by_id_user_account'),
                                ondelete='RESTRICT'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_notification')),
    )
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notification_created_at'), ['created_at'],
                              unique=False)

    op.create_table(
        'notification_recipient',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('notification_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('read_at', bastion.core.db.UTCDateTime(), nullable=True),
        sa.Column('acknowledged_at', bastion.core.db.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['notification_id'], ['notification.id'],
                                name=op.f('fk_notification_recipient_notification_id_notification'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'],
                                name=op.f('fk_notification_recipient_user_id_user_account'),
                                ondelete='RESTRICT'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_recipient')),
        sa.UniqueConstraint('notification_id', 'user_id',
                            name=op.f('uq_notification_recipient_notification_id_user_id')),
    )
    with op.batch_alter_table('notification_recipient', schema=None) as batch_op:
        batch_op.create_index('ix_notification_recipient_user_ack',
                              ['user_id', 'acknowledged_at'], unique=False)

    _move_notice_attachments()
    with op.batch_alter_table('notice_attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notice_attachment_notice_id'))
    op.drop_table('notice_attachment')


def _move_notice_attachments() -> None:
    """Same ids (old download links keep working), the notice's author as the uploader (the
    old rows did not say who), the SHA-256 computed, the type told from the bytes."""
    bind = op.get_bind()
    old = sa.table('notice_attachment', sa.column('id', sa.Integer), sa.column('notice_id'),
                   sa.column('filename'), sa.column('size'), sa.column('data', sa.LargeBinary),
                   sa.column('created_at', bastion.core.db.UTCDateTime()))
    notice = sa.table('notice', sa.column('id'), sa.column('created_by_id'))
    new = sa.table('attachment', *(sa.column(c) for c in (
        'id', 'record_kind', 'record_id', 'filename', 'content_type', 'size', 'sha256',
        'created_by_id')), sa.column('data', sa.LargeBinary),
        sa.column('created_at', bastion.core.db.UTCDateTime()))
    rows = bind.execute(sa.select(old, notice.c.created_by_id)
                        .join(notice, notice.c.id == old.c.notice_id).order_by(old.c.id))
    moved = 0
    for row in rows:
        data = bytes(row.data)
        bind.execute(new.insert().values(
            id=row.id, record_kind='notice', record_id=row.notice_id, filename=row.filename,
            content_type=_sniffed(data), size=row.size, sha256=hashlib.sha256(data).hexdigest(),
            created_by_id=row.created_by_id, data=data, created_at=row.created_at))
        moved += 1
    if moved and bind.dialect.name == 'postgresql':
        # Rows inserted with their ids: move the sequence past them.
        op.execute("SELECT setval(pg_get_serial_sequence('attachment', 'id'), "
                   "(SELECT max(id) FROM attachment))")


def downgrade() -> None:
    op.create_table(
        'notice_attachment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('notice_id', sa.Integer(), nullable=False),
        sa.Column('filename', sa.String(length=255), nullable=False),
        sa.Column('content_type', sa.String(length=100), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.Column('created_at', bastion.core.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['notice_id'], ['notice.id'],
                                name=op.f('fk_notice_attachment_notice_id_notice'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_notice_attachment')),
    )
    with op.batch_alter_table('notice_attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notice_attachment_notice_id'), ['notice_id'],
                              unique=False)
    # Notices' files go back (other kinds' files had no home before this revision).
    op.execute("INSERT INTO notice_attachment (id, notice_id, filename, content_type, size, "
               "data, created_at) SELECT id, record_id, filename, content_type, size, data, "
               "created_at FROM attachment WHERE record_kind = 'notice' "
               "AND record_id IN (SELECT id FROM notice)")
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("SELECT setval(pg_get_serial_sequence('notice_attachment', 'id'), "
                   "coalesce((SELECT max(id) FROM notice_attachment), 1))")
    with op.batch_alter_table('notification_recipient', schema=None) as batch_op:
        batch_op.drop_index('ix_notification_recipient_user_ack')
    op.drop_table('notification_recipient')
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notification_created_at'))
    op.drop_table('notification')
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachment_sha256'))
        batch_op.drop_index('ix_attachment_record')
    op.drop_table('attachment')
