"""Treebank tokens of a whole corpus at once: each distinct whitespace-separated piece is tokenised once by
:func:`helpers.text.words.word_regex`, sentences come from the model, and the rows (or the counts) are numpy gathers.
:func:`helpers.text.words.split_words`, text by text, is the reference it is tested against."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from helpers.frames import gather as gather_rows
from helpers.text.characters import CLOSER, OPENER, SPACE, character_flags
from helpers.text.words import FINAL_PERIOD, final_periods, split_words, word_regex

def split_corpus(texts: Sequence[str], sentence_model, *, web: bool = False) -> dict:
    """Sentences and Treebank tokens of many texts at once, as arrays: what :func:`split_words` gives text by
    text with ``sentence_model.spans``.

    Tokens never span whitespace and the pattern reads whitespace and the end of a text alike (one exception,
    ``wanna`` at the very end, is handled), so each whitespace-separated piece has the same tokens wherever it
    occurs. The texts are joined, the pieces split and factorised and the distinct pieces tokenised in one pass
    of the pattern (:func:`model_free_stage`); then sentences are found by ``sentence_model.corpus_spans`` and a
    piece holding a sentence's final period is tokenised again with it marked, since NLTK splits that period off
    (``Embassy.`` ending a sentence is ``Embassy .``). The rows come from numpy gathers: no Python object per
    token. :func:`split_words`, text by text, is the reference it is tested against.

    Returns ``text`` (index into ``texts``), ``sentence``, ``position``, ``start``, ``end`` (offsets into each
    text) and ``token`` (codes into ``vocabulary``).

    >>> from helpers.text.sentences import sentence_model
    >>> split = split_corpus(["See the U.S. Embassy. It is in D.C."], sentence_model(pretrained=False))
    >>> [split["vocabulary"][c] for c in split["token"]]
    ['See', 'the', 'U.S.', 'Embassy', '.', 'It', 'is', 'in', 'D.C', '.']
    >>> split["sentence"].tolist(), split["start"].tolist()[5:]
    ([0, 0, 0, 0, 0, 1, 1, 1, 1, 1], [22, 25, 28, 31, 34])
    """
    return rows_from_stage(model_free_stage(texts, web), sentence_model)


def rows_from_stage(stage: dict, sentence_model) -> dict:
    """:func:`split_corpus`'s result from its model-free stage (see :func:`model_free_stage`)."""
    texts = stage["texts"]
    if stage.get("empty"):
        empty = np.zeros(0, dtype=np.int32)
        return {"text": empty, "sentence": empty, "position": empty, "start": empty, "end": empty,
                "token": empty, "vocabulary": []}
    if stage["genuine_marks"]:
        return _text_by_text(texts, sentence_model, stage["web"])
    stage = sentence_stage(stage, sentence_model)
    # Every array is int32 (offsets in a chunk of articles fit): half the memory to touch of int64.
    i32 = np.int32
    n_tokens, piece_codes = stage["n_tokens"].astype(i32), stage["piece_codes"]
    type_first = np.cumsum(n_tokens, dtype=i32) - n_tokens
    per_piece = n_tokens[piece_codes]
    total = int(per_piece.sum(dtype=np.int64))
    run_start = np.cumsum(per_piece, dtype=i32) - per_piece
    gather = np.repeat(type_first[piece_codes] - run_start, per_piece)
    gather += np.arange(total, dtype=i32)
    token = gather_rows(stage["flat_ids"].astype(i32, copy=False), gather)
    start = np.repeat(stage["piece_start"].astype(i32), per_piece)
    start += gather_rows(stage["flat_intra"].astype(i32), gather)
    vocabulary = stage["vocabulary"]
    used = np.bincount(token, minlength=len(vocabulary)) > 0
    if not used.all():  # tokens only of pieces that were marked again ("1868." ending a sentence)
        token = gather_rows(np.cumsum(used, dtype=i32) - 1, token)
        vocabulary = [t for t, u in zip(vocabulary, used.tolist()) if u]
    token_length = np.fromiter(map(len, vocabulary), dtype=i32, count=len(vocabulary))
    text_starts, n_spans = stage["text_starts"].astype(i32), stage["n_spans"]
    # Tokens are in text order, so each token's text and sentence are runs: where each text's and each sentence's
    # tokens begin is found for the few texts and sentences, and the runs repeated (no search per token).
    per_text = np.diff(np.append(np.searchsorted(start, text_starts), total))
    text = np.repeat(np.arange(len(texts), dtype=i32), per_text)
    position = np.arange(total, dtype=i32)
    position -= np.repeat((np.cumsum(per_text) - per_text).astype(i32), per_text)
    sentence_first = np.searchsorted(start, stage["bounds"][:, 0].astype(i32))
    per_sentence = np.diff(np.concatenate([[0], sentence_first, [total]]))
    sentence = np.repeat(np.arange(-1, len(sentence_first), dtype=i32), per_sentence)
    sentence -= np.repeat((np.cumsum(n_spans) - n_spans).astype(i32), per_text)
    np.maximum(sentence, 0, out=sentence)
    start -= np.repeat(text_starts, per_text)
    return {"text": text, "sentence": sentence, "position": position, "start": start,
            "end": start + gather_rows(token_length, token), "token": token, "vocabulary": vocabulary}


