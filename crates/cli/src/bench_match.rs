//! `pamir bench match`: builds a matching index of generated persons and times queries
//! against it. Deterministic: the same seed gives the same persons and queries.
//!
//! Persons are written in Russian Cyrillic with surnames built from Central Asian, Caucasian
//! and Slavic roots (so there are tens of thousands of distinct surnames, as in real data), a
//! given name, a patronymic and a birth date. Queries are index persons as another agency
//! writes them (a passport, German or Uzbek Latin transliteration, reordered, a typo, a partial
//! birth date) and persons who are not in the index at all.

use std::{process::ExitCode, time::Instant};

use pamir_match::{Index, Record, Scratch, SearchOptions, DEFAULT_THRESHOLD};

use crate::bench::peak_rss_mb;
use rand::{rngs::StdRng, seq::SliceRandom, Rng, SeedableRng};

const ROOTS: &[&str] = &[
    "Кар",
    "Рас",
    "Тур",
    "Наз",
    "Шар",
    "Саф",
    "Абдулл",
    "Исма",
    "Мирз",
    "Джур",
    "Холм",
    "Курб",
    "Султ",
    "Ахм",
    "Усм",
    "Юлд",
    "Эрг",
    "Саид",
    "Рустам",
    "Зак",
    "Наб",
    "Файз",
    "Шук",
    "Кад",
    "Хак",
    "Гаф",
    "Рахм",
    "Один",
    "Сатт",
    "Ибраг",
    "Боб",
    "Давл",
    "Мам",
    "Токт",
    "Ас",
    "Абдык",
    "Бак",
    "Ат",
    "Берд",
    "Овез",
    "Чар",
    "Мур",
    "Нияз",
    "Анн",
    "Гас",
    "Гусейн",
    "Керим",
    "Джаф",
    "Иван",
    "Петр",
    "Смирн",
    "Кузнец",
    "Поп",
    "Сокол",
    "Волк",
    "Морозов",
    "Новик",
    "Козл",
    "Лебед",
    "Егор",
    "Павл",
    "Щербак",
    "Зайц",
    "Орл",
    "Андре",
    "Макар",
    "Захар",
    "Борис",
    "Нур",
    "Бек",
    "Жума",
    "Сеит",
    "Байжан",
    "Тохт",
    "Алим",
    "Хайд",
    "Шамс",
    "Зия",
    "Латып",
    "Кенж",
    "Мумин",
    "Норм",
    "Пулат",
    "Расул",
    "Соб",
    "Тилл",
    "Ум",
    "Хамид",
    "Шод",
    "Вали",
];
const MIDDLES: &[&str] = &[
    "", "а", "и", "у", "ан", "ил", "ин", "ар", "ур", "им", "ид", "он", "ал", "ат", "ек", "ир",
];
const ENDINGS: &[&str] = &[
    "ов",
    "ев",
    "ов",
    "ов",
    "ев",
    "бек",
    "беков",
    "заде",
    "зода",
    "ин",
];
const MALE: &[&str] = &[
    "Джамшид",
    "Фарход",
    "Рустам",
    "Шерзод",
    "Бахтиёр",
    "Улугбек",
    "Нурлан",
    "Ерлан",
    "Айдар",
    "Азамат",
    "Дамир",
    "Тимур",
    "Руслан",
    "Алишер",
    "Санжар",
    "Мухаммад",
    "Ибрагим",
    "Исмаил",
    "Юсуф",
    "Абдулла",
    "Хуршед",
    "Зафар",
    "Сухроб",
    "Фаррух",
    "Акмал",
    "Равшан",
    "Шухрат",
    "Бекзод",
    "Даврон",
    "Гайрат",
    "Мурат",
    "Берик",
    "Канат",
    "Максат",
    "Нурбек",
    "Бакыт",
    "Эмомали",
    "Саид",
    "Хасан",
    "Умар",
    "Усман",
    "Рахим",
    "Карим",
    "Довлет",
    "Мекан",
    "Сердар",
    "Бегенч",
    "Максуд",
    "Ойбек",
    "Жасур",
    "Достон",
    "Азиз",
    "Эльчин",
    "Вугар",
    "Рашид",
    "Эльдар",
    "Гусейн",
    "Али",
    "Фарид",
    "Рамиз",
    "Самир",
    "Анар",
    "Орхан",
    "Сергей",
    "Александр",
    "Дмитрий",
    "Андрей",
    "Алексей",
    "Евгений",
    "Юрий",
    "Михаил",
    "Николай",
    "Владимир",
    "Игорь",
    "Олег",
    "Максим",
    "Виктор",
    "Павел",
    "Иван",
    "Артём",
    "Кирилл",
    "Роман",
    "Денис",
    "Антон",
];
const FEMALE: &[&str] = &[
    "Гульнара",
    "Дильноза",
    "Мадина",
    "Зарина",
    "Нигора",
    "Шахноза",
    "Айгуль",
    "Айжан",
    "Динара",
    "Камила",
    "Малика",
    "Наргиза",
    "Фатима",
    "Зайнаб",
    "Мохира",
    "Феруза",
    "Саодат",
    "Лола",
    "Нилуфар",
    "Айна",
    "Лейла",
    "Гюнай",
    "Айтен",
    "Нигяр",
    "Елена",
    "Ольга",
    "Наталья",
    "Ирина",
    "Татьяна",
    "Анна",
    "Мария",
    "Светлана",
    "Юлия",
    "Екатерина",
];

