"""Language data shared by the analyses: label sets and English word lists, in one place.

Plain frozensets, tuples and dicts, each with a comment saying what it is for and where it comes
from (in the spirit of textacy's ``constants`` module). Parse rules (dependency-label and
part-of-speech sets) stay with the code that applies them; only words and entity labels live here.

Several features of the committed stance and reordering models are computed from these lists, so
their contents are part of the models: a change, even to the order of a tuple, changes outputs.
Lists that differ in content have different names, one meaning per name.

Groups:

* **Entity labels**: spaCy (OntoNotes) label sets: :data:`MENTION_LABELS`,
  :data:`ACTOR_LABELS`, :data:`CUE_NAME_LABELS`, :data:`NON_NAME_LABELS`,
  :data:`REPAIR_NAME_LABELS`, :data:`REPAIR_NOT_NAME_LABELS`.
* **Speech and attribution**: :data:`SPEECH_VERBS`, :data:`ALWAYS_SPEECH_VERBS`,
  :data:`AUDIENCE_NOUNS`, :data:`ATTRIBUTION_VERBS`.
* **Pronouns and function words**: :data:`SPEAKER_PRONOUNS`, :data:`PERSON_SPEAKER_PRONOUNS`,
  :data:`FIRST_PERSON_PRONOUNS`, :data:`SOLE_SPEAKER_PRONOUNS`, :data:`ANAPHORIC_WORDS`,
  :data:`PERSONAL_ANAPHORS`, :data:`DETERMINERS`, :data:`NEGATING_DETERMINERS`,
  :data:`ABILITY_MODALS`, :data:`ADDRESS_PREPOSITIONS`, :data:`BENEFICIARY_PREPOSITIONS`.
* **Discourse and time**: :data:`CONNECTIVES`, :data:`WEEKDAY_WORDS`, :data:`BACKGROUND_WORDS`,
  :data:`CALENDAR_WORDS`.
* **Names**: :data:`PERSON_TITLES`, :data:`TITLE_WORDS`, :data:`DEMONYM_COUNTRIES`,
  :data:`DEMONYM_SUFFIXES`, :data:`NEWS_AGENCIES`, :data:`CONTRACTIONS`.
* **Stop lists**: :data:`SKLEARN_STOP_WORDS`, :data:`CLAIM_STOP_WORDS`,
  :data:`FNC_BASELINE_STOP_WORDS`, :data:`HEURISTIC_STOP_WORDS`, :data:`ACRONYM_STOP_WORDS`,
  :data:`NAME_MATCH_STOP_WORDS`, :data:`NOT_POSSESSED_WORDS`.
* **Cue lexicons**: claim stance (:data:`CLAIM_CUES`, :data:`NEGATIONS`, :data:`REFUTING_WORDS`)
  and actor stance (:data:`HOSTILE_WORDS`, :data:`SUPPORTIVE_WORDS`, :data:`EVALUATIVE_VERBS`,
  :data:`EVALUATIVE_NOUNS`).

Unless a comment says otherwise, the lists were written by hand from general news usage, not from
any evaluation text, and are compared with lower-cased words or lemmas.
"""

from __future__ import annotations

# --------------------------------------------------------------------------- entity labels

#: Labels of entity mentions (:func:`analysis.names._mentions.mentions`) and the choices of
#: ``entity_frequency(labels=...)``: every OntoNotes label that names something; numbers,
#: dates and quantities are not mentions. A tuple: its order is the order offered to analysts.
MENTION_LABELS = ("PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE")
#: Labels of entities that can be actors of stance (:mod:`analysis.stance`): speakers, the
#: antecedents of pronoun speakers, and targets (people, organisations, places, nationalities).
ACTOR_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
#: Labels of names for the sentence-ordering cues (:mod:`analysis.ordering._cues`): people,
#: organisations, places, events.
CUE_NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC", "EVENT"})
#: Labels of quantities and times rather than things the story is about (ordering cues).
NON_NAME_LABELS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"})
#: Labels whose words count as names for the possessive repair (:mod:`analysis._repair`); NORP is
#: left out: ``Russians`` is a plural, not ``Russian's``.
REPAIR_NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"})
#: Labels whose capitalised words are never read as a possessive by the repair ("Russians" is
#: a plural; "Fridays" may be one).
REPAIR_NOT_NAME_LABELS = frozenset({"NORP", "DATE", "TIME"})

