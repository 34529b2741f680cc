//! People as each country writes them: surnames and given names, feminine forms, phones,
//! passports and plates.

use rand::{rngs::StdRng, seq::SliceRandom, Rng};

pub(super) struct Names {
    pub(super) surnames: &'static [&'static str],
    pub(super) male: &'static [&'static str],
    pub(super) female: &'static [&'static str],
}

pub(super) fn names_of(country: &str) -> Names {
    match country {
        "KZ" => Names {
            surnames: &[
                "Нұрланов",
                "Сейітқали",
                "Жақсылықов",
                "Ахметов",
                "Оспанов",
                "Сүлейменов",
                "Искаков",
                "Бекмұханбетов",
                "Қайратов",
                "Әбдіров",
            ],
            male: &[
                "Ерлан",
                "Нұрлан",
                "Айдос",
                "Дәурен",
                "Серік",
                "Бауыржан",
                "Қанат",
                "Ержан",
            ],
            female: &["Әсел", "Гүлнар", "Айгерим", "Жанар"],
        },
        "KG" => Names {
            surnames: &[
                "Асанов",
                "Токтогулов",
                "Жээнбеков",
                "Мамытов",
                "Садыров",
                "Осмонов",
                "Түлөбердиев",
                "Бакиров",
            ],
            male: &[
                "Азамат",
                "Бакыт",
                "Нурбек",
                "Эрмек",
                "Улан",
                "Талант",
                "Мирлан",
            ],
            female: &["Айгүл", "Нургүл", "Жылдыз"],
        },
        "TJ" => Names {
            surnames: &[
                "Раҳимов",
                "Қурбонов",
                "Хасанов",
                "Шарипов",
                "Назаров",
                "Саидзода",
                "Раҳмонзода",
                "Ҷӯраев",
                "Ғафуров",
                "Каримов",
            ],
            male: &[
                "Фарҳод",
                "Ҷамшед",
                "Шерзод",
                "Баҳодур",
                "Фируз",
                "Некрӯз",
                "Умед",
                "Далер",
            ],
            female: &["Фирӯза", "Зарина", "Мавзуна"],
        },
        "UZ" => Names {
            surnames: &[
                "Xasanov",
                "Karimov",
                "Yoʻldoshev",
                "Gʻulomov",
                "Toshmatov",
                "Raximov",
                "Qodirov",
                "Ergashev",
                "Normatov",
            ],
            male: &[
                "Shuhrat",
                "Jasur",
                "Oʻtkir",
                "Dilshod",
                "Sardor",
                "Bekzod",
                "Sherzod",
                "Ulugʻbek",
            ],
            female: &["Nodira", "Dilnoza", "Gulnora"],
        },
        "RU" => Names {
            surnames: &[
                "Иванов",
                "Смирнов",
                "Кузнецов",
                "Попов",
                "Соколов",
                "Морозов",
                "Волков",
                "Фёдоров",
                "Лебедев",
            ],
            male: &[
                "Алексей",
                "Дмитрий",
                "Сергей",
                "Андрей",
                "Максим",
                "Игорь",
                "Павел",
            ],
            female: &["Ольга", "Наталья", "Екатерина"],
        },
        "AZ" => Names {
            surnames: &[
                "Məmmədov",
                "Əliyev",
                "Həsənov",
                "Quliyev",
                "Hüseynov",
                "İsmayılov",
                "Cəfərov",
            ],
            male: &["Elçin", "Rəşad", "Tural", "Vüqar", "Orxan", "Elnur"],
            female: &["Aynur", "Günel", "Leyla"],
        },
        "TM" => Names {
            surnames: &[
                "Annaýew",
                "Orazow",
                "Gurbanow",
                "Atayew",
                "Myradow",
                "Berdiýew",
                "Hojamuradow",
            ],
            male: &["Döwlet", "Merdan", "Batyr", "Serdar", "Arslan", "Maksat"],
            female: &["Aýna", "Jeren", "Maýsa"],
        },
        _ => Names {
            surnames: &[
                "Mohammadi",
                "Ahmadzai",
                "Noori",
                "Rahimi",
                "Popal",
                "Stanikzai",
            ],
            male: &[
                "Gul Mohammad",
                "Ahmad Shah",
                "Abdul Wahid",
                "Naqibullah",
                "Khan Agha",
            ],
            female: &["Fatima", "Zarghona"],
        },
    }
}

/// The full name as each country writes it, plus its parts.
pub(super) fn person_name(
    rng: &mut StdRng,
    country: &str,
    female: bool,
) -> (String, String, String, Option<String>) {
    let n = names_of(country);
    let surname = *n.surnames.choose(rng).unwrap_or(&"Иванов");
    let given = *(if female { n.female } else { n.male })
        .choose(rng)
        .unwrap_or(&"Иван");
    let father = *n.male.choose(rng).unwrap_or(&"Иван");
    let surname = if female {
        feminine(country, surname)
    } else {
        surname.to_string()
    };
    let (full, patronymic) = match country {
        "RU" => {
            let p = format!(
                "{}{}",
                father.trim_end_matches('й'),
                if female { "овна" } else { "ович" }
            );
            (format!("{surname} {given} {p}"), Some(p))
        }
        "KZ" => {
            let p = format!("{father}{}", if female { "қызы" } else { "ұлы" });
            (format!("{surname} {given} {p}"), Some(p))
        }
        "KG" => {
            let p = format!("{father} {}", if female { "кызы" } else { "уулу" });
            (format!("{given} {p}"), Some(p))
        }
        "TJ" => (format!("{surname} {given}"), None),
        "UZ" => {
            let p = format!("{father} {}", if female { "qizi" } else { "oʻgʻli" });
            (format!("{surname} {given} {p}"), Some(p))
        }
        "AZ" => {
            let p = format!("{father} {}", if female { "qızı" } else { "oğlu" });
            (format!("{surname} {given} {p}"), Some(p))
        }
        "TM" => (format!("{surname} {given}"), None),
        _ => (format!("{given} {surname}"), None),
    };
    (full, given.to_string(), surname, patronymic)
}

