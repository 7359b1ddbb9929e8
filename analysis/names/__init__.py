"""Names shared by the analyses: entity mentions and the canonical-name rules.

Below :mod:`analysis.entities` (frequency tables) and :mod:`analysis.stance` (speakers and
targets), above :mod:`analysis._analysed`, so no import runs back up a layer:

* ``canonical.py``: how written names merge into canonical entities, with the name tables
  ``aliases.csv`` (the analyst's own merges) and ``countries.csv`` (well-known country names,
  demonyms and metonyms);
* ``mentions.py``: one row per name in an analysed article (spaCy NER on the repaired text,
  cleaned, completed across lines, mapped back to the text as written), and ``resolve``.

Import from the modules themselves (``from analysis.names._mentions import mentions``); this
package does not import them, so :mod:`analysis._repair` can read the tables while the analysed
article is being built.
"""
