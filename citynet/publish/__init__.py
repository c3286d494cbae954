"""``citynet publish -o DIR``: the graph as a static linked-data site any web server can serve.

The published folder (``BASE`` is the base IRI, ``https://w3id.org/citynet/`` by default)::

    index.html                       landing page: what the dataset is, schema.org Dataset JSON-LD
    .well-known/void                 the VoID description (Turtle), as RFC 5785 and VoID §7 say
    void.ttl void.nt void.jsonld     VoID: dataset, subsets per source graph, linksets
    dcat.ttl dcat.nt dcat.jsonld     DCAT-AP 3: catalogue, dataset, distributions
    id/<kind>/<id>.{html,ttl,nt,jsonld,trig}     one document per thing (kind: city, org,
                                     network, membership, call, source, country, programme, graph)
    vocab/<scheme>/<concept>.{…}     the SKOS concepts; vocab/<scheme>/index.{…} the scheme
    ontology.{html,ttl,nt,jsonld,owl}          the ontology, its documentation (pyLODE)
    queries/index.html queries/<name>.{html,rq,csv,json}   the named queries and their results
    dumps/YYYY-MM-DD/                one folder per release, never rewritten:
        citynet-YYYYMMDD.nq.gz  citynet-YYYYMMDD.trig.gz  citynet-YYYYMMDD.jsonld.gz
        graphs/<graph>.ttl.gz    SHA256SUMS  CHANGES.md
    dumps/latest/                    the newest release's files under stable names (a copy)
    .htaccess  README.md             rules for w3id.org/citynet (303 by Accept, 406, Vary)
    apache/citynet.conf              the same rules for a self-hosted Apache

The parts, one module each, take a :class:`citynet.publish.context.Context` and write under
``context.folder``: :mod:`~citynet.publish.dumps`, :mod:`~citynet.publish.documents`,
:mod:`~citynet.publish.ontology`, :mod:`~citynet.publish.queries`,
:mod:`~citynet.publish.describe`, :mod:`~citynet.publish.rules`; :mod:`~citynet.publish.release`
runs them in a staging folder and swaps it in. Paths and links: :mod:`~citynet.publish.paths`.
What a document holds: :mod:`citynet.store.resources`.
"""
