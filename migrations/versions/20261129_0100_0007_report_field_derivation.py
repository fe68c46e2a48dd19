"""report field derivation: a figure worked out from its element (本年累计)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 01:00:00

"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "0007"
down_revision: Union[str, Sequence[str], None] = "0006"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("report_field") as batch:
        batch.add_column(sa.Column("derivation", sa.String(length=16), nullable=True))
        batch.create_check_constraint(
            op.f("ck_report_field_derivation"),
            "derivation is null or (derivation = 'to_date' and element_id is not null)",
        )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("report_field") as batch:
        batch.drop_constraint(op.f("ck_report_field_derivation"), type_="check")
        batch.drop_column("derivation")
