# The policies were piloted in report-only; this repository now enforces them.
enforce_state = "enabled"
