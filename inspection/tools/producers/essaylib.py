"""Shared by the producer generators: seeded essay text and a rough words-per-page estimate.

An essay is a list of blocks, each a tuple:
  ("title", text)                      the "Key challenges" title
  ("h1", text) / ("h2", text)          headings
  ("p", text, note)                    a paragraph; `note` is None or (split_at_char, footnote_text):
                                       the reference mark goes after text[:split_at_char]
  ("bullets", [text, ...]) / ("numbers", [text, ...])
  ("quote", text)
  ("table", [[cell, ...], ...])        the first row is a heading row
Every generator draws its own random.Random(seed) so that each file is reproducible alone.
"""

import random

WORDS = """the alliance must adapt to a changing security environment and operations require coordination
between partners of in strategic planning effective crisis management depends on clear political
guidance resources for sustained support will be difficult while priorities compete I would address
this by building trust with delegations staff across divisions ensuring that every team member
understands our objectives first office efficient influence difficulty affordable reflection flexible
long-term well-prepared deterrence defence resilience cooperation is an essential element workload
fifty budget procurement capability development interoperability standards missions national
authorities member states agency programme portfolio reform digital transformation cyber threats
climate energy supply chains logistics personnel recruitment retention training knowledge
governance accountability transparency audit risk assessment stakeholders communication public
diplomacy consensus committee council secretariat reporting timely accurate data analysis policy
implementation monitoring evaluation lessons learned innovation technology partnerships industry
academia civil society gender perspective integrity values leadership motivation culture change
workforce planning finance efficiency savings investment infrastructure headquarters field
deployment readiness exercise interagency regional global emerging disruptive legal framework
compliance procedures workflows tools platform information sharing classified unclassified
networks mandate scope timeline milestones deliverables quality review feedback improvement
continuous sustainable realistic ambitious balanced pragmatic inclusive collaborative responsive
proactive difficult complex uncertain volatile fragmented limited significant considerable
the the the of of of and and and to to to a a in in that that is is for for with with as as on on
by by be be will will our our this this it it we we are are have has can can should may more
""".split()

HEADINGS = [
    "Context", "The main challenges", "Resources and priorities", "People and culture",
    "Working with partners", "Digital transformation", "Governance and accountability",
    "My approach", "First hundred days", "Risks", "Budget pressure", "Measuring success",
    "Communication", "Conclusion", "Change management", "Building trust", "Delivering results",
    "Coordination across divisions", "Long-term resilience", "Lessons learned",
]


def sentence(r, lo=8, hi=26):
    n = r.randint(lo, hi)
    words = []
    for i in range(n):
        w = r.choice(WORDS)
        if i == 0:
            w = w[0].upper() + w[1:]
        words.append(w)
        if 2 < i < n - 2 and r.random() < 0.07:
            words[-1] += ","
    return " ".join(words) + "."


def text_of(r, nwords):
    """Sentences until about `nwords` words."""
    out, count = [], 0
    while count < nwords:
        s = sentence(r)
        out.append(s)
        count += len(s.split())
    return " ".join(out)


def essay(r, target_words, features):
    """Blocks of an essay of about `target_words` words.

    features: set of "footnotes", "lists", "quote", "table", "h2", "numbered".
    """
    blocks = [("title", "Key challenges")]
    words = 2
    heads = r.sample(HEADINGS, len(HEADINGS))
    hi = 0
    para_len = r.choice([(20, 60), (40, 120), (60, 180), (30, 200)])
    notes_left = r.randint(1, 4) if "footnotes" in features else 0
    did = set()
    # an introduction paragraph
    t = text_of(r, r.randint(*para_len))
    blocks.append(("p", t, None))
    words += len(t.split())
    while words < target_words:
        h = heads[hi % len(heads)]
        hi += 1
        kind = "h2" if ("h2" in features and r.random() < 0.35) else "h1"
        blocks.append((kind, h))
        words += len(h.split())
        for _ in range(r.randint(1, 4)):
            if words >= target_words:
                break
            left = target_words - words
            roll = r.random()
            if "lists" in features and roll < 0.15 and "list" not in did or (
                "lists" in features and roll < 0.06
            ):
                did.add("list")
                items = [text_of(r, r.randint(5, 30)) for _ in range(r.randint(2, 5))]
                kind = "numbers" if ("numbered" in features and r.random() < 0.5) else "bullets"
                blocks.append((kind, items))
                words += sum(len(i.split()) for i in items)
                continue
            if "quote" in features and "quote" not in did and roll > 0.9:
                did.add("quote")
                q = text_of(r, r.randint(15, 50))
                blocks.append(("quote", q))
                words += len(q.split())
                continue
            if "table" in features and "table" not in did and 0.8 < roll <= 0.9:
                did.add("table")
                cols = r.randint(2, 3)
                rows = [[r.choice(HEADINGS) for _ in range(cols)]]
                for _ in range(r.randint(2, 5)):
                    rows.append([text_of(r, r.randint(2, 14)) for _ in range(cols)])
                blocks.append(("table", rows))
                words += sum(len(c.split()) for row in rows for c in row)
                continue
            n = min(r.randint(*para_len), max(left, 8))
            t = text_of(r, n)
            note = None
            if notes_left and r.random() < 0.4:
                notes_left -= 1
                cut = t.find(". ", len(t) // 3)
                if cut < 0:
                    cut = len(t) - 1
                note = (cut + 1, text_of(r, r.randint(6, 60)))
            blocks.append(("p", t, note))
            words += len(t.split())
    return blocks


# Average advance of running text per point of font size, for the words-per-page estimate.
CHAR_W = {"Calibri": 0.47, "Carlito": 0.47, "Cambria": 0.50, "Caladea": 0.50,
          "Times New Roman": 0.45, "Liberation Serif": 0.45, "Arial": 0.50,
          "Liberation Sans": 0.50}


def words_per_page(font, size_pt, line_factor, text_width_pt, body_height_pt, para_after_pt):
    """A rough estimate (±15 %) of how many words of these essays fill one page."""
    cw = CHAR_W.get(font, 0.48) * size_pt
    words_per_line = text_width_pt / cw / 6.1
    pitch = size_pt * 1.2 * line_factor
    # about one paragraph (and its space-after) per 5 lines, and headings
    lines = body_height_pt / (pitch + para_after_pt / 5.0) * 0.93
    return lines * words_per_line


def target_pages(r):
    """How many pages' worth of text to write: near the 1- and 2-page limits, some mid-page."""
    return r.choice([0.55, 0.9, 0.95, 0.98, 1.0, 1.02, 1.05, 1.1, 1.5,
                     1.9, 1.95, 1.98, 2.0, 2.02, 2.05, 2.1, 2.5, 2.8])
