# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Byte-pair encoding run by hand
#
# The notebook learns byte-pair encoding (BPE) merges on the four-word corpus of Sennrich, Haddow and Birch (2016), draws the segmentation after each merge, and then learns merges on a paragraph of English to show how the token count falls as the vocabulary grows.
# The checks compare independent routes: a naive trainer that recounts every pair at every step against an incremental trainer that only updates the words a merge touches; the training segmentation against encoding by merge rank (the rule GPT-2's tokeniser uses); the token count of the corpus against the count predicted from the pair frequencies; and a byte-level BPE that round-trips text with characters it never saw, where a character-level BPE must emit unknown symbols.

# %%
import re
from collections import Counter, defaultdict

import matplotlib.pyplot as plt
import numpy as np
from handbook_nb import bind, check, save_figure
import itertools

rng = np.random.default_rng(0)  # not used for BPE itself, which is deterministic; kept for the house style

END = "_"  # end-of-word marker, so that "st" at the end of a word and "st" inside one are different tokens

# %% [markdown]
# ## Two trainers that must agree
#
# A corpus is a table of word counts; each word starts as its characters plus the end-of-word marker.
# At each step BPE counts every pair of adjacent symbols, weighted by word counts, merges the most frequent pair everywhere (left to right, without overlaps), and records the merge.
# Ties are broken alphabetically, so the run is deterministic (Sennrich et al.'s reference code takes the first pair it met instead).


# %%
def merge_word(symbols, pair):
    """Replace every non-overlapping occurrence of `pair`, scanning left to right."""
    out, i = [], 0
    while i < len(symbols):
        if i + 1 < len(symbols) and (symbols[i], symbols[i + 1]) == pair:
            out.append(symbols[i] + symbols[i + 1])
            i += 2
        else:
            out.append(symbols[i])
            i += 1
    return tuple(out)


def best_pair(counts):
    """Highest count first, then alphabetical order of the pair."""
    return min(counts, key=lambda p: (-counts[p], p))


def bpe_naive(word_counts, n_merges):
    """Recount every adjacent pair over the whole corpus at every step."""
    seg = {w: (*tuple(w), END) for w in word_counts}
    merges, freqs = [], []
    for _ in range(n_merges):
        counts = Counter()
        for w, c in word_counts.items():
            for a, b in zip(seg[w], seg[w][1:], strict=False):
                counts[a, b] += c
        if not counts:
            break
        pair = best_pair(counts)
        merges.append(pair)
        freqs.append(counts[pair])
        seg = {w: merge_word(s, pair) for w, s in seg.items()}
    return merges, freqs, seg


def pair_counts_of(symbols):
    return Counter(itertools.pairwise(symbols))


def bpe_incremental(word_counts, n_merges):
    """Keep global pair counts and an index pair -> words; after a merge, update only the words that held the pair."""
    seg = {w: (*tuple(w), END) for w in word_counts}
    counts, where = Counter(), defaultdict(set)
    for w, s in seg.items():
        for p, m in pair_counts_of(s).items():
            counts[p] += m * word_counts[w]
            where[p].add(w)
    merges, freqs = [], []
    for _ in range(n_merges):
        counts = Counter({p: c for p, c in counts.items() if c > 0})
        if not counts:
            break
        pair = best_pair(counts)
        merges.append(pair)
        freqs.append(counts[pair])
        for w in sorted(where[pair]):
            old, new = seg[w], merge_word(seg[w], pair)
            if old == new:
                continue
            for p, m in pair_counts_of(old).items():
                counts[p] -= m * word_counts[w]
            for p, m in pair_counts_of(new).items():
                counts[p] += m * word_counts[w]
                where[p].add(w)
            seg[w] = new
    return merges, freqs, seg


def encode_by_rank(word, merges):
    """Encode a new word as GPT-2's tokeniser does: repeatedly merge the adjacent pair with the lowest merge rank."""
    rank = {p: i for i, p in enumerate(merges)}
    s = (*tuple(word), END)
    while len(s) > 1:
        pair = min(itertools.pairwise(s), key=lambda p: rank.get(p, np.inf))
        if pair not in rank:
            break
        s = merge_word(s, pair)
    return s


# %% [markdown]
# ## The toy corpus of Sennrich et al. (2016)
#
# Five "low", two "lower", six "newest" and three "widest", with ten merges.

