"""Text stage: sentences, words and tokens (one row per token)."""
