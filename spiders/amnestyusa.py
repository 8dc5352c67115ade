"""Amnesty International USA newsroom: https://www.amnestyusa.org/news/."""

from __future__ import annotations

from newsroom_archive.sites import get_site
from spiders.base import NewsroomSpider


class AmnestyUSASpider(NewsroomSpider):
    name = "amnestyusa"
    site = get_site(name)
