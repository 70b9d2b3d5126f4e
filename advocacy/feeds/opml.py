"""OPML, the list of feeds every reader imports and exports.

Import reports duplicates and bad entries one by one instead of failing the whole file.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit
from ..errors import DomainError, ValidationError
from ..models import Feed, User
from .manage import create_unresolved

MAX_OPML_BYTES = 2 * 1024 * 1024


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)


def read_outlines(data: bytes) -> list[tuple[str, str]]:
    """(xmlUrl, title) for every feed outline, however deeply nested in folders."""
    if len(data) > MAX_OPML_BYTES:
        raise ValidationError("The OPML file is larger than 2 MiB.")
    if b"<!DOCTYPE" in data[:2048].upper() or b"<!ENTITY" in data.upper():
        raise ValidationError("OPML files with a DOCTYPE or entities are not accepted.")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise ValidationError(f"This is not a readable OPML file: {exc}.") from None
    if root.tag != "opml":
        raise ValidationError("This is not an OPML file (no <opml> root element).")
    outlines = []
    for node in root.iter("outline"):
        url = node.get("xmlUrl") or node.get("xmlurl")
        if url is not None:
            outlines.append((url.strip(), (node.get("title") or node.get("text") or "").strip()))
    return outlines


def import_opml(session: Session, actor: User | None, data: bytes, now: datetime) -> ImportReport:
    report = ImportReport()
    followed = set(session.scalars(select(Feed.url)))
    for url, title in read_outlines(data):
        if url in followed:
            report.duplicates.append(url)
            continue
        try:  # create_unresolved validates before it adds anything to the session
            create_unresolved(session, actor, url, title or None, now)
        except DomainError as exc:
            report.errors.append((url or "(empty)", exc.message))
            continue
        followed.add(url)
        report.added.append(url)
    audit.record(
        session,
        actor,
        "feed.opml_import",
        "feed",
        None,
        added=len(report.added),
        duplicates=len(report.duplicates),
        errors=len(report.errors),
    )
    return report


def export_opml(feeds: Iterable[Feed], title: str = "Advocacy feeds") -> bytes:
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    body = ET.SubElement(root, "body")
    for feed in feeds:
        attributes = {"type": "rss", "text": feed.title or feed.url, "xmlUrl": feed.url}
        if feed.title:
            attributes["title"] = feed.title
        if feed.site_url:
            attributes["htmlUrl"] = feed.site_url
        ET.SubElement(body, "outline", attributes)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
