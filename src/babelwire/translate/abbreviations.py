"""Per-language news abbreviations and word lists for the sentence segmenter.

A period after an abbreviation is the main way generic segmenters break news text ("U.S.",
"Sen.", "EE. UU."), so every abbreviation is filed under what its period *may* mean:

- TITLE: never ends a sentence (Sen., Dr., Sra., Dott.ssa, z.B., u.a., núm.).
- FINAL: may end one; it does only when a typical sentence opener follows ("in the U.S. The ..."
  splits, "the U.S. Senate" does not). Places, companies, months, dotted acronyms.
- ETC: usually ends the sentence when a capital follows (etc., и т. д., руб.).
- TIME: a.m./p.m.: continue before a time zone, weekday or month ("10 a.m. ET"), else split.
- AFTER_NUMBER: FINAL after a number ("в 1991 г. СССР" continues, "в 2022 г. Это" splits), TITLE
  elsewhere ("г. Москва").

Entries are written without their final period; a spaced abbreviation is stored compacted
("EE.UU" stands for "EE. UU."). Lookups are case-sensitive: "Gen." is a title, "gen." a gene.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from functools import lru_cache


class Kind(Enum):
    """What the period after an abbreviation can mean (see the module docstring)."""

    TITLE = "title"
    FINAL = "final"
    ETC = "etc"
    TIME = "time"
    AFTER_NUMBER = "after_number"


@dataclass(frozen=True)
class LanguageRules:
    """Everything the news layer knows about one language (merged with the common lists)."""

    lang: str
    abbreviations: dict[str, Kind]
    starters: frozenset[str]
    speech_verbs: frozenset[str]
    time_followers: frozenset[str]
    ordinal_numbers: bool

    def lookup(self, token: str) -> Kind | None:
        """The kind of `token` (no final period), trying a lower-case first letter too ("Núm.")."""
        kind = self.abbreviations.get(token)
        if kind is None and token[:1].isupper():
            kind = self.abbreviations.get(token[0].lower() + token[1:])
        return kind


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Abbreviations that occur in news in any language (names of countries, titles in bylines).
_COMMON: dict[Kind, str] = {
    Kind.TITLE: """Mr Mrs Ms Messrs Dr Drs Prof Gen Lt Col Maj Capt Cmdr Adm Sgt Cpl Pvt Sen Sens Rep Reps
        Gov Atty Supt Rev Hon Pres Amb Mt Ft Sra Srta Dra Mme Mlle Mgr Mons Sig Dott Dott.ssa Avv Ing
        EE CC vs e.g i.e approx incl cf fig figs vol vols pp Nr nº n°""",
    Kind.FINAL: """U.S U.K U.N E.U EE.UU CC.OO Inc Corp Ltd Co Bros Jr S.A S.L S.p.A Ph.D""",
    Kind.ETC: "etc",
    Kind.TIME: "a.m p.m A.M P.M",
}

_LANGS: dict[str, dict[Kind, str]] = {
    "en": {
        Kind.TITLE: "Mx Gens Lts Cols Sgts Msgr Nos",
        Kind.FINAL: """Sr St Ave Blvd Rd Ln Hwy Sq No Jan Feb Mar Apr Aug Sept Sep Oct Nov Dec
            Ala Ariz Ark Calif Colo Conn Del Fla Ga Ill Ind Kan Kans Ky La Md Mass Mich Minn Miss
            Mo Mont Neb Nev Okla Ore Pa Tenn Tex Vt Va Wash Wis Wyo Mon Tue Tues Wed Thu Thurs Fri Sat Sun
            D.C N.Y N.J Esq Cos Corps""",
        Kind.ETC: "al",
    },
    "es": {
        Kind.TITLE: """Sr Sres Sras Srs Dres Lic Ing Arq Profa Gral Cnel Tte Cap Sgto Excmo Excma Ilmo
            Ilma Sto Sta Dña Pbro Ud Uds Vd Vds núm núms art arts pág págs tel av avda pl pza aprox
            admón dpto depto ej p.ej vol cap máx mín ctra Fdo a d""",  # a/d: "300 a. C."
        Kind.FINAL: "a.C d.C Cía Ltda S.A.U hnos",
    },
    "ca": {
        Kind.TITLE: """Sr Srs Sra Sres Srta Hble Excm Excma Il·lm Il·lma núm pl av pg ctra tel aprox p.ex
            Mn Sta St Gral art pàg a d""",
        Kind.FINAL: "a.C d.C",
    },
    "pt": {
        Kind.TITLE: """Sr Srs Sra Sras Srta Profa Exmo Exma Cel Cap Ten Sgt Dep Min Pe art pág av tel
            aprox Eng Arq Des a d""",
        Kind.FINAL: "a.C d.C Ltda Cia",
    },
    "fr": {
        Kind.TITLE: """M MM Mmes Me Pr St Ste av bd boul p chap art min max env janv févr avr juil sept oct
            nov déc Cie""",
        Kind.FINAL: "J.-C av.J.-C apr.J.-C",
    },
    "it": {
        Kind.TITLE: """Sigg Sig.ra Sig.na Prof.ssa Arch On Ten Cap Sen Dep S art n pag tel ca es cfr
            geom rag a d""",
        Kind.FINAL: "S.r.l Spa Srl a.C d.C",
        Kind.ETC: "ecc",
    },
    "de": {
        Kind.TITLE: """Hr Fr Abs Art Bd Bsp bzw ca evtl ggf inkl Mio Mrd Tsd St vgl z.B u.a d.h o.ä u.ä
            sog geb gest Jh Jhd Kap lt max min Nr S Tel u.U v.a z.T zzgl Dipl.-Ing""",
        Kind.FINAL: "Str v.Chr n.Chr Co.KG",
        Kind.ETC: "usw u.v.m",
    },
    "ru": {
        Kind.TITLE: """ул пр просп пер пл д кв корп стр обл им акад проф доц ген полк тов т.е т.к т.н напр
            см ср ст ч п гл рис табл св""",
        Kind.FINAL: "н.э до.н.э вв",
        Kind.ETC: "т.д т.п др пр тыс млн млрд руб коп долл чел",
        Kind.AFTER_NUMBER: "г гг",
    },
    "uk": {
        Kind.TITLE: """вул просп пл буд кв обл ім акад проф доц ген т.зв т.б напр див ст ч п с смт""",
        Kind.FINAL: "н.е до.н.е",
        Kind.ETC: "т.д т.п ін тис млн млрд грн коп дол",
        Kind.AFTER_NUMBER: "р рр",
    },
    "ar": {
        Kind.TITLE: "د أ م ش ص.ب أ.د",
        Kind.FINAL: "ق.م",
    },
}

# Words that open a sentence: after a FINAL abbreviation they mean the period ended one.
_COMMON_STARTERS = "the a an he she it they we i you his her its their our this that these those there"
_STARTERS: dict[str, str] = {
    "en": """but and or so yet in on at for as if when while after before since although however then now
        later instead still also
        meanwhile no not what who why how where one some many most all both each""",
    "es": """el la los las un una unos unas en por para con según pero y o este esta estos estas ese esa
        eso esto su sus él ella ellos ellas se no sin tras desde durante cuando si aunque además hoy
        ayer también así allí lo le les al del a de luego después entonces ahora mientras""",
    "ca": """el la els les l un una uns unes en a per amb segons però i o aquest aquesta aquests
        aquestes aquell aquella ell ella ells elles no sense des quan si també avui ahir això hi s es
        després llavors ara mentre""",
    "pt": """o a os as um uma uns umas em no na nos nas de do da por para com segundo mas e ou este esta
        estes estas esse essa isso isto ele ela eles elas se não sem após depois antes quando também
        hoje ontem além porém já ainda depois então agora""",
    "fr": """le la les l un une des du il elle ils elles on nous vous je ce cet cette ces c cela mais et
        ou en dans à au aux pour par avec selon sans quand si depuis après avant son sa ses leur leurs
        aujourd hier demain ainsi pourtant cependant puis ensuite alors""",
    "it": """il lo la i gli le l un una uno in a al alla nel nella per con secondo ma e o questo questa
        questi queste quello quella lui lei loro noi si non senza dopo prima quando se anche oggi ieri
        domani inoltre tuttavia però poi è allora ora intanto""",
    "de": """der die das den dem des ein eine einen einem einer er sie es wir ich ihr man dies diese
        dieser dieses aber und oder doch in im am an auf bei mit nach seit vor für laut zudem außerdem
        auch so wie wenn als dabei damit dann da dort hier heute gestern sein seine ihre unser kein
        keine nun jetzt zuvor zunächst trotzdem deshalb daher demnach danach später""",
    "ru": """в во на с со по о об от к из за для при после до он она оно они мы я вы это этот эта эти
        тот та те но и а однако также кроме как когда если его ее её их там тогда сейчас сегодня вчера
        завтра уже еще ещё не нет так все всё согласно потом затем поэтому теперь""",
    "uk": """в у на з із зі по про від до за для при після він вона воно вони ми я ви це цей ця ці той
        та ті але і й а однак також крім як коли якщо його її їх там тоді зараз сьогодні вчора завтра
        вже ще не ні так усі всі згідно потім згодом тому проте тепер""",
}

# Verbs of saying: `"Why now?" Peskov asked.` is one sentence although a capital follows the quote.
_SPEECH_VERBS: dict[str, str] = {
    "en": """said says asked asks added adds told tells shouted wrote writes replied insisted noted warned
        declared explained stressed recalled argued cried yelled admitted conceded responded tweeted
        remarked pleaded urged wondered demanded""",
    "es": """dijo dice preguntó pregunta añadió añade afirmó afirma aseguró asegura declaró explicó señaló
        gritó advirtió insistió respondió indicó subrayó apuntó escribió comentó reconoció exclamó
        manifestó sostuvo replicó agregó concluyó""",
    "ca": "digué preguntà afegí afirmà assegurà declarà explicà assenyalà advertí respongué",
    "pt": """disse diz perguntou afirmou acrescentou declarou explicou questionou ressaltou destacou
        garantiu completou respondeu""",
    "fr": """dit déclaré demandé ajouté affirmé lancé réagi expliqué souligné estimé assuré indiqué
        précisé insisté répondu""",
    "it": "detto chiesto aggiunto dichiarato affermato spiegato sottolineato ribadito commentato risposto",
    "de": "sagte sagt fragte erklärte betonte rief schrieb warnte meinte antwortete",
    "ru": """сказал сказала заявил заявила спросил спросила добавил добавила отметил отметила подчеркнул
        подчеркнула пояснил пояснила признал ответил ответила написал написала сообщил сообщила""",
    "uk": """сказав сказала заявив заявила запитав запитала додав додала зазначив зазначила наголосив
        наголосила підкреслив пояснив відповів відповіла написав повідомив повідомила""",
    "ar": "قال قالت تساءل تساءلت أضاف أضافت وأضاف وقال وقالت أكد أكدت صرح سأل سألت أوضح أوضحت رد",
}

# After "a.m."/"p.m." these words continue the sentence: "10 a.m. ET", "6:45 a.m. Tuesday".
_TIME_FOLLOWERS = """ET EST EDT CT CST CDT MT MST MDT PT PST PDT AKST AKDT HST GMT UTC BST CET CEST EET
    EEST WET WEST MSK IST JST KST AEST AEDT AWST HKT SGT WIB Z Eastern Central Mountain Pacific Atlantic
    Greenwich Moscow Monday Tuesday Wednesday Thursday Friday Saturday Sunday Mon Tue Tues Wed Thu Thurs
    Fri Sat Sun January February March April May June July August September October November December
    Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec"""

_ORDINAL_LANGS = frozenset({"de", "da", "no", "nb", "nn", "fi", "cs", "sk", "pl", "hu", "tr", "sl", "hr"})

SUPPORTED = frozenset(_LANGS)


def normalize_lang(lang: str) -> str:
    """'pt-BR' -> 'pt', ' EN ' -> 'en': the primary subtag, lower case."""
    return lang.strip().replace("_", "-").split("-")[0].lower()


@lru_cache(maxsize=64)
def rules_for(lang: str) -> LanguageRules:
    """The merged rules for `lang`; languages without their own lists get the English ones."""
    code = normalize_lang(lang)
    source = code if code in _LANGS else "en"
    abbreviations: dict[str, Kind] = {}
    for table in (_COMMON, _LANGS[source]):
        for kind, entries in table.items():
            for entry in entries.split():
                abbreviations[entry] = kind
    return LanguageRules(
        lang=code,
        abbreviations=abbreviations,
        starters=_words(_COMMON_STARTERS + " " + _STARTERS.get(source, "")),
        speech_verbs=_words(_SPEECH_VERBS.get(source, "") + " " + _SPEECH_VERBS["en"]),
        time_followers=_words(_TIME_FOLLOWERS),
        ordinal_numbers=code in _ORDINAL_LANGS,
    )
