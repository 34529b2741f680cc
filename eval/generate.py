#!/usr/bin/env python3
"""Generates Pamir's name-matching evaluation set (see eval/README.md).

Persons are made once, in Russian Cyrillic as a base, with a country, a gender, a father and a
birth date. The index holds each person as the owning country writes them (Russian, Kazakh,
Kyrgyz or Tajik Cyrillic; Uzbek, Turkmen or Azerbaijani Latin), among unrelated persons.
Queries write a person as *another* agency would: another script, a passport or library
transliteration standard, reordered, with a typo, a partial birth date, and so on, each
variation a category of its own. Hard negatives are persons who are *not* in the index but
look like someone who is: the same name with another birth date, a brother, a son, a sister.

Deterministic: the same seed gives the same files. Only the standard library is used.

    python3 eval/generate.py [--seed 7] [--out eval/data] [--index-size 5000] [--per-category 150]
"""

import argparse
import json
import os
import random

# --- Base names (Russian Cyrillic), by origin -------------------------------------------------

SURNAMES = {
    "central": [
        "Хасанов", "Каримов", "Рахимов", "Юсупов", "Турсунов", "Назаров", "Шарипов", "Сафаров",
        "Абдуллаев", "Исмаилов", "Мирзоев", "Джураев", "Холматов", "Курбанов", "Султанов",
        "Ахмедов", "Усманов", "Юлдашев", "Эргашев", "Саидов", "Рустамов", "Закиров", "Набиев",
        "Файзуллаев", "Шукуров", "Кадыров", "Хакимов", "Гафуров", "Рахманов", "Одинаев",
        "Саттаров", "Ибрагимов", "Бобоев", "Давлатов", "Маматов", "Токтогулов", "Асанов",
        "Усенов", "Абдыкадыров", "Бакиев", "Атаев", "Бердыев", "Овезов", "Чарыев", "Мурадов",
        "Ниязов", "Аннаев", "Ахметов", "Омаров", "Жумабаев", "Сейткалиев", "Нурпеисов",
        "Байжанов", "Тохтаров", "Алимов", "Хайдаров", "Шамсиев", "Нуриддинов", "Зияев", "Латыпов",
        "Кенжаев", "Муминов", "Норматов", "Пулатов", "Расулов", "Собиров", "Тиллаев", "Умаров",
        "Хамидов", "Шодиев", "Ёкубов", "Валиев", "Жалилов", "Исаев", "Косимов", "Махмудов",
    ],
    "caucasus": [
        "Гасанов", "Мамедов", "Гусейнов", "Алиев", "Ахмедов", "Исмаилов", "Мустафаев", "Керимов",
        "Джафаров", "Агаев", "Расулов", "Сулейманов", "Бабаев", "Велиев", "Гаджиев", "Рзаев",
    ],
    "slavic": [
        "Иванов", "Петров", "Смирнов", "Кузнецов", "Попов", "Соколов", "Волков", "Фёдоров",
        "Морозов", "Новиков", "Козлов", "Лебедев", "Егоров", "Павлов", "Щербаков", "Зайцев",
        "Николаев", "Орлов", "Андреев", "Макаров", "Захаров", "Борисов", "Яковлев", "Григорьев",
    ],
}

MALE = {
    "central": [
        "Джамшид", "Фарход", "Рустам", "Шерзод", "Бахтиёр", "Улугбек", "Нурлан", "Ерлан",
        "Айдар", "Азамат", "Дамир", "Тимур", "Руслан", "Алишер", "Санжар", "Мухаммад", "Ибрагим",
        "Исмаил", "Юсуф", "Абдулла", "Хуршед", "Зафар", "Сухроб", "Фаррух", "Акмал", "Равшан",
        "Шухрат", "Бекзод", "Даврон", "Гайрат", "Мурат", "Берик", "Канат", "Максат", "Нурбек",
        "Бакыт", "Эмомали", "Файзулло", "Саид", "Хасан", "Умар", "Усман", "Рахим", "Карим",
        "Довлет", "Мекан", "Сердар", "Бегенч", "Максуд", "Ойбек", "Жасур", "Достон", "Азиз",
    ],
    "caucasus": [
        "Эльчин", "Вугар", "Рашид", "Эльдар", "Гасан", "Гусейн", "Мамед", "Али", "Фарид", "Рамиз",
        "Тофиг", "Самир", "Анар", "Камран", "Ильгар", "Орхан",
    ],
    "slavic": [
        "Сергей", "Александр", "Дмитрий", "Андрей", "Алексей", "Евгений", "Юрий", "Михаил",
        "Николай", "Владимир", "Игорь", "Олег", "Максим", "Виктор", "Павел", "Иван",
    ],
}