def _text_by_text(texts: Sequence[str], sentence_model, web: bool) -> dict:
    """:func:`split_corpus` through :func:`split_words`, for texts that hold the final-period marker character
    themselves (a private-use character: the marked pieces could not tell the two apart)."""
    vocabulary: dict[str, int] = {}
    columns = {"text": [], "sentence": [], "position": [], "start": [], "end": [], "token": []}
    for index, text in enumerate(texts):
        tokens, starts, ends, sentence = split_words(text, sentence_model.spans(text), web=web)
        columns["text"].append(np.full(len(tokens), index, dtype=np.int32))
        columns["sentence"].append(sentence.astype(np.int32))
        columns["position"].append(np.arange(len(tokens), dtype=np.int32))
        columns["start"].append(starts.astype(np.int32))
        columns["end"].append(ends.astype(np.int32))
        columns["token"].append(np.array([vocabulary.setdefault(t, len(vocabulary)) for t in tokens], dtype=np.int32))
    return {**{name: np.concatenate(parts) for name, parts in columns.items()}, "vocabulary": list(vocabulary)}


def count_corpus(texts: Sequence[str], sentence_model, *, web: bool = False):
    """Counts of each Treebank token in each text, as :func:`split_corpus` would give them, without the rows.

    Each distinct piece's tokens are known, so the counts are (texts x pieces) @ (pieces x tokens): two sparse
    matrices. Returns ``(matrix, vocabulary)``: a CSR matrix of int64 counts (one row per text) and the token of
    each column.

    >>> from helpers.text.sentences import sentence_model
    >>> matrix, vocabulary = count_corpus(["Libya's MoU. Libya signed."], sentence_model(pretrained=False))
    >>> sorted(zip(vocabulary, matrix.toarray()[0].tolist()))
    [("'s", 1), ('.', 2), ('Libya', 2), ('MoU', 1), ('signed', 1)]
    """
    return counts_from_stage(model_free_stage(texts, web), sentence_model)


