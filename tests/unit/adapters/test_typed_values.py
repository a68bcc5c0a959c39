"""The case store's own DynamoDB value encoding must stay exactly boto3's."""

from boto3.dynamodb.types import TypeSerializer
from hypothesis import given, settings
from hypothesis import strategies as st

from socialcare.adapters.dynamodb.items import encode_value

_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.integers(min_value=10**37) | st.text(),
    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
    max_leaves=20,
)


@settings(max_examples=500)
@given(_VALUES)
def test_every_case_value_is_encoded_as_boto3_encodes_it(value):
    # Given any value a case holds (strings, whole numbers, booleans, maps, lists, null)
    # When the store encodes it
    # Then it is exactly what boto3's TypeSerializer gives, or the same refusal (a whole
    # number past DynamoDB's 38 digits)
    assert _outcome(encode_value, value) == _outcome(TypeSerializer().serialize, value)


def _outcome(encode, value):
    try:
        return encode(value)
    except ArithmeticError as error:
        return type(error)