FEMALE = {
    "central": [
        "Гульнара", "Дильноза", "Мадина", "Зарина", "Нигора", "Шахноза", "Айгуль", "Айжан",
        "Динара", "Камила", "Малика", "Наргиза", "Фатима", "Зайнаб", "Мохира", "Феруза",
        "Гулчехра", "Саодат", "Лола", "Нилуфар", "Айна", "Джамиля",
    ],
    "caucasus": ["Лейла", "Севиндж", "Гюнай", "Айтен", "Нигяр", "Лала", "Нармин", "Айгюн"],
    "slavic": ["Елена", "Ольга", "Наталья", "Ирина", "Татьяна", "Анна", "Мария", "Светлана",
               "Юлия", "Екатерина"],
}

# Given names that are one name in several spellings (the query may use the other one).
EQUIVALENT = {
    "Мухаммад": ["Магомед", "Мухаммед", "Mohammed"],
    "Ибрагим": ["Иброхим", "Ibrahim"],
    "Исмаил": ["Исмоил", "Ismail"],
    "Юсуф": ["Юсуп", "Yusup"],
    "Усман": ["Усмон", "Osman"],
    "Хасан": ["Гасан", "Hassan"],
    "Гусейн": ["Хусейн", "Hussein"],
    "Тимур": ["Темур", "Temir"],
    "Рахим": ["Рагим", "Rakhim"],
    "Бахтиёр": ["Бахтияр"],
    "Александр": ["Alexander"],
    "Дмитрий": ["Dmitri"],
    "Михаил": ["Michael"],
    "Евгений": ["Eugene"],
    "Сергей": ["Sergiy"],
    "Юрий": ["Yuri"],
    "Андрей": ["Andrew"],
    "Фатима": ["Фотима", "Patimat"],
    "Зайнаб": ["Зейнаб"],
    "Елена": ["Helen"],
    "Екатерина": ["Catherine"],
}

COUNTRIES = {
    "KZ": "central", "KG": "central", "TJ": "central", "UZ": "central", "TM": "central",
    "AZ": "caucasus", "RU": "slavic",
}

# --- Transliteration of Russian Cyrillic -------------------------------------------------------

VOWELS = "аеёиоуыэюяАЕЁИОУЫЭЮЯ"


def translit(text, table, initial=None, after_vowel=None):
    """Letter by letter; `initial` and `after_vowel` override letters at a word's start or after a
    vowel (е → ye in BGN/PCGN)."""
    out = []
    for i, ch in enumerate(text):
        low = ch.lower()
        prev = text[i - 1] if i > 0 else " "
        rule = None
        if initial and (i == 0 or not prev.isalpha()) and low in initial:
            rule = initial[low]
        elif after_vowel and prev in VOWELS and low in after_vowel:
            rule = after_vowel[low]
        elif low in table:
            rule = table[low]
        if rule is None:
            out.append(ch)
            continue
        if ch.isupper() and rule:
            rule = rule[0].upper() + rule[1:]
        out.append(rule)
    return "".join(out)


BASE = dict(zip("абвгдзийклмнопрстуф", "abvgdziyklmnoprstuf"))

