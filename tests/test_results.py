"""Result values: frozen, equal by value, and the same however they are made."""

from __future__ import annotations

import copy
import dataclasses
import pickle

import pytest

from callcheck._results import Callback, Note, NumberCheck, ProviderRef, ReportTo, make_number_check

FIELDS = (
    "951880",
    "+86951880",
    "CN",
    "lookalike",
    "high",
    ProviderRef("alipay", "Alipay"),
    None,
    (Note("lookalike_extra_digits", "+86 951880 is ..."),),
    (Note("hang_up_lookalike", "Hang up."), Note("never_share", "Never ...")),
    (Callback("alipay", "95188", "+8695188", "CN", "Customer service hotline"),),
    6,
    False,
    "en",
    (ReportTo("cn-110", "Police", "phone", "110", ""),),
)


def test_a_result_made_for_bulk_checks_is_the_number_check() -> None:
    made, built = make_number_check(*FIELDS), NumberCheck(*FIELDS)
    assert type(made) is NumberCheck
    assert made == built and hash(made) == hash(built) and repr(made) == repr(built)
    assert made.to_dict() == built.to_dict()
    assert pickle.loads(pickle.dumps(made)) == built
    assert copy.copy(made) == built == copy.deepcopy(made)
    assert made.replace(input="95188") == built.replace(input="95188")


@pytest.mark.parametrize("make", [NumberCheck, make_number_check])
def test_results_are_frozen(make: type[NumberCheck]) -> None:
    result = make(*FIELDS)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.input = "95188"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del result.verdict  # type: ignore[misc]
    assert result.input == "951880" and result.verdict == "lookalike"
