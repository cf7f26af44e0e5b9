"""Pure rules: validation, money, periods, subsidy, coverage. No I/O, no Qt, no SQL."""