STANDARDS = {
    # ICAO Doc 9303 (passports since 2013)
    "icao": dict(BASE, **{"е": "e", "ё": "e", "ж": "zh", "й": "i", "х": "kh", "ц": "ts",
                          "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "ie", "ы": "y", "ь": "",
                          "э": "e", "ю": "iu", "я": "ia"}),
    # BGN/PCGN
    "bgn": dict(BASE, **{"е": "e", "ё": "ë", "ж": "zh", "й": "y", "х": "kh", "ц": "ts",
                         "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "ʺ", "ы": "y", "ь": "ʹ",
                         "э": "e", "ю": "yu", "я": "ya"}),
    # GOST 7.79-2000 system B
    "gost": dict(BASE, **{"е": "e", "ё": "yo", "ж": "zh", "й": "j", "х": "x", "ц": "cz",
                          "ч": "ch", "ш": "sh", "щ": "shh", "ъ": "``", "ы": "y'", "ь": "`",
                          "э": "e`", "ю": "yu", "я": "ya"}),
    # ISO 9:1995
    "iso9": dict(BASE, **{"е": "e", "ё": "ë", "ж": "ž", "й": "j", "х": "h", "ц": "c",
                          "ч": "č", "ш": "š", "щ": "ŝ", "ъ": "ʺ", "ы": "y", "ь": "ʹ",
                          "э": "è", "ю": "û", "я": "â"}),
    # German (Duden)
    "german": dict(BASE, **{"в": "w", "е": "e", "ё": "jo", "ж": "sch", "з": "s", "й": "j",
                            "х": "ch", "ц": "z", "ч": "tsch", "ш": "sch", "щ": "schtsch",
                            "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "ju", "я": "ja",
                            "с": "s"}),
    # French
    "french": dict(BASE, **{"е": "e", "ё": "io", "ж": "j", "й": "ï", "х": "kh", "ц": "ts",
                            "ч": "tch", "ш": "ch", "щ": "chtch", "ъ": "", "ы": "y", "ь": "",
                            "э": "e", "ю": "iou", "у": "ou", "я": "ia"}),
}
STANDARD_INITIAL = {
    "bgn": {"е": "ye"},
    "german": {"е": "je"},
}
STANDARD_AFTER_VOWEL = {
    "bgn": {"е": "ye"},
    "german": {"е": "je"},
}


def standard(text, name):
    text = text.replace("дж", "\x01").replace("Дж", "\x02")
    out = translit(text, STANDARDS[name], STANDARD_INITIAL.get(name), STANDARD_AFTER_VOWEL.get(name))
    dzh = {"icao": "dzh", "bgn": "dzh", "gost": "dzh", "iso9": "dž", "german": "dsch", "french": "dj"}[name]
    return out.replace("\x01", dzh).replace("\x02", dzh.capitalize())


# National alphabets, from the Russian spelling.
UZ = dict(BASE, **{"е": "e", "ё": "yo", "ж": "j", "й": "y", "х": "x", "ц": "ts", "ч": "ch",
                   "ш": "sh", "щ": "sh", "ъ": "ʼ", "ы": "i", "ь": "", "э": "e", "ю": "yu",
                   "я": "ya", "к": "k", "г": "g"})
TM = dict(BASE, **{"в": "w", "е": "e", "ё": "ýo", "ж": "ž", "й": "ý", "х": "h", "ц": "s",
                   "ч": "ç", "ш": "ş", "щ": "ş", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "ýu",
                   "я": "ýa"})
AZ = dict(BASE, **{"е": "e", "ё": "yo", "ж": "j", "й": "y", "х": "x", "ц": "ts", "ч": "ç",
                   "ш": "ş", "щ": "ş", "ъ": "", "ы": "ı", "ь": "", "э": "e", "ю": "yu", "я": "ya"})
AZ_NAMES = {"Гасанов": "Həsənov", "Мамедов": "Məmmədov", "Гусейнов": "Hüseynov",
            "Алиев": "Əliyev", "Ахмедов": "Əhmədov", "Исмаилов": "İsmayılov",
            "Джафаров": "Cəfərov", "Агаев": "Ağayev", "Керимов": "Kərimov", "Гаджиев": "Hacıyev",
            "Велиев": "Vəliyev", "Рзаев": "Rzayev", "Бабаев": "Babayev", "Гасан": "Həsən",
            "Гусейн": "Hüseyn", "Мамед": "Məmməd", "Али": "Əli", "Эльчин": "Elçin",
            "Вугар": "Vüqar", "Лейла": "Leyla", "Севиндж": "Sevinc", "Гюнай": "Günay",
            "Нигяр": "Nigar"}


