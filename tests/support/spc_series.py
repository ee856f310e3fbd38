"""Series the SPC rebase tests share (tests/test_spc_rebase.py, tests/test_events.py).

``WORKED`` is tests/test_spc.py's 20-point series worked by hand (mean 11.45, limits 7.95 to
14.95); ``FLAT_20`` twelve months of 20 and 21 (mean 20.5, mR-bar 1, limits 17.84 to 23.16)."""

WORKED = [10, 12, 11, 13, 12, 11, 10, 12, 13, 11, 12, 10, 11, 12, 13, 12, 11, 10, 12, 11]
FLAT_20 = [20, 21, 20, 21, 20, 21, 20, 21, 20, 21, 20, 21]
