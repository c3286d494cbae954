"""The site's colours, chosen to stay apart for readers with a colour-vision deficiency.

A node's colour is its country's region of Europe, the United Nations' M49 sub-regions (Northern,
Western, Southern and Eastern Europe); a network is black; a country outside them (Cyprus, Türkiye
and the Caucasus are in M49's Western Asia) or no country is grey. Colour is never the only cue:
the shape tells the kind (city dot, organisation square, network diamond), a ★ a lead partner, and
the country is in the tooltip, the details, the legend and the table view. Forty-odd countries
cannot each have a colour that everyone tells apart; four regions can.

The colours: blue and vermillion from Okabe and Ito's "Color Universal Design" set (Okabe & Ito
2008, https://jfly.uni-koeln.de/color/), indigo and wine from Paul Tol's "muted" set (Tol 2021,
https://personal.sron.nl/~pault/#sec:qualitative), Okabe-Ito's black, and a grey. The lighter
members of both sets (orange, sky blue, yellow; cyan, sand, teal, olive) fall short of 3:1 against
the page and the map (WCAG 2.1 SC 1.4.11).

The checks (``tests/test_site_palette.py``) use the functions here: WCAG 2.x contrast from relative
luminance; Machado, Oliveira & Fernandes (2009) simulation of protanopia, deuteranopia and
tritanopia (severity 1.0); the CIEDE2000 colour difference (Sharma, Wu & Dalal 2005).

>>> measure_contrast("#000000", "#ffffff")
21.0
>>> find_region("PL"), find_region("PT"), find_region("CY")
('Eastern Europe', 'Southern Europe', None)
"""

from __future__ import annotations

import math

# Okabe & Ito (2008) and Tol (2021, "muted"); see the module's text.
REGION_COLOURS = {
    "Northern Europe": "#0072B2",  # Okabe-Ito blue
    "Western Europe": "#D55E00",  # Okabe-Ito vermillion
    "Southern Europe": "#882255",  # Tol muted wine
    "Eastern Europe": "#332288",  # Tol muted indigo
}
NETWORK_COLOUR = "#000000"  # Okabe-Ito black
NO_COUNTRY = "#767676"  # the lightest grey with 4.5:1 on white: no country, or one outside the regions
# United Nations M49 (https://unstats.un.org/unsd/methodology/m49/), the European countries
# citynet's data can hold; Kosovo (not in M49) with its neighbours in Southern Europe.
REGIONS = {
    "Northern Europe": "DK EE FI GB IE IS LT LV NO SE",
    "Western Europe": "AT BE CH DE FR LI LU MC NL",
    "Southern Europe": "AD AL BA ES GR HR IT ME MK MT PT RS SI SM VA XK",
    "Eastern Europe": "BG BY CZ HU MD PL RO RU SK UA",
}
REGION_OF = {code: region for region, codes in REGIONS.items() for code in codes.split()}
# Machado, Oliveira & Fernandes (2009), severity 1.0, applied to linear sRGB.
CVD_MATRICES = {
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "tritanopia": (
        (1.255528, -0.076749, -0.178779),
        (-0.078411, 0.930809, 0.147602),
        (0.004733, 0.691367, 0.303900),
    ),
}
SRGB_TO_XYZ = ((0.4124, 0.3576, 0.1805), (0.2126, 0.7152, 0.0722), (0.0193, 0.1192, 0.9505))
D65 = tuple(sum(row) for row in SRGB_TO_XYZ)  # the white point: the XYZ of sRGB white

Rgb = tuple[float, float, float]


def find_region(code: str | None) -> str | None:
    """The M49 region of a European country (ISO code), or None for no country or one outside them.

    >>> find_region("SE"), find_region("TR")
    ('Northern Europe', None)
    """
    return REGION_OF.get(code) if code else None


def pick_region_colour(code: str | None) -> str:
    """A country's colour: its region's; grey for no country or one outside the regions.

    >>> pick_region_colour("DE"), pick_region_colour("CY"), pick_region_colour(None)
    ('#D55E00', '#767676', '#767676')
    """
    region = find_region(code)
    return REGION_COLOURS[region] if region else NO_COUNTRY


