"""What the sample newsroom publishes, and the answer key for parsing it.

Every article is an ``ArticleSpec``. Besides what the pages show, a spec carries what a
correct parser should make of it: the credit split into ``photographers`` and
``photo_agencies`` and the dateline read into ``caption_place`` / ``caption_date``.

Conventions of the answer key:

- names are listed once each, in order of first appearance; names written in capitals
  are given in title case (``MARTIN KESSLER`` -> ``Martin Kessler``), and a name the
  distributor glued to its agency (``Mikhail VoroninTASS``) is the same person;
- agencies use canonical names: ``Getty`` -> ``Getty Images``, ``AP Photo`` -> ``AP``,
  ``REUTERS`` -> ``Reuters``; ``POOL`` is a role, not an agency; the outlet a photographer
  works for (``for The Washington Post``) and the organisation after ``©`` or
  ``Credit:`` count as agencies;
- ``caption_place`` keeps state and country as written, in title case except two-letter
  state codes (``NAPA, CA`` -> ``Napa, CA``); ``caption_date`` is ISO, and when the
  dateline has no year it is taken from the caption text, else from the publication.

States are the site at different moments: ``base`` plus the ``Mutation`` rows in
``EDITS[state]`` (``states.Timeline``). Listing order is newest first, ``CARDS_PER_PAGE``
cards a page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar, Literal

from newsroom_archive.sample_site.states import (
    ALIASES,
    Action,
    CardStyle,
    Mutation,
    SampleArticle,
    State,
    StateContent,
    Timeline,
    article_url,
    change_states,
    edit,
    ny_time,
    one_line,
    paragraphs,
)

__all__ = [
    "ALIASES",
    "ARTICLES",
    "CARDS_PER_PAGE",
    "EDITS",
    "NEW_ARTICLE",
    "STATES",
    "TIMELINE",
    "Action",
    "ArticleSpec",
    "CardStyle",
    "Mutation",
    "State",
    "StateContent",
    "article_url",
    "expected_articles",
    "ny_time",
    "resolve_state",
    "state_content",
    "unlisted_articles",
]

Folder = Literal["press-releases", "reports", "updates", "news"]
CreditIn = Literal["caption", "span", "data-credit"]
DateSource = Literal["jsonld", "meta", "time-element"]

CARDS_PER_PAGE = 10
TEASER_CUT_WORDS = 40
"""A cut teaser shows this many words of ``teaser_full`` and then ``…``."""
PRESS_EMAIL = "press@aiusa.example"
"""The address the listing page's introduction obfuscates."""
UTM_QUERY = "utm_source=newsletter&utm_medium=email"


_text = one_line
_paras = paragraphs


def _upload(stamp: str, stem: str) -> str:
    return f"/wp-content/uploads/{stamp[:4]}/{stamp[5:7]}/{stem}.jpg"


@dataclass(frozen=True, kw_only=True)
class ArticleSpec(SampleArticle):
    """An article of the newsroom. ``body`` holds ``email`` literally where the page
    obfuscates it; ``image`` is the original, which ``data-src``, ``og:image`` and the
    largest ``srcset`` entry all point at; ``caption`` is the figcaption's text without
    a credit held in its own element."""

    teaser_cut_words: ClassVar[int] = TEASER_CUT_WORDS

    folder: Folder
    type_label: str | None
    email: str | None = None
    links: tuple[tuple[str, str], ...] = ()
    """(anchor text, root-relative target) pairs linked inside the body."""
    lazy: bool = False
    """Listing card image is lazy (placeholder ``src``); the article hero always is."""
    hero: bool = True
    """The article page shows ``figure.relative``; else only ``og:image`` has the image."""
    credit_in: CreditIn = "caption"
    """``caption``: the credit ends ``caption`` (or is all of it); ``span``: a
    ``span.credit`` inside the figcaption; ``data-credit``: an attribute only."""
    credit_shape: str | None = None
    caption_place: str | None = None
    caption_date: str | None = None
    date_source: DateSource = "jsonld"

    @property
    def path(self) -> str:
        return f"/{self.folder}/{self.slug}/"

    @property
    def listing_date(self) -> str:
        return f"{self.published:%B} {self.published.day}, {self.published.year}"

    @property
    def tag_line(self) -> str:
        """The card's tag line as text (the report icon's alt text left out)."""
        if self.type_label:
            return f"{self.listing_date} • {self.type_label}"
        return self.listing_date

    @property
    def page_modified(self) -> datetime | None:
        """``dateModified`` as the article page exposes it (only its JSON-LD does)."""
        return self.modified if self.date_source == "jsonld" else None


