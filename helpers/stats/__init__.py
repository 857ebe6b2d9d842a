"""Statistics stage: tables computed from tokens (one row per term, group, article ...)."""
