"""The seed page's defects (../shared/data/seed-defects.md), rebuilt as our own sentence pairs.

Each case: the source sentence, the defective translation the autoblog would publish, and a
correct translation of the same sentence. The editor must stop the first and pass the second.
Used by tests/review/test_seed_defects.py and benchmarks/review_qe.py.
"""

from __future__ import annotations

from typing import NamedTuple


class SeedCase(NamedTuple):
    defect: str  # the seed-defects.md row it rebuilds
    source_lang: str
    target_lang: str
    source: str
    damaged: str
    correct: str


SEED_CASES: tuple[SeedCase, ...] = (
    SeedCase(
        "#1 page chrome in the article",
        "es", "en",
        "El Gobierno aprobó ayer el nuevo plan de vivienda.",
        "Skip to content The Government approved the new housing plan yesterday.",
        "The Government approved the new housing plan yesterday.",
    ),
    SeedCase(
        "#3 entity split and duplicated",
        "en", "es",
        "The concerns of the United States about the deployment grew on Monday.",
        "Las preocupaciones de los estados. Estados Unidos sobre el despliegue de Estados Unidos "
        "crecieron el lunes.",
        "Las preocupaciones de Estados Unidos sobre el despliegue crecieron el lunes.",
    ),
    SeedCase(
        "#4 unbalanced quotes",
        "es", "en",
        "«Ucrania tiene derecho a defenderse», dijo el ministro.",
        "‘Ukraine has the right to defend itself, the minister said.",
        "“Ukraine has the right to defend itself,” the minister said.",
    ),
    SeedCase(
        "#5 repeated phrase",
        "en", "es",
        "What we continue to see are troops moving toward the border.",
        "Lo que seguimos viendo, y lo que seguimos viendo, son tropas que avanzan hacia la frontera.",
        "Lo que seguimos viendo son tropas que avanzan hacia la frontera.",
    ),
    SeedCase(
        "#6 attribution duplicated",
        "en", "es",
        "The talks will continue next week, Pentagon spokesman John Kirby said.",
        "Las conversaciones continuarán la próxima semana, dijo. "
        "El portavoz del Pentágono John Kirby dijo.",
        "Las conversaciones continuarán la próxima semana, "
        "dijo el portavoz del Pentágono John Kirby.",
    ),
    SeedCase(
        "#8 meaning inverted",
        "en", "es",
        "NATO should not admit Ukraine as a member, officials said.",
        "La OTAN debería admitir a Ucrania como miembro, dijeron los funcionarios.",
        "La OTAN no debería admitir a Ucrania como miembro, dijeron los funcionarios.",
    ),
    SeedCase(
        "#11 words dropped",
        "en", "es",
        "Officials acknowledged that the ability of the United States to deter "
        "an invasion by the army is quite limited this winter.",
        "Los funcionarios reconocieron que es bastante limitado.",
        "Los funcionarios reconocieron que la capacidad de Estados Unidos para disuadir "
        "una invasión del ejército es bastante limitada este invierno.",
    ),
    SeedCase(
        "numbers must survive",
        "en", "es",
        "About 175,000 troops were near the border at 10 a.m. ET on Friday.",
        "Unas 17.000 tropas estaban cerca de la frontera el viernes por la mañana.",
        "Unos 175.000 soldados estaban cerca de la frontera a las 10 a.m. ET del viernes.",
    ),
)  # fmt: skip