struct Person {
    surname: String,
    given: &'static str,
    patronymic: String,
    birth: (u16, u8, u8),
}

fn person(rng: &mut StdRng) -> Person {
    let female = rng.gen_bool(0.3);
    let mut surname = format!(
        "{}{}{}",
        ROOTS.choose(rng).copied().unwrap_or("Кар"),
        MIDDLES.choose(rng).copied().unwrap_or(""),
        ENDINGS.choose(rng).copied().unwrap_or("ов")
    );
    if female && (surname.ends_with("ов") || surname.ends_with("ев") || surname.ends_with("ин"))
    {
        surname.push('а');
    }
    let father = MALE.choose(rng).copied().unwrap_or("Рустам");
    let patronymic = match father.strip_suffix('й') {
        Some(stem) => format!("{stem}{}", if female { "евна" } else { "евич" }),
        None => format!("{father}{}", if female { "овна" } else { "ович" }),
    };
    Person {
        surname,
        given: (if female { FEMALE } else { MALE })
            .choose(rng)
            .copied()
            .unwrap_or("Рустам"),
        patronymic,
        birth: (
            rng.gen_range(1940..2006),
            rng.gen_range(1..=12),
            rng.gen_range(1..=28),
        ),
    }
}

/// Russian Cyrillic in one of three Latin habits: a passport (ICAO 9303), German, Uzbek.
fn latin(text: &str, habit: u8) -> String {
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let upper = c.is_uppercase();
        let low = c.to_lowercase().next().unwrap_or(c);
        if low == 'д' && chars.get(i + 1) == Some(&'ж') {
            out.push_str(match (habit, upper) {
                (0, true) => "Dzh",
                (0, false) => "dzh",
                (1, true) => "Dsch",
                (1, false) => "dsch",
                (_, true) => "J",
                (_, false) => "j",
            });
            i += 2;
            continue;
        }
        let s: &str = match (low, habit) {
            ('а', _) => "a",
            ('б', _) => "b",
            ('в', 1) => "w",
            ('в', _) => "v",
            ('г', _) => "g",
            ('д', _) => "d",
            ('е' | 'э', _) => "e",
            ('ё', 1) => "jo",
            ('ё', _) => "yo",
            ('ж', 0) => "zh",
            ('ж', 1) => "sch",
            ('ж', _) => "j",
            ('з', 1) => "s",
            ('з', _) => "z",
            ('и', _) => "i",
            ('й', 0) => "i",
            ('й', 1) => "j",
            ('й', _) => "y",
            ('к', _) => "k",
            ('л', _) => "l",
            ('м', _) => "m",
            ('н', _) => "n",
            ('о', _) => "o",
            ('п', _) => "p",
            ('р', _) => "r",
            ('с', _) => "s",
            ('т', _) => "t",
            ('у', _) => "u",
            ('ф', _) => "f",
            ('х', 0) => "kh",
            ('х', 1) => "ch",
            ('х', _) => "x",
            ('ц', 1) => "z",
            ('ц', _) => "ts",
            ('ч', 1) => "tsch",
            ('ч', _) => "ch",
            ('ш', 1) => "sch",
            ('ш', _) => "sh",
            ('щ', 1) => "schtsch",
            ('щ', _) => "shch",
            ('ы', _) => "y",
            ('ъ' | 'ь', _) => "",
            ('ю', 0) => "iu",
            ('ю', 1) => "ju",
            ('ю', _) => "yu",
            ('я', 0) => "ia",
            ('я', 1) => "ja",
            ('я', _) => "ya",
            _ => {
                out.push(c);
                i += 1;
                continue;
            }
        };
        if upper {
            let mut cs = s.chars();
            if let Some(f) = cs.next() {
                out.extend(f.to_uppercase());
                out.push_str(cs.as_str());
            }
        } else {
            out.push_str(s);
        }
        i += 1;
    }
    out
}

fn typo(word: &str, rng: &mut StdRng) -> String {
    let mut chars: Vec<char> = word.chars().collect();
    if chars.len() < 5 {
        return word.to_string();
    }
    let i = rng.gen_range(1..chars.len() - 1);
    match rng.gen_range(0..3) {
        0 => {
            chars.remove(i);
        }
        1 => chars.swap(i, i + 1),
        _ => chars[i] = if chars[i] == 'a' { 'o' } else { 'a' },
    }
    chars.into_iter().collect()
}

fn record(name: &str, birth: &str) -> Record {
    Record {
        kind: Some(pamir_match::Kind::Person),
        names: vec![name.to_string()],
        birth_dates: vec![birth.to_string()],
        ..Default::default()
    }
}

fn date((y, m, d): (u16, u8, u8)) -> String {
    format!("{y:04}-{m:02}-{d:02}")
}