def counts_from_stage(stage: dict, sentence_model):
    """:func:`count_corpus`'s result from its model-free stage (see :func:`model_free_stage`)."""
    from scipy import sparse

    texts = stage["texts"]
    if stage.get("empty") or stage["genuine_marks"]:
        split = rows_from_stage(stage, sentence_model)
        matrix = sparse.csr_matrix((np.ones(len(split["token"]), dtype=np.int64), (split["text"], split["token"])),
                                   shape=(len(texts), len(split["vocabulary"])))
        return matrix, split["vocabulary"]
    stage = sentence_stage(stage, sentence_model)
    n_types = len(stage["piece_types"])
    # Pieces are in text order, so each text's row is a run of them: the CSR arrays directly, without sorting
    # (repeated pieces stay separate entries, which the product sums).
    piece_codes = stage["piece_codes"]
    first_piece = np.append(np.searchsorted(stage["piece_start"], stage["text_starts"]), len(piece_codes))
    pieces = sparse.csr_matrix((np.ones(len(piece_codes), dtype=np.int64), piece_codes, first_piece),
                               shape=(len(texts), n_types))
    tokens = sparse.csr_matrix((np.ones(len(stage["flat_ids"]), dtype=np.int64),
                                (np.repeat(np.arange(n_types), stage["n_tokens"]), stage["flat_ids"])),
                               shape=(n_types, len(stage["vocabulary"])))
    counts = (pieces @ tokens).tocsr()
    used = np.flatnonzero(np.bincount(counts.indices, minlength=counts.shape[1]) > 0)
    if len(used) < counts.shape[1]:  # tokens only of pieces that were marked again ("1868." ending a sentence)
        counts = counts[:, used]
        return counts, [stage["vocabulary"][i] for i in used.tolist()]
    return counts, stage["vocabulary"]


def model_free_stage(texts: Sequence[str], web: bool) -> dict | None:
    """The part of :func:`split_corpus` that needs no sentence model: the texts joined, their character flags,
    the whitespace-separated pieces and each distinct piece's Treebank tokens (worker processes run it while the
    sentence model is trained)."""
    if not len(texts):
        return {"texts": texts, "empty": True}
    corpus = "\n".join([*texts, ""])  # each text followed by a newline, without copying the corpus to add the last
    text_lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    text_starts = np.cumsum(text_lengths + 1) - text_lengths - 1
    codepoints, flags = character_flags(corpus)
    space = (flags & SPACE).astype(bool)
    # Pieces are the runs of non-space characters: each starts where a space is followed by a non-space (a
    # comparison of bools: four times faster than np.diff with prepend and append).
    change = np.empty(len(space) + 1, dtype=bool)
    change[0], change[-1] = not space[0], not space[-1]
    np.not_equal(space[1:], space[:-1], out=change[1:-1])
    edges = np.flatnonzero(change)
    piece_start = edges[::2]
    piece_codes, piece_types = _pieces(corpus, codepoints, space, piece_start, edges[1::2])
    if not len(piece_codes):
        return {"texts": texts, "empty": True}
    n_tokens, flat_ids, flat_intra, vocabulary = _tokenize_pieces(piece_types, web)
    piece_codes, piece_types, n_tokens, flat_ids, flat_intra = _mend_text_final_pieces(
        texts, piece_codes, piece_types, n_tokens, flat_ids, flat_intra, vocabulary, web)
    return {"texts": texts, "web": web, "corpus": corpus, "codepoints": codepoints, "flags": flags,
            "text_starts": text_starts, "text_lengths": text_lengths, "piece_codes": piece_codes,
            "piece_types": piece_types, "piece_start": piece_start, "n_tokens": n_tokens, "flat_ids": flat_ids,
            "flat_intra": flat_intra, "vocabulary": vocabulary,
            "genuine_marks": bool((codepoints == ord(FINAL_PERIOD)).any())}  # 8x faster than a search of corpus


