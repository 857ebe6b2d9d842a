"""Store helpers at the bottom, free of any stage: how results are kept, never what they are.

- :mod:`helpers.store.files`: atomic writes (a reader sees the old file or the new one, never half), hashes;
- :mod:`helpers.store.keys`: cache keys (the code a step uses, its options, the kit version, a frame's values);
- :mod:`helpers.store.shards`: per-article rows in Parquet shards, and any list of articles rebuilt from them;
- :mod:`helpers.store.per_article`: :func:`~helpers.store.per_article.cached_per_article`, a per-article statistic
  computed only for new articles;
- :mod:`helpers.store.article_values`: labels, rows of numbers or objects kept per article.

The caches built on them live with their stage: :mod:`helpers.load.load_cache` and :mod:`helpers.load.story_cache`
(``load/``, ``inputs/``, ``stories/`` in the cache folder), :mod:`helpers.text.sentence_store` and
:mod:`helpers.text.token_cache` (``sentence-models/``, ``tokens/``). The cache folder is
:func:`helpers.settings.cache_dir` (``NEWSKIT_CACHE``, default ``.cache/`` in the project).
"""