def national_latin(text, country):
    if country == "AZ":
        for ru, az in AZ_NAMES.items():
            if text == ru:
                return az
        text = text.replace("дж", "\x01").replace("Дж", "\x02")
        out = translit(text, AZ, {"е": "ye"}, {"е": "ye"})
        return out.replace("\x01", "c").replace("\x02", "C")
    if country == "TM":
        text = text.replace("дж", "\x01").replace("Дж", "\x02")
        out = translit(text, TM, {"е": "ýe"})
        out = out.replace("\x01", "j").replace("\x02", "J")
        return out[:-2] + "ow" if out.endswith("ov") else (out[:-3] + "owa" if out.endswith("ova") else out)
    # Uzbek: х → x, дж → j, some а → o in Persian-Arabic names.
    text = text.replace("дж", "\x01").replace("Дж", "\x02")
    out = translit(text, UZ, {"е": "ye"})
    out = out.replace("\x01", "j").replace("\x02", "J")
    for a, o in (("rahman", "rahmon"), ("usman", "usmon"), ("sattar", "sattor"), ("sabir", "sobir"),
                 ("nazar", "nazar"), ("ahmad", "ahmad"), ("kadir", "qodir"), ("Kadir", "Qodir"),
                 ("Rahman", "Rahmon"), ("Kurban", "Qurbon"), ("Sabir", "Sobir"), ("Sattar", "Sattor"),
                 ("Usman", "Usmon"), ("Gafur", "Gʻafur"), ("Ismail", "Ismoil")):
        out = out.replace(a, o)
    return out


def national_cyrillic(text, country, rng):
    """Kazakh, Kyrgyz and Tajik Cyrillic spellings of a Russian-written name."""
    if country == "TJ":
        out = text.replace("Дж", "Ҷ").replace("дж", "ҷ")
        out = out.replace("Х", "Ҳ").replace("х", "ҳ") if rng.random() < 0.7 else out
        for a, o in (("Рахман", "Рахмон"), ("Усман", "Усмон"), ("Курбан", "Қурбон"),
                     ("Кадыр", "Қодир"), ("Гафур", "Ғафур"), ("Исмаил", "Исмоил"),
                     ("Сабир", "Собир"), ("Саттар", "Саттор")):
            out = out.replace(a, o)
        return out
    if country == "KZ":
        out = text
        for a, b in (("Курбан", "Құрбан"), ("Кадыр", "Қадыр"), ("Гафур", "Ғафур"),
                     ("Нурл", "Нұрл"), ("Нурп", "Нұрп"), ("Айгуль", "Айгүл"), ("Бакыт", "Бақыт"),
                     ("Канат", "Қанат"), ("Жумаб", "Жұмаб"), ("Бекзод", "Бекзат")):
            out = out.replace(a, b)
        return out
    if country == "KG":
        return text.replace("Курбан", "Курбан").replace("Бакыт", "Бакыт")
    return text


# --- Persons ------------------------------------------------------------------------------------

def female_surname(s):
    if s.endswith("ов") or s.endswith("ев") or s.endswith("ёв") or s.endswith("ин"):
        return s + "а"
    if s.endswith("ий"):
        return s[:-2] + "ая"
    return s


def patronymic(father, female):
    if father.endswith("й"):
        stem, m, f = father[:-1], "евич", "евна"
    elif father.endswith("ь"):
        stem, m, f = father[:-1], "евич", "евна"
    elif father[-1] in "ая":
        stem, m, f = father, "евич", "евна"
    else:
        stem, m, f = father, "ович", "овна"
    return stem + (f if female else m)


def particle_patronymic(father, female, country):
    """A patronymic in the member's own form (uly, uulu, oʻgʻli, oğlu, ogly and daughters')."""
    if country == "KZ":
        return father + ("қызы" if female else "ұлы")
    if country == "KG":
        return father + (" кызы" if female else " уулу")
    if country == "UZ":
        return national_latin(father, "UZ") + (" qizi" if female else " oʻgʻli")
    if country == "AZ":
        return national_latin(father, "AZ") + (" qızı" if female else " oğlu")
    if country == "TM":
        return national_latin(father, "TM") + (" gyzy" if female else " ogly")
    return patronymic(father, female)