def sentence_stage(stage: dict, sentence_model) -> dict:
    """Sentences for a :func:`model_free_stage`, and each piece that holds a sentence's final period tokenised
    again with that period marked (NLTK splits it off: ``Embassy.`` ending a sentence is ``Embassy .``)."""
    bounds, n_spans = sentence_model.corpus_spans(stage["corpus"], stage["codepoints"], stage["flags"],
                                                  stage["text_starts"], stage["text_lengths"])
    stage = {**stage, "bounds": bounds, "n_spans": n_spans}
    marks = _final_period_array(stage["corpus"], stage["codepoints"], stage["flags"], bounds)
    if not len(marks):
        return stage
    piece_start, piece_codes, piece_types = stage["piece_start"], stage["piece_codes"], stage["piece_types"]
    owner = np.searchsorted(piece_start, marks, side="right") - 1
    offset = marks - piece_start[owner]
    alone = np.ones(len(marks), dtype=bool)
    alone[1:] &= owner[1:] != owner[:-1]
    alone[:-1] &= owner[:-1] != owner[1:]
    # A marked piece is its piece type with one character replaced: build each distinct (type, offset) once.
    stride = max(map(len, piece_types)) + 1
    keys, distinct = pd.factorize(piece_codes[owner[alone]].astype(np.int64) * stride + offset[alone])
    variants = [_marked(piece_types[key // stride], [key % stride]) for key in distinct.tolist()]
    codes = piece_codes.copy()
    codes[owner[alone]] = len(piece_types) + keys
    if not alone.all():  # a piece holding two final periods ("a.b." split by realignment): rare
        shared = np.flatnonzero(~alone)
        for piece in np.unique(owner[shared]).tolist():
            codes[piece] = len(piece_types) + len(variants)
            variants.append(_marked(piece_types[piece_codes[piece]], offset[owner == piece].tolist()))
    n_new, new_ids, new_intra, new_vocabulary = _tokenize_pieces(variants, stage["web"])
    vocabulary = list(stage["vocabulary"])
    known = {token: i for i, token in enumerate(vocabulary)}
    # In a marked piece the marker is the final period; a marker the text itself holds is left to the slow path.
    recode = np.array([known.setdefault("." if token == FINAL_PERIOD else token, len(known))
                       for token in new_vocabulary], dtype=np.int32)
    vocabulary = list(known)
    return {**stage, "piece_codes": codes, "piece_types": list(piece_types) + variants,
            "n_tokens": np.concatenate([stage["n_tokens"], n_new]),
            "flat_ids": np.concatenate([stage["flat_ids"], recode[new_ids]]),
            "flat_intra": np.concatenate([stage["flat_intra"], new_intra]), "vocabulary": vocabulary}


def _marked(piece: str, offsets: list[int]) -> str:
    for offset in offsets:
        piece = piece[:offset] + FINAL_PERIOD + piece[offset + 1:]
    return piece


_ASCII_WHITESPACE = bytes([9, 10, 11, 12, 13, 28, 29, 30, 31, 32])  # the ASCII characters str.isspace holds


def _pieces(corpus: str, codepoints: np.ndarray, space: np.ndarray, starts: np.ndarray,
            ends: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """The whitespace-separated pieces of ``corpus`` (each from ``starts`` to ``ends``), factorised: codes in order,
    and the distinct pieces.

    Arrow factorises them without a Python string per piece: the text's UTF-8 bytes with every whitespace
    character deleted are the pieces one after another, and each piece's byte length (its characters, plus the
    extra bytes of the few that are not ASCII) gives the offsets. Text that is no UTF-8 (lone surrogates) goes
    through ``str.split``."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        data = corpus.encode("utf-8")
    except UnicodeError:
        codes, uniques = pd.factorize(np.array(corpus.split(), dtype=object))
        return codes, uniques.tolist()
    lengths = ends - starts
    if len(data) != len(corpus):
        wide = np.flatnonzero(codepoints >= 0x80)
        wide_space = space[wide]
        for code in np.unique(codepoints[wide[wide_space]]).tolist():  # a no-break space: no piece's bytes
            data = data.replace(chr(code).encode("utf-8"), b"")
        wide = wide[~wide_space]
        extra = (codepoints[wide] >= 0x800).astype(np.int64) + (codepoints[wide] >= 0x10000) + 1
        owner = np.searchsorted(starts, wide, side="right") - 1
        np.add.at(lengths, owner, extra)  # the few wide characters added where they are (no array per piece)
    data = data.translate(None, _ASCII_WHITESPACE)
    offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    pieces = pa.LargeStringArray.from_buffers(len(lengths), pa.py_buffer(offsets), pa.py_buffer(data))
    encoded = pc.dictionary_encode(pieces)
    return encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64), encoded.dictionary.to_pylist()


def _final_period_array(corpus: str, codepoints: np.ndarray, flags: np.ndarray, bounds: np.ndarray,
                        window: int = 8) -> np.ndarray:
    """:func:`final_periods` for all sentences at once (``bounds``: start, end rows in ``corpus``).

    Only the last few characters of a sentence matter: they are read as a (sentences x window) block; a sentence
    whose window holds nothing but spaces and closers goes through the character loop."""
    bounds = bounds[bounds[:, 1] > bounds[:, 0]]
    if not len(bounds):
        return np.zeros(0, dtype=np.int64)
    starts, ends = bounds[:, :1], bounds[:, 1:]
    position = ends - 1 - np.arange(window)
    inside = position >= starts
    position = np.maximum(position, 0)
    char, flag = codepoints[position], flags[position]
    before = flags[np.maximum(position - 1, 0)]
    space = inside & (flag & SPACE).astype(bool)
    # A straight quote at the start or after a space or bracket has become NLTK's opening ``, which is no closer.
    opening_quote = (char == ord('"')) & ((position == starts) | (before & OPENER).astype(bool))
    closer = inside & (flag & CLOSER).astype(bool) & ~opening_quote
    first_non_space = np.argmax(~space, axis=1)
    columns = np.arange(window)
    stop = ~closer & (columns >= first_non_space[:, None])
    decided = stop.any(axis=1) & ~space.all(axis=1)
    k = np.argmax(stop, axis=1)
    rows = np.arange(len(bounds))
    i = position[rows, k]
    period = (decided & inside[rows, k] & (i > starts[:, 0]) & (char[rows, k] == ord("."))
              & (codepoints[np.maximum(i - 1, 0)] != ord(".")))
    undecided = [(int(s), int(e)) for s, e in bounds[~decided]]
    return np.sort(np.concatenate([i[period], np.array(final_periods(corpus, undecided), dtype=np.int64)]))


def _tokenize_pieces(pieces: list[str], web: bool):
    """Tokens of each distinct piece, from one pass of the pattern over them all (space-joined: tokens never
    span whitespace, and the space after each piece stands for the whitespace after it in a text).

    Returns ``n_tokens`` per piece, flat token codes into ``vocabulary``, each token's offset in its piece, and
    ``vocabulary``. The distinct pieces are a small part of a corpus, so the contraction rules always run."""
    lengths = np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces))
    tokens = word_regex(web, True).findall(" ".join(pieces) + " ")
    token_lengths = np.fromiter(map(len, tokens), dtype=np.int64, count=len(tokens))
    # Tokens tile each piece's characters, so a token's piece follows from the running count of characters.
    piece_ends = np.cumsum(lengths)
    token_starts = np.cumsum(token_lengths) - token_lengths
    owner = np.searchsorted(piece_ends, token_starts, side="right")
    intra = token_starts - (piece_ends - lengths)[owner]
    codes, vocabulary = pd.factorize(np.array(tokens, dtype=object))
    return np.bincount(owner, minlength=len(pieces)), codes.astype(np.int32), intra, vocabulary.tolist()


def _mend_text_final_pieces(texts, piece_codes, piece_types, n_tokens, flat_ids, flat_intra, vocabulary, web):
    """A text's last piece has no whitespace after it: only ``wanna`` tokenises differently there."""
    unchanged = piece_codes, piece_types, n_tokens, flat_ids, flat_intra
    if "wanna" not in " ".join(piece_types).lower():
        return unchanged
    last_pieces = np.cumsum([len(text.split()) for text in texts]) - 1
    final = [int(i) for text, i in zip(texts, last_pieces)
             if text and not text[-1].isspace() and "wanna" in text[-5:].lower()]
    if not final:
        return unchanged
    for index in final:
        piece = piece_types[piece_codes[index]]
        tokens = word_regex(web, True).findall(piece)
        piece_codes[index] = len(piece_types)
        piece_types = piece_types + [piece]
        n_tokens = np.append(n_tokens, len(tokens))
        for token in tokens:
            if token not in vocabulary:
                vocabulary.append(token)
        flat_ids = np.append(flat_ids, [vocabulary.index(t) for t in tokens]).astype(np.int32)
        flat_intra = np.append(flat_intra, np.cumsum([0] + [len(t) for t in tokens[:-1]]))
    return piece_codes, piece_types, n_tokens, flat_ids, flat_intra
