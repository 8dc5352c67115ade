"""Captions, credits and datelines: one row per real-world shape, exact values."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import pytest

from newsroom_archive.normalise import (
    load_agencies,
    parse_caption,
    parse_credit,
    parse_dateline,
    split_credit,
    title_case_name,
)
from newsroom_archive.normalise.agencies import alias_key

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED = SHARED / "seed"
SEED_FILE = SEED / "amnestyusa-newsroom-2020-03.txt"
PUBLISHED = dt.date(2020, 3, 31)


@dataclass(frozen=True)
class Case:
    id: str
    caption: str | None
    expected_caption: str | None
    photo_credit: str | None
    photographers: list[str] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)
    place: str | None = None
    date: str | None = None
    credit: str | None = None
    """A credit shown in its own element or attribute."""
    published: dt.date | None = PUBLISHED


# --- the captions of the seed listing page, verbatim --------------------------------

BURBANK = (
    "BURBANK, CA - MARCH 17: Shoppers wait in line to purchase ammunition and guns at Gun "
    "World in Burbank on Tuesday, March 17, 2020 as US sales of guns and ammunition soar "
    "amid the coronavirus outbreak."
)
BURBANK_CREDIT = "(Photo by Sarah Reingewirtz/MediaNews Group/Pasadena Star-News via Getty Images)"
DAMASCUS = (
    "DAMASCUS, March 30, 2020 . A worker disinfects streets in Damascus, Syria, on March 30, "
    "2020. Four new COVID-19 cases were registered in Syria, bringing the total number of "
    "the infections to nine, Syria's Health Ministry said on Sunday."
)
DAMASCUS_CREDIT = (
    "(Photo by Ammar Safarjalani/Xinhua via Getty) (Xinhua/Ammar Safarjalani via Getty Images)"
)
MOSCOW = (
    "MOSCOW, RUSSIA - MARCH 30, 2020: Police officers in face masks patrol the area around "
    "Patriarshy Pond in central Moscow during the pandemic of the novel coronavirus "
    "(COVID-19). On 29 March 2020, Moscow's authorities issued a stay-at-home order to all "
    "people in Moscow regardless of their age, which comes into effect from 30 March 2020. "
    "Earlier, the Russian government announced a paid week off work (30 March to 3 April) "
    "for employed people and school holidays (21 March - 12 April), while Moscow's "
    "authorities ordered the shutdown of restaurants, leisure facilities and other service "
    "industry businesses and urged older Muscovites to self-isolate to counter the spread "
    "of the novel coronavirus (COVID-19)."
)
MOSCOW_CREDIT = "Valery Sharifulin/TASS (Photo by Valery SharifulinTASS via Getty Images)"
LOS_ANGELES = (
    "A woman checks her cellphone while wearing a facemask in Los Angeles on March 20, 2020, "
    "a day after Los Angeles County announced a near-lockdown, urging all residents to stay "
    "home except for essential needs. - California Governor Gavin Newsom took the most "
    "drastic step yet by any US official in the battle against the coronavirus, ordering the "
    "entire state of 40 million people to stay at home."
)
LOS_ANGELES_CREDIT = (
    "(Photo by Frederic J. BROWN / AFP) (Photo by FREDERIC J. BROWN/AFP via Getty Images)"
)
BUDAPEST = (
    "A lorry disinfects a street on March 30, 2020 in Budapest amid the spread of the novel "
    "coronavirus pandemic."
)
BUDAPEST_CREDIT = (
    "(Photo by ATTILA KISBENEDEK / AFP) (Photo by ATTILA KISBENEDEK/AFP via Getty Images)"
)
ANKARA = (
    "ANKARA, TURKEY - MARCH 30: Surroundings of Ataturk Statue is seen nearly empty after "
    "authorities urging people to stay home as a part of coronavirus (COVID-19) precautions "
    "in Ankara, Turkey on March 30, 2020."
)
ANKARA_CREDIT = "(Photo by Mehmet Ali Ozcan/Anadolu Agency via Getty Images)"
NEW_DELHI = (
    "NEW DELHI, INDIA - MARCH 28: Indians travel on a horse drawn vehicle on a deserted road "
    "as a nationwide lockdown continues in an attempt to stop the spread of the coronavirus "
    "(COVID-19) on March 28, 2020 in New Delhi, India. India is under a 21-day lockdown to "
    "fight the spread of the virus while security personnel on the roads are enforcing the "
    "restrictions in many cases by using force, the workers of country's unorganized sector "
    "are bearing the brunt of the curfew-like situation. The lockdown has already "
    "disproportionately hurt marginalized communities due to loss of livelihood and lack of "
    "food, shelter, health, and other basic needs. The lockdown has left tens of thousands "
    "of out-of-work migrant workers stranded, with rail and bus services shut down. "
    "According to international labour organisations 90 percent of India's workforce is "
    "employed in the informal sector and most do not have access to pensions, sick leave, "
    "paid leave or any kind of insurance. The closing of state borders has caused "
    "disruption in the supply of essential goods, leading to inflation and fear of "
    "shortages. Reports on Thursday said that Prime Minister Narendra Modi's government is "
    "preparing a massive bailout for the underprivileged sections of the country and will "
    "hand over the aid through direct cash transfers."
)
NEW_DELHI_CREDIT = "(Photo by Yawar Nazir/Getty Images)"
WASHINGTON = (
    "WASHINGTON, DC - MARCH 04: David Bloom (C), acting chief financial officer of the U.S. "
    "Environmental Protection (EPA), confers with aides as he arrives for a House "
    "Appropriations Committee hearing in the Rayburn House Office Building on March 4, 2020 "
    "in Washington, DC. Wheeler testified about the EPA's fiscal 2021 budget requests."
)
WASHINGTON_CREDIT = "(Photo by Drew Angerer/Getty Images)"

SEED_CAPTIONS = [
    f"{BURBANK} {BURBANK_CREDIT}",
    f"{DAMASCUS} {DAMASCUS_CREDIT}",
    "Photo by Alex Wong/Getty Images",
    f"{MOSCOW} {MOSCOW_CREDIT}",
    "BRENDAN SMIALOWSKI/AFP/Getty Images",
    f"{LOS_ANGELES} {LOS_ANGELES_CREDIT}",
    f"{BUDAPEST} {BUDAPEST_CREDIT}",
    f"{ANKARA} {ANKARA_CREDIT}",
    f"{NEW_DELHI} {NEW_DELHI_CREDIT}",
    f"{WASHINGTON} {WASHINGTON_CREDIT}",
    "Hands touch despite bars in between",
    "EPA Administrator Andrew Wheeler Testifies On Agency's Budget Before House Committee",
]

INTERCEPT_ALT = (
    "WASHINGTON - FEBRUARY 26: Pro-Palestine demonstrators gather during a vigil for U.S. "
    "Airman Aaron Bushnell outside the Embassy of Israel in Washington, on Monday, February "
    "26, 2024. Bushnell, 25, died by self immolation outside the embassy in protest against "
    "the Israel-Hamas war."
)

CASES = [
    # The seed listing page (amnestyusa.org, March 2020).
    Case(
        "seed-burbank",
        SEED_CAPTIONS[0],
        BURBANK,
        BURBANK_CREDIT,
        ["Sarah Reingewirtz"],
        ["MediaNews Group", "Pasadena Star-News", "Getty Images"],
        "Burbank, CA",
        "2020-03-17",
    ),
    Case(
        "seed-damascus-two-credits",
        SEED_CAPTIONS[1],
        DAMASCUS,
        DAMASCUS_CREDIT,
        ["Ammar Safarjalani"],
        ["Xinhua", "Getty Images"],
        "Damascus",
        "2020-03-30",
    ),
    Case(
        "seed-whole-caption-is-credit",
        SEED_CAPTIONS[2],
        None,
        "Photo by Alex Wong/Getty Images",
        ["Alex Wong"],
        ["Getty Images"],
    ),
    Case(
        "seed-moscow-tass-glued",
        SEED_CAPTIONS[3],
        MOSCOW,
        MOSCOW_CREDIT,
        ["Valery Sharifulin"],
        ["TASS", "Getty Images"],
        "Moscow, Russia",
        "2020-03-30",
    ),
    Case(
        "seed-all-caps-no-photo-by",
        SEED_CAPTIONS[4],
        None,
        "BRENDAN SMIALOWSKI/AFP/Getty Images",
        ["Brendan Smialowski"],
        ["AFP", "Getty Images"],
    ),
    Case(
        "seed-los-angeles-afp-twice",
        SEED_CAPTIONS[5],
        LOS_ANGELES,
        LOS_ANGELES_CREDIT,
        ["Frederic J. Brown"],
        ["AFP", "Getty Images"],
    ),
    Case(
        "seed-budapest-caps-twice",
        SEED_CAPTIONS[6],
        BUDAPEST,
        BUDAPEST_CREDIT,
        ["Attila Kisbenedek"],
        ["AFP", "Getty Images"],
    ),
    Case(
        "seed-ankara-anadolu",
        SEED_CAPTIONS[7],
        ANKARA,
        ANKARA_CREDIT,
        ["Mehmet Ali Ozcan"],
        ["Anadolu Agency", "Getty Images"],
        "Ankara, Turkey",
        "2020-03-30",
    ),
    Case(
        "seed-new-delhi-year-from-text",
        SEED_CAPTIONS[8],
        NEW_DELHI,
        NEW_DELHI_CREDIT,
        ["Yawar Nazir"],
        ["Getty Images"],
        "New Delhi, India",
        "2020-03-28",
    ),
    Case(
        "seed-washington-parentheses-kept",
        SEED_CAPTIONS[9],
        WASHINGTON,
        WASHINGTON_CREDIT,
        ["Drew Angerer"],
        ["Getty Images"],
        "Washington, DC",
        "2020-03-04",
    ),
    Case("seed-alt-text-only", SEED_CAPTIONS[10], SEED_CAPTIONS[10], None),
    Case("seed-alt-acronym-is-not-credit", SEED_CAPTIONS[11], SEED_CAPTIONS[11], None),
    # Shapes from the site notes.
    Case(
        "at-sign-whole",
        "(@ Elijah Nouvelage via Getty Images)",
        None,
        "(@ Elijah Nouvelage via Getty Images)",
        ["Elijah Nouvelage"],
        ["Getty Images"],
    ),
    Case(
        "at-sign-after-caption",
        "Protesters march in Atlanta. (@ Elijah Nouvelage via Getty Images)",
        "Protesters march in Atlanta.",
        "(@ Elijah Nouvelage via Getty Images)",
        ["Elijah Nouvelage"],
        ["Getty Images"],
    ),
    Case(
        "getty-short",
        "Photo by Drew Angerer/Getty",
        None,
        "Photo by Drew Angerer/Getty",
        ["Drew Angerer"],
        ["Getty Images"],
    ),
    Case(
        "pool-dropped-twice",
        "GENEVA, SWITZERLAND - MARCH 2, 2020: Delegates arrive for talks in Geneva. "
        "(Photo by Fabrice COFFRINI / POOL / AFP) "
        "(Photo by FABRICE COFFRINI/POOL/AFP via Getty Images)",
        "GENEVA, SWITZERLAND - MARCH 2, 2020: Delegates arrive for talks in Geneva.",
        "(Photo by Fabrice COFFRINI / POOL / AFP) "
        "(Photo by FABRICE COFFRINI/POOL/AFP via Getty Images)",
        ["Fabrice Coffrini"],
        ["AFP", "Getty Images"],
        "Geneva, Switzerland",
        "2020-03-02",
    ),
    Case(
        "agency-first-whole",
        "(Xinhua/Ammar Safarjalani via Getty Images)",
        None,
        "(Xinhua/Ammar Safarjalani via Getty Images)",
        ["Ammar Safarjalani"],
        ["Xinhua", "Getty Images"],
    ),
    # Other shapes seen in the wild.
    Case(
        "copyright-name-organisation",
        "Members of a community council walk along the Atrato river. "
        "© Tomás Ortega/Amnesty International",
        "Members of a community council walk along the Atrato river.",
        "© Tomás Ortega/Amnesty International",
        ["Tomás Ortega"],
        ["Amnesty International"],
    ),
    Case(
        "copyright-separate-element-amnesty-de",
        'Protestaktion der Kampagne "Stop Killer Robots" in London (Archivaufnahme)',
        'Protestaktion der Kampagne "Stop Killer Robots" in London (Archivaufnahme)',
        "© Oli Scarff/Getty Images",
        ["Oli Scarff"],
        ["Getty Images"],
        credit="© Oli Scarff/Getty Images",
    ),
    Case(
        "ap-photo",
        "Belongings sit on a curb after an eviction in Houston, Texas. (AP Photo/Ruth Calloway)",
        "Belongings sit on a curb after an eviction in Houston, Texas.",
        "(AP Photo/Ruth Calloway)",
        ["Ruth Calloway"],
        ["AP"],
    ),
    Case(
        "reuters-slash-name",
        "A surveillance tower stands beside the border fence near Nogales, Arizona. "
        "REUTERS/Paula Ibarra",
        "A surveillance tower stands beside the border fence near Nogales, Arizona.",
        "REUTERS/Paula Ibarra",
        ["Paula Ibarra"],
        ["Reuters"],
    ),
    Case(
        "reuters-caps-name-whole",
        "REUTERS/CARLOS BARRIA",
        None,
        "REUTERS/CARLOS BARRIA",
        ["Carlos Barria"],
        ["Reuters"],
    ),
    Case(
        "photo-colon-for-outlet-via-getty",
        "Pro-Palestine demonstrators gather during a vigil for U.S. Airman Aaron Bushnell "
        "outside the Israeli Embassy in Washington, on Feb. 26, 2024. "
        "Photo: Tom Brenner for The Washington Post via Getty Images",
        "Pro-Palestine demonstrators gather during a vigil for U.S. Airman Aaron Bushnell "
        "outside the Israeli Embassy in Washington, on Feb. 26, 2024.",
        "Photo: Tom Brenner for The Washington Post via Getty Images",
        ["Tom Brenner"],
        ["The Washington Post", "Getty Images"],
    ),
    Case(
        "getty-caption-in-alt-intercept",
        f"{INTERCEPT_ALT} (Photo by Tom Brenner for The Washington Post via Getty Images)",
        INTERCEPT_ALT,
        "(Photo by Tom Brenner for The Washington Post via Getty Images)",
        ["Tom Brenner"],
        ["The Washington Post", "Getty Images"],
        "Washington",
        "2024-02-26",
        published=dt.date(2024, 2, 28),
    ),
    Case(
        "agency-via-getty-no-photographer",
        "Protesters block a highway in Lagos. (Anadolu Agency via Getty Images)",
        "Protesters block a highway in Lagos.",
        "(Anadolu Agency via Getty Images)",
        [],
        ["Anadolu Agency", "Getty Images"],
    ),
    Case(
        "afp-via-getty-no-photographer",
        "A guard tower at a county jail. (AFP via Getty Images)",
        "A guard tower at a county jail.",
        "(AFP via Getty Images)",
        [],
        ["AFP", "Getty Images"],
    ),
    Case(
        "credit-colon-organisation",
        "Activists carry boxes of signatures in Washington, DC. Credit: Amnesty International USA",
        "Activists carry boxes of signatures in Washington, DC.",
        "Credit: Amnesty International USA",
        [],
        ["Amnesty International USA"],
    ),
    Case(
        "credit-colon-unknown-organisation",
        "Credit: Lutheran Immigration and Refugee Service",
        None,
        "Credit: Lutheran Immigration and Refugee Service",
        [],
        ["Lutheran Immigration and Refugee Service"],
    ),
    Case(
        "istock-handle-aclu",
        "A student erasing answers from a test (smolaw11/iStock)",
        "A student erasing answers from a test",
        "(smolaw11/iStock)",
        ["smolaw11"],
        ["iStock"],
    ),
    Case(
        "copyright-caps-spaced-slash-europarl",
        "Quick EU funding of recovery measures following natural disasters © JOSE JORDAN / AFP",
        "Quick EU funding of recovery measures following natural disasters",
        "© JOSE JORDAN / AFP",
        ["Jose Jordan"],
        ["AFP"],
    ),
    Case(
        "credits-span-thenation",
        "Chris Christie announces he is dropping out of the race during a town hall campaign "
        "event Wednesday, January 10, 2024, in Windham, N.H.",
        "Chris Christie announces he is dropping out of the race during a town hall campaign "
        "event Wednesday, January 10, 2024, in Windham, N.H.",
        "(Robert F. Bukaty / AP)",
        ["Robert F. Bukaty"],
        ["AP"],
        credit="(Robert F. Bukaty / AP)",
    ),
    Case(
        "separate-credit-element",
        "Outreach workers hand out blankets under a railway bridge.",
        "Outreach workers hand out blankets under a railway bridge.",
        "Photo by Lena Hartwig/Getty Images",
        ["Lena Hartwig"],
        ["Getty Images"],
        credit="Photo by Lena Hartwig/Getty Images",
    ),
    Case(
        "data-credit-attribute-only",
        None,
        None,
        "Jane Doe/Amnesty International",
        ["Jane Doe"],
        ["Amnesty International"],
        credit="Jane Doe/Amnesty International",
    ),
    Case(
        "separate-credit-repeated-in-caption",
        "Volunteers clear debris in Beirut. Photo by Antoine Haddad/AFP",
        "Volunteers clear debris in Beirut.",
        "Photo by Antoine Haddad/AFP",
        ["Antoine Haddad"],
        ["AFP"],
        credit="Photo by Antoine Haddad/AFP",
    ),
    Case(
        "credit-on-its-own-line",
        "Children play in a camp near Idlib\nJane Doe/Amnesty International",
        "Children play in a camp near Idlib",
        "Jane Doe/Amnesty International",
        ["Jane Doe"],
        ["Amnesty International"],
    ),
    Case(
        "credit-after-br-tag",
        "Children play in a camp near Idlib<br/>Photo: Jane Doe",
        "Children play in a camp near Idlib",
        "Photo: Jane Doe",
        ["Jane Doe"],
        [],
    ),
    Case(
        "parentheses-left-are-not-credit",
        "Health workers (left) prepare beds in a field hospital in Madrid.",
        "Health workers (left) prepare beds in a field hospital in Madrid.",
        None,
    ),
    Case(
        "parentheses-left-kept-credit-removed",
        "Health workers (left) prepare beds in a field hospital in Madrid. "
        "(Photo by Pablo Blazquez Dominguez/Getty Images)",
        "Health workers (left) prepare beds in a field hospital in Madrid.",
        "(Photo by Pablo Blazquez Dominguez/Getty Images)",
        ["Pablo Blazquez Dominguez"],
        ["Getty Images"],
    ),
    Case(
        "lone-agency-after-sentence",
        "Workers disinfect a market in Wuhan. (AFP)",
        "Workers disinfect a market in Wuhan.",
        "(AFP)",
        [],
        ["AFP"],
    ),
    Case(
        "lone-acronym-inside-sentence-kept",
        "Staff of the Environmental Protection Agency (EPA)",
        "Staff of the Environmental Protection Agency (EPA)",
        None,
    ),
    Case(
        "glued-name-whole",
        "Photo by Mikhail VoroninTASS via Getty Images",
        None,
        "Photo by Mikhail VoroninTASS via Getty Images",
        ["Mikhail Voronin"],
        ["TASS", "Getty Images"],
    ),
    Case(
        "epa-caps-name",
        "Pedestrians walk past a government poster in Hong Kong. EPA/ALEX CHEUNG",
        "Pedestrians walk past a government poster in Hong Kong.",
        "EPA/ALEX CHEUNG",
        ["Alex Cheung"],
        ["EPA"],
    ),
    Case(
        "mc-name-in-capitals",
        "A farmer inspects a flooded field. (AP Photo/MIKE McCARN)",
        "A farmer inspects a flooded field.",
        "(AP Photo/MIKE McCARN)",
        ["Mike McCarn"],
        ["AP"],
    ),
    Case(
        "hyphen-apostrophe-capitals",
        "(Photo by JEAN-PIERRE O'BRIEN/AFP via Getty Images)",
        None,
        "(Photo by JEAN-PIERRE O'BRIEN/AFP via Getty Images)",
        ["Jean-Pierre O'Brien"],
        ["AFP", "Getty Images"],
    ),
    Case(
        "dateline-iso-chain",
        "ISTANBUL, TURKEY - 2020/03/30: People walk on an empty avenue. "
        "(Photo by Onur Dogman/SOPA Images/LightRocket via Getty Images)",
        "ISTANBUL, TURKEY - 2020/03/30: People walk on an empty avenue.",
        "(Photo by Onur Dogman/SOPA Images/LightRocket via Getty Images)",
        ["Onur Dogman"],
        ["SOPA Images", "LightRocket", "Getty Images"],
        "Istanbul, Turkey",
        "2020-03-30",
    ),
    Case(
        "dateline-year-from-publication",
        "PORTLAND, OR - AUGUST 26: A reporter holds up a press card. Photo by Evan Marsh/Getty",
        "PORTLAND, OR - AUGUST 26: A reporter holds up a press card.",
        "Photo by Evan Marsh/Getty",
        ["Evan Marsh"],
        ["Getty Images"],
        "Portland, OR",
        "2020-08-26",
        published=dt.date(2020, 8, 28),
    ),
    Case(
        "dateline-december-on-january-article",
        "KYIV, UKRAINE - DECEMBER 30: People shop at a market. "
        "(Photo by Olena Shevchenko/Getty Images)",
        "KYIV, UKRAINE - DECEMBER 30: People shop at a market.",
        "(Photo by Olena Shevchenko/Getty Images)",
        ["Olena Shevchenko"],
        ["Getty Images"],
        "Kyiv, Ukraine",
        "2020-12-30",
        published=dt.date(2021, 1, 4),
    ),
    Case(
        "dateline-without-year-or-publication",
        "GAZA CITY, GAZA - MAY 12: Smoke rises over buildings.",
        "GAZA CITY, GAZA - MAY 12: Smoke rises over buildings.",
        None,
        place="Gaza City, Gaza",
        date=None,
        published=None,
    ),
    Case(
        "photos-by-two-people",
        "Photos by John Smith and Jane Doe/Amnesty International",
        None,
        "Photos by John Smith and Jane Doe/Amnesty International",
        ["John Smith", "Jane Doe"],
        ["Amnesty International"],
    ),
    Case(
        "german-foto-dpa",
        "Demonstranten vor dem Kanzleramt in Berlin. Foto: Max Mustermann/dpa",
        "Demonstranten vor dem Kanzleramt in Berlin.",
        "Foto: Max Mustermann/dpa",
        ["Max Mustermann"],
        ["dpa"],
    ),
    Case(
        "copyright-name-slash-ngo",
        "Forest fires in Riau province. © Ardiles Rante / Greenpeace",
        "Forest fires in Riau province.",
        "© Ardiles Rante / Greenpeace",
        ["Ardiles Rante"],
        ["Greenpeace"],
    ),
    Case(
        "entities-and-markup",
        "Shoppers&nbsp;wait in line at <b>Gun World</b> in Burbank. "
        "(Photo by Sarah Reingewirtz/MediaNews Group/Pasadena Star-News via Getty Images)",
        "Shoppers wait in line at Gun World in Burbank.",
        BURBANK_CREDIT,
        ["Sarah Reingewirtz"],
        ["MediaNews Group", "Pasadena Star-News", "Getty Images"],
    ),
    Case(
        "photo-colon-organisation-in-parentheses",
        "Activists deliver a petition in London. (Photo: Amnesty International)",
        "Activists deliver a petition in London.",
        "(Photo: Amnesty International)",
        [],
        ["Amnesty International"],
    ),
    # Slash credits read as a whole: newspapers, photo libraries and ids.
    Case(
        "newspaper-after-photographer-via-getty",
        "Volunteers sort donations at a food bank in Houston. "
        "(Photo by Owen Hartley/Houston Chronicle via Getty Images)",
        "Volunteers sort donations at a food bank in Houston.",
        "(Photo by Owen Hartley/Houston Chronicle via Getty Images)",
        ["Owen Hartley"],
        ["Houston Chronicle", "Getty Images"],
    ),
    Case(
        "newspaper-in-table-other-city",
        "Fog covers the Golden Gate Bridge. "
        "(Photo by Dana Whitfield/San Francisco Chronicle via Getty Images)",
        "Fog covers the Golden Gate Bridge.",
        "(Photo by Dana Whitfield/San Francisco Chronicle via Getty Images)",
        ["Dana Whitfield"],
        ["San Francisco Chronicle", "Getty Images"],
    ),
    Case(
        "newspaper-via-library",
        "Residents fill sandbags before the storm. "
        "(Photo by Marco Alvarez/Tampa Bay Times via ZUMA Wire)",
        "Residents fill sandbags before the storm.",
        "(Photo by Marco Alvarez/Tampa Bay Times via ZUMA Wire)",
        ["Marco Alvarez"],
        ["Tampa Bay Times", "ZUMA Press"],
    ),
    Case(
        "newspaper-with-the-alias",
        "Commuters wait for a delayed train. "
        "(Photo by Lena Ortiz/The Boston Globe via Getty Images)",
        "Commuters wait for a delayed train.",
        "(Photo by Lena Ortiz/The Boston Globe via Getty Images)",
        ["Lena Ortiz"],
        ["The Boston Globe", "Getty Images"],
    ),
    Case(
        "newspaper-and-news-service-chain",
        "Photo by Ruth Akers/Chicago Tribune/Tribune News Service via Getty Images",
        None,
        "Photo by Ruth Akers/Chicago Tribune/Tribune News Service via Getty Images",
        ["Ruth Akers"],
        ["Chicago Tribune", "Tribune News Service", "Getty Images"],
    ),
    Case(
        "unknown-newspaper-after-photographer",
        "Farmers inspect storm damage. (Photo by Grace Lindqvist/Kansas City Star)",
        "Farmers inspect storm damage.",
        "(Photo by Grace Lindqvist/Kansas City Star)",
        ["Grace Lindqvist"],
        ["Kansas City Star"],
    ),
    Case(
        "unknown-newspaper-in-capitals-keeps-spelling",
        "PHOTO BY JANE WORTH/AUSTIN AMERICAN-STATESMAN",
        None,
        "PHOTO BY JANE WORTH/AUSTIN AMERICAN-STATESMAN",
        ["Jane Worth"],
        ["AUSTIN AMERICAN-STATESMAN"],
    ),
    Case(
        "unknown-newspaper-by-its-word",
        "Photo: Orlando Sentinel/Ana Ferreira",
        None,
        "Photo: Orlando Sentinel/Ana Ferreira",
        ["Ana Ferreira"],
        ["Orlando Sentinel"],
    ),
    Case(
        "ngo-id-photographer",
        "Children wait for vaccinations at a clinic. © UNICEF/UN0123456/Naftalin",
        "Children wait for vaccinations at a clinic.",
        "© UNICEF/UN0123456/Naftalin",
        ["Naftalin"],
        ["UNICEF"],
    ),
    Case(
        "ngo-other-id-full-name",
        "(© UNICEF/UNI345678/Maria Kowalczyk)",
        None,
        "(© UNICEF/UNI345678/Maria Kowalczyk)",
        ["Maria Kowalczyk"],
        ["UNICEF"],
    ),
    Case(
        "ngo-id-photographer-in-capitals",
        "© UNHCR/UN7654321/OKONKWO",
        None,
        "© UNHCR/UN7654321/OKONKWO",
        ["Okonkwo"],
        ["UNHCR"],
    ),
    Case(
        "ngo-id-bare-after-sentence",
        "A girl carries water in Kassala. UNICEF/UN0654321/Ahmed Elfatih",
        "A girl carries water in Kassala.",
        "UNICEF/UN0654321/Ahmed Elfatih",
        ["Ahmed Elfatih"],
        ["UNICEF"],
    ),
    Case(
        "europarl-library-one-word-photographer",
        "MEPs want car-recharging stations every 60 km © Tapui / Adobe Stock",
        "MEPs want car-recharging stations every 60 km",
        "© Tapui / Adobe Stock",
        ["Tapui"],
        ["Adobe Stock"],
    ),
    Case(
        "library-one-word-photographer-shutterstock",
        "A nurse adjusts a drip. Photo: Mironov/Shutterstock",
        "A nurse adjusts a drip.",
        "Photo: Mironov/Shutterstock",
        ["Mironov"],
        ["Shutterstock"],
    ),
    Case(
        "library-one-word-photographer-alamy",
        "(© Kalinovsky / Alamy Stock Photo)",
        None,
        "(© Kalinovsky / Alamy Stock Photo)",
        ["Kalinovsky"],
        ["Alamy"],
    ),
    Case(
        "library-handle-with-year-istock",
        "A classroom at the end of the day (bluebay2014/iStock)",
        "A classroom at the end of the day",
        "(bluebay2014/iStock)",
        ["bluebay2014"],
        ["iStock"],
    ),
    Case(
        "library-asset-number-dropped",
        "Wind turbines on a ridge. Photo: 1207264390/Shutterstock",
        "Wind turbines on a ridge.",
        "Photo: 1207264390/Shutterstock",
        [],
        ["Shutterstock"],
    ),
    Case(
        "single-word-beside-person-stays-organisation",
        "Muscovites queue at a metro station. (Photo by Ivan Petrov/Kommersant via Getty Images)",
        "Muscovites queue at a metro station.",
        "(Photo by Ivan Petrov/Kommersant via Getty Images)",
        ["Ivan Petrov"],
        ["Kommersant", "Getty Images"],
    ),
    Case(
        "ap-file-marker-in-list",
        "A rally outside the Capitol. (AP Photo/Evan Vucci, File)",
        "A rally outside the Capitol.",
        "(AP Photo/Evan Vucci, File)",
        ["Evan Vucci"],
        ["AP"],
    ),
    Case(
        "copyright-year-dropped",
        "Activists unfurl a banner at the summit. © 2021 Greenpeace",
        "Activists unfurl a banner at the summit.",
        "© 2021 Greenpeace",
        [],
        ["Greenpeace"],
    ),
    Case(
        "no-caption-no-credit",
        None,
        None,
        None,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_caption_and_credit(case: Case) -> None:
    parts = parse_caption(case.caption, case.credit, published=case.published)
    assert parts.caption == case.expected_caption
    assert parts.photo_credit == case.photo_credit
    assert parts.photographers == case.photographers
    assert parts.photo_agencies == case.agencies
    assert parts.caption_place == case.place
    assert parts.caption_date == case.date


def test_at_least_45_cases() -> None:
    assert len(CASES) >= 45
    assert len({c.id for c in CASES}) == len(CASES)


# Captions and credits above that were read off saved pages, by page.
SHARED_CREDITS = {
    "newsrooms/europarl-press/press-release_20221014IPR43206.html": [
        "MEPs want car-recharging stations every 60 km © Tapui / Adobe Stock",
    ],
    "newsrooms/nasa-image-article/nasas-lucy-spacecraft-discovers-2nd-asteroid-during-"
    "dinkinesh-flyby.html": [
        "NASA/Goddard/SwRI/ASU",
        "NASA/Goddard/SwRI/Johns Hopkins APL/NOIRLab",
    ],
    "real-pages/theintercept.com__2024-02-28_aaron-bushnell.html": [
        "(Photo by GPO/ Handout/Anadolu via Getty Images)",
    ],
    "real-pages/aclu.org__blog_county-criminalized-students-bad-grades.html": [
        "(smolaw11/iStock)",
    ],
}


@pytest.mark.parametrize("page", sorted(SHARED_CREDITS))
def test_shared_credits_are_verbatim(page: str) -> None:
    path = SHARED / page
    if not path.is_file():
        pytest.skip(f"saved page not found at {path} (kept beside the repository)")
    html = path.read_text(encoding="utf-8")
    assert [c for c in SHARED_CREDITS[page] if c not in html] == []


def test_seed_captions_are_verbatim() -> None:
    if not SEED_FILE.is_file():
        pytest.skip(f"seed text not found at {SEED_FILE} (kept beside the repository)")
    lines = set(SEED_FILE.read_text(encoding="utf-8").splitlines())
    missing = [c for c in SEED_CAPTIONS if c not in lines]
    assert missing == []


@pytest.mark.parametrize(
    ("credit", "people", "agencies"),
    [
        ("(Photo by Fabrice COFFRINI / POOL / AFP)", ["Fabrice Coffrini"], ["AFP"]),
        ("POOL", [], []),
        ("Handout/Getty Images", [], ["Getty Images"]),
        ("AFP PHOTO / STR", [], ["AFP"]),
        ("Getty Images/iStockphoto", [], ["Getty Images", "iStock"]),
        ("Photo by Ivan Petrov/Kommersant", ["Ivan Petrov"], ["Kommersant"]),
        ("Copyright: Jane Doe", ["Jane Doe"], []),
        ("(c) Jane Doe / picture alliance", ["Jane Doe"], ["picture alliance"]),
        ("Photo courtesy of Jane Doe", ["Jane Doe"], []),
        ("John Smith, Reuters", ["John Smith"], ["Reuters"]),
        ("Photo: @janedoe", ["janedoe"], []),
        # Read off the pages in ../shared (see test_shared_credits_are_verbatim).
        (
            "(Photo by GPO/ Handout/Anadolu via Getty Images)",
            [],
            ["GPO", "Anadolu Agency", "Getty Images"],
        ),
        ("NASA/Goddard/SwRI/ASU", [], ["NASA", "Goddard", "SwRI", "ASU"]),
        (
            "NASA/Goddard/SwRI/Johns Hopkins APL/NOIRLab",
            [],
            ["NASA", "Goddard", "SwRI", "Johns Hopkins APL", "NOIRLab"],
        ),
        # An unknown single word is the photographer only beside known organisations
        # alone: not beside a person, another unknown part, nor as an acronym.
        ("© Halfpoint / stock.adobe.com", ["Halfpoint"], ["Adobe Stock"]),
        ("Zerbor/Dreamstime", ["Zerbor"], ["Dreamstime"]),
        ("© UNICEF/Naftalin", ["Naftalin"], ["UNICEF"]),
        ("Naftalin/UN0123456/UNICEF", ["Naftalin"], ["UNICEF"]),
        ("UN Photo/Eskinder Debebe", ["Eskinder Debebe"], ["UN Photo"]),
        ("© Greenpeace/Ardiles Rante 2019", ["Ardiles Rante"], ["Greenpeace"]),
        ("© WFP/Getty Images", [], ["WFP", "Getty Images"]),
        ("Ruptly/Kommersant/AFP", [], ["Ruptly", "Kommersant", "AFP"]),
        ("Halfpoint via Adobe Stock", [], ["Halfpoint", "Adobe Stock"]),
        ("Halfpoint", [], ["Halfpoint"]),
        ("© @tapui_photo / Adobe Stock", ["tapui_photo"], ["Adobe Stock"]),
        ("@user123456/iStock", ["user123456"], ["iStock"]),
        # Ids name no one, wherever they stand.
        ("GettyImages-1207264390", [], []),
        ("© UNICEF/UN0123456", [], ["UNICEF"]),
        ("EPA-EFE/JANE DOE", ["Jane Doe"], ["EPA"]),
        # "via" adds the distributor.
        ("(Jane Doe/UNICEF via AP)", ["Jane Doe"], ["UNICEF", "AP"]),
        ("Photo by Jane Doe/NurPhoto via Getty Images", ["Jane Doe"], ["NurPhoto", "Getty Images"]),
        ("", [], []),
    ],
)
def test_parse_credit(credit: str, people: list[str], agencies: list[str]) -> None:
    parsed = parse_credit(credit)
    assert list(parsed.photographers) == people
    assert list(parsed.agencies) == agencies


def test_split_credit_returns_all_parts_in_order() -> None:
    caption, credits = split_credit(SEED_CAPTIONS[3])
    assert caption == MOSCOW
    assert credits == [
        "Valery Sharifulin/TASS",
        "(Photo by Valery SharifulinTASS via Getty Images)",
    ]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("BRENDAN SMIALOWSKI", "Brendan Smialowski"),
        ("FREDERIC J. BROWN", "Frederic J. Brown"),
        ("Fabrice COFFRINI", "Fabrice Coffrini"),
        ("MCDONALD", "McDonald"),
        ("O'BRIEN", "O'Brien"),
        ("JEAN-PIERRE", "Jean-Pierre"),
        ("MIKE McCARN", "Mike McCarn"),
        ("MARTIN LUTHER KING III", "Martin Luther King III"),
        ("Ludwig van Beethoven", "Ludwig van Beethoven"),
        ("smolaw11", "smolaw11"),
    ],
)
def test_title_case_name(name: str, expected: str) -> None:
    assert title_case_name(name) == expected


@pytest.mark.parametrize(
    ("caption", "published", "place", "date"),
    [
        ("BURBANK, CA - MARCH 17: Shoppers wait.", None, "Burbank, CA", None),
        ("MOSCOW, RUSSIA - MARCH 30, 2020: Police.", None, "Moscow, Russia", "2020-03-30"),
        ("DAMASCUS, March 30, 2020 . A worker.", None, "Damascus", "2020-03-30"),
        ("WASHINGTON, DC - MARCH 04: Aides.", dt.date(2020, 3, 5), "Washington, DC", "2020-03-04"),
        ("ISTANBUL, TURKEY - 2020/03/30: People.", None, "Istanbul, Turkey", "2020-03-30"),
        ("ST. LOUIS, MO - JUNE 1: Marchers.", dt.date(2020, 6, 2), "St. Louis, MO", "2020-06-01"),
        ("DEIR AL-BALAH, GAZA - NOVEMBER 7: Teams.", None, "Deir Al-Balah, Gaza", None),
        # Lower-case start: running text, not a dateline.
        ("Shoppers in Burbank, March 17, 2020.", None, None, None),
        # A day after publication is tolerated (time zones); more is the previous year.
        ("KYIV - MARCH 31: Rally.", dt.date(2020, 3, 30), "Kyiv", "2020-03-31"),
        ("KYIV - APRIL 5: Rally.", dt.date(2020, 3, 30), "Kyiv", "2019-04-05"),
        ("KYIV - FEBRUARY 29: Rally.", dt.date(2021, 3, 1), "Kyiv", "2020-02-29"),
        ("", None, None, None),
    ],
)
def test_parse_dateline(
    caption: str, published: dt.date | None, place: str | None, date: str | None
) -> None:
    assert parse_dateline(caption, published) == (place, date)


def test_parse_caption_is_idempotent_on_seed() -> None:
    for caption in SEED_CAPTIONS:
        once = parse_caption(caption, published=PUBLISHED)
        twice = parse_caption(once.caption, published=PUBLISHED)
        assert twice.caption == once.caption
        assert twice.photo_credit is None
        assert (twice.caption_place, twice.caption_date) == (
            once.caption_place,
            once.caption_date,
        )


def test_agency_table_extra_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    extra = tmp_path / "more.csv"
    extra.write_text("alias,canonical,kind\nKommersant,Kommersant Photo,outlet\n", "utf-8")
    table = load_agencies((str(extra),))
    assert table.canonical("KOMMERSANT") == "Kommersant Photo"
    assert table.kind_of("Kommersant Photo") == "outlet"
    assert table.canonical("Getty") == "Getty Images"
    parsed = parse_credit("Ivan Petrov/Kommersant", table)
    assert parsed.agencies == ("Kommersant Photo",)
    monkeypatch.setenv("NEWSROOM_AGENCIES_CSV", str(extra))
    assert load_agencies().canonical("kommersant") == "Kommersant Photo"


def test_agency_table_rejects_wrong_columns(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("name,full\nAP,Associated Press\n", "utf-8")
    with pytest.raises(ValueError, match="alias,canonical"):
        load_agencies((str(bad),))


@pytest.mark.parametrize(
    ("alias", "canonical"),
    [
        ("Getty", "Getty Images"),
        ("AP Photo", "AP"),
        ("AP", "AP"),
        ("REUTERS", "Reuters"),
        ("Xinhua", "Xinhua"),
        ("MediaNews Group", "MediaNews Group"),
        ("Pasadena Star-News", "Pasadena Star-News"),
        ("Anadolu Agency", "Anadolu Agency"),
        ("TASS", "TASS"),
        ("iStock", "iStock"),
        ("EPA", "EPA"),
        ("AFP", "AFP"),
        ("A.P.", "AP"),
        # Newspapers, photo libraries and organisations named in credits.
        ("Houston Chronicle", "Houston Chronicle"),
        ("San Francisco Chronicle", "San Francisco Chronicle"),
        ("Tampa Bay Times", "Tampa Bay Times"),
        ("New York Times", "The New York Times"),
        ("Washington Post", "The Washington Post"),
        ("The Los Angeles Times", "Los Angeles Times"),
        ("Boston Globe", "The Boston Globe"),
        ("The Chicago Tribune", "Chicago Tribune"),
        ("Adobe Stock", "Adobe Stock"),
        ("stock.adobe.com", "Adobe Stock"),
        ("iStockphoto", "iStock"),
        ("SHUTTERSTOCK", "Shutterstock"),
        ("Alamy Stock Photo", "Alamy"),
        ("Getty Images Plus", "Getty Images"),
        ("NurPhoto", "NurPhoto"),
        ("SOPA Images", "SOPA Images"),
        ("ZUMA Wire", "ZUMA Press"),
        ("Anadolu", "Anadolu Agency"),
        ("EPA-EFE", "EPA"),
        ("UNICEF", "UNICEF"),
        ("UNHCR", "UNHCR"),
        ("UN Photo", "UN Photo"),
        ("Amnesty International", "Amnesty International"),
        ("Greenpeace", "Greenpeace"),
        ("Doctors Without Borders", "MSF"),
    ],
)
def test_packaged_agency_table(alias: str, canonical: str) -> None:
    assert load_agencies().canonical(alias) == canonical


@pytest.mark.parametrize(
    ("canonical", "kind"),
    [
        ("AP", "wire"),
        ("Getty Images", "distributor"),
        ("Adobe Stock", "stock"),
        ("NurPhoto", "photo-agency"),
        ("Houston Chronicle", "outlet"),
        ("UNICEF", "organisation"),
        ("Greenpeace", "organisation"),
        ("White House", "government"),
    ],
)
def test_packaged_agency_kinds(canonical: str, kind: str) -> None:
    assert load_agencies().kind_of(canonical) == kind


def test_packaged_agency_table_is_consistent() -> None:
    """One kind per organisation, from the vocabulary in docs/codebook.md, and no
    spelling that names two organisations."""
    text = resources.files("newsroom_archive").joinpath("data/agencies.csv").read_text("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["kind"] for r in rows} == {
        "wire",
        "distributor",
        "stock",
        "photo-agency",
        "outlet",
        "organisation",
        "government",
    }
    kinds: dict[str, set[str]] = {}
    names: dict[str, set[str]] = {}
    for row in rows:
        kinds.setdefault(row["canonical"], set()).add(row["kind"])
        names.setdefault(alias_key(row["alias"]), set()).add(row["canonical"])
    assert {c: k for c, k in kinds.items() if len(k) > 1} == {}
    assert {a: c for a, c in names.items() if len(c) > 1} == {}
