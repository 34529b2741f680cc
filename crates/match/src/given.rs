//! Given names that are one name in several languages' spellings (Muhammad, Mukhammad,
//! Magomed, Mamed; Yusuf, Yusup, Iosif is *not* one of them). Each class is listed by a few
//! spellings; every phonetic form of every spelling leads to the class, so further
//! transliterations of a listed spelling are found too.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::normalise::phonetic;

const CLASSES: &[&[&str]] = &[
    &[
        "muhammad",
        "mohammed",
        "muhammed",
        "mukhammad",
        "magomed",
        "magometh",
        "mahammad",
        "mamed",
        "muhammet",
        "mukhamed",
        "muhamed",
        "mohamad",
        "muhamad",
        "мухаммад",
        "магомед",
        "мухаммед",
        "мамед",
        "мухамед",
        "махаммад",
        "muhammadjon",
        "мухаммаджон",
    ],
    &[
        "ahmad",
        "akhmad",
        "ahmed",
        "akhmed",
        "ahmet",
        "ahmat",
        "ахмад",
        "ахмед",
        "ахмет",
    ],
    &[
        "ibrahim",
        "ibragim",
        "ibrohim",
        "ybraýym",
        "ибрагим",
        "иброхим",
        "ибрахим",
    ],
    &[
        "ismail",
        "ismoil",
        "ismayil",
        "ysmaýyl",
        "исмаил",
        "исмоил",
        "исмаиль",
    ],
    &[
        "yusuf",
        "yusup",
        "jusup",
        "yusif",
        "iusuf",
        "юсуф",
        "юсуп",
        "юсиф",
        "жусуп",
    ],
    &["umar", "omar", "умар", "омар"],
    &["usman", "osman", "usmon", "усман", "осман", "усмон"],
    &["abdulla", "abdullah", "abdullo", "абдулла", "абдулло"],
    &[
        "abdurahman",
        "abdurakhman",
        "abdurahmon",
        "abdurrahman",
        "абдурахман",
        "абдурахмон",
    ],
    &["rahman", "rakhman", "rahmon", "raxmon", "рахман", "рахмон"],
    &["rahim", "rakhim", "ragim", "rahym", "рахим", "рагим"],
    &["karim", "kerim", "карим", "керим"],
    &[
        "hasan",
        "khasan",
        "hassan",
        "gasan",
        "hasen",
        "хасан",
        "гасан",
    ],
    &[
        "husein",
        "hussein",
        "husain",
        "huseyn",
        "guseyn",
        "khusein",
        "hüseyin",
        "хусейн",
        "гусейн",
        "хусайн",
    ],
    &["ali", "aly", "али"],
    &["aliya", "aliia", "алия"],
    &["yakub", "yakup", "yaqub", "jakub", "якуб", "якуп", "ёкуб"],
    &[
        "suleiman",
        "sulaiman",
        "suleyman",
        "sulayman",
        "sulaymon",
        "сулейман",
        "сулаймон",
    ],
    &["timur", "temur", "temir", "тимур", "темур", "темир"],
    &[
        "bahodir",
        "bakhodir",
        "bahadur",
        "bagadir",
        "bakhadyr",
        "bahadyr",
        "баходир",
        "бахадыр",
        "багадир",
        "бахадур",
    ],
    &["farhod", "farkhod", "farhad", "farkhad", "фарход", "фархад"],
    &[
        "jamshid",
        "jamshed",
        "dzhamshed",
        "dzhamshid",
        "джамшед",
        "джамшид",
        "ҷамшед",
    ],
    &[
        "khurshed",
        "khurshid",
        "hurshid",
        "xurshid",
        "хуршед",
        "хуршид",
    ],
    &["shavkat", "shovkat", "шавкат", "шовкат"],
    &["nurlan", "нурлан"],
    &["ruslan", "руслан"],
    &["rustam", "rustem", "рустам", "рустем"],
    &["said", "sayid", "saiid", "sayed", "саид", "сайид"],
    &["sharif", "sherif", "шариф", "шериф"],
    &["daniyar", "daniiar", "данияр"],
    &["iskander", "iskandar", "искандер", "искандар"],
    &[
        "aleksandr",
        "alexander",
        "alexandre",
        "oleksandr",
        "александр",
        "олександр",
    ],
    &[
        "sergei",
        "sergey",
        "sergiy",
        "serhiy",
        "sergii",
        "сергей",
        "сергій",
    ],
    &["dmitry", "dmitriy", "dmitrii", "dimitri", "дмитрий"],
    &["mikhail", "michael", "mikhael", "mihail", "михаил"],
    &["nikolai", "nikolay", "nicholas", "nicolas", "николай"],
    &["pyotr", "petr", "peter", "piotr", "пётр", "петр"],
    &[
        "yevgeny",
        "evgeny",
        "evgeniy",
        "yevgeniy",
        "eugene",
        "евгений",
    ],
    &["georgy", "georgiy", "george", "georgii", "георгий"],
    &["ilya", "ilia", "ilyas", "ilias", "илья", "ильяс"],
    &["yuri", "yuriy", "yury", "iurii", "юрий"],
    &["vladimir", "wladimir", "владимир"],
    &["ivan", "иван"],
    &["andrei", "andrey", "andrew", "андрей"],
    &["musa", "muso", "муса", "мусо"],
    &["isa", "iso", "иса", "исо"],
    &["zakir", "zokir", "закир", "зокир"],
    &["nasir", "nosir", "насир", "носир"],
    &["sabir", "sobir", "сабир", "собир"],
    &["salim", "saleem", "салим"],
    &["anvar", "anwar", "анвар"],
    &["fatima", "fotima", "patimat", "фатима", "фотима", "патимат"],
    &["zainab", "zaynab", "zeynab", "зайнаб", "зейнаб"],
    &["gulnara", "гульнара"],
    &["dilnoza", "дильноза", "дилноза"],
    &["yelena", "elena", "helen", "елена"],
    &["yekaterina", "ekaterina", "catherine", "екатерина"],
];

fn table() -> &'static HashMap<String, u16> {
    static TABLE: OnceLock<HashMap<String, u16>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut map = HashMap::new();
        for (class, spellings) in CLASSES.iter().enumerate() {
            let class = u16::try_from(class).unwrap_or(u16::MAX);
            for spelling in spellings.iter() {
                for form in phonetic(spelling) {
                    map.entry(form).or_insert(class);
                }
            }
        }
        map
    })
}

/// The class of a given name, from one of its phonetic forms.
pub fn given_class(form: &str) -> Option<u16> {
    table().get(form).copied()
}

/// Whether a phonetic form is a known given name.
pub fn is_known_given(form: &str) -> bool {
    given_class(form).is_some()
}