# --------------------------------------------------------------------------- speech and attribution

#: Lemmas of verbs that report speech or writing (cues of reported statements,
#: :mod:`analysis.stance._quotes`; after Pareti 2016 and Krestel et al. 2008).
SPEECH_VERBS: frozenset[str] = frozenset(
    """say tell warn write add announce claim state declare insist note explain stress reply
    respond argue deny confirm tweet report suggest predict vow pledge urge accuse ask
    acknowledge admit assert caution comment complain concede contend emphasize emphasise
    estimate maintain mention promise remark reiterate reveal recall repeat threaten
    signal testify""".split()
)
#: Speech verbs in every use; the others of :data:`SPEECH_VERBS` need a clause or a quotation.
ALWAYS_SPEECH_VERBS = frozenset({"say", "tell", "warn", "tweet", "declare", "insist", "assert"})
#: Lemmas of objects of ``tell`` that are the audience, not the content (``told reporters``).
AUDIENCE_NOUNS = frozenset("reporter journalist forum audience press parliament lawmaker crowd interviewer".split())
#: Lemmas of attribution verbs for the ordering feature ``attribution`` (:mod:`analysis.ordering._features`).
ATTRIBUTION_VERBS = frozenset("say tell add state announce report note claim write explain".split())

# --------------------------------------------------------------------------- pronouns and function words

#: Pronoun subjects of a speech verb: the speaker is unresolved and an antecedent is sought
#: (:mod:`analysis.stance._quotes`).
SPEAKER_PRONOUNS = frozenset("he she they it i we you him her them".split())
#: Pronoun speakers whose antecedent must be a PERSON entity (the others may be any actor).
PERSON_SPEAKER_PRONOUNS = frozenset("he she i we you him her".split())
#: A statement's subject that is the speaker's own side ("we condemn …", "I will not let …").
FIRST_PERSON_PRONOUNS = frozenset({"i", "we"})
#: Unresolved speakers taken as the article's one named person speaker ("he said" in an
#: article quoting one person, :mod:`analysis.stance._actors`).
SOLE_SPEAKER_PRONOUNS = frozenset({"he", "she"})
#: Sentence openings that need an antecedent (ordering feature ``starts_pronoun``): pronouns,
#: possessives and demonstratives.
ANAPHORIC_WORDS = frozenset("he she they it his her their its him them we i this these that those such".split())
#: Sentence openings that refer back to a person (ordering feature ``starts_personal_pronoun``).
PERSONAL_ANAPHORS = frozenset("he she his her him".split())
#: Articles trimmed from the start of an entity mention (``the Kremlin`` → ``Kremlin``).
DETERMINERS = frozenset({"the", "a", "an"})
#: Determiners that negate their noun ("no threat", "in no way"), for actor stance polarity.
NEGATING_DETERMINERS = frozenset({"no", "neither"})
#: Modal auxiliaries of ability: a negated ability ("could not attack") counts 0 in actor stance
#: (``ca`` is spaCy's token of ``can't``).
ABILITY_MODALS = frozenset({"can", "could", "ca"})
#: Prepositions through which an evaluative noun addresses its target ("support for Kyiv",
#: "criticism of Iran").
ADDRESS_PREPOSITIONS = frozenset({"to", "for", "with", "of", "toward", "towards", "at", "on", "against"})
#: Prepositions whose object benefits from a supportive word ("aid to Ukraine").
BENEFICIARY_PREPOSITIONS = frozenset({"to", "for", "with"})

# --------------------------------------------------------------------------- discourse and time