ARTICLES: tuple[ArticleSpec, ...] = (
    ArticleSpec(
        slug="geneva-talks-must-agree-limits-on-autonomous-weapons",
        folder="press-releases",
        title="States Meeting in Geneva Must Agree Limits on Autonomous Weapons",
        type_label="Press Release",
        published=ny_time("2021-12-03 10:00"),
        modified=ny_time("2021-12-03 15:20"),
        teaser_full=_text("""
            As government delegations gather in Geneva for the review conference of the
            Convention on Certain Conventional Weapons, Amnesty International USA is calling
            on the United States to stop blocking talks on a binding treaty that would keep
            meaningful human control over the use of force. Weapons systems that select and
            attack targets without human judgment are no longer science fiction, and the
            window for prevention is closing fast."""),
        teaser_cut=True,
        body=_paras("""
            Delegates from more than 120 states are meeting this week to decide whether
            formal negotiations on a new treaty can begin. Several governments, including
            the United States, have so far argued that existing international law is enough.

            “Handing life-and-death decisions to sensors and software crosses a moral line,”
            said Adaeze Okafor, technology and human rights advisor at Amnesty International
            USA. “The US delegation should use this meeting to support a clear mandate for
            negotiations rather than another year of discussion.”

            For interviews, members of the press can write to press@aiusa.example."""),
        email="press@aiusa.example",
        image=_upload("2021-12", "GettyImages-1356402117"),
        image_alt="Delegates take their seats in a conference hall",
        lazy=True,
        caption=_text("""
            GENEVA, SWITZERLAND - DECEMBER 2, 2021: Delegates take their seats before the
            opening session of a review conference at the United Nations in Geneva,
            Switzerland. (Photo by Martin Kessler / POOL / AFP) (Photo by MARTIN
            KESSLER/POOL/AFP via Getty Images)"""),
        credit=_text("""(Photo by Martin Kessler / POOL / AFP) (Photo by MARTIN
            KESSLER/POOL/AFP via Getty Images)"""),
        credit_shape="pool-afp-twice",
        photographers=["Martin Kessler"],
        photo_agencies=["AFP", "Getty Images"],
        caption_place="Geneva, Switzerland",
        caption_date="2021-12-02",
    ),
    ArticleSpec(
        slug="surveillance-exports-to-border-agencies-put-asylum-seekers-at-risk",
        folder="reports",
        title=(
            "Surveillance Exports to Border Agencies Put Asylum-Seekers at Risk, New Report Finds"
        ),
        type_label="Report",
        published=ny_time("2021-11-18 09:30"),
        modified=ny_time("2021-11-18 09:30"),
        teaser_full=_text("""
            A new Amnesty International USA report documents how drones, facial recognition
            and phone-extraction tools sold to border agencies are used to track people
            seeking safety."""),
        body=_paras("""
            The report, Watched at the Line, draws on interviews with 46 asylum-seekers and on
            procurement records obtained through public records requests. It finds that data
            collected at the border is shared across agencies with few limits on how long it
            is kept.

            “People fleeing danger should not have to trade their privacy for the chance to
            ask for protection,” said Tobias Renner, researcher on borders and technology at
            Amnesty International USA."""),
        image=_upload("2021-11", "reuters-border-surveillance-tower"),
        image_alt="A surveillance tower beside a border fence",
        caption=_text("""A surveillance tower stands beside the border fence near Nogales,
            Arizona. REUTERS/Paula Ibarra"""),
        credit="REUTERS/Paula Ibarra",
        credit_shape="reuters-slash-name",
        photographers=["Paula Ibarra"],
        photo_agencies=["Reuters"],
    ),
    ArticleSpec(
        slug="letter-writing-marathon-reaches-record-number-of-schools",
        folder="updates",
        title="Letter-Writing Marathon Reaches Record Number of Schools",
        type_label="Update",
        published=ny_time("2021-10-27 14:00"),
        modified=ny_time("2021-10-27 14:00"),
        teaser_full=_text("""
            More than 1,800 schools have signed up for this year’s letter-writing marathon,
            the highest number since the campaign began."""),
        body=_paras("""
            Teachers in all 50 states have registered classes for the marathon, which asks
            students to write to people at risk and to the officials who can help them.
            Registration stays open until the end of November.

            Classroom packs include case summaries, sample letters and a short guide to
            talking about human rights with younger students."""),
        image=_upload("2021-10", "students-letters-classroom"),
        image_alt="Students holding up handwritten letters",
        lazy=True,
        credit_shape="alt-only",
    ),
    ArticleSpec(
        slug="californias-wildfire-evacuation-plans-leave-farmworkers-behind",
        folder="press-releases",
        title="California’s Wildfire Evacuation Plans Leave Farmworkers Behind",
        type_label="Press Release",
        published=ny_time("2021-09-14 11:00"),
        modified=ny_time("2021-09-15 08:45"),
        teaser_full=_text("""
            Farmworkers in California’s wine country kept harvesting grapes under
            smoke-filled skies this week while evacuation warnings were issued only in
            English, according to interviews conducted by Amnesty International USA. State
            and county authorities must make sure that emergency alerts, protective equipment
            and paid leave reach every worker, regardless of immigration status or the
            language they speak."""),
        teaser_cut=True,
        body=_paras("""
            Researchers spoke with 23 farmworkers in Napa and Sonoma counties between
            September 8 and September 12. Most said they had received no warning in a
            language they understood, and several said they were told to keep working after
            an evacuation warning was issued for nearby roads.

            “When the air is hazardous, it’s hazardous for everyone,” said Marisol Duarte,
            director of economic and social rights at Amnesty International USA. “No one
            should have to choose between a day’s pay and their lungs.” Our earlier report
            on border surveillance showed the same pattern of people being left out of
            protections because of their status.

            Journalists can reach the press office at mediateam@aiusa.example or on
            +1 212 555 0148."""),
        email="mediateam@aiusa.example",
        links=(
            (
                "report on border surveillance",
                "/reports/surveillance-exports-to-border-agencies-put-asylum-seekers-at-risk/",
            ),
        ),
        image=_upload("2021-09", "GettyImages-1343870112"),
        image_alt="Volunteers hand out masks beside a vineyard",
        lazy=True,
        caption=_text("""
            NAPA, CA - SEPTEMBER 12: Volunteers hand out masks to farmworkers beside a
            smoke-covered vineyard on Sunday, September 12, 2021 in Napa, California. Air
            quality alerts were extended across the region as fires continued to burn to the
            north. (Photo by Hannah Wexler/MediaNews Group/The Mercury News via Getty
            Images)"""),
        credit=_text("""(Photo by Hannah Wexler/MediaNews Group/The Mercury News via Getty
            Images)"""),
        credit_shape="photo-by-chain-via-getty",
        photographers=["Hannah Wexler"],
        photo_agencies=["MediaNews Group", "The Mercury News", "Getty Images"],
        caption_place="Napa, CA",
        caption_date="2021-09-12",
    ),
    ArticleSpec(
        slug="evacuation-flights-must-include-women-human-rights-defenders",
        folder="news",
        title="Evacuation Flights Must Include Women Human Rights Defenders",
        type_label=None,
        published=ny_time("2021-08-19 16:45"),
        modified=ny_time("2021-08-20 09:10"),
        teaser_full=_text("""
            Governments running evacuation flights must prioritise women journalists, lawyers
            and activists who face reprisals, and must not leave them behind at
            checkpoints."""),
        body=_paras("""
            Amnesty International USA has received hundreds of messages from women who worked
            on human rights cases and now fear for their safety. Many of them hold documents
            proving their work but cannot reach the airport.

            The United States and its allies should extend the evacuation window, waive
            documentation requirements that people cannot meet, and publish clear
            information on who is eligible."""),
        credit_shape="no-image",
    ),
    ArticleSpec(
        slug="police-must-stop-firing-rubber-bullets-at-protesters",
        folder="press-releases",
        title="Police Must Stop Firing Rubber Bullets at Protesters",
        type_label="Press Release",
        published=ny_time("2021-07-02 10:30"),
        modified=ny_time("2021-07-02 10:30"),
        teaser_full=_text("""
            Kinetic impact projectiles have caused eye injuries, fractures and brain injuries
            at protests across the country. Amnesty International USA is calling for a federal
            ban on their use for crowd control."""),
        body=_paras("""
            Our analysis of 91 verified videos shows officers firing projectiles at close
            range and at people’s heads, in breach of manufacturers’ own guidance. In at least
            14 cases the people hit were reporters or medics.

            “These weapons are marketed as less lethal, but the injuries we documented are
            life-changing,” said Jordan Ellis, policing campaigner at Amnesty International
            USA.

            Media contact: press@aiusa.example"""),
        email="press@aiusa.example",
        image=_upload("2021-07", "GettyImages-1232207784"),
        image_alt="Protesters march past a state capitol",
        lazy=True,
        caption="Protesters march past the state capitol in Salt Lake City, Utah.",
        credit="Photo by Jon Bradley/Getty Images",
        credit_in="span",
        credit_shape="span-credit",
        photographers=["Jon Bradley"],
        photo_agencies=["Getty Images"],
    ),
    ArticleSpec(
        slug="tunisia-release-activists-arrested-after-water-protests",
        folder="updates",
        title="Tunisia: Release Activists Arrested After Water Protests",
        type_label="Update",
        published=ny_time("2021-06-14 08:00"),
        modified=ny_time("2021-06-14 08:00"),
        teaser_full=_text("""
            At least eleven activists remain in detention in Tunisia after joining peaceful
            protests over water cuts that have left several neighbourhoods of the capital
            without running water for more than a week. Amnesty International is urging the
            authorities to release them immediately and to drop charges of insulting public
            officials, which carry prison sentences of up to two years."""),
        teaser_cut=True,
        body=_paras("""
            Witnesses told Amnesty International that police arrested the activists as they
            filmed a sit-in outside a district water office. Their lawyers were not allowed to
            see them for the first 48 hours.

            Access to safe water is a human right. Protesting about its absence is not a
            crime."""),
        image=_upload("2021-06", "GettyImages-1233104455"),
        image_alt="Residents queue at a public tap",
        caption=_text("""
            TUNIS, June 13, 2021 . Residents queue to fill containers at a public tap in
            Tunis, Tunisia, on June 13, 2021. Several neighbourhoods have been without running
            water for a week, local officials said on Sunday. (Photo by Karim Benali/Xinhua
            via Getty) (Xinhua/Karim Benali via Getty Images)"""),
        credit=_text("""(Photo by Karim Benali/Xinhua via Getty) (Xinhua/Karim Benali via
            Getty Images)"""),
        credit_shape="xinhua-agency-first",
        photographers=["Karim Benali"],
        photo_agencies=["Xinhua", "Getty Images"],
        caption_place="Tunis",
        caption_date="2021-06-13",
    ),
    ArticleSpec(
        slug="nowhere-to-go-eviction-wave-hits-families-in-temporary-shelters",
        folder="press-releases",
        title="“Nowhere to Go”: Eviction Wave Hits Families in Temporary Shelters",
        type_label="Press Release",
        published=ny_time("2021-05-20 13:15"),
        modified=ny_time("2021-05-20 13:15"),
        teaser_full=_text("""
            As pandemic protections lapse, families who moved into motels and temporary
            shelters are being evicted again, often with less than a week’s notice."""),
        body=_paras("""
            Shelter providers in Texas, Georgia and Ohio told Amnesty International USA that
            requests for emergency places have doubled since April. Families with children
            make up most of the waiting lists.

            Congress and state legislatures should fund rental assistance that reaches people
            before an eviction is filed, not after.

            Press inquiries: press@aiusa.example"""),
        email="press@aiusa.example",
        image=_upload("2021-05", "AP21139612345"),
        image_alt="Belongings on a curb",
        caption=_text("""Belongings sit on a curb after an eviction in Houston, Texas. (AP
            Photo/Ruth Calloway)"""),
        credit="(AP Photo/Ruth Calloway)",
        credit_shape="ap-photo",
        photographers=["Ruth Calloway"],
        photo_agencies=["AP"],
    ),
    ArticleSpec(
        slug="land-and-livelihoods-mining-concessions-threaten-indigenous-communities",
        folder="reports",
        title="Land & Livelihoods: Mining Concessions Threaten Indigenous Communities in Colombia",
        type_label="Report",
        published=ny_time("2021-04-22 09:00"),
        modified=ny_time("2021-04-23 11:00"),
        teaser_full=_text("""
            Mining concessions granted without consultation now cover more than a third of
            the collective territories of Indigenous and Afro-descendant communities in
            Colombia’s Chocó department, according to a new report by Amnesty International.
            Community leaders who speak out against the projects face threats, and at least
            four have been killed since 2019, while investigations into their deaths have
            stalled."""),
        teaser_cut=True,
        body=_paras("""
            The report is based on field visits to nine communities and on an analysis of the
            national mining registry. It finds that companies routinely begin exploration
            before any consultation has taken place.

            Colombia must suspend concessions granted without free, prior and informed
            consent and protect the leaders who defend their land."""),
        image=_upload("2021-04", "colombia-choco-river"),
        image_alt="People walk along a riverbank",
        lazy=True,
        caption=_text("""Members of a community council walk along the Atrato river in Chocó
            department, Colombia. © Tomás Ortega/Amnesty International"""),
        credit="© Tomás Ortega/Amnesty International",
        credit_shape="copyright-name-org",
        photographers=["Tomás Ortega"],
        photo_agencies=["Amnesty International"],
    ),
    ArticleSpec(
        slug="senate-must-pass-bill-to-limit-solitary-confinement",
        folder="press-releases",
        title="Senate Must Pass Bill to Limit Solitary Confinement in Federal Prisons",
        type_label="Press Release",
        published=ny_time("2021-03-30 17:00"),
        modified=ny_time("2021-03-30 17:00"),
        teaser_full=_text("""
            Amnesty International USA welcomed the introduction of a bill that would cap the
            use of solitary confinement in federal prisons at 15 days and urged the Senate to
            pass it without delay."""),
        body=_paras("""
            Thousands of people in federal custody spend months or years in isolation.
            International standards treat more than 15 consecutive days in solitary
            confinement as prolonged isolation that may amount to torture.

            The bill would also require independent monitoring and public reporting on how
            isolation is used."""),
        image=_upload("2021-03", "GettyImages-1231587320"),
        hero=False,
        caption="Photo by Nina Feldman/Getty Images",
        credit="Photo by Nina Feldman/Getty Images",
        credit_shape="whole-caption-photo-by",
        photographers=["Nina Feldman"],
        photo_agencies=["Getty Images"],
    ),
    ArticleSpec(
        slug="international-womens-day-release-jailed-women-rights-defenders",
        folder="press-releases",
        title="International Women’s Day: Release Jailed Women Rights Defenders",
        type_label="Press Release",
        published=ny_time("2021-03-08 10:00"),
        modified=ny_time("2021-03-08 10:00"),
        teaser_full=_text("""
            On International Women’s Day, Amnesty International USA is highlighting the cases
            of seven women jailed for defending the rights of others."""),
        body=_paras("""
            The women come from five countries and have spent a combined 31 years in prison.
            Several have been denied medical care.

            Supporters can send messages of solidarity and write to the authorities holding
            them through our online action page."""),
        image=_upload("2021-03", "GettyImages-1230991118"),
        caption="LUCAS MOREAU/AFP/Getty Images",
        credit="LUCAS MOREAU/AFP/Getty Images",
        credit_shape="caps-name-afp-getty",
        photographers=["Lucas Moreau"],
        photo_agencies=["AFP", "Getty Images"],
    ),
    ArticleSpec(
        slug="myanmar-internet-shutdowns-put-lives-at-risk",
        folder="updates",
        title="Myanmar: Internet Shutdowns Put Lives at Risk",
        type_label="Update",
        published=ny_time("2021-02-11 12:00"),
        modified=ny_time("2021-02-11 12:00"),
        teaser_full=_text("""
            Nightly internet shutdowns leave people in Myanmar unable to reach family, medical
            help or reliable information."""),
        body=_paras("""
            Since the beginning of February, mobile data has been cut every night between 1am
            and 9am. Human rights monitors say the shutdowns make it harder to document arrests
            as they happen.

            Telecommunications companies operating in the country should publish every
            shutdown order they receive."""),
        image=_upload("2021-02", "GettyImages-1230745521"),
        image_alt="Demonstrators hold up phones at a vigil",
        lazy=True,
        caption=_text("""Demonstrators hold up their phones during a candlelight vigil in
            Yangon. (@ Thiri Aung via Getty Images)"""),
        credit="(@ Thiri Aung via Getty Images)",
        credit_shape="at-sign-via-getty",
        photographers=["Thiri Aung"],
        photo_agencies=["Getty Images"],
    ),
    ArticleSpec(
        slug="new-administration-must-close-immigration-detention-centers",
        folder="press-releases",
        title="New Administration Must Close Immigration Detention Centers",
        type_label="Press Release",
        published=ny_time("2021-01-20 15:30"),
        modified=ny_time("2021-01-20 15:30"),
        teaser_full=_text("""
            On its first day in office, the new administration should begin releasing people
            from immigration detention and set a date to close detention centers for good."""),
        body=_paras("""
            More than 14,000 people are held in immigration detention today, many of them in
            remote facilities run by private companies. Community-based alternatives cost a
            fraction of detention and keep families together.

            “This is a chance to end a system that has done lasting harm,” said Leah Moreno,
            refugee and migrant rights director at Amnesty International USA.

            Reporters can contact press.office@aiusa.example for comment."""),
        email="press.office@aiusa.example",
        image=_upload("2021-01", "GettyImages-1229887406"),
        image_alt="Families wait outside a processing center",
        lazy=True,
        caption="Families wait outside a processing center in El Paso, Texas.",
        credit="Photo by Diego Salas/Getty Images",
        credit_in="data-credit",
        credit_shape="data-credit-attribute",
        photographers=["Diego Salas"],
        photo_agencies=["Getty Images"],
    ),
    ArticleSpec(
        slug="belarus-must-free-peaceful-protesters-on-human-rights-day",
        folder="press-releases",
        title="Human Rights Day: Belarus Must Free Peaceful Protesters",
        type_label="Press Release",
        published=ny_time("2020-12-10 09:45"),
        modified=ny_time("2020-12-10 09:45"),
        teaser_full=_text("""
            Four months after the disputed presidential election, hundreds of people remain
            behind bars in Belarus for taking part in peaceful protests."""),
        body=_paras("""
            Amnesty International has documented beatings in custody, denial of access to
            lawyers and trials held behind closed doors. Those detained include students,
            doctors and retired teachers.

            On Human Rights Day, we are asking supporters to sign a petition calling for the
            release of everyone held solely for peaceful protest.

            To arrange interviews, contact press@aiusa.example."""),
        email="press@aiusa.example",
        image=_upload("2020-12", "GettyImages-1230132870"),
        image_alt="Riot police detain a man in central Minsk",
        caption=_text("""
            MINSK, BELARUS - DECEMBER 9, 2020: Riot police detain a man during an
            unauthorised rally in central Minsk. Rallies have been held every weekend since
            the August presidential election. Mikhail Voronin/TASS (Photo by Mikhail
            VoroninTASS via Getty Images)"""),
        credit="Mikhail Voronin/TASS (Photo by Mikhail VoroninTASS via Getty Images)",
        credit_shape="tass-twice-mangled",
        photographers=["Mikhail Voronin"],
        photo_agencies=["TASS", "Getty Images"],
        caption_place="Minsk, Belarus",
        caption_date="2020-12-09",
    ),
    ArticleSpec(
        slug="students-in-nairobi-launch-climate-petition",
        folder="news",
        title="Students in Nairobi Launch Climate Petition",
        type_label=None,
        published=ny_time("2020-11-24 11:00"),
        modified=ny_time("2020-11-24 11:00"),
        teaser_full=_text("""
            A group of secondary-school students in Nairobi has collected 40,000 signatures
            calling on county authorities to publish air pollution data."""),
        body=_paras("""
            The students began measuring air quality outside their schools with low-cost
            sensors last year. Their readings regularly exceeded World Health Organization
            guidelines.

            Amnesty International Kenya is supporting the petition and has asked the county
            assembly to hold a public hearing."""),
        image=_upload("2020-11", "nairobi-students-petition"),
        image_alt="Two students carry boxes of signatures",
        lazy=True,
        caption=_text("""Organisers Wanjiru Kamau (left) and Otieno Baraka deliver the
            petition to the county assembly in Nairobi."""),
        credit_shape="parentheses-not-a-credit",
    ),
    ArticleSpec(
        slug="chile-eye-injuries-from-police-projectiles-demand-accountability",
        folder="press-releases",
        title="Chile: Eye Injuries From Police Projectiles Demand Accountability",
        type_label="Press Release",
        published=ny_time("2020-11-09 10:00"),
        modified=ny_time("2020-11-09 10:00"),
        teaser_full=_text("""
            A year after mass protests began in Chile, not one senior police commander has
            been held to account for the hundreds of eye injuries caused by riot-control
            weapons."""),
        body=_paras("""
            Amnesty International has reviewed medical records and prosecutors’ files for 120
            cases of eye trauma. In most, the investigation has not identified the officer who
            fired.

            Chile’s authorities must ensure that investigations reach the chain of command and
            that victims receive full reparation.

            Media contact: press@aiusa.example"""),
        email="press@aiusa.example",
        image=_upload("2020-11", "GettyImages-1229403514"),
        image_alt="Demonstrators gather in a square",
        lazy=True,
        caption=_text("""
            SANTIAGO - 2020/11/08: Demonstrators gather at a central square in Santiago to
            mark one year since the protests began. (Photo by Camila Rojas/SOPA
            Images/LightRocket via Getty Images)"""),
        credit="(Photo by Camila Rojas/SOPA Images/LightRocket via Getty Images)",
        credit_shape="photo-by-chain-via-getty",
        photographers=["Camila Rojas"],
        photo_agencies=["SOPA Images", "LightRocket", "Getty Images"],
        caption_place="Santiago",
        caption_date="2020-11-08",
    ),
    ArticleSpec(
        slug="nigeria-investigate-killings-of-protesters-at-lagos-toll-gate",
        folder="reports",
        title="Nigeria: Investigate Killings of Protesters at Lagos Toll Gate",
        type_label="Report",
        published=ny_time("2020-10-21 08:30"),
        modified=ny_time("2020-10-22 12:00"),
        teaser_full=_text("""
            Soldiers opened fire on peaceful protesters gathered at a toll gate in Lagos on
            the evening of October 20, according to evidence gathered and verified by Amnesty
            International. The authorities must open an independent investigation, make its
            findings public and bring those suspected of responsibility to justice in fair
            trials, whatever their rank."""),
        teaser_cut=True,
        body=_paras("""
            Our researchers verified videos and photographs taken at the scene and spoke to
            eyewitnesses and hospital staff. Lights at the toll gate were switched off shortly
            before the shooting began.

            Protesters had gathered to call for an end to abuses by a police unit that has
            been accused of torture and extortion for years."""),
        image=_upload("2020-10", "GettyImages-1229115120"),
        image_alt="Protesters block a highway",
        caption=_text("""Protesters block a highway in Lagos during demonstrations against
            police abuse. (Anadolu Agency via Getty Images)"""),
        credit="(Anadolu Agency via Getty Images)",
        credit_shape="agency-via-getty",
        photo_agencies=["Anadolu Agency", "Getty Images"],
    ),
    ArticleSpec(
        slug="census-cutoff-risks-undercounting-immigrant-communities",
        folder="press-releases",
        title="Census Cutoff Risks Undercounting Immigrant Communities",
        type_label="Press Release",
        published=ny_time("2020-10-02 14:20"),
        modified=ny_time("2020-10-02 14:20"),
        teaser_full=_text("""
            Ending census field operations early risks leaving immigrant and rural
            communities out of the count that shapes political representation and federal
            funding for a decade."""),
        body=_paras("""
            Census workers told Amnesty International USA that thousands of households in
            their areas had not yet been visited. Undercounts would reduce funding for
            schools, hospitals and roads in the communities that need it most.

            The Census Bureau should use all the time allowed by law to complete the count.

            For comment, contact press@aiusa.example."""),
        email="press@aiusa.example",
        image=_upload("2020-10", "GettyImages-1228654009"),
        image_alt="A canvasser knocks on a door",
        lazy=True,
        caption=_text("""A canvasser knocks on doors in a Phoenix neighbourhood. Photo: Grace
            Lindqvist for The Washington Post via Getty Images"""),
        credit="Photo: Grace Lindqvist for The Washington Post via Getty Images",
        credit_shape="photo-colon-for-outlet",
        photographers=["Grace Lindqvist"],
        photo_agencies=["The Washington Post", "Getty Images"],
    ),
    ArticleSpec(
        slug="petition-delivered-to-department-of-homeland-security",
        folder="updates",
        title="Petition Delivered to the Department of Homeland Security",
        type_label="Update",
        published=ny_time("2020-09-15 10:00"),
        modified=ny_time("2020-09-15 10:00"),
        teaser_full=_text("""
            Supporters delivered more than 120,000 signatures calling for an end to the
            detention of children and families."""),
        body=_paras("""
            The petition was delivered by members of youth groups from six states. Department
            officials agreed to meet with a delegation later this month.

            Thank you to everyone who signed and shared the action."""),
        image=_upload("2020-09", "petition-delivery-dc"),
        image_alt="Activists carry boxes of signatures",
        caption=_text("""Activists carry boxes of signatures in Washington, DC. Credit:
            Amnesty International USA"""),
        credit="Credit: Amnesty International USA",
        credit_shape="credit-colon-org",
        photo_agencies=["Amnesty International USA"],
    ),
    ArticleSpec(
        slug="police-must-not-target-journalists-covering-protests-in-portland",
        folder="press-releases",
        title="Police Must Not Target Journalists Covering Protests in Portland",
        type_label="Press Release",
        published=ny_time("2020-08-27 19:00"),
        modified=ny_time("2020-08-27 19:00"),
        teaser_full=_text("""
            Reporters and legal observers have been shot with projectiles, pepper-sprayed and
            arrested while covering protests in Portland, Oregon."""),
        body=_paras("""
            Amnesty International USA has verified 37 incidents in which people clearly
            identified as press were targeted by federal or local officers. Several had their
            equipment seized.

            Officers must be able to recognise and protect journalists, not treat them as
            adversaries.

            Media contact: press@aiusa.example"""),
        email="press@aiusa.example",
        image=_upload("2020-08", "GettyImages-1228099874"),
        image_alt="A reporter holds up a press card",
        lazy=True,
        caption=_text("""
            PORTLAND, OR - AUGUST 26: A reporter holds up a press card as officers advance
            along a downtown street. Photo by Evan Marsh/Getty"""),
        credit="Photo by Evan Marsh/Getty",
        credit_shape="photo-by-name-getty-short",
        photographers=["Evan Marsh"],
        photo_agencies=["Getty Images"],
        caption_place="Portland, OR",
        caption_date="2020-08-26",
    ),
    ArticleSpec(
        slug="lebanon-blast-survivors-need-urgent-support",
        folder="press-releases",
        title="Lebanon: Blast Survivors Need Urgent Support",
        type_label="Press Release",
        published=ny_time("2020-08-06 10:00"),
        modified=ny_time("2020-08-06 10:00"),
        teaser_full=_text("""
            International donors must make sure that aid reaches the people whose homes were
            destroyed by the explosion in Beirut’s port, including migrant workers and
            refugees."""),
        body=_paras("""
            The explosion on August 4 killed more than 150 people and left an estimated
            300,000 homeless. Hospitals that were already stretched by the pandemic are
            struggling to treat the injured.

            Amnesty International is calling for an independent investigation into how
            explosive materials came to be stored at the port for years."""),
        image=_upload("2020-08", "GettyImages-1227935570"),
        image_alt="Volunteers clear debris from a street",
        caption=_text("""Volunteers clear debris from a damaged street in Beirut. (Photo by
            ANTOINE HADDAD / AFP) (Photo by ANTOINE HADDAD/AFP via Getty Images)"""),
        credit="(Photo by ANTOINE HADDAD / AFP) (Photo by ANTOINE HADDAD/AFP via Getty Images)",
        credit_shape="afp-twice",
        photographers=["Antoine Haddad"],
        photo_agencies=["AFP", "Getty Images"],
        date_source="time-element",
    ),
    ArticleSpec(
        slug="rights-groups-urge-congress-to-extend-eviction-protections",
        folder="news",
        title="Rights Groups Urge Congress to Extend Eviction Protections",
        type_label=None,
        published=ny_time("2020-07-15 12:00"),
        modified=ny_time("2020-07-15 12:00"),
        teaser_full=_text("""
            A coalition of 140 organisations, including Amnesty International USA, has asked
            Congress to extend the federal eviction moratorium before it expires."""),
        body=_paras("""
            Without an extension, as many as 12 million renters could face eviction filings
            by the end of the year. Evictions during a pandemic put entire households at risk
            of infection.

            The letter also asks for emergency rental assistance to be paid directly to
            landlords on tenants’ behalf."""),
        credit_shape="no-image",
        date_source="meta",
    ),
    ArticleSpec(
        slug="hong-kong-security-law-threatens-free-expression",
        folder="reports",
        title="Hong Kong: New Security Law Threatens Free Expression",
        type_label="Report",
        published=ny_time("2020-06-30 09:00"),
        modified=ny_time("2020-06-30 09:00"),
        teaser_full=_text("""
            The national security law imposed on Hong Kong this week gives the authorities
            sweeping powers to prosecute peaceful speech, according to an analysis of the text
            by Amnesty International. Vaguely defined offences such as subversion and
            collusion with foreign forces could be used against journalists, teachers and
            anyone who criticises the government online or in the street."""),
        teaser_cut=True,
        body=_paras("""
            The law was passed without public consultation and its full text was published
            only after it came into force. It allows some cases to be tried in mainland
            China.

            Amnesty International is calling on the authorities to ensure that no one is
            prosecuted for peacefully exercising their rights."""),
        image=_upload("2020-06", "epa-hong-kong-poster"),
        image_alt="Pedestrians walk past a poster",
        lazy=True,
        caption=_text("""Pedestrians walk past a government poster promoting the new law in
            Hong Kong. EPA/ALEX CHEUNG"""),
        credit="EPA/ALEX CHEUNG",
        credit_shape="epa-caps-name",
        photographers=["Alex Cheung"],
        photo_agencies=["EPA"],
    ),
    ArticleSpec(
        slug="curfews-must-not-be-used-to-silence-peaceful-protest",
        folder="press-releases",
        title="Curfews Must Not Be Used to Silence Peaceful Protest",
        type_label="Press Release",
        published=ny_time("2020-06-03 21:00"),
        modified=ny_time("2020-06-03 21:00"),
        teaser_full=_text("""
            Curfews imposed in dozens of cities are being used to arrest peaceful protesters,
            medics and people on their way home from work."""),
        body=_paras("""
            Restrictions on protest must be necessary and proportionate. Blanket curfews
            announced with a few hours’ notice are neither.

            Authorities should release everyone detained only for breaking curfew and drop the
            charges.

            Media contact: press@aiusa.example"""),
        email="press@aiusa.example",
        image=_upload("2020-06", "GettyImages-1219863360"),
        image_alt="Demonstrators kneel outside a capitol",
        caption=_text("""
            DENVER, CO - JUNE 2: Demonstrators kneel outside the state capitol on June 2, 2020
            in Denver, Colorado. Protests have continued for a sixth night in cities across the
            country. (Photo by Marcus Hale/Getty Images)"""),
        credit="(Photo by Marcus Hale/Getty Images)",
        credit_shape="photo-by-getty-in-parentheses",
        photographers=["Marcus Hale"],
        photo_agencies=["Getty Images"],
        caption_place="Denver, CO",
        caption_date="2020-06-02",
    ),
    ArticleSpec(
        slug="supplies-reach-shelters-on-mexicos-northern-border",
        folder="updates",
        title="Supplies Reach Shelters on Mexico’s Northern Border",
        type_label="Update",
        published=ny_time("2020-05-19 10:00"),
        modified=ny_time("2020-05-19 10:00"),
        teaser_full=_text("""
            Thanks to donations from supporters, hygiene kits and food have reached nine
            shelters for asylum-seekers in Tijuana and Mexicali."""),
        body=_paras("""
            Shelters along the border have had to turn people away to keep space for physical
            distancing. Many people waiting there have been sent back from the United States
            to wait for their hearings.

            We will keep supporting the shelters while the hearings remain suspended."""),
        image=_upload("2020-05", "shelter-supplies-tijuana"),
        image_alt="Volunteers unload boxes from a van",
        lazy=True,
        credit_shape="alt-only",
    ),
    ArticleSpec(
        slug="meatpacking-workers-need-protective-equipment-now",
        folder="press-releases",
        title="Meatpacking Workers Need Protective Equipment Now",
        type_label="Press Release",
        published=ny_time("2020-04-28 13:00"),
        modified=ny_time("2020-04-28 16:30"),
        teaser_full=_text("""
            Workers at meat processing plants are falling ill at alarming rates. Companies
            must provide protective equipment, space to keep apart and paid sick leave."""),
        body=_paras("""
            Workers told Amnesty International USA that they stand shoulder to shoulder on the
            line and are afraid to stay home when they feel sick because they could lose their
            jobs.

            Keeping plants open cannot come at the cost of workers’ health and lives.

            Press contact: press@aiusa.example"""),
        email="press@aiusa.example",
        image=_upload("2020-04", "AP20118723456"),
        image_alt="Workers leave a processing plant",
        caption=_text("""Workers leave a processing plant at the end of a shift in Sioux
            Falls, South Dakota."""),
        credit="(AP Photo/Dana Whitfield)",
        credit_in="span",
        credit_shape="span-credit",
        photographers=["Dana Whitfield"],
        photo_agencies=["AP"],
    ),
    ArticleSpec(
        slug="governors-must-release-medically-vulnerable-people-from-jails",
        folder="press-releases",
        title="Governors Must Release Medically Vulnerable People From Jails",
        type_label="Press Release",
        published=ny_time("2020-04-08 22:30"),
        modified=ny_time("2020-04-08 22:30"),
        teaser_full=_text("""
            Older people and those with underlying health conditions who are held in jails
            awaiting trial should be released to protect them from COVID-19."""),
        body=_paras("""
            Jails hold people in close quarters with limited access to soap, sanitiser and
            medical care. Many people held pretrial have not been convicted of any crime and
            are detained only because they cannot afford bail.

            Governors and county officials have the power to act now.

            For interviews, contact press@aiusa.example."""),
        email="press@aiusa.example",
        image=_upload("2020-04", "GettyImages-1208611962"),
        image_alt="A guard tower at a jail",
        lazy=True,
        caption="A guard tower at a county jail. (AFP via Getty Images)",
        credit="(AFP via Getty Images)",
        credit_shape="agency-via-getty",
        photo_agencies=["AFP", "Getty Images"],
    ),
    ArticleSpec(
        slug="domestic-violence-shelters-must-stay-open-during-lockdowns",
        folder="press-releases",
        title="Domestic Violence Shelters Must Stay Open During Lockdowns",
        type_label="Press Release",
        published=ny_time("2020-03-31 15:00"),
        modified=ny_time("2020-03-31 15:00"),
        teaser_full="Stay-at-home orders must include support for people who are not safe at home.",
        body=_paras("""
            Calls to domestic violence hotlines have risen sharply in several states since
            stay-at-home orders began. Shelters must be treated as essential services and
            given the funding to operate safely.

            Hotline numbers should be shared widely, including in pharmacies and grocery
            stores."""),
        credit_shape="no-image",
    ),
    ArticleSpec(
        slug="detention-centers-unprepared-for-covid-19-survey-shows",
        folder="reports",
        title="Detention Centers Unprepared for COVID-19, Survey Shows",
        type_label="Report",
        published=ny_time("2020-03-24 09:00"),
        modified=ny_time("2020-03-24 09:00"),
        teaser_full=_text("""
            Most immigration detention centers surveyed had no plan to isolate sick detainees
            or to test staff, a new Amnesty International USA briefing finds."""),
        body=_paras("""
            We surveyed lawyers and visitors working with people held in 24 detention centers.
            Almost all reported shortages of soap and crowded dormitories.

            Immigration authorities should release people who can safely return to their
            families and communities."""),
        image=_upload("2020-03", "detention-dormitory-beds"),
        image_alt="Beds lined up in a detention dormitory",
        lazy=True,
        credit="© Omar Nasser/Amnesty International",
        credit_in="data-credit",
        credit_shape="data-credit-attribute",
        photographers=["Omar Nasser"],
        photo_agencies=["Amnesty International"],
    ),
    ArticleSpec(
        slug="refugee-resettlement-suspension-leaves-families-separated",
        folder="news",
        title="Refugee Resettlement Suspension Leaves Families Separated",
        type_label=None,
        published=ny_time("2020-03-12 11:00"),
        modified=ny_time("2020-03-12 11:00"),
        teaser_full=_text("""
            Families who were due to be reunited in the United States are stranded after
            refugee arrivals were suspended."""),
        body=_paras("""
            Resettlement agencies estimate that hundreds of refugees with approved cases had
            flights booked for the coming weeks. Some have already sold their belongings and
            given up their housing.

            The government must protect public health without abandoning people it has already
            agreed to protect."""),
        image=_upload("2020-03", "GettyImages-1207455301"),
        image_alt="A family waits in an airport arrivals hall",
        caption="Photo by Irene Castillo/Getty Images",
        credit="Photo by Irene Castillo/Getty Images",
        credit_shape="whole-caption-photo-by",
        photographers=["Irene Castillo"],
        photo_agencies=["Getty Images"],
    ),
    ArticleSpec(
        slug="execution-scheduled-despite-evidence-of-intellectual-disability",
        folder="press-releases",
        title="Execution Scheduled Despite Evidence of Intellectual Disability",
        type_label="Press Release",
        published=ny_time("2020-02-20 10:00"),
        modified=ny_time("2020-02-20 10:00"),
        teaser_full=_text("""
            Texas is preparing to execute a man whose lawyers have presented new evidence that
            he has an intellectual disability, which would make his execution
            unconstitutional under rulings of the US Supreme Court. Amnesty International USA
            is calling on the Board of Pardons and Paroles to recommend clemency and on the
            governor to grant a reprieve so that the evidence can be properly examined."""),
        teaser_cut=True,
        body=_paras("""
            The evidence includes school records and expert assessments that were never
            presented at trial. His original lawyers did not investigate his background.

            Amnesty International opposes the death penalty in all cases without exception.

            Media contact: press@aiusa.example"""),
        email="press@aiusa.example",
        image=_upload("2020-02", "GettyImages-1203378842"),
        image_alt="Protesters outside a penitentiary",
        caption=_text("""
            HUNTSVILLE, TX - FEBRUARY 19: Protesters stand outside the state penitentiary
            ahead of a scheduled execution. (Photo by Samuel Okoro/Anadolu Agency via Getty
            Images)"""),
        credit="(Photo by Samuel Okoro/Anadolu Agency via Getty Images)",
        credit_shape="photo-by-chain-via-getty",
        photographers=["Samuel Okoro"],
        photo_agencies=["Anadolu Agency", "Getty Images"],
        caption_place="Huntsville, TX",
        caption_date="2020-02-19",
    ),
    ArticleSpec(
        slug="write-for-rights-2019-letters-delivered",
        folder="updates",
        title="Write for Rights 2019 Letters Delivered",
        type_label="Update",
        published=ny_time("2020-01-15 09:00"),
        modified=ny_time("2020-01-15 09:00"),
        teaser_full=_text("""
            Letters and cards written by supporters during Write for Rights 2019 have been
            delivered to the people they were written for."""),
        body=_paras("""
            More than 600,000 messages were written in the United States alone. Several of the
            people featured in the campaign have written back to thank supporters.

            This year’s campaign begins in the autumn. Sign up to hear when the new cases are
            announced."""),
        credit_shape="no-image",
    ),
)

