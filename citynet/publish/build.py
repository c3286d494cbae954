"""The parts of ``citynet publish`` in their order, run by :mod:`citynet.publish.release`.

Dumps come first (the descriptions give their sizes and checksums), then the documents, the
ontology, the named queries, the descriptions (VoID, DCAT-AP, schema.org), the redirect rules, and
the landing page last (it links everything before it).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyoxigraph as ox

from citynet.project import Project
from citynet.publish.context import Context
from citynet.publish.datasetpages import write_dataset_pages
from citynet.publish.describe import write_description
from citynet.publish.documents import write_documents
from citynet.publish.dumps import write_dumps
from citynet.publish.landing import write_landing
from citynet.publish.ontology import write_ontology
from citynet.publish.queries import write_queries
from citynet.publish.release import Published, check_base, publish_folder
from citynet.publish.rules import write_rules
from citynet.publish.served import render_served

W3ID_TARGET = "https://citynet-eu.github.io/citynet/"
__all__ = ["W3ID_TARGET", "Published", "publish_release", "render_served"]  # what the api takes from here


def publish_release(
    store: ox.Store,
    target: Path,
    release: dt.date,
    base: str,
    project: Project,
    endpoint: str | None = None,
    site_url: str | None = None,
    w3id_target: str = W3ID_TARGET,
) -> Published:
    """Publish ``store`` into ``target`` as release ``release`` (see :mod:`citynet.publish`)."""

    settings = {"base": check_base(base), "release": release, "sparql_endpoint": endpoint}
    settings["site_url"] = site_url
    dataset: dict = {}

    def dumps(context: Context, published: Published) -> None:
        published.distributions.extend(write_dumps(context))

    def describe(context: Context, published: Published) -> None:
        dataset.update(write_description(context, published.distributions))

    def landing(context: Context, published: Published) -> None:
        write_landing(context, dataset, published.distributions)

    parts = [
        ("dumps", dumps),
        ("documents", lambda context, _: write_documents(context)),
        ("ontology", lambda context, _: write_ontology(context, project.ontology_dir)),
        ("queries", lambda context, _: write_queries(context, project.queries_dir)),
        ("descriptions", describe),
        ("dataset pages", lambda context, _: write_dataset_pages(context)),
        ("rules", lambda context, _: write_rules(context, w3id_target)),
        ("landing", landing),
    ]
    return publish_folder(store, target, settings, parts)