# %%
toy = {"low": 5, "lower": 2, "newest": 6, "widest": 3}
n_merges_toy = 10
merges, freqs, seg_toy = bpe_naive(toy, n_merges_toy)
merges_inc, freqs_inc, seg_inc = bpe_incremental(toy, n_merges_toy)
check(
    merges == merges_inc and freqs == freqs_inc and seg_toy == seg_inc,
    "toy corpus: the naive and the incremental trainer learn the same 10 merges with the same counts",
)
for i, (p, f) in enumerate(zip(merges, freqs, strict=True), 1):
    print(f"merge {i:2d}: {p[0]} + {p[1]} -> {p[0] + p[1]}   (count {f})")
bind("n_merges_toy", n_merges_toy)
bind("n_word_tokens", sum(toy.values()))
bind("count_low", toy["low"])
bind("count_lower", toy["lower"])
bind("count_newest", toy["newest"])
bind("count_widest", toy["widest"])
bind("first_merge_count", freqs[0])
merge_low_idx = 1 + merges.index(("lo", "w"))  # 1-based number of the merge that builds "low"
est_merges = [m_ for m_ in merges if (m_[0] + m_[1]) in {"es", "est", "est_"}]
check(
    est_merges == merges[:3] and merges[3:merge_low_idx] == [("l", "o"), ("lo", "w")],
    "the first three merges build est_, and the next two build low",
)
bind("n_merges_est", len(est_merges))
bind("merge_low_idx", merge_low_idx)
bind("fifth_merge_count", freqs[merge_low_idx - 1])

# The first merge by hand: count every adjacent pair, weighted by word counts
pairs0 = Counter()
for w, c in toy.items():
    s = (*tuple(w), END)
    for a, b in itertools.pairwise(s):
        pairs0[a, b] += c
top = sorted(pairs0.items(), key=lambda kv: (-kv[1], kv[0]))[:6]
print("most frequent pairs before the first merge:", top)
tied = sorted(p for p, c in pairs0.items() if c == max(pairs0.values()))
check(
    merges[0] == ("e", "s") and tied == [("e", "s"), ("s", "t"), ("t", END)],
    "the first merge is e + s, tied with s + t and t + _ and chosen alphabetically",
)
check(
    max(pairs0.values()) > pairs0["w", "e"] > pairs0["l", "o"]
    and sorted(pairs0.values(), reverse=True)[3] == pairs0["w", "e"],
    "the three tied pairs occur more often than w + e, the next most frequent, which beats l + o",
)
bind("count_we", pairs0["w", "e"])
bind("count_lo", pairs0["l", "o"])

# The training segmentation equals encoding the same words by merge rank (a different algorithm)
check(
    all(encode_by_rank(w, merges) == seg_toy[w] for w in toy),
    "encoding each training word by merge rank reproduces its training segmentation",
)
unseen = ["lowest", "newer", "wider", "slow"]
encoded_unseen = {w: encode_by_rank(w, merges) for w in unseen}
for w, s in encoded_unseen.items():
    print(f"{w:8s} -> {' '.join(s)}")
check(
    encoded_unseen["lowest"] == ("low", "est_"),
    "'lowest', never seen, is encoded as low + est_ from merges learned on other words",
)
bind("n_tokens_lowest", len(encoded_unseen["lowest"]))

# Token counts: each merge removes exactly as many tokens as the merged pair occurred (no overlapping pairs here)
tokens_after = [sum(toy[w] * (len(w) + 1) for w in toy)]
for k in range(1, n_merges_toy + 1):
    seg_k = {w: (*tuple(w), END) for w in toy}
    for p in merges[:k]:
        seg_k = {w: merge_word(s, p) for w, s in seg_k.items()}
    tokens_after.append(sum(toy[w] * len(seg_k[w]) for w in toy))
check(
    np.array_equal(np.diff(tokens_after), -np.array(freqs)),
    "the corpus shrinks at each merge by exactly the count of the merged pair",
)
bind("tokens_toy_start", tokens_after[0])
bind("tokens_toy_end", tokens_after[-1])
base_toy = sorted({ch for w in toy for ch in w} | {END})
bind("base_vocab_toy", len(base_toy))
vocab_toy = set(base_toy) | {a + b for a, b in merges}
check(
    len(vocab_toy) == len(base_toy) + n_merges_toy,
    "each of the 10 merges added one new symbol to the vocabulary here",
)
_ = bind("vocab_toy", len(vocab_toy))

