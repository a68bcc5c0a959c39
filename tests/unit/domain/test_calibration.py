"""A score as a probability: linear between the fitted points, flat beyond them."""

from __future__ import annotations

import math

import pytest

from socialcare.domain.calibration import IDENTITY, Calibration


def test_a_score_between_two_points_is_read_on_the_line_between_them():
    calibration = Calibration((0.2, 0.6, 0.9), (0.1, 0.5, 0.95))
    assert math.isclose(calibration(0.4), 0.3)
    assert calibration(0.6) == 0.5


def test_beyond_the_points_the_nearest_value_holds():
    calibration = Calibration((0.2, 0.9), (0.1, 0.95))
    assert calibration(0.0) == 0.1
    assert calibration(1.0) == 0.95


def test_identity_leaves_a_score_as_it_is():
    assert IDENTITY(0.42) == 0.42


@pytest.mark.parametrize(
    ("points", "values"), [((0.5, 0.2), (0.1, 0.2)), ((0.1,), (0.1, 0.2)), ((), ())]
)
def test_a_map_that_is_not_one_is_refused(points, values):
    with pytest.raises(ValueError, match="calibration"):
        Calibration(points, values)