def read_hex(colour: str) -> Rgb:
    """``#rrggbb`` or ``#rgb`` as sRGB components from 0 to 1.

    >>> read_hex("#fff"), read_hex("#000000")
    ((1.0, 1.0, 1.0), (0.0, 0.0, 0.0))
    """
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return tuple(int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def linearise(rgb: Rgb) -> Rgb:
    """sRGB components to linear light (IEC 61966-2-1; WCAG 2.x writes 0.03928 for 0.04045).

    >>> linearise((0.0, 1.0, 0.5))[2] == ((0.5 + 0.055) / 1.055) ** 2.4
    True
    """
    return tuple(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb)  # type: ignore[return-value]


def measure_luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of ``#rrggbb``: 0.2126 R + 0.7152 G + 0.0722 B, linear.

    >>> measure_luminance("#ffffff"), measure_luminance("#000000")
    (1.0, 0.0)
    """
    red, green, blue = linearise(read_hex(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def measure_contrast(first: str, second: str) -> float:
    """WCAG 2.x contrast ratio (L1 + 0.05) / (L2 + 0.05), lighter over darker, rounded to 2 places.

    >>> measure_contrast("#767676", "#ffffff")
    4.54
    """
    lighter, darker = sorted((measure_luminance(first), measure_luminance(second)), reverse=True)
    return round((lighter + 0.05) / (darker + 0.05), 2)


def simulate(colour: str, deficiency: str) -> Rgb:
    """How ``colour`` looks with a deficiency (``protanopia``, ``deuteranopia``, ``tritanopia``):
    linear sRGB, clipped to the gamut (Machado et al. 2009, severity 1.0).

    >>> [round(c, 4) for c in simulate("#ffffff", "deuteranopia")]   # white stays white
    [1.0, 1.0, 1.0]
    """
    linear = linearise(read_hex(colour))
    rows = CVD_MATRICES[deficiency]
    return tuple(min(1.0, max(0.0, sum(m * c for m, c in zip(row, linear, strict=True)))) for row in rows)  # type: ignore[return-value]


def to_lab(linear: Rgb) -> Rgb:
    """CIE L*a*b* (D65) of linear sRGB components.

    >>> [round(v, 2) for v in to_lab((1.0, 1.0, 1.0))]
    [100.0, 0.0, 0.0]
    """
    rows = zip(SRGB_TO_XYZ, D65, strict=True)
    xyz = [sum(m * c for m, c in zip(row, linear, strict=True)) / white for row, white in rows]
    f = [t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29 for t in xyz]
    return (116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2]))


def measure_difference(lab1: Rgb, lab2: Rgb) -> float:
    """CIEDE2000 colour difference ΔE00 of two L*a*b* colours (Sharma, Wu & Dalal 2005, kL=kC=kH=1).

    >>> round(measure_difference((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485)), 4)   # their pair 1
    2.0425
    """
    (l1, a1, b1), (l2, a2, b2) = lab1, lab2
    mean_c = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(mean_c**7 / (mean_c**7 + 25**7)))
    a1, a2 = a1 * (1 + g), a2 * (1 + g)
    c1, c2 = math.hypot(a1, b1), math.hypot(a2, b2)
    h1 = math.degrees(math.atan2(b1, a1)) % 360 if c1 else 0.0
    h2 = math.degrees(math.atan2(b2, a2)) % 360 if c2 else 0.0
    dh = 0.0 if c1 * c2 == 0 else h2 - h1 - 360 * ((h2 - h1 > 180) - (h2 - h1 < -180))
    dl, dc, big_dh = l2 - l1, c2 - c1, 2 * math.sqrt(c1 * c2) * math.sin(math.radians(dh / 2))
    mean_l, mean_c = (l1 + l2) / 2, (c1 + c2) / 2
    turn = 0 if abs(h1 - h2) <= 180 else (360 if h1 + h2 < 360 else -360)
    mean_h = h1 + h2 if c1 * c2 == 0 else (h1 + h2 + turn) / 2
    t = (
        1
        - 0.17 * math.cos(math.radians(mean_h - 30))
        + 0.24 * math.cos(math.radians(2 * mean_h))
        + 0.32 * math.cos(math.radians(3 * mean_h + 6))
        - 0.20 * math.cos(math.radians(4 * mean_h - 63))
    )
    s_l = 1 + 0.015 * (mean_l - 50) ** 2 / math.sqrt(20 + (mean_l - 50) ** 2)
    s_c, s_h = 1 + 0.045 * mean_c, 1 + 0.015 * mean_c * t
    rotation = 60 * math.exp(-(((mean_h - 275) / 25) ** 2))
    r_t = -2 * math.sqrt(mean_c**7 / (mean_c**7 + 25**7)) * math.sin(math.radians(rotation))
    dl, dc, big_dh = dl / s_l, dc / s_c, big_dh / s_h
    return math.sqrt(dl**2 + dc**2 + big_dh**2 + r_t * dc * big_dh)


def compare_seen(first: str, second: str, deficiency: str | None = None) -> float:
    """ΔE00 between two ``#rrggbb`` colours as seen with ``deficiency`` (None: typical vision).

    >>> round(compare_seen("#000000", "#ffffff"), 1)
    100.0
    """
    seen = [simulate(c, deficiency) if deficiency else linearise(read_hex(c)) for c in (first, second)]
    return measure_difference(to_lab(seen[0]), to_lab(seen[1]))
