"""The page chrome of La Gaseta de Vilamar, the second demo paper (Catalan).

The same rules as El Diario del Puerto's (chrome.py): every visible string is listed, none
occurs inside an article, and they are matched case-sensitively ("Cultura" is chrome, "cultura"
in a sentence is not). A second paper in another language means extraction has to drop chrome
it has not seen before, and story tests compare two papers that share no template text.
"""

from __future__ import annotations

from babelwire.demo.chrome import Chrome, Comment, Link

GASETA_CHROME = Chrome(
    site_name="La Gaseta de Vilamar",
    tagline="El diari de Vilamar i la costa des de 1934",
    skip_link="Vés al contingut",
    account_links=(Link("Subscriu-t'hi", "/subscripcions.html"), Link("Inicia la sessió", "/acces.html")),
    nav_label="Seccions",
    nav_sections=(
        ("Portada", ""),
        ("Comarca", "comarca"),
        ("Societat", "societat"),
        ("Economia", "economia"),
        ("Món", "mon"),
        ("Cultura", "cultura"),
        ("Esports", "esports"),
    ),
    cookie_label="Avís de galetes",
    cookie_texts=(
        "Fem servir galetes pròpies i de tercers per analitzar el trànsit i mostrar-te publicitat adaptada.",
        "Pots acceptar-les, rebutjar-les o triar quines permets.",
        "Accepta-les totes",
        "Rebutja-les totes",
        "Configura les galetes",
    ),
    cookie_settings_href="/politica-de-galetes.html#configurar",
    share_texts=(
        "Comparteix aquesta notícia",
        "Comparteix a Facebook",
        "Comparteix a X",
        "Envia per WhatsApp",
        "Copia l'enllaç",
    ),
    newsletter_texts=(
        "Butlletí del matí",
        "Cada dia a les 7.00, les notícies de Vilamar i de la costa al teu correu.",
        "La teva adreça electrònica",
        "Vull rebre'l",
        "Et pots donar de baixa quan vulguis.",
    ),
    newsletter_placeholder="nom@exemple.cat",
    related_heading="També et pot interessar",
    most_read_heading="El més llegit",
    latest_heading="L'última hora",
    read_more="Continua llegint",
    ad_texts=("Publicitat", "Cellers Mas del Pinar: 20 % de descompte en la primera comanda"),
    ad_href="https://www.cellersmasdelpinar.example/botiga",
    comments=(
        Comment("Mariner_de_secà", "fa 1 hora", "Per fi una bona notícia per a la vila."),
        Comment("Montse P.", "fa 3 hores", "Gràcies per explicar-ho tan bé i amb tant de detall."),
        Comment("veí_del_moll", "fa 4 hores", "I això qui ho pagarà? Sempre som els mateixos."),
        Comment("Jordi_1982", "fa 6 hores", "Al diari de paper d'aquest matí no hi sortia."),
        Comment(
            "Laia de la platja",
            "fa 1 dia",
            "Que algú de l'Ajuntament llegeixi aquests comentaris, si us plau.",
        ),
        Comment("Avi pescador", "fa 2 dies", "En els meus temps això no passava. Com ha canviat tot."),
    ),
    comment_section_texts=(
        "Comentaris dels lectors",
        "Contesta",
        "Deixa el teu comentari",
        "Envia el comentari",
        "Els comentaris són moderats i no representen l'opinió d'aquest diari.",
    ),
    comment_field_label="Comentari",
    footer_label="Informació legal",
    footer_links=(
        Link("Qui som", "/qui-som.html"),
        Link("Contacte", "/contacte.html"),
        Link("Avís legal", "/avis-legal.html"),
        Link("Política de privadesa", "/politica-de-privadesa.html"),
        Link("Política de galetes", "/politica-de-galetes.html"),
    ),
    copyright="© 2026 Edicions del Litoral S. L. Tots els drets reservats.",
)