NEW_ARTICLE = ArticleSpec(
    slug="winter-shelters-must-admit-asylum-seekers-without-checks",
    folder="press-releases",
    title="Winter Shelters Must Admit Asylum-Seekers Without Checks",
    type_label="Press Release",
    published=ny_time("2022-01-06 10:00"),
    modified=ny_time("2022-01-06 10:00"),
    teaser_full=_text("""
        As temperatures drop below freezing, city shelters must open their doors to everyone
        who needs a bed, without asking about immigration status."""),
    body=_paras("""
        Outreach workers in Chicago told Amnesty International USA that some asylum-seekers
        are avoiding shelters because they fear their details will be passed to immigration
        authorities.

        Cities should publish clear policies that shelter staff do not ask about or share
        immigration status.

        Media contact: press@aiusa.example"""),
    email="press@aiusa.example",
    image=_upload("2022-01", "GettyImages-1237215508"),
    image_alt="Outreach workers hand out blankets",
    lazy=True,
    caption=_text("""
        CHICAGO, IL - JANUARY 5, 2022: Outreach workers hand out blankets under a railway
        bridge. (Photo by Lena Hartwig/Getty Images)"""),
    credit="(Photo by Lena Hartwig/Getty Images)",
    credit_shape="photo-by-getty-in-parentheses",
    photographers=["Lena Hartwig"],
    photo_agencies=["Getty Images"],
    caption_place="Chicago, IL",
    caption_date="2022-01-05",
)
"""The article the ``added`` and ``edited`` states publish at the top of the newsroom."""

