//! Places, trafficking routes, substances, packaging, concealment and car models the demo's
//! seizures are drawn from.

pub(super) struct Place {
    pub(super) country: &'static str,
    pub(super) name: &'static str,
    pub(super) lat: f64,
    pub(super) lon: f64,
}

pub(super) const fn place(country: &'static str, name: &'static str, lat: f64, lon: f64) -> Place {
    Place {
        country,
        name,
        lat,
        lon,
    }
}

pub(super) const PLACES: &[Place] = &[
    place("TJ", "Нижний Пяндж", 37.20, 68.60),
    place("TJ", "Хорог", 37.49, 71.55),
    place("TJ", "Ишкашим", 36.73, 71.61),
    place("TJ", "Душанбе", 38.56, 68.77),
    place("TJ", "Худжанд", 40.28, 69.62),
    place("TJ", "Кулоб", 37.91, 69.78),
    place("KG", "Ош", 40.51, 72.80),
    place("KG", "Баткен", 40.06, 70.82),
    place("KG", "Бишкек", 42.87, 74.59),
    place("KG", "Каракол", 42.49, 78.39),
    place("KZ", "Кордай", 43.04, 74.71),
    place("KZ", "Алматы", 43.24, 76.89),
    place("KZ", "Шымкент", 42.34, 69.59),
    place("KZ", "Жибек Жолы", 41.24, 69.41),
    place("KZ", "Астана", 51.17, 71.43),
    place("KZ", "Актау", 43.65, 51.16),
    place("KZ", "Хоргос", 44.21, 80.41),
    place("UZ", "Termiz", 37.22, 67.28),
    place("UZ", "Toshkent", 41.30, 69.24),
    place("UZ", "Samarqand", 39.65, 66.96),
    place("UZ", "Andijon", 40.78, 72.34),
    place("UZ", "Nukus", 42.46, 59.60),
    place("RU", "Оренбург", 51.77, 55.10),
    place("RU", "Самара", 53.20, 50.15),
    place("RU", "Москва", 55.76, 37.62),
    place("RU", "Омск", 54.99, 73.37),
    place("RU", "Астрахань", 46.35, 48.04),
    place("RU", "Новосибирск", 55.03, 82.92),
    place("TM", "Aşgabat", 37.95, 58.38),
    place("TM", "Türkmenbaşy", 40.02, 52.96),
    place("TM", "Serhetabat", 35.28, 62.35),
    place("AZ", "Bakı", 40.41, 49.87),
    place("AZ", "Astara", 38.46, 48.87),
    place("AZ", "Ələt", 39.94, 49.41),
];

pub(super) struct Route {
    pub(super) name: &'static str,
    pub(super) origin: &'static str,
    pub(super) transit: &'static [&'static str],
    pub(super) destination: &'static str,
    pub(super) substances: &'static [(&'static str, &'static str, &'static str)],
    pub(super) weight: u32,
}

/// (substance, drug group, unit)
pub(super) const OPIATES: &[(&str, &str, &str)] = &[
    ("героин", "opiates", "kg"),
    ("опий", "opiates", "kg"),
    ("heroin", "opiates", "kg"),
];
pub(super) const CANNABIS: &[(&str, &str, &str)] =
    &[("гашиш", "cannabis", "kg"), ("марихуана", "cannabis", "kg")];
pub(super) const SYNTHETICS: &[(&str, &str, &str)] = &[
    ("мефедрон", "nps", "kg"),
    ("альфа-PVP", "nps", "g"),
    ("метамфетамин", "ats", "kg"),
    ("синтетические каннабиноиды", "nps", "g"),
    ("MDMA", "ats", "tablets"),
];
pub(super) const PRECURSORS: &[(&str, &str, &str)] = &[
    ("уксусный ангидрид", "precursors", "l"),
    ("1-фенил-2-нитропропен", "precursors", "kg"),
    ("2-бром-4-метилпропиофенон", "precursors", "kg"),
];

pub(super) const ROUTES: &[Route] = &[
    Route {
        name: "northern (TJ-KG-KZ)",
        origin: "AF",
        transit: &["TJ", "KG", "KZ"],
        destination: "RU",
        substances: OPIATES,
        weight: 30,
    },
    Route {
        name: "northern (TJ-UZ-KZ)",
        origin: "AF",
        transit: &["TJ", "UZ", "KZ"],
        destination: "RU",
        substances: OPIATES,
        weight: 18,
    },
    Route {
        name: "hashish (AF-TJ-UZ)",
        origin: "AF",
        transit: &["TJ", "UZ"],
        destination: "KZ",
        substances: CANNABIS,
        weight: 12,
    },
    Route {
        name: "Caspian (TM-AZ)",
        origin: "AF",
        transit: &["TM", "AZ"],
        destination: "RU",
        substances: OPIATES,
        weight: 10,
    },
    Route {
        name: "Caspian (KZ-Aktau)",
        origin: "AF",
        transit: &["TM", "KZ"],
        destination: "RU",
        substances: OPIATES,
        weight: 6,
    },
    Route {
        name: "Caucasus (IR-AZ)",
        origin: "IR",
        transit: &["AZ"],
        destination: "RU",
        substances: OPIATES,
        weight: 8,
    },
    Route {
        name: "synthetics (online)",
        origin: "RU",
        transit: &["KZ"],
        destination: "KG",
        substances: SYNTHETICS,
        weight: 10,
    },
    Route {
        name: "synthetics (UZ)",
        origin: "KZ",
        transit: &[],
        destination: "UZ",
        substances: SYNTHETICS,
        weight: 4,
    },
    Route {
        name: "precursors (CN)",
        origin: "CN",
        transit: &["KZ", "KG"],
        destination: "TJ",
        substances: PRECURSORS,
        weight: 6,
    },
];

pub(super) const PACKAGING: &[&str] = &[
    "полиэтиленовые свёртки",
    "брикеты в вакуумной упаковке",
    "капсулы",
    "пластиковые канистры",
    "zip-пакеты",
    "мешки",
];
pub(super) const CONCEALMENT: &[&str] = &[
    "в запасном колесе",
    "в тайнике топливного бака",
    "среди груза лука",
    "в двойном дне чемодана",
    "внутриполостно (проглоченные капсулы)",
    "в грузе сухофруктов",
    "закладка (тайник) в городе",
    "в почтовом отправлении",
    "в бамперах автомашины",
    "в контейнере с химической продукцией",
];

pub(super) const CAR_MODELS: &[&str] = &[
    "Toyota Camry",
    "Lada Priora",
    "Daewoo Nexia",
    "Chevrolet Cobalt",
    "MAN TGX",
    "KAMAZ 5490",
    "Mercedes-Benz Actros",
    "Toyota Land Cruiser",
    "Hyundai Porter",
    "Volvo FH",
];