# %% [markdown]
# ## A figure of the merges
#
# Each row is the corpus after one more merge; each box is one token of the word, and the count on the right is the total number of tokens in the corpus.

# %%
fig, ax = plt.subplots(figsize=(7.6, 5.2))
ax.axis("off")
rows = n_merges_toy + 1
words = list(toy)
col_x = [0.0, 2.1, 4.6, 7.4]
for k in range(rows):
    seg_k = {w: (*tuple(w), END) for w in toy}
    for p in merges[:k]:
        seg_k = {w: merge_word(s, p) for w, s in seg_k.items()}
    yk = rows - 1 - k
    label = "start" if k == 0 else f"{k}: {merges[k - 1][0]}+{merges[k - 1][1]}"
    ax.text(-0.2, yk, label, ha="right", va="center", fontsize=9, family="monospace")
    for j, w in enumerate(words):
        x = col_x[j]
        for tok in seg_k[w]:
            width = 0.34 * len(tok)
            new = k > 0 and tok == merges[k - 1][0] + merges[k - 1][1]
            ax.add_patch(
                plt.Rectangle(
                    (x, yk - 0.36),
                    width - 0.04,
                    0.72,
                    facecolor="C1" if new else "none",
                    alpha=0.35 if new else 1.0,
                    edgecolor="C0",
                )
            )
            ax.text(x + (width - 0.04) / 2, yk, tok, ha="center", va="center", fontsize=9, family="monospace")
            x += width
    ax.text(11.0, yk, f"{tokens_after[k]}", ha="right", va="center", fontsize=9)
for j, w in enumerate(words):
    ax.text(col_x[j], rows - 0.35, f"{w} ×{toy[w]}", ha="left", va="bottom", fontsize=10, weight="bold")
ax.text(11.0, rows - 0.35, "tokens", ha="right", va="bottom", fontsize=10, weight="bold")
ax.set_xlim(-2.6, 11.1)
ax.set_ylim(-0.6, rows + 0.2)
save_figure(fig, "merges")

# %% [markdown]
# ## A paragraph of English: compression against vocabulary size
#
# The same trainers on a short paragraph (words split on spaces and punctuation, lower-cased).
# The more merges, the fewer tokens per word, and the longer the vocabulary.

# %%
text = (
    "A tokeniser turns raw text into a sequence of tokens, and a language model then predicts one token "
    "after another. Whole words make short sequences but leave rare words, new words and misspellings "
    "without a token, while single characters cover every word but make long sequences. Subword "
    "tokenisers sit between the two: frequent words become single tokens, and rare words are split into "
    "frequent pieces such as prefixes, stems and endings. Byte-pair encoding learns its pieces by merging "
    "the most frequent pair of adjacent symbols again and again, and the list of merges it learns is then "
    "applied in the same order to any new text. The number of merges sets the size of the vocabulary, "
    "which trades the length of the sequences against the size of the embedding table and the rarity of "
    "each token. Larger vocabularies shorten the sequences, but each extra token is seen less often in "
    "training, and its embedding is learned from fewer examples."
)
words_para = re.findall(r"[a-z]+", text.lower())
para = Counter(words_para)
n_merges_para = 300
m_naive, f_naive, seg_naive = bpe_naive(para, n_merges_para)
m_inc, f_inc, seg_inc_para = bpe_incremental(para, n_merges_para)
n_learned = len(m_naive)
check(
    m_naive == m_inc and f_naive == f_inc,
    f"paragraph: the naive and the incremental trainer learn the same {n_learned} merges",
)
check(
    all(encode_by_rank(w, m_naive) == seg_naive[w] for w in para),
    "paragraph: encoding every training word by merge rank reproduces its training segmentation",
)
bind("n_running_words", sum(para.values()))
bind("n_distinct_words", len(para))
bind("n_merges_para", n_learned)
chars_para = sum(c * (len(w) + 1) for w, c in para.items())
bind("tokens_para_start", chars_para)
tok_curve = chars_para - np.r_[0, np.cumsum(f_naive)]
check(
    tok_curve[-1] == sum(para[w] * len(seg_naive[w]) for w in para),
    "paragraph: the token count predicted from the merge counts equals the count of the final segmentation",
)
base_para = len({ch for w in para for ch in w} | {END})
vocab_curve = base_para + np.arange(n_learned + 1)
vocab_final = len({ch for w in para for ch in w} | {END} | {a + b for a, b in m_naive})
print(f"vocabulary: {base_para} base symbols, {vocab_final} after {n_learned} merges")
bind("base_vocab_para", base_para)
tpw = tok_curve / sum(para.values())
bind("tokens_per_word_start", tpw[0])
k_half = 100
bind("k_half", k_half)
bind("tokens_per_word_k_half", tpw[k_half])
bind("tokens_per_word_end", tpw[-1])
n_last_once = int(np.sum(np.array(f_naive) == 1))
check(
    f_naive[-1] == 1 and n_last_once > n_learned // 2 and np.all(np.array(f_naive[-n_last_once:]) == 1),
    f"on the paragraph the last {n_last_once} merges each join a pair seen once",
)
# the token count after each merge, from the actual segmentation (re-segmenting the corpus merge by merge),
# against the count predicted from the merge counts (step 2: each merge saves exactly its count when u != v)
seg_k = {w: (*tuple(w), END) for w in para}
tokens_actual = [sum(para[w] * len(seg_k[w]) for w in para)]
for p_ in m_naive:
    seg_k = {w: merge_word(s_, p_) for w, s_ in seg_k.items()}
    tokens_actual.append(sum(para[w] * len(seg_k[w]) for w in para))