#: Connectives that, opening a sentence, tie it to an earlier one (ordering feature
#: ``starts_connective``).
CONNECTIVES = frozenset(
    """but however also and meanwhile still yet moreover besides instead furthermore further
    nevertheless nonetheless so thus therefore then later earlier separately additionally
    in addition or both while though although""".split()
)
#: Words of the news peg (ordering feature ``weekday``): weekdays and near days.
WEEKDAY_WORDS = frozenset("monday tuesday wednesday thursday friday saturday sunday today yesterday tonight".split())
#: Words of background, the story's past (ordering feature ``background``).
BACKGROUND_WORDS = frozenset("earlier previously since ago last former past already history".split())
#: Month and weekday names and abbreviations: an entity made only of these and numbers is a
#: date, not a name (:mod:`analysis.names._mentions`).
CALENDAR_WORDS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday "
    "saturday sunday".split()
)

# --------------------------------------------------------------------------- names

#: Titles that, written just before a name, make it a person's ("Chancellor Olaf Scholz").
PERSON_TITLES = frozenset(
    """president chancellor minister secretary senator sen. governor gov. mr mr. mrs mrs. ms ms.
    dr dr. sir king queen prince princess pope spokesman spokeswoman ambassador judge mayor premier
    envoy commissioner general lieutenant colonel admiral sergeant captain coach cardinal archbishop
    bishop rabbi sheikh""".split()
)
#: Words of a title or office that may precede a person's name, stripped from it
#: (``Secretary of State Antony Blinken``; compared in lower case).
TITLE_WORDS = frozenset(
    """president vice secretary state general minister foreign prime deputy chief chancellor
    senator sen sen. rep rep. representative gov gov. governor mr mr. mrs mrs. ms ms. dr dr. sir
    king queen prince princess pope spokesman spokeswoman ambassador envoy judge justice lord
    lady mayor director chairman chairwoman ceo coach captain premier leader defence defense
    interior finance home trade economy commissioner commander lieutenant colonel major
    sergeant admiral officer aide adviser advisor president-elect of the""".split()
)
#: Demonyms of the countries most often in the news, for the speakers' fallback when the entity
#: layer names nothing (its full list is ``analysis/names/countries.csv``).
DEMONYM_COUNTRIES = {
    "american": "United States", "us": "United States", "u.s.": "United States", "russian": "Russia",
    "ukrainian": "Ukraine", "french": "France", "german": "Germany", "british": "United Kingdom",
    "chinese": "China", "european": "Europe", "israeli": "Israel", "palestinian": "Palestine",
    "iranian": "Iran", "syrian": "Syria", "turkish": "Turkey", "polish": "Poland",
}
#: Endings of demonyms (``Ukrainian`` is ``Ukraine`` + ``-ian``), tried in this order.
DEMONYM_SUFFIXES = ("ians", "ian", "eans", "ean", "ans", "an", "ese", "ish", "is", "i", "ic", "s")
#: News agencies that may follow a dateline's place without parentheses (``WASHINGTON AFP -``),
#: as written by the wires.
NEWS_AGENCIES = frozenset(
    {"AFP", "AP", "Reuters", "REUTERS", "UPI", "Xinhua", "XINHUA", "DPA", "dpa", "ANSA", "EFE",
     "Interfax", "TASS", "ITAR-TASS", "PTI", "IANS", "Bloomberg", "CNN", "BBC", "AAP", "Kyodo", "KYODO"}
)
#: Stripped contractions that are not English words, and where the apostrophe goes back.
#: Left out on purpose because the stripped form is a word: its, well, were, shell, hell, ill,
#: wed, shed, lets, id, im.
CONTRACTIONS: dict[str, int] = {
    **{w: len(w) - 1 for w in (
        "dont", "doesnt", "didnt", "cant", "couldnt", "wouldnt", "shouldnt", "wont", "isnt", "arent",
        "wasnt", "werent", "hasnt", "havent", "hadnt", "mustnt", "neednt", "aint",
        "hes", "shes", "thats", "theres", "whats", "whos", "wheres", "youd", "theyd")},
    **{w: len(w) - 2 for w in (
        "theyre", "youre", "weve", "theyve", "youve", "couldve", "wouldve", "shouldve",
        "itll", "theyll", "youll", "thatll")},
}

