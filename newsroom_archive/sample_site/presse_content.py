"""What the German sample newsroom (``sample-presse``) publishes, and its answer key.

A Drupal site of an invented human rights office: a views listing at ``/presse/`` of
press releases (``Pressemitteilung``), statements (``Stellungnahme``) and reports
(``Bericht``), eight cards a page, with no images on the cards. Besides what the pages
show, a ``PresseArticle`` carries what a correct reader should make of it: the credit
split into ``photographers`` and ``photo_agencies``, by the conventions of the
``amnestyusa`` answer key (``content.py``).

Dates are Berlin wall times. Article pages show the day in German (``02. November
2021``), inside a ``<time datetime>`` or, on statements, as text only; the listing shows
``02.11.2021`` in a ``<time datetime>``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from newsroom_archive.sample_site.states import (
    ALIASES,
    Mutation,
    SampleArticle,
    State,
    Timeline,
    berlin_time,
    change_states,
    edit,
    one_line,
    paragraphs,
)

Label = Literal["Pressemitteilung", "Stellungnahme", "Bericht"]
DateShown = Literal["time", "text"]
CreditIn = Literal["span", "caption"]

CARDS_PER_PAGE = 8
TEASER_CUT_WORDS = 25
"""A cut teaser shows this many words of ``teaser_full`` and then ``…``, as Drupal's
trimmed summary does."""
ORGANISATION = "Beispiel-Menschenrechtsbüro"
PRESS_EMAIL = "presse@menschenrechtsbuero.example"
MONTHS = (
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
)


_text = one_line
_paras = paragraphs


def _upload(stamp: str, stem: str) -> str:
    # Drupal serves an image style of the upload, with the style's token.
    return f"/sites/default/files/styles/artikel/public/{stamp}/{stem}.jpg?itok=x{stem[:6]}"


@dataclass(frozen=True, kw_only=True)
class PresseArticle(SampleArticle):
    """An article of the newsroom. ``image`` is the article's lead image (the cards show
    none); ``caption`` is the figcaption's text as shown, which with
    ``credit_in="caption"`` ends with the credit, while with ``span`` the credit is an
    element of its own."""

    teaser_cut_words: ClassVar[int] = TEASER_CUT_WORDS

    type_label: Label
    date_shown: DateShown = "time"
    """``time``: the article page's date is a ``<time datetime>``; ``text``: the German
    date only, so the record has a day and no time."""
    credit_in: CreditIn = "span"
    tags: tuple[str, ...] = ()
    attachment: str | None = None
    """Root-relative URL of the report's PDF."""

    @property
    def path(self) -> str:
        return f"/presse/{self.published.year}/{self.slug}"

    @property
    def german_date(self) -> str:
        """The day as the article page shows it: ``02. November 2021``."""
        p = self.published
        return f"{p.day:02d}. {MONTHS[p.month - 1]} {p.year}"

    @property
    def card_date(self) -> str:
        return f"{self.published:%d.%m.%Y}"

    @property
    def published_at(self) -> str | None:
        """The moment of publication where the page gives one."""
        return self.published.isoformat() if self.date_shown == "time" else None


