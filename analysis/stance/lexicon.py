"""Word lists for claim stance: cues of refuting, hedging, confirming, negation and attribution.

Written by hand from general news usage (and the FNC-1 baseline's refuting words), not from any
evaluation text, so they mean the same thing on any topic. Tokens are lower-cased words as
:func:`analysis.stance.features.words` yields them (apostrophes kept, ``don't``; also the
stripped form, ``dont``, which the seeds often carry).
"""

from __future__ import annotations

__all__ = ["CUES", "NEGATIONS", "STOP_WORDS"]

_NEGATIONS = """not no never nothing nobody none nor neither without don't doesn't didn't isn't aren't
wasn't weren't won't wouldn't can't cannot couldn't hasn't haven't hadn't shouldn't dont doesnt didnt
isnt arent wasnt werent wont wouldnt cant couldnt hasnt havent hadnt shouldnt""".split()

#: Cue groups: each word counts for its group, in the headline, the body and the body's
#: sentences most similar to the headline.
CUES: dict[str, tuple[str, ...]] = {
    "refute": tuple(
        """fake fraud hoax hoaxes false falsely deny denies denied denying denial debunk debunked debunks
        bogus myth myths rumour rumor untrue retract retracted retraction nonsense fabricated fabrication
        satire satirical parody doctored photoshopped misleading mistaken wrong dismiss dismissed dismisses
        refute refuted refutes reject rejected rejects baseless unfounded incorrect prank pranks scam
        discredited contrary dispute disputed disputes""".split()
    ),
    "hedge": tuple(
        """reportedly allegedly alleged purportedly purported apparently rumoured rumored rumours rumors
        claim claims claimed claiming unconfirmed unverified speculation speculate speculated may might
        could possibly perhaps likely unclear suggest suggests suggested appear appears appeared seem
        seems seemed believed suspected report reports reported according sources say says""".split()
    ),
    "confirm": tuple(
        """confirmed confirms confirm confirming official officially announced announces announce revealed
        reveals proof proved proven shows showed verified indeed admitted admits acknowledged true
        genuine authentic actually definitely statement""".split()
    ),
    "question": ("?",),
    "negation": tuple(_NEGATIONS),
    "attribution": tuple("said says told tells according stated statement spokesman spokeswoman spokesperson quoted".split()),
    "quote": ('"', "“", "”"),
}

NEGATIONS: frozenset[str] = frozenset(_NEGATIONS)

#: Function words left out of overlap counts (a short general list, so that it does not change
#: with a library upgrade).
STOP_WORDS: frozenset[str] = frozenset(
    """a an the of to in on at for and or but is are was were be been being it its this that these those
    with as by from has have had do does did will would shall should can could may might must i you he she
    we they me him her us them my your his our their what which who whom whose when where why how all any
    both each few more most other some such only own same so than too very just also into over after before
    about up down out off again further then once here there s t said says say new one two""".split()
)