# --------------------------------------------------------------------------- stop lists

#: scikit-learn's English stop-word list (Glasgow IR group), copied so that the Riedel model's
#: vocabulary (:mod:`analysis.stance._riedel`) does not change with a scikit-learn upgrade.
SKLEARN_STOP_WORDS: frozenset[str] = frozenset(
    """a about above across after afterwards again against all almost alone along already also
    although always am among amongst amoungst amount an and another any anyhow anyone anything
    anyway anywhere are around as at back be became because become becomes becoming been before
    beforehand behind being below beside besides between beyond bill both bottom but by call can
    cannot cant co con could couldnt cry de describe detail do done down due during each eg eight
    either eleven else elsewhere empty enough etc even ever every everyone everything everywhere
    except few fifteen fifty fill find fire first five for former formerly forty found four from
    front full further get give go had has hasnt have he hence her here hereafter hereby herein
    hereupon hers herself him himself his how however hundred i ie if in inc indeed interest into
    is it its itself keep last latter latterly least less ltd made many may me meanwhile might
    mill mine more moreover most mostly move much must my myself name namely neither never
    nevertheless next nine no nobody none noone nor not nothing now nowhere of off often on once
    one only onto or other others otherwise our ours ourselves out over own part per perhaps
    please put rather re same see seem seemed seeming seems serious several she should show side
    since sincere six sixty so some somehow someone something sometime sometimes somewhere still
    such system take ten than that the their them themselves then thence there thereafter thereby
    therefore therein thereupon these they thick thin third this those three through throughout
    thru thus to together too top toward towards twelve twenty two un under until up upon us very
    via was we well were what whatever when whence whenever where whereafter whereas whereby
    wherein whereupon wherever whether which while whither who whoever whole whom whose why will
    with within without would yet you your yours yourself yourselves""".split()
)
#: Function words left out of the claim-stance overlap counts (:mod:`analysis.stance._features`;
#: a short general list, so that it does not change with a library upgrade).
CLAIM_STOP_WORDS: frozenset[str] = frozenset(
    """a an the of to in on at for and or but is are was were be been being it its this that these those
    with as by from has have had do does did will would shall should can could may might must i you he she
    we they me him her us them my your his our their what which who whom whose when where why how all any
    both each few more most other some such only own same so than too very just also into over after before
    about up down out off again further then once here there s t said says say new one two""".split()
)
#: Stop words of the hand features of the ``features_gbdt`` / ``tfidf_logreg`` claim baselines
#: (:mod:`analysis.stance._baselines`).
FNC_BASELINE_STOP_WORDS = frozenset(
    "a an the of to in on at for and or but is are was were be been it its this that with as by from".split()
)
#: Stop words of the ``heuristic`` ordering baseline's headline overlap (:mod:`analysis.ordering._baselines`).
HEURISTIC_STOP_WORDS = frozenset("the a an of to in on for and or but with at by from as is was are were be has have had it its".split())
#: Function words skipped when spelling an acronym from a name (English and French:
#: ``North Atlantic Treaty Organization`` → ``NATO``).
ACRONYM_STOP_WORDS = frozenset({"of", "the", "and", "for", "&", "de", "du", "des", "la", "le", "in", "on"})
#: Words ignored when matching a predicted actor name with a gold one
#: (:mod:`analysis.stance._actor_evaluation`).
NAME_MATCH_STOP_WORDS = frozenset({"the", "of", "s"})
#: Function words that never open the noun phrase a possessive owns: prepositions,
#: conjunctions, auxiliaries, pronouns, articles ("Hospitals and", "Phelps has", "Batmobiles of").
#: Numbers, quantifiers and adjectives ("Israel's two", "Russia's most", "its first") may.
NOT_POSSESSED_WORDS = frozenset(
    """of and or but nor in on at to from by with for as than into onto over under about after
    before since until while because if that which who whom whose what where when how why is are
    was were be been being has have had do does did will would can could shall should may might
    must a an the this these those he she it they we you i him her them us me his its their our
    my your not also said says say told added""".split()
)

# --------------------------------------------------------------------------- cue lexicons