ARTICLES: tuple[PresseArticle, ...] = (
    PresseArticle(
        slug="abschiebungen-nach-afghanistan-stopp-verlaengern",
        title="Abschiebungen nach Afghanistan: Bundesregierung muss den Stopp verlängern",
        type_label="Pressemitteilung",
        published=berlin_time("2021-12-16 10:00"),
        modified=berlin_time("2021-12-16 14:15"),
        teaser_full=_text("""
            Das Beispiel-Menschenrechtsbüro fordert die Bundesregierung auf, den
            Abschiebestopp nach Afghanistan über den Jahreswechsel hinaus zu verlängern."""),
        body=_paras("""
            Seit dem Sommer hat sich die Lage in Afghanistan weiter verschlechtert.
            Rückkehrerinnen und Rückkehrer sind Verfolgung, Hunger und Gewalt ausgesetzt.

            „Wer heute nach Afghanistan abschiebt, nimmt schwere Menschenrechtsverletzungen
            in Kauf“, sagte Miriam Albers, Referentin für Asylpolitik.

            Pressekontakt: presse@menschenrechtsbuero.example"""),
        image=_upload("2021-12", "kabul-flughafen-warteschlange"),
        image_alt="Menschen warten vor einem Flughafengebäude",
        caption="Wartende vor dem Flughafen in Kabul im August 2021.",
        credit="© Anna Schmidt/dpa",
        photographers=["Anna Schmidt"],
        photo_agencies=["dpa"],
        tags=("Asyl", "Afghanistan"),
    ),
    PresseArticle(
        slug="tag-der-menschenrechte-aktionsplan-gegen-rassismus",
        title="Tag der Menschenrechte: Aktionsplan gegen Rassismus gefordert",
        type_label="Pressemitteilung",
        published=berlin_time("2021-12-10 09:00"),
        modified=berlin_time("2021-12-10 09:00"),
        teaser_full=_text("""
            Zum Tag der Menschenrechte fordert das Beispiel-Menschenrechtsbüro Bund und
            Länder auf, einen gemeinsamen Aktionsplan gegen Rassismus vorzulegen, der
            unabhängige Beratungsstellen dauerhaft finanziert, Diskriminierung in Behörden
            systematisch erfasst und Betroffenen einen wirksamen Rechtsweg eröffnet."""),
        teaser_cut=True,
        body=_paras("""
            Beratungsstellen berichten von einer steigenden Zahl rassistischer Vorfälle in
            Schulen, auf dem Wohnungsmarkt und bei Behördengängen.

            Ein Aktionsplan muss messbare Ziele enthalten und jährlich überprüft werden."""),
    ),
    PresseArticle(
        slug="zum-entwurf-des-neuen-versammlungsgesetzes",
        title="Zum Entwurf des neuen Versammlungsgesetzes",
        type_label="Stellungnahme",
        published=berlin_time("2021-12-02 14:30"),
        modified=berlin_time("2021-12-02 14:30"),
        teaser_full=_text("""
            Der Entwurf schränkt die Versammlungsfreiheit unverhältnismäßig ein. Unsere
            Stellungnahme an den Innenausschuss."""),
        body=_paras("""
            Der Entwurf sieht vor, dass Versammlungen künftig 72 Stunden vor ihrem Beginn
            angemeldet werden müssen. Spontane Proteste würden damit faktisch unmöglich.

            Wir empfehlen, die Anmeldefrist bei 48 Stunden zu belassen und das geplante
            Verbot von Uniformierung zu streichen."""),
        date_shown="text",
    ),
    PresseArticle(
        slug="niemand-hoert-uns-zu-lage-in-sammelunterkuenften",
        title="„Niemand hört uns zu“: Bericht zur Lage in Sammelunterkünften",
        type_label="Bericht",
        published=berlin_time("2021-11-25 11:00"),
        modified=berlin_time("2021-11-26 08:30"),
        teaser_full=_text("""
            Der Bericht beruht auf Gesprächen mit 61 Bewohnerinnen und Bewohnern von
            Sammelunterkünften in vier Bundesländern."""),
        body=_paras("""
            Viele der Befragten leben seit mehr als zwei Jahren in Mehrbettzimmern ohne
            abschließbare Türen. Beschwerden bleiben oft folgenlos.

            Das Beispiel-Menschenrechtsbüro empfiehlt unabhängige Beschwerdestellen und
            verbindliche Mindeststandards für alle Unterkünfte."""),
        image=_upload("2021-11", "sammelunterkunft-flur"),
        image_alt="Ein langer Flur mit Zimmertüren",
        caption="Flur einer Sammelunterkunft in Sachsen. © Jonas Weber/Imago",
        credit="© Jonas Weber/Imago",
        credit_in="caption",
        photographers=["Jonas Weber"],
        photo_agencies=["Imago"],
        tags=("Asyl", "Unterbringung"),
        attachment="/sites/default/files/2021-11/bericht-sammelunterkuenfte.pdf",
    ),
    PresseArticle(
        slug="polizeigewalt-unabhaengige-beschwerdestellen",
        title="Polizeigewalt: Unabhängige Beschwerdestellen in allen Ländern einrichten",
        type_label="Pressemitteilung",
        published=berlin_time("2021-11-18 10:00"),
        modified=berlin_time("2021-11-18 10:00"),
        teaser_full=_text("""
            Nur wenige Bundesländer haben bislang eine unabhängige Stelle, an die sich
            Betroffene von Polizeigewalt wenden können."""),
        body=_paras("""
            Ermittlungen gegen Polizeibeamtinnen und -beamte werden überwiegend eingestellt.
            Betroffene brauchen eine Anlaufstelle außerhalb der Polizei.

            Die Beschwerdestellen müssen Akteneinsicht erhalten und ihre Ergebnisse
            veröffentlichen dürfen."""),
        image=_upload("2021-11", "demonstration-polizeikette"),
        image_alt="Polizeikette bei einer Demonstration",
        caption="Polizeikette bei einer Demonstration in Leipzig.",
        credit="© picture alliance/dpa | Jens Büttner",
        photographers=["Jens Büttner"],
        photo_agencies=["picture alliance", "dpa"],
    ),
    PresseArticle(
        slug="gedenken-9-november-antisemitische-straftaten",
        title="Gedenken am 9. November: Antisemitische Straftaten konsequent verfolgen",
        type_label="Pressemitteilung",
        published=berlin_time("2021-11-09 12:00"),
        modified=berlin_time("2021-11-09 12:00"),
        teaser_full=_text("""
            Die Zahl antisemitischer Straftaten hat einen Höchststand erreicht. Polizei und
            Justiz müssen sie als solche erkennen und verfolgen."""),
        body=_paras("""
            Am Jahrestag der Novemberpogrome erinnern wir an die Opfer und an die
            Verantwortung, jeder Form von Antisemitismus entgegenzutreten.

            Schwerpunktstaatsanwaltschaften haben sich bewährt und sollten in allen Ländern
            eingerichtet werden."""),
    ),
    PresseArticle(
        slug="klimaklagen-rechte-kuenftiger-generationen",
        title="Klimaklagen: Gerichte stärken die Rechte künftiger Generationen",
        type_label="Pressemitteilung",
        published=berlin_time("2021-11-02 10:00"),
        modified=berlin_time("2021-11-02 17:40"),
        teaser_full=_text("""
            Immer mehr Gerichte erkennen an, dass unzureichender Klimaschutz die Grundrechte
            junger Menschen verletzt. Das Beispiel-Menschenrechtsbüro begrüßt die jüngsten
            Entscheidungen und fordert, die Klimaziele gesetzlich so zu verankern, dass
            Freiheitsrechte auch in Zukunft gewahrt bleiben."""),
        teaser_cut=True,
        body=_paras("""
            Die Klägerinnen und Kläger sind zwischen 14 und 25 Jahre alt. Sie machen geltend,
            dass ihnen ohne schnelle Emissionsminderungen später drastische Einschränkungen
            drohen.

            „Klimaschutz ist Menschenrechtsschutz“, sagte Jakob Lenz, Referent für
            wirtschaftliche und soziale Rechte."""),
        image=_upload("2021-11", "klimaprotest-jugendliche"),
        image_alt="Jugendliche mit Transparenten vor einem Gericht",
        caption="Jugendliche vor dem Verwaltungsgericht.",
        credit="© Lena Hoffmann/Beispiel-Menschenrechtsbüro",
        photographers=["Lena Hoffmann"],
        photo_agencies=["Beispiel-Menschenrechtsbüro"],
        tags=("Klima",),
    ),
    PresseArticle(
        slug="zur-reform-des-staatsangehoerigkeitsrechts",
        title="Zur Reform des Staatsangehörigkeitsrechts",
        type_label="Stellungnahme",
        published=berlin_time("2021-10-28 16:00"),
        modified=berlin_time("2021-10-28 16:00"),
        teaser_full=_text("""
            Mehrstaatigkeit sollte generell zugelassen werden. Unsere Stellungnahme zum
            Referentenentwurf."""),
        body=_paras("""
            Der Referentenentwurf verkürzt die Wartezeit für die Einbürgerung, hält aber an
            Ausnahmen fest, die vor allem ältere Menschen benachteiligen.

            Wir regen an, die Sprachanforderungen für Menschen über 60 Jahre abzusenken."""),
        date_shown="text",
    ),
    PresseArticle(
        slug="lieferkettengesetz-sorgfaltspflichten-ernst-nehmen",
        title="Lieferkettengesetz: Unternehmen müssen Sorgfaltspflichten ernst nehmen",
        type_label="Pressemitteilung",
        published=berlin_time("2021-10-21 09:30"),
        modified=berlin_time("2021-10-21 09:30"),
        teaser_full=_text("""
            Mit dem neuen Gesetz müssen große Unternehmen Risiken in ihren Lieferketten
            erkennen und abstellen."""),
        body=_paras("""
            Das Gesetz gilt zunächst nur für Unternehmen mit mehr als 3.000 Beschäftigten.
            Betroffene im Ausland können weiterhin kaum Schadensersatz einklagen.

            Wir fordern eine zivilrechtliche Haftung und eine Ausweitung auf kleinere
            Unternehmen in Risikobranchen."""),
        image=_upload("2021-10", "textilfabrik-naeherinnen"),
        image_alt="Näherinnen an Nähmaschinen in einer Fabrikhalle",
    ),
    PresseArticle(
        slug="ueberwachung-von-journalistinnen-spaehsoftware",
        title="Überwachung von Journalistinnen und Journalisten: Bericht dokumentiert Spähsoftware",
        type_label="Bericht",
        published=berlin_time("2021-10-14 10:00"),
        modified=berlin_time("2021-10-15 09:00"),
        teaser_full=_text("""
            In mindestens elf Fällen wurden Telefone von Medienschaffenden mit kommerzieller
            Spähsoftware infiziert, wie unsere forensischen Untersuchungen zeigen. Der
            Bericht beschreibt die Angriffe, die Herstellerfirmen und die Exportgenehmigungen,
            die den Verkauf der Software erst möglich gemacht haben."""),
        teaser_cut=True,
        body=_paras("""
            Die untersuchten Geräte gehörten Reporterinnen und Reportern aus sechs Ländern.
            Alle hatten zu Korruption oder Menschenrechtsverletzungen recherchiert.

            Die Bundesregierung muss den Export von Überwachungstechnologie in Staaten
            stoppen, die sie gegen die Presse einsetzen."""),
        tags=("Überwachung", "Pressefreiheit"),
        attachment="/sites/default/files/2021-10/bericht-spaehsoftware.pdf",
    ),
    PresseArticle(
        slug="belarus-freilassung-menschenrechtsverteidiger",
        title="Belarus: Freilassung der inhaftierten Menschenrechtsverteidiger gefordert",
        type_label="Pressemitteilung",
        published=berlin_time("2021-10-05 13:00"),
        modified=berlin_time("2021-10-05 13:00"),
        teaser_full=_text("""
            Mehr als 700 Menschen sind in Belarus aus politischen Gründen inhaftiert,
            darunter zahlreiche Menschenrechtsverteidigerinnen."""),
        body=_paras("""
            Die Inhaftierten werden oft ohne Kontakt zu Anwältinnen und Anwälten
            festgehalten. Angehörige erfahren tagelang nichts über ihren Verbleib.

            Wir rufen dazu auf, sich an unserer Briefaktion zu beteiligen."""),
        image=_upload("2021-10", "mahnwache-botschaft"),
        image_alt="Menschen mit Kerzen und Plakaten bei Nacht",
        caption="Mahnwache vor der Botschaft von Belarus in Berlin. © Sarah Yilmaz/dpa",
        credit="© Sarah Yilmaz/dpa",
        credit_in="caption",
        photographers=["Sarah Yilmaz"],
        photo_agencies=["dpa"],
        tags=("Belarus",),
    ),
    PresseArticle(
        slug="nach-der-bundestagswahl-menschenrechte-in-den-koalitionsvertrag",
        title="Nach der Bundestagswahl: Menschenrechte gehören in den Koalitionsvertrag",
        type_label="Stellungnahme",
        published=berlin_time("2021-09-27 08:00"),
        modified=berlin_time("2021-09-27 08:00"),
        teaser_full=_text("""
            Unsere Erwartungen an die Koalitionsverhandlungen in zehn Punkten."""),
        body=_paras("""
            Die künftige Bundesregierung sollte ein Menschenrechtsministerium prüfen und den
            Menschenrechtsausschuss des Bundestages stärken.

            Außerdem gehören ein Demokratiefördergesetz und ein humanitäres
            Aufnahmeprogramm in den Vertrag."""),
        date_shown="text",
    ),
    PresseArticle(
        slug="seenotrettung-kriminalisierung-beenden",
        title="Seenotrettung: Kriminalisierung von Helferinnen und Helfern beenden",
        type_label="Pressemitteilung",
        published=berlin_time("2021-09-16 11:00"),
        modified=berlin_time("2021-09-16 11:00"),
        teaser_full=_text("""
            Gegen Crews ziviler Rettungsschiffe laufen in mehreren EU-Staaten Strafverfahren.
            Das Retten von Menschenleben darf nicht bestraft werden."""),
        body=_paras("""
            Allein in diesem Jahr sind im zentralen Mittelmeer mehr als 1.300 Menschen
            ertrunken oder werden vermisst.

            Die EU muss eine staatlich organisierte Seenotrettung aufbauen und die
            Zusammenarbeit mit der libyschen Küstenwache beenden."""),
        image=_upload("2021-09", "rettungsschiff-hafen"),
        image_alt="Ein Rettungsschiff liegt im Hafen",
        caption="Ein ziviles Rettungsschiff im Hafen von Catania.",
        credit="© Thomas Becker/epd",
        photographers=["Thomas Becker"],
        photo_agencies=["epd"],
        tags=("Asyl", "Seenotrettung"),
    ),
    PresseArticle(
        slug="afghanistan-aufnahmeprogramm-fuer-frauenrechtlerinnen",
        title="Afghanistan: Aufnahmeprogramm für gefährdete Frauenrechtlerinnen jetzt starten",
        type_label="Pressemitteilung",
        published=berlin_time("2021-09-08 10:00"),
        modified=berlin_time("2021-09-08 10:00"),
        teaser_full=_text("""
            Frauenrechtlerinnen, Richterinnen und Journalistinnen in Afghanistan sind in
            akuter Gefahr. Deutschland muss sie schnell aufnehmen."""),
        body=_paras("""
            Viele der Frauen, die uns um Hilfe bitten, halten sich versteckt. Sie können das
            Land nicht auf eigene Faust verlassen.

            Ein Aufnahmeprogramm muss unbürokratisch sein und auch Familienangehörige
            umfassen."""),
    ),
    PresseArticle(
        slug="hitze-in-haftanstalten-schutzkonzepte",
        title="Hitze in Haftanstalten: Bericht fordert Schutzkonzepte",
        type_label="Bericht",
        published=berlin_time("2021-08-30 15:00"),
        modified=berlin_time("2021-08-30 15:00"),
        teaser_full=_text("""
            In vielen Haftanstalten steigen die Temperaturen im Sommer auf über 35 Grad.
            Unser Bericht dokumentiert die Folgen für die Gefangenen."""),
        body=_paras("""
            Besonders betroffen sind ältere und kranke Gefangene. In zwei Anstalten gab es
            in diesem Sommer Todesfälle, die mit der Hitze in Verbindung stehen könnten.

            Die Länder müssen Hitzeschutzpläne aufstellen und bauliche Mängel beheben."""),
        image=_upload("2021-08", "haftanstalt-zelle"),
        image_alt="Blick in eine Zelle mit vergittertem Fenster",
        caption="Eine Zelle in einer Justizvollzugsanstalt.",
        credit="© Beispiel-Menschenrechtsbüro",
        photo_agencies=["Beispiel-Menschenrechtsbüro"],
        tags=("Haft",),
        attachment="/sites/default/files/2021-08/bericht-hitze-haft.pdf",
    ),
    PresseArticle(
        slug="racial-profiling-studie-zu-polizeikontrollen",
        title="Racial Profiling: Studie zu Polizeikontrollen muss kommen",
        type_label="Pressemitteilung",
        published=berlin_time("2021-08-19 10:00"),
        modified=berlin_time("2021-08-19 10:00"),
        teaser_full=_text("""
            Seit Jahren berichten Betroffene von Kontrollen allein wegen ihres Aussehens.
            Eine unabhängige Studie zu anlasslosen Polizeikontrollen ist überfällig, damit
            Politik und Polizei auf verlässliche Zahlen statt auf Einzelfälle und Vermutungen
            reagieren können."""),
        teaser_cut=True,
        body=_paras("""
            Mehrere Bundesländer haben eine solche Studie bislang abgelehnt.

            Kontrollquittungen, wie sie in anderen Staaten üblich sind, würden Kontrollen
            nachvollziehbar machen."""),
    ),
    PresseArticle(
        slug="zur-geplanten-ausweitung-der-videoueberwachung",
        title="Zur geplanten Ausweitung der Videoüberwachung",
        type_label="Stellungnahme",
        published=berlin_time("2021-07-22 09:00"),
        modified=berlin_time("2021-07-22 09:00"),
        teaser_full=_text("""
            Automatische Gesichtserkennung im öffentlichen Raum lehnen wir ab."""),
        body=_paras("""
            Der Gesetzentwurf erlaubt den Einsatz biometrischer Software an Bahnhöfen und
            Plätzen. Damit würde jede Person, die sich dort aufhält, erfasst.

            Wir empfehlen, den Einsatz von Gesichtserkennung gesetzlich auszuschließen."""),
        date_shown="text",
        tags=("Überwachung",),
    ),
    PresseArticle(
        slug="hochwasser-menschen-in-notunterkuenften",
        title="Hochwasser: Menschen in Notunterkünften nicht vergessen",
        type_label="Pressemitteilung",
        published=berlin_time("2021-07-08 14:00"),
        modified=berlin_time("2021-07-08 14:00"),
        teaser_full=_text("""
            Nach dem Hochwasser leben viele Menschen noch in Turnhallen und Notquartieren."""),
        body=_paras("""
            Für Menschen mit Behinderungen und ältere Menschen sind viele Notunterkünfte
            nicht geeignet.

            Die Kommunen brauchen Unterstützung, um barrierefreie Unterkünfte bereitzustellen."""),
        image=_upload("2021-07", "notunterkunft-turnhalle"),
        image_alt="Feldbetten in einer Turnhalle",
        caption="Feldbetten in einer Turnhalle im Ahrtal. © Jürgen Müller/Imago",
        credit="© Jürgen Müller/Imago",
        credit_in="caption",
        photographers=["Jürgen Müller"],
        photo_agencies=["Imago"],
    ),
    PresseArticle(
        slug="kinderrechte-in-abschiebehaft",
        title="Kinderrechte in Abschiebehaft: Bericht zählt über 200 Fälle",
        type_label="Bericht",
        published=berlin_time("2021-06-24 10:00"),
        modified=berlin_time("2021-06-24 10:00"),
        teaser_full=_text("""
            Obwohl das Gesetz es nur als letztes Mittel erlaubt, wurden Minderjährige
            wiederholt in Abschiebehaft genommen."""),
        body=_paras("""
            Der Bericht wertet Gerichtsakten aus den Jahren 2018 bis 2020 aus. In vielen
            Fällen wurde das Jugendamt nicht beteiligt.

            Kinder gehören nicht in Haft. Die Bundesregierung muss die Abschiebehaft für
            Minderjährige gesetzlich ausschließen."""),
        tags=("Asyl", "Kinderrechte", "Haft"),
        attachment="/sites/default/files/2021-06/bericht-abschiebehaft-kinder.pdf",
    ),
    PresseArticle(
        slug="pride-monat-schutz-fuer-queere-gefluechtete",
        title="Pride-Monat: Schutz für queere Geflüchtete verbessern",
        type_label="Pressemitteilung",
        published=berlin_time("2021-06-10 11:00"),
        modified=berlin_time("2021-06-10 11:00"),
        teaser_full=_text("""
            Queere Geflüchtete erleben in Unterkünften häufig Anfeindungen. Sie brauchen
            sichere Unterbringung und geschulte Ansprechpersonen."""),
        body=_paras("""
            In vielen Bundesländern fehlen Schutzkonzepte, die die besondere Lage queerer
            Menschen berücksichtigen.

            Wir fordern, dass Anhörungen im Asylverfahren von geschultem Personal geführt
            werden."""),
        image=_upload("2021-06", "pride-parade-transparent"),
        image_alt="Menschen mit Regenbogenfahnen",
        caption="Teilnehmende einer Parade in Köln.",
        credit="© Mia Wagner/dpa",
        photographers=["Mia Wagner"],
        photo_agencies=["dpa"],
        tags=("Asyl", "LGBTI"),
    ),
)

