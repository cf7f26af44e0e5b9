"""Qt widgets only. Views call services, never SQL."""