def random_date(rng, lo=1950, hi=2004):
    return (rng.randint(lo, hi), rng.randint(1, 12), rng.randint(1, 28))


def fmt_date(d):
    y, m, dd = d
    return f"{y:04d}-{m:02d}-{dd:02d}"


class Person:
    def __init__(self, rng, country=None, surname=None, father=None, female=None, birth=None,
                 given=None):
        self.country = country or rng.choice(list(COUNTRIES))
        origin = COUNTRIES[self.country]
        self.female = rng.random() < 0.3 if female is None else female
        base_surname = surname or rng.choice(SURNAMES[origin])
        self.surname_m = base_surname
        self.surname = female_surname(base_surname) if self.female else base_surname
        self.given = given or rng.choice((FEMALE if self.female else MALE)[origin])
        self.father = father or rng.choice(MALE[origin])
        self.birth = birth or random_date(rng)

    def name_parts(self):
        return self.surname, self.given, self.father


def owner_writes(p, rng):
    """The person as their own country's agency writes them: (full name, first, last, patronymic)."""
    c = p.country
    surname, given, father = p.name_parts()
    if c in ("UZ", "TM", "AZ"):
        s, g = national_latin(surname, c), national_latin(given, c)
        pat = particle_patronymic(father, p.female, c) if rng.random() < 0.6 else \
            national_latin(patronymic(father, p.female), c)
    elif c in ("KZ", "KG", "TJ"):
        s, g = national_cyrillic(surname, c, rng), national_cyrillic(given, c, rng)
        pat = particle_patronymic(father, p.female, c) if (c != "TJ" and rng.random() < 0.5) else \
            national_cyrillic(patronymic(father, p.female), c, rng)
    else:
        s, g, pat = surname, given, patronymic(father, p.female)
    return s, g, pat


def entity(eid, full, birth, country, gender=None, first=None, last=None, father=None):
    props = {"name": [full], "nationality": [country.lower()]}
    if birth:
        props["birthDate"] = [birth]
    if gender:
        props["gender"] = [gender]
    if first:
        props["firstName"] = [first]
    if last:
        props["lastName"] = [last]
    if father:
        props["fatherName"] = [father]
    return {"id": eid, "schema": "Person", "properties": props}


def index_entity(eid, p, rng):
    s, g, pat = owner_writes(p, rng)
    full = f"{s} {g} {pat}"
    structured = rng.random() < 0.4
    return entity(eid, full, fmt_date(p.birth), p.country,
                  gender=("female" if p.female else "male") if rng.random() < 0.3 else None,
                  first=g if structured else None, last=s if structured else None,
                  father=pat if structured else None)


# --- Variations a query may carry ---------------------------------------------------------------

def typo(word, rng):
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(["sub", "del", "ins", "swap"])
    letters = "abdeiklmnorstuvz" if word.isascii() else "абдеиклмнорстув"
    if kind == "sub":
        return word[:i] + rng.choice(letters) + word[i + 1:]
    if kind == "del":
        return word[:i] + word[i + 1:]
    if kind == "ins":
        return word[:i] + rng.choice(letters) + word[i:]
    return word[:i - 1] + word[i] + word[i - 1] + word[i + 1:]


LOOKALIKE = {"а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "к": "k",
             "м": "m", "т": "t", "А": "A", "Е": "E", "О": "O", "Р": "P", "С": "C", "Х": "X",
             "К": "K", "М": "M", "Т": "T", "Н": "H", "В": "B"}


def mixed_script(text, rng):
    chars = list(text)
    spots = [i for i, ch in enumerate(chars) if ch in LOOKALIKE]
    for i in rng.sample(spots, min(len(spots), 2)):
        chars[i] = LOOKALIKE[chars[i]]
    return "".join(chars)