pub fn run(persons: usize, queries: usize, seed: u64, threads: usize) -> anyhow::Result<ExitCode> {
    let baseline = peak_rss_mb();
    let mut rng = StdRng::seed_from_u64(seed);
    // Every tenth index person is remembered as a query source.
    let mut sources: Vec<(usize, Person)> = Vec::new();
    let mut index = Index::new();
    let started = Instant::now();
    let mut generating = 0.0f64;
    for n in 0..persons {
        let t = Instant::now();
        let p = person(&mut rng);
        let name = format!("{} {} {}", p.surname, p.given, p.patronymic);
        let r = record(&name, &date(p.birth));
        generating += t.elapsed().as_secs_f64();
        index.insert(&format!("p{n}"), &r);
        if n % 10 == 0 && sources.len() < queries {
            sources.push((n, p));
        }
        if n > 0 && n % 200_000 == 0 {
            eprintln!("  indexed {n} persons ...");
        }
    }
    index.shrink();
    let build = started.elapsed().as_secs_f64() - generating;
    let after_build = peak_rss_mb();
    // Queries: 80 % index persons as another agency writes them, 20 % unknown persons.
    let mut qs: Vec<(Option<String>, Record)> = Vec::with_capacity(queries);
    sources.shuffle(&mut rng);
    for k in 0..queries {
        if k % 5 == 4 || sources.is_empty() {
            let p = person(&mut rng);
            let name = format!("{} {}", latin(&p.surname, 0), latin(p.given, 0));
            qs.push((None, record(&name, &date(p.birth))));
            continue;
        }
        let (n, p) = &sources[k % sources.len()];
        let habit = rng.gen_range(0..3u8);
        let mut surname = latin(&p.surname, habit);
        if rng.gen_bool(0.2) {
            surname = typo(&surname, &mut rng);
        }
        let given = latin(p.given, habit);
        let name = match rng.gen_range(0..4) {
            0 => format!("{given} {surname}"),
            1 => format!("{surname} {given}"),
            2 => format!("{} {given} {surname}", latin(&p.patronymic, habit)),
            _ => format!("{surname} {given} {}", latin(&p.patronymic, habit)),
        };
        let birth = if rng.gen_bool(0.3) {
            format!("{:04}", p.birth.0)
        } else {
            date(p.birth)
        };
        qs.push((Some(format!("p{n}")), record(&name, &birth)));
    }
    let options = SearchOptions {
        top: 5,
        threshold: DEFAULT_THRESHOLD,
        exclude: None,
    };
    let threads = threads.max(1);
    let chunk = qs.len().div_ceil(threads).max(1);
    let started = Instant::now();
    let results: Vec<(Vec<f64>, usize, usize)> = std::thread::scope(|s| {
        let handles: Vec<_> = qs
            .chunks(chunk)
            .map(|part| {
                let index = &index;
                s.spawn(move || {
                    let mut scratch = Scratch::default();
                    let mut latencies = Vec::with_capacity(part.len());
                    let (mut found, mut positives) = (0usize, 0usize);
                    for (expected, r) in part {
                        let t = Instant::now();
                        let matches = index
                            .prepare(r)
                            .map(|p| index.search(&p, &options, &mut scratch))
                            .unwrap_or_default();
                        latencies.push(t.elapsed().as_secs_f64() * 1000.0);
                        if let Some(e) = expected {
                            positives += 1;
                            if matches.first().is_some_and(|m| &m.id == e) {
                                found += 1;
                            }
                        }
                    }
                    (latencies, found, positives)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });
    let secs = started.elapsed().as_secs_f64();
    let mut latencies: Vec<f64> = results.iter().flat_map(|r| r.0.iter().copied()).collect();
    latencies.sort_by(f64::total_cmp);
    let pct = |p: f64| {
        latencies
            .get(((latencies.len() as f64 * p) as usize).min(latencies.len().saturating_sub(1)))
            .copied()
            .unwrap_or(0.0)
    };
    let found: usize = results.iter().map(|r| r.1).sum();
    let positives: usize = results.iter().map(|r| r.2).sum();
    println!("pamir bench match: {persons} index persons, {queries} queries, {threads} threads, seed {seed}");
    println!(
        "index build     {build:>9.1} s   ({:.0} persons/s; {} distinct words)",
        persons as f64 / build.max(1e-9),
        index.words()
    );
    println!(
        "index memory    {:>9.0} MB  (peak RSS after build {:.0} MB, before {:.0} MB)",
        after_build - baseline,
        after_build,
        baseline
    );
    println!(
        "queries         {secs:>9.2} s   ({:.0} queries/s)",
        queries as f64 / secs.max(1e-9)
    );
    println!(
        "latency         p50 {:.2} ms   p99 {:.2} ms   max {:.2} ms",
        pct(0.5),
        pct(0.99),
        latencies.last().copied().unwrap_or(0.0)
    );
    println!(
        "found           {found}/{positives} known persons at rank 1 ({:.3})",
        found as f64 / positives.max(1) as f64
    );
    println!("peak RSS        {:>9.0} MB", peak_rss_mb());
    Ok(ExitCode::SUCCESS)
}
