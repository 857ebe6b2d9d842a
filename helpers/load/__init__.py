"""Load stage: files, folders, feeds, archives and frames into one articles table (one row per article)."""