check(
    np.array_equal(np.array(tokens_actual), tok_curve) and np.all(np.diff(tokens_actual) < 0),
    "paragraph: after every merge the re-segmented corpus has exactly the predicted number of tokens, and it shrinks",
)
check(np.all(np.diff(f_naive) <= 0), "the count of the merged pair never increases from one merge to the next")

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(8.4, 3.6))
ax1.plot(np.arange(n_learned + 1), tpw, color="C0")
ax1.set_xlabel("number of merges")
ax1.set_ylabel("tokens per word (incl. end marker)")
ax1.set_title("The corpus gets shorter")
ax2.plot(np.arange(1, n_learned + 1), f_naive, color="C1")
ax2.set_xlabel("merge number")
ax2.set_ylabel("count of the merged pair")
ax2.set_yscale("log")
ax2.set_title("Later merges save less")
fig.tight_layout()
save_figure(fig, "compression")

# %% [markdown]
# ## Byte-level BPE has no unknown symbols
#
# A character-level BPE trained on the paragraph has no symbol for a character it never saw, such as "é"; it must emit an unknown token, and the text cannot be recovered.
# A byte-level BPE starts from the 256 possible byte values of UTF-8, so every string is a sequence of known base symbols, and decoding the tokens gives back the exact bytes.


# %%
def bpe_bytes_train(corpus_words, n_merges):
    """BPE over UTF-8 bytes: symbols are byte strings; the base vocabulary is all 256 single bytes."""
    counts_w = Counter(corpus_words)
    seg = {w: tuple(bytes([b]) for b in w.encode("utf-8")) for w in counts_w}
    merges_b = []
    for _ in range(n_merges):
        pc = Counter()
        for w, c in counts_w.items():
            for a, b in zip(seg[w], seg[w][1:], strict=False):
                pc[a, b] += c
        if not pc:
            break
        pair = min(pc, key=lambda p: (-pc[p], p))
        merges_b.append(pair)
        seg = {w: merge_word(s, pair) for w, s in seg.items()}
    return merges_b


def bpe_bytes_encode(word, merges_b):
    rank = {p: i for i, p in enumerate(merges_b)}
    s = tuple(bytes([b]) for b in word.encode("utf-8"))
    while len(s) > 1:
        pair = min(itertools.pairwise(s), key=lambda p: rank.get(p, np.inf))
        if pair not in rank:
            break
        s = merge_word(s, pair)
    return s


