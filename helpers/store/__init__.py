"""Store helpers at the bottom: atomic files, content keys, per-article shards."""
