"""From a document to proposed facts (issue 19): ``citynet extract``.

The stage reads a new input, as the importers do, and produces the ordinary fact model
(:mod:`citynet.sources.model`) with :class:`~citynet.sources.model.Evidence` on every fact, so
everything after it (review, load, queries) is shared. One job per module:

- ``reading``   — bytes → :class:`~citynet.extract.model.Document` (HTML via trafilatura with its
  tables, PDF via pypdf/pdfplumber, plain text), its sha256, title, publisher and language;
  every bad input is one :class:`~citynet.errors.ExtractError` line.
- ``language``  — language identification restricted to the EU's official languages and Norwegian.
- ``mentions``  — places and countries named in the text (the gazetteer's names and alternate names,
  the graph's labels, pins; surface forms and lemmas; fuzzy only within a bound, with a reason).
  (``gazetteer`` builds the index once per run.)
- ``values``    — dates, money, co-financing rates and declared counts ("14 partners from 11 countries")
  (``dates``, ``monthnames``, ``money``, ``counts``, ``numberwords``).
- ``networks``  — network names and aliases: the graph's registry first, then patterns
  (``registry`` reads the fact files' networks before a first load; ``programmes``; ``spans``).
- ``roles`` and ``leads`` — the words for lead partner, and whom each is said of, in which network.
- ``organisations`` — a place inside a longer name: the city, an organisation in it, or no member.
- ``assemble`` and ``figures`` — the above into networks with members and figures, with evidence.
- ``pipeline``  — the extractor, started once per run; ``proposal`` — ``graph/proposed/<id>.yaml``
  and ``<id>.txt`` (the text the offsets point into).
- ``evaluate`` (``evalread``, ``evalmatch``, ``evalreport``) — proposals against hand-written
  expectations: precision, recall, F1 per kind and language.

Nothing here downloads: every model and table ships inside a package wheel.
"""