pub(super) fn feminine(country: &str, surname: &str) -> String {
    match country {
        "RU" | "KZ" | "KG" | "TJ"
            if surname.ends_with("ов") || surname.ends_with("ев") || surname.ends_with("ин") =>
        {
            format!("{surname}а")
        }
        "UZ" | "AZ"
            if surname.ends_with("ov") || surname.ends_with("ev") || surname.ends_with("yev") =>
        {
            format!("{surname}a")
        }
        "TM" if surname.ends_with("ow") || surname.ends_with("ew") => format!("{surname}a"),
        _ => surname.to_string(),
    }
}

pub(super) fn phone(rng: &mut StdRng, country: &str) -> String {
    let (cc, prefixes): (&str, &[&str]) = match country {
        "KZ" => ("+7", &["701", "705", "707", "747", "777"]),
        "RU" => ("+7", &["903", "916", "926", "985"]),
        "KG" => ("+996", &["555", "700", "772"]),
        "TJ" => ("+992", &["90", "91", "93", "98"]),
        "UZ" => ("+998", &["90", "93", "97", "99"]),
        "AZ" => ("+994", &["50", "51", "55", "70"]),
        "TM" => ("+993", &["61", "62", "65"]),
        _ => ("+93", &["70", "77", "79"]),
    };
    let prefix = prefixes.choose(rng).unwrap_or(&"700");
    let rest_len = 10usize.saturating_sub(prefix.len()).max(6);
    let rest: String = (0..rest_len)
        .map(|_| char::from(b'0' + rng.gen_range(0..10u8)))
        .collect();
    format!("{cc} {prefix} {rest}")
}

pub(super) fn passport(rng: &mut StdRng, country: &str) -> String {
    let digits = |rng: &mut StdRng, n: usize| {
        (0..n)
            .map(|_| char::from(b'0' + rng.gen_range(0..10u8)))
            .collect::<String>()
    };
    match country {
        "KZ" => format!("N{}", digits(rng, 8)),
        "KG" => format!("AC{}", digits(rng, 7)),
        "TJ" => format!("40{}", digits(rng, 7)),
        "UZ" => format!("AD{}", digits(rng, 7)),
        "RU" => format!("{} {}", digits(rng, 2), digits(rng, 7)),
        "AZ" => format!("C{}", digits(rng, 8)),
        "TM" => format!("A{}", digits(rng, 7)),
        _ => format!("P{}", digits(rng, 7)),
    }
}

pub(super) fn plate(rng: &mut StdRng, country: &str) -> String {
    let d = |rng: &mut StdRng, n: usize| {
        (0..n)
            .map(|_| char::from(b'0' + rng.gen_range(0..10u8)))
            .collect::<String>()
    };
    let l = |rng: &mut StdRng, n: usize, set: &[u8]| {
        (0..n)
            .map(|_| char::from(*set.choose(rng).unwrap_or(&b'A')))
            .collect::<String>()
    };
    const LAT: &[u8] = b"ABCEHKMOPTXY";
    match country {
        "KZ" => format!(
            "{} {} {:02}",
            d(rng, 3),
            l(rng, 3, LAT),
            rng.gen_range(1..20)
        ),
        "KG" => format!(
            "{:02} KG {} {}",
            rng.gen_range(1..10),
            d(rng, 3),
            l(rng, 3, LAT)
        ),
        "TJ" => format!(
            "{} {} {:02}",
            d(rng, 4),
            l(rng, 2, LAT),
            rng.gen_range(1..8)
        ),
        "UZ" => format!(
            "{:02} {} {} {}",
            rng.gen_range(1..95),
            l(rng, 1, LAT),
            d(rng, 3),
            l(rng, 2, LAT)
        ),
        "RU" => {
            let cyr = ["А", "В", "Е", "К", "М", "Н", "О", "Р", "С", "Т", "У", "Х"];
            let c = |rng: &mut StdRng| cyr.choose(rng).copied().unwrap_or("А").to_string();
            format!(
                "{}{}{}{} {}",
                c(rng),
                d(rng, 3),
                c(rng),
                c(rng),
                [77, 56, 63, 55, 30, 154].choose(rng).unwrap_or(&77)
            )
        }
        "AZ" => format!(
            "{:02}-{}-{}",
            rng.gen_range(10..99),
            l(rng, 2, LAT),
            d(rng, 3)
        ),
        "TM" => format!("AG {} {}", d(rng, 4), l(rng, 2, LAT)),
        _ => format!("{}-{}", l(rng, 3, LAT), d(rng, 4)),
    }
}