NEW_ARTICLE = PresseArticle(
    slug="kaeltehilfe-notunterkuenfte-fuer-alle-oeffnen",
    title="Kältehilfe: Notunterkünfte müssen allen offenstehen",
    type_label="Pressemitteilung",
    published=berlin_time("2022-01-11 10:00"),
    modified=berlin_time("2022-01-11 10:00"),
    teaser_full=_text("""
        Bei Minusgraden dürfen Notunterkünfte niemanden abweisen, auch nicht Menschen ohne
        Papiere."""),
    body=_paras("""
        Sozialarbeiterinnen berichten, dass Menschen ohne Aufenthaltsstatus aus Angst vor
        Kontrollen auf der Straße bleiben.

        Pressekontakt: presse@menschenrechtsbuero.example"""),
    image=_upload("2022-01", "kaeltebus-decken"),
    image_alt="Helfer verteilen Decken an einem Kältebus",
    caption="Ein Kältebus in Hamburg.",
    credit="© Paul Neumann/dpa",
    photographers=["Paul Neumann"],
    photo_agencies=["dpa"],
)
"""The article the ``added`` and ``edited`` states publish at the top of the newsroom."""

_BY_SLUG = {a.slug: a for a in ARTICLES}


def _edit(slug: str, field_name: str, new: object, when: str, **also: object) -> Mutation:
    return edit(_BY_SLUG, slug, field_name, new, berlin_time(when), **also)


