"""data element also counted in: units of another family counted one for one (受灾人口 in 人次)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 01:00:00

"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "0008"
down_revision: Union[str, Sequence[str], None] = "0007"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# The starter dictionary's elements counted in a unit of another family too: 人次 for the
# disaster counts (自然灾害情况统计调查制度), 具 for cremations. A dictionary loaded before
# this revision gets what elements.json now says of them, unless a reviewer has since
# changed their unit.
ALSO_COUNTED_IN = {
    "人次": ("DISASTER_AFFECTED", "EVACUATED", "EMERGENCY_LIVING_AID_POP"),
    "具": ("CREMATIONS",),
}


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("data_element") as batch:
        batch.add_column(
            sa.Column("also_counted_in", sa.JSON(), server_default="[]", nullable=False)
        )
    element = sa.table(
        "data_element",
        sa.column("code", sa.String),
        sa.column("unit", sa.String),
        sa.column("also_counted_in", sa.JSON),
    )
    for unit, codes in ALSO_COUNTED_IN.items():
        op.execute(
            element.update()
            .where(element.c.code.in_(codes), element.c.unit == "人")
            .values(also_counted_in=[unit])
        )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("data_element") as batch:
        batch.drop_column("also_counted_in")