_BY_SLUG = {a.slug: a for a in ARTICLES}


def _edit(slug: str, field_name: str, new: object, when: str, **also: object) -> Mutation:
    return edit(_BY_SLUG, slug, field_name, new, ny_time(when), **also)


ADD = Mutation("add", NEW_ARTICLE.slug)
TITLE_EDIT = _edit(
    "new-administration-must-close-immigration-detention-centers",
    "title",
    "New Administration Must Close Immigration Detention Centers Within 100 Days",
    "2022-01-10 09:00",
)
CREDIT_EDIT = _edit(
    "police-must-stop-firing-rubber-bullets-at-protesters",
    "credit",
    "Photo by Jonathan Bradley/Getty Images",
    "2022-01-10 11:30",
    photographers=["Jonathan Bradley"],
)
BODY_EDIT = _edit(
    "hong-kong-security-law-threatens-free-expression",
    "body",
    (
        _BY_SLUG["hong-kong-security-law-threatens-free-expression"].body[0],
        "Amnesty International is calling on the authorities to ensure that no one is "
        "prosecuted for peacefully exercising their rights, and to release those already "
        "arrested under the law.",
    ),
    "2022-01-11 16:00",
)
TEASER_EDIT = _edit(
    "letter-writing-marathon-reaches-record-number-of-schools",
    "teaser_full",
    "More than 2,300 schools have signed up for this year’s letter-writing marathon, "
    "the highest number since the campaign began.",
    "2022-01-07 12:00",
)
DELETE = Mutation("delete", "petition-delivered-to-department-of-homeland-security")
COSMETIC = Mutation("cosmetic", "californias-wildfire-evacuation-plans-leave-farmworkers-behind")
UNLIST = Mutation("unlist", "students-in-nairobi-launch-climate-petition")

STATES: dict[str, State] = change_states(
    add=ADD,
    title=TITLE_EDIT,
    credit=CREDIT_EDIT,
    body=BODY_EDIT,
    teaser=TEASER_EDIT,
    delete=DELETE,
    cosmetic=COSMETIC,
    unlist=UNLIST,
    listing_changed=ny_time("2022-02-01 09:00"),
)
TIMELINE: Timeline[ArticleSpec] = Timeline(ARTICLES, NEW_ARTICLE, STATES, ALIASES, CARDS_PER_PAGE)
EDITS: dict[str, tuple[Mutation, ...]] = TIMELINE.edits


def resolve_state(name: str) -> str:
    """Canonical state name for a name or alias; KeyError for an unknown one."""
    return TIMELINE.resolve(name)


def state_content(state: str) -> StateContent[ArticleSpec]:
    return TIMELINE.content(state)


def expected_articles(state: str = "base") -> list[ArticleSpec]:
    """The listed articles of a state in listing order, each with its page and position."""
    return TIMELINE.expected(state)


def unlisted_articles(state: str = "base") -> list[ArticleSpec]:
    """Articles a state serves (200) without listing them."""
    return TIMELINE.unlisted(state)
