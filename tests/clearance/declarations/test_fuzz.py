"""Whatever is uploaded, validation reports problems and never raises."""

from hypothesis import given, settings
from hypothesis import strategies as st

from bastion.clearance import validate_bytes
from bastion.clearance.declarations.forms import FORMS

from .build import table, to_csv

HEAD = to_csv(table("crew")[:1])


@settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=2000), form=st.sampled_from(list(FORMS)))
def test_arbitrary_bytes_never_raise(data, form):
    validate_bytes(data, form)
    validate_bytes(b"PK\x03\x04" + data, form)


@settings(max_examples=150, deadline=None)
@given(cells=st.lists(st.lists(st.text(max_size=60), min_size=0, max_size=16), max_size=5))
def test_arbitrary_cells_under_real_headings_never_raise(cells):
    body = to_csv([[c.replace("\x00", "") for c in row] for row in cells])
    result = validate_bytes(HEAD + body, "crew")
    assert result.ok or result.rows == []