merges_b = bpe_bytes_train(words_para, 200)
new_text = "naïve café tokenisers"
tokens_b = [t for w in new_text.split() for t in bpe_bytes_encode(w, merges_b)]
decoded = b" ".join(b"".join(bpe_bytes_encode(w, merges_b)) for w in new_text.split()).decode("utf-8")
vocab_bytes = {bytes([v]) for v in range(256)} | {a + b for a, b in merges_b}
check(
    all(t in vocab_bytes for t in tokens_b),
    "byte-level BPE: every token of the unseen string is in its vocabulary (256 bytes plus merges)",
)
check(decoded == new_text, "byte-level BPE: decoding the tokens of the unseen string gives it back exactly")
# a character-level BPE trained on the paragraph, applied to the same string, meets symbols it has no id for
char_vocab = {ch for w in words_para for ch in w} | {END} | {a + b for a, b in m_naive}
char_tokens = [t for w in new_text.split() for t in encode_by_rank(w, m_naive)]
check(
    sorted({t for t in char_tokens if t not in char_vocab}) == ["é", "ï"],
    "character-level BPE: the tokens é and ï of the same string are outside its vocabulary",
)
alphabet = {ch for w in words_para for ch in w}
unknown = sorted({ch for ch in new_text.replace(" ", "") if ch not in alphabet})
check(unknown == ["é", "ï"], "a character-level BPE trained on the paragraph has no symbol for é or ï")
bind("n_chars_cafe", len("café"))
bind("n_bytes_cafe", len("café".encode()))
bind("n_bytes_e_acute", len("é".encode()))
check(
    all(
        1 <= len(chr(c).encode("utf-8")) <= 4
        for c in list(range(0x20, 0xD800, 97)) + list(range(0xE000, 0x110000, 4099))
    ),
    "UTF-8 spends 1 to 4 bytes per character (sampled code points)",
)

# %% [markdown]
# ## WordPiece's merge score on the toy corpus
#
# A common description of WordPiece training (the Hugging Face course) scores a pair by $\#(u, v) / (\#(u)\,\#(v))$ instead of $\#(u, v)$: it prefers pairs whose parts rarely occur apart.
# On the toy corpus the first WordPiece merge differs from the first BPE merge.

# %%
sym_counts = Counter()
for w, c in toy.items():
    for ch in (*tuple(w), END):
        sym_counts[ch] += c
score = {p: c / (sym_counts[p[0]] * sym_counts[p[1]]) for p, c in pairs0.items()}
wp_first = min(score, key=lambda p: (-score[p], p))
print("WordPiece first merge:", wp_first, "score", score[wp_first])
check(wp_first != merges[0], "WordPiece's score picks a different first merge from BPE's count")
check(wp_first == ("i", "d"), "WordPiece's first merge on the toy corpus is i + d")
bind("wp_count_id", pairs0["i", "d"])
bind("wp_count_i", sym_counts["i"])
bind("wp_count_d", sym_counts["d"])
bind("bpe_es_count_e", sym_counts["e"])
_ = bind("bpe_es_count_s", sym_counts["s"])

# %% [markdown]
# ## BPE is greedy, not shortest
#
# Replaying the merges does not always give the fewest tokens the vocabulary allows.
# On a three-word corpus built for the purpose, an early merge b + c blocks the split ab + cd_ of the unseen word "abcd"; a dynamic program over the vocabulary finds the shortest segmentation.


# %%
def shortest_segmentation(word, vocab):
    s = word + END
    best = [0] + [np.inf] * len(s)
    back = [0] * (len(s) + 1)
    for j in range(1, len(s) + 1):
        for i in range(j):
            if s[i:j] in vocab and best[i] + 1 < best[j]:
                best[j], back[j] = best[i] + 1, i
    out, j = [], len(s)
    while j > 0:
        out.append(s[back[j] : j])
        j = back[j]
    return tuple(out[::-1])


greedy_corpus = {"xbc": 8, "aby": 5, "zcd": 5}
m_g, _, _ = bpe_naive(greedy_corpus, 20)
vocab_g = {ch for w in greedy_corpus for ch in w} | {END} | {a + b for a, b in m_g}
print("merges:", [a + "+" + b for a, b in m_g])
bpe_abcd, dp_abcd = encode_by_rank("abcd", m_g), shortest_segmentation("abcd", vocab_g)
print("BPE:", bpe_abcd, " shortest:", dp_abcd)
check(m_g[0] == ("b", "c"), "the first merge is b + c")
check(
    all(t in vocab_g for t in bpe_abcd) and "".join(dp_abcd) == "abcd" + END and len(dp_abcd) < len(bpe_abcd),
    "for 'abcd' the vocabulary allows fewer tokens than BPE's replay of the merges gives",
)
bind("greedy_bpe_len", len(bpe_abcd))
for w_, c_ in greedy_corpus.items():
    bind(f"count_{w_}", c_)
_ = bind("greedy_dp_len", len(dp_abcd))