ADD = Mutation("add", NEW_ARTICLE.slug)
TITLE_EDIT = _edit(
    "gedenken-9-november-antisemitische-straftaten",
    "title",
    "Gedenken am 9. November: Antisemitische Straftaten konsequent verfolgen und Betroffene "
    "schützen",
    "2022-01-12 09:00",
)
CREDIT_EDIT = _edit(
    "seenotrettung-kriminalisierung-beenden",
    "credit",
    "© Tobias Becker/epd",
    "2022-01-12 11:30",
    photographers=["Tobias Becker"],
)
BODY_EDIT = _edit(
    "hochwasser-menschen-in-notunterkuenften",
    "body",
    (
        _BY_SLUG["hochwasser-menschen-in-notunterkuenften"].body[0],
        "Land und Bund müssen die Kommunen finanziell unterstützen, damit bis zum Winter "
        "barrierefreie Wohnungen bereitstehen.",
    ),
    "2022-01-13 16:00",
)
TEASER_EDIT = _edit(
    "polizeigewalt-unabhaengige-beschwerdestellen",
    "teaser_full",
    "Erst fünf Bundesländer haben eine unabhängige Stelle, an die sich Betroffene von "
    "Polizeigewalt wenden können.",
    "2022-01-10 12:00",
)
DELETE = Mutation("delete", "afghanistan-aufnahmeprogramm-fuer-frauenrechtlerinnen")
COSMETIC = Mutation("cosmetic", "klimaklagen-rechte-kuenftiger-generationen")
UNLIST = Mutation("unlist", "racial-profiling-studie-zu-polizeikontrollen")

STATES: dict[str, State] = change_states(
    add=ADD,
    title=TITLE_EDIT,
    credit=CREDIT_EDIT,
    body=BODY_EDIT,
    teaser=TEASER_EDIT,
    delete=DELETE,
    cosmetic=COSMETIC,
    unlist=UNLIST,
    listing_changed=berlin_time("2022-02-01 09:00"),
)
TIMELINE: Timeline[PresseArticle] = Timeline(ARTICLES, NEW_ARTICLE, STATES, ALIASES, CARDS_PER_PAGE)