# Claim stance (:mod:`analysis.stance._features`). Tokens are lower-cased words as
# :func:`analysis.stance._features.words` yields them (apostrophes kept, ``don't``; also the
# stripped form, ``dont``, which the seeds often carry). The negation words, in order:
_NEGATIONS = """not no never nothing nobody none nor neither without don't doesn't didn't isn't aren't
wasn't weren't won't wouldn't can't cannot couldn't hasn't haven't hadn't shouldn't dont doesnt didnt
isnt arent wasnt werent wont wouldnt cant couldnt hasnt havent hadnt shouldnt""".split()

#: Claim-stance cue groups of refuting, hedging, confirming, negation and attribution (written
#: from general news usage and the FNC-1 baseline's refuting words): each word counts for its
#: group, in the headline, the body and the body's sentences most similar to the headline. The
#: order of the groups is the order of the model's cue columns.
CLAIM_CUES: dict[str, tuple[str, ...]] = {
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
#: Negation words, for the claim-stance "negated near a cue" features.
NEGATIONS: frozenset[str] = frozenset(_NEGATIONS)
#: The official FNC-1 baseline's refuting words (github.com/FakeNewsChallenge/fnc-1-baseline);
#: a tuple: one feature column per word, in this order.
REFUTING_WORDS: tuple[str, ...] = (
    "fake", "fraud", "hoax", "false", "deny", "denies", "not", "despite", "nope",
    "doubt", "doubts", "bogus", "debunk", "pranks", "retract",
)

# Actor stance (:mod:`analysis.stance._actors`), compared with lemmas.

#: Lemmas signalling hostility, threat or harm.
HOSTILE_WORDS: frozenset[str] = frozenset(
    """threat threaten invade invasion attack aggression aggressive war force consequence
    sanction punish destructive danger dangerous reject violate violation escalate escalation
    seize annex insurgency condemn accuse blame hostile kill oppose refuse provocation
    provocative illegal lie destroy bomb strike occupy occupation crisis worst fail failure
    undermine destabilize destabilise threatening shell shelling bombard assault terrorism
    terrorist terror extremist extremism corruption corrupt nepotism repression repress crush
    abuse misuse harm plot doom brutal barbaric evil monster harassment harass deplorable
    outrageous injustice usurp dislodge ridicule denounce criticism criticise criticize slam
    deplore condemnation disaster chaos partisan incompetent incompetence ineffective
    hegemony lawless intimidate intimidation block obstruct""".split()
)
#: Lemmas signalling support, cooperation or a good outcome.
SUPPORTIVE_WORDS: frozenset[str] = frozenset(
    """good solution peace peaceful de-escalation readiness hope welcome support
    agree agreement commit commitment cooperate cooperation dialogue diplomatic diplomacy
    progress positive constructive open promise ally partner friend praise success help aid
    protect defend reciprocal respect trust backing thank thanks gratitude grateful
    solidarity unity courage brave helpful hail congratulate credit applaud commend endorse
    strong stronger""".split()
)
#: Verbs whose subject takes a stance toward their object however they are reported
#: ("Jordan accused Iraq", "Gore praised Clinton"); +1 favor, -1 against. Verbs of physical
#: harm are left out on purpose: "forces attacked the town" is an event, not a statement.
EVALUATIVE_VERBS: dict[str, int] = {
    **dict.fromkeys(
        """accuse blame condemn criticise criticize denounce ridicule slam deplore reject dismiss
        mock lambast chastise rebuke oppose warn threaten""".split(), -1),
    **dict.fromkeys(
        """praise thank back support welcome hail credit congratulate applaud commend endorse
        defend acknowledge salute""".split(), 1),
}
#: Nouns that carry the same stance toward whom they are addressed ("support to", "gratitude
#: for", "criticism of", "solidarity with").
EVALUATIVE_NOUNS: dict[str, int] = {
    **dict.fromkeys("criticism condemnation accusation disquiet anger".split(), -1),
    **dict.fromkeys("support backing praise gratitude thanks solidarity sympathy".split(), 1),
}
