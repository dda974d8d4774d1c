"""audit events chained by hash, with the IP address and user agent

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02

Existing events are chained in the order they were written (by id), so `flask --app wsgi audit verify` holds from
the first event.
"""

from alembic import op
import sqlalchemy as sa

from portal.domain.audit_chain import GENESIS, HASHED_FIELDS, event_hash
from portal.models.base import UTCDateTime


# revision identifiers, used by Alembic.
revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

audit_event = sa.table(
    "audit_event",
    sa.column("id", sa.Integer),
    sa.column("occurred_at", UTCDateTime),
    sa.column("actor_id", sa.Integer),
    sa.column("actor_label", sa.String),
    sa.column("action", sa.String),
    sa.column("object_type", sa.String),
    sa.column("object_id", sa.Integer),
    sa.column("submission_id", sa.Integer),
    sa.column("before", sa.JSON),
    sa.column("after", sa.JSON),
    sa.column("request_id", sa.String),
    sa.column("ip_address", sa.String),
    sa.column("user_agent", sa.String),
    sa.column("chain_seq", sa.BigInteger),
    sa.column("prev_hash", sa.String),
    sa.column("hash", sa.String),
)


def _chain_existing_events():
    connection = op.get_bind()
    columns = [audit_event.c[name] for name in HASHED_FIELDS]
    rows = connection.execute(sa.select(audit_event.c.id, *columns).order_by(audit_event.c.id)).all()
    prev = GENESIS
    for seq, row in enumerate(rows, start=1):
        digest = event_hash(seq, prev, {name: row._mapping[name] for name in HASHED_FIELDS})
        connection.execute(
            audit_event.update().where(audit_event.c.id == row.id).values(chain_seq=seq, prev_hash=prev, hash=digest)
        )
        prev = digest


def upgrade():
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ip_address", sa.String(length=45), nullable=True))
        batch_op.add_column(sa.Column("user_agent", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("chain_seq", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("hash", sa.String(length=64), nullable=True))
    _chain_existing_events()
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.alter_column("chain_seq", existing_type=sa.BigInteger(), nullable=False)
        batch_op.alter_column("prev_hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column("hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_audit_event_chain_seq"), ["chain_seq"])


def downgrade():
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_audit_event_chain_seq"), type_="unique")
        batch_op.drop_column("hash")
        batch_op.drop_column("prev_hash")
        batch_op.drop_column("chain_seq")
        batch_op.drop_column("user_agent")
        batch_op.drop_column("ip_address")