def other_writer(p, rng, exclude_country):
    """A spelling of the person by someone else: Russian Cyrillic, a standard, or another
    member's national form."""
    surname, given, father = p.name_parts()
    choice = rng.choice(["russian", "icao", "bgn", "gost", "german", "french", "national", "iso9"])
    if choice == "russian" and p.country != "RU" and exclude_country != "RU":
        return surname, given, patronymic(father, p.female), "russian cyrillic"
    if choice == "national":
        c = rng.choice([c for c in ("UZ", "TM", "AZ", "KZ", "TJ") if c != exclude_country])
        if c in ("UZ", "TM", "AZ"):
            return (national_latin(surname, c), national_latin(given, c),
                    particle_patronymic(father, p.female, c), f"{c} latin")
        return (national_cyrillic(surname, c, rng), national_cyrillic(given, c, rng),
                particle_patronymic(father, p.female, c), f"{c} cyrillic")
    std = choice if choice in STANDARDS else "icao"
    return (standard(surname, std), standard(given, std), standard(patronymic(father, p.female), std),
            std)


CATEGORIES = [
    "transliteration", "script", "passport_upper", "reordered", "no_patronymic",
    "patronymic_form", "typo", "partial_birth_date", "birth_date_swapped", "birth_date_digit",
    "equivalent_given_name", "initials", "mixed_script", "combined",
]
NEGATIVES = ["same_name_other_birth_date", "brother", "father_son", "gendered_form"]


def positive_query(p, category, rng):
    s, g, pat, how = other_writer(p, rng, p.country)
    birth = fmt_date(p.birth)
    order = "sgp"
    if category == "script":
        if p.country in ("UZ", "TM", "AZ", "RU"):
            c = rng.choice(["KZ", "TJ", "KG"])
            s, g = national_cyrillic(p.surname, c, rng), national_cyrillic(p.given, c, rng)
            pat = patronymic(p.father, p.female)
        else:
            c = rng.choice(["UZ", "TM", "AZ"])
            s, g = national_latin(p.surname, c), national_latin(p.given, c)
            pat = particle_patronymic(p.father, p.female, c)
    elif category == "passport_upper":
        s, g, pat = standard(p.surname, "icao").upper(), standard(p.given, "icao").upper(), ""
    elif category == "reordered":
        order = rng.choice(["gps", "gsp", "psg"])
    elif category == "no_patronymic":
        pat = ""
        order = rng.choice(["sg", "gs"])
    elif category == "patronymic_form":
        c = rng.choice(["KZ", "KG", "UZ", "AZ", "TM"])
        pat = particle_patronymic(p.father, p.female, c)
    elif category == "typo":
        if rng.random() < 0.5:
            s = typo(s, rng)
        else:
            g = typo(g, rng)
    elif category == "partial_birth_date":
        y, m, _ = p.birth
        birth = f"{y:04d}" if rng.random() < 0.6 else f"{y:04d}-{m:02d}"
    elif category == "birth_date_swapped":
        y, m, d = p.birth
        if d > 12 or d == m:
            d = rng.choice([x for x in range(1, 13) if x != m])
            p.birth = (y, m, d)
        birth = f"{y:04d}-{d:02d}-{m:02d}"
    elif category == "birth_date_digit":
        digits = list(fmt_date(p.birth).replace("-", ""))
        i = rng.choice([2, 3, 7])
        digits[i] = str((int(digits[i]) + rng.choice([1, 2, 3])) % 10)
        dd = "".join(digits)
        if int(dd[6:8]) == 0:
            dd = dd[:6] + "01"
        birth = f"{dd[:4]}-{dd[4:6]}-{dd[6:]}"
    elif category == "equivalent_given_name":
        alt = rng.choice(EQUIVALENT[p.given])
        g = alt if alt.isascii() else standard(alt, "icao") if rng.random() < 0.5 else alt
    elif category == "initials":
        g = g[0] + "."
        pat = (pat[0] + ".") if pat else ""
    elif category == "mixed_script":
        s, g, pat = p.surname, p.given, patronymic(p.father, p.female)
        s = mixed_script(s, rng)
        g = mixed_script(g, rng) if rng.random() < 0.5 else g
        how = "mixed script"
    elif category == "combined":
        s = typo(s, rng) if rng.random() < 0.5 else s
        pat = "" if rng.random() < 0.5 else pat
        order = rng.choice(["gs", "sg"]) if not pat else rng.choice(["gps", "sgp"])
        y, m, _ = p.birth
        birth = f"{y:04d}"
    parts = {"s": s, "g": g, "p": pat}
    full = " ".join(parts[k] for k in order if parts.get(k))
    return full, birth, how


