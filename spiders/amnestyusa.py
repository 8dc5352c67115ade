"""Amnesty International USA newsroom: https://www.amnestyusa.org/news/."""

from __future__ import annotations

from newsroom_archive.sites import amnestyusa
from spiders.base import NewsroomSpider


class AmnestyUSASpider(NewsroomSpider):
    name = "amnestyusa"
    site = amnestyusa