def negative_person(p, category, rng):
    """A person who is not `p` but looks like them."""
    if category == "same_name_other_birth_date":
        y, m, d = p.birth
        while True:
            other = random_date(rng)
            if abs(other[0] - y) >= 2 and (other[1], other[2]) != (m, d):
                break
        q = Person(rng, p.country, p.surname_m, p.father, p.female, other, p.given)
    elif category == "brother":
        origin = COUNTRIES[p.country]
        given = rng.choice([x for x in MALE[origin] if x != p.given
                            and x not in EQUIVALENT.get(p.given, [])])
        y, m, d = p.birth
        q = Person(rng, p.country, p.surname_m, p.father, False,
                   (min(2006, y + rng.choice([-6, -4, -3, -2, 2, 3, 5])), rng.randint(1, 12), rng.randint(1, 28)),
                   given)
    elif category == "father_son":
        origin = COUNTRIES[p.country]
        given = rng.choice([x for x in MALE[origin] if x != p.father])
        y = p.birth[0]
        q = Person(rng, p.country, p.surname_m, p.given, False,
                   (min(2008, y + rng.randint(20, 32)), rng.randint(1, 12), rng.randint(1, 28)), given)
    else:  # gendered_form: a sister or wife, same surname in the other gender's form
        origin = COUNTRIES[p.country]
        q = Person(rng, p.country, p.surname_m, p.father, not p.female, p.birth,
                   rng.choice((MALE if p.female else FEMALE)[origin]))
    return q


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "data"))
    ap.add_argument("--index-size", type=int, default=5000)
    ap.add_argument("--per-category", type=int, default=150)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)

    index, queries, truth = [], [], []
    n = 0

    def add_index(p):
        nonlocal n
        n += 1
        eid = f"idx-{n:06d}"
        index.append(index_entity(eid, p, rng))
        return eid

    # Targets: persons queried by a positive or shadowed by a negative.
    for category in CATEGORIES:
        for k in range(args.per_category):
            p = Person(rng)
            if category == "equivalent_given_name":
                choices = [g for g in EQUIVALENT if g in (FEMALE if p.female else MALE)[COUNTRIES[p.country]]]
                if not choices:
                    p = Person(rng, female=False, country=rng.choice(["UZ", "TJ", "KZ"]))
                    choices = [g for g in EQUIVALENT if g in MALE["central"]]
                p.given = rng.choice(choices)
            if category == "birth_date_swapped":
                y, m, d = p.birth
                if d > 12 or d == m:
                    p.birth = (y, m, rng.choice([x for x in range(1, 13) if x != m]))
            full, birth, how = positive_query(p, category, rng)
            eid = add_index(p)
            qid = f"q-{category}-{k:04d}"
            queries.append(entity(qid, full, birth, rng.choice(list(COUNTRIES))))
            truth.append({"query": qid, "expected": eid, "category": category, "written": how})
    for category in NEGATIVES:
        for k in range(args.per_category):
            p = Person(rng)
            eid = add_index(p)
            q = negative_person(p, category, rng)
            s, g, pat, how = other_writer(q, rng, q.country)
            full = f"{s} {g} {pat}".strip()
            qid = f"n-{category}-{k:04d}"
            queries.append(entity(qid, full, fmt_date(q.birth), q.country))
            truth.append({"query": qid, "expected": None, "category": category,
                          "confusable": eid, "written": how})
    # Unrelated persons fill the index.
    while len(index) < args.index_size:
        add_index(Person(rng))
    rng.shuffle(index)

    def dump(name, rows):
        with open(os.path.join(args.out, name), "w", encoding="utf-8") as f:
            for row in rows:
                f.write(json.dumps(row, ensure_ascii=False) + "\n")

    dump("index.jsonl", index)
    dump("queries.jsonl", queries)
    dump("truth.jsonl", truth)
    print(f"{len(index)} index persons, {len(queries)} queries "
          f"({len(CATEGORIES)} positive and {len(NEGATIVES)} negative categories) in {args.out}")


if __name__ == "__main__":
    main()
