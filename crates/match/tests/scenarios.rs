//! The matcher through its public interface: FtM records in, matches with explanations out.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use pamir_match::{compare, Index, Record, Scratch, SearchOptions, SimCache, DEFAULT_THRESHOLD};
use proptest::prelude::*;
use serde_json::{json, Value};

fn record(value: Value) -> Record {
    Record::from_ftm_json(&value).unwrap().1.unwrap()
}

fn person(name: &str, birth: &str) -> Record {
    record(
        json!({"id": "x", "schema": "Person", "properties": {"name": [name], "birthDate": [birth]}}),
    )
}

fn score(a: &Record, b: &Record) -> (f32, String) {
    let index = Index::new();
    let (pa, pb) = (index.prepare(a).unwrap(), index.prepare(b).unwrap());
    let c = compare(&pa, &pb, &mut SimCache::default()).unwrap();
    (c.score, c.explanation)
}

fn matches(a: &Record, b: &Record) -> bool {
    score(a, b).0 >= DEFAULT_THRESHOLD
}

#[test]
fn one_man_in_five_spellings() {
    let tajik = person("Ҳасанов Ҷамшед Рустамович", "1985-03-14");
    for (name, birth) in [
        ("Xasanov Jamshid Rustam oʻgʻli", "1985-03-14"),
        ("KHASANOV DZHAMSHED", "1985-03-14"),
        ("Hasanov Jamshed", "1985"),
        ("Jamschid Chasanow", "14.03.1985"),
        ("Хасанов Джамшид Рустамович", "1985-14-03"),
        ("Hasanov J. R.", "1985-03-14"),
    ] {
        let (s, why) = score(&tajik, &person(name, birth));
        assert!(s >= DEFAULT_THRESHOLD, "{name}: {s} ({why})");
    }
}

#[test]
fn brothers_fathers_and_sisters_are_not_him() {
    let him = person("Karimov Jamshid Rustamovich", "1985-03-14");
    for (name, birth) in [
        ("Karimov Farhod Rustamovich", "1988-07-02"),  // brother
        ("Karimov Rustam Olimovich", "1960-01-20"),    // father
        ("Karimova Dilnoza Rustamovna", "1985-03-14"), // sister, a twin even
        ("Karimov Jamshid Rustamovich", "1971-11-30"), // namesake
    ] {
        let (s, why) = score(&him, &person(name, birth));
        assert!(s < DEFAULT_THRESHOLD, "{name} {birth}: {s} ({why})");
    }
}

#[test]
fn explanations_say_why() {
    let (_, why) = score(
        &person("Қурбонов Алишер", "1990-05-03"),
        &person("Kurbonov Alisher", "1990-03-05"),
    );
    assert!(
        why.contains("transliteration match Қурбонов ~ Kurbonov"),
        "{why}"
    );
    assert!(why.contains("day and month swapped"), "{why}");
    let (_, why) = score(
        &person("Ivanov Petr", "1970"),
        &person("Ivanova Petra", "1970"),
    );
    assert!(why.contains("gender: male ~ female"), "{why}");
}

#[test]
fn organisations_without_legal_forms_and_by_number() {
    let a = record(
        json!({"id": "a", "schema": "Company", "properties": {"name": ["ТОО «Арлан Транс Логистик»"], "registrationNumber": ["120340012345"]}}),
    );
    let b = record(
        json!({"id": "b", "schema": "Company", "properties": {"name": ["Arlan Trans Logistic LLP"]}}),
    );
    let c = record(
        json!({"id": "c", "schema": "Organization", "properties": {"name": ["Other Name"], "registrationNumber": ["1203 4001 2345"]}}),
    );
    let d = record(
        json!({"id": "d", "schema": "Company", "properties": {"name": ["Arlan Trans Logistic"], "registrationNumber": ["990011223344"]}}),
    );
    assert!(matches(&a, &b), "{:?}", score(&a, &b));
    assert!(matches(&a, &c), "{:?}", score(&a, &c));
    assert!(
        !matches(&a, &d),
        "different registration numbers: {:?}",
        score(&a, &d)
    );
}

#[test]
fn vehicles_by_plate_and_vin() {
    let a = record(
        json!({"id": "a", "schema": "Vehicle", "properties": {"registrationNumber": ["123 АВС 02"], "vin": ["1M8GDM9AXKP042788"]}}),
    );
    let b = record(
        json!({"id": "b", "schema": "Vehicle", "properties": {"registrationNumber": ["123ABC02"]}}),
    );
    let c = record(
        json!({"id": "c", "schema": "Vehicle", "properties": {"vin": ["1m8gdm9axkp042788"]}}),
    );
    let d = record(
        json!({"id": "d", "schema": "Vehicle", "properties": {"registrationNumber": ["123ABC02"], "vin": ["2HGFA16598H512345"]}}),
    );
    assert!(matches(&a, &b));
    assert!(matches(&a, &c));
    assert!(
        !matches(&a, &d),
        "same plate, other VIN: {:?}",
        score(&a, &d)
    );
}

#[test]
fn persons_by_document_and_phone() {
    let a = record(
        json!({"id": "a", "schema": "Person", "properties": {"name": ["Rahimov Said"], "passportNumber": ["N 1234567"], "nationality": ["tj"], "phone": ["93 555 1234"]}}),
    );
    let b = record(
        json!({"id": "b", "schema": "Person", "properties": {"name": ["Рахимов Саид"], "passportNumber": ["N1234567"]}}),
    );
    let c = record(
        json!({"id": "c", "schema": "Person", "properties": {"name": ["Raximov Said"], "phone": ["+992 93 555-12-34"]}}),
    );
    let (s, why) = score(&a, &b);
    assert!(
        s > 0.9 && why.contains("passport number: same"),
        "{s} {why}"
    );
    let (s, why) = score(&a, &c);
    assert!(why.contains("phone: same"), "{s} {why}");
}

#[test]
fn index_search_ranks_the_right_record_first_and_follows_changes() {
    let mut index = Index::new();
    let people = [
        ("kz-1", "Нурланов Ерлан Бакытұлы", "1979-02-11"),
        ("kz-2", "Нурланова Айгүл Бакытқызы", "1981-06-30"),
        ("tj-1", "Ҳакимов Фаррух Саидович", "1992-12-01"),
        ("uz-1", "Hakimov Farrux Said oʻgʻli", "1964-04-04"),
        ("ru-1", "Щербаков Дмитрий Юрьевич", "1975-09-09"),
    ];
    for (id, name, birth) in people {
        assert!(index.insert(id, &person(name, birth)));
    }
    let options = SearchOptions {
        top: 5,
        threshold: DEFAULT_THRESHOLD,
        exclude: None,
    };
    let mut scratch = Scratch::default();
    let search = |index: &Index, scratch: &mut Scratch, name: &str, birth: &str| {
        let q = index.prepare(&person(name, birth)).unwrap();
        index.search(&q, &options, scratch)
    };
    let found = search(&index, &mut scratch, "NURLANOV ERLAN", "1979");
    assert_eq!(
        found.first().map(|m| m.id.as_str()),
        Some("kz-1"),
        "{found:?}"
    );
    let found = search(&index, &mut scratch, "Khakimov Farrukh", "1992-12-01");
    assert_eq!(
        found.iter().map(|m| m.id.as_str()).collect::<Vec<_>>(),
        vec!["tj-1"]
    );
    let found = search(
        &index,
        &mut scratch,
        "Shcherbakov Dmitriy Yurevich",
        "1975-09-09",
    );
    assert_eq!(found.first().map(|m| m.id.as_str()), Some("ru-1"));
    // A change moves the record; a removal takes it away.
    index.insert("ru-1", &person("Petrov Ivan", "1950"));
    assert!(search(&index, &mut scratch, "Shcherbakov Dmitriy", "1975-09-09").is_empty());
    assert!(index.remove("tj-1"));
    assert!(search(&index, &mut scratch, "Khakimov Farrukh", "1992-12-01").is_empty());
    assert_eq!(index.len(), 4);
}

#[test]
fn records_without_anything_to_match_are_refused_not_panicked_on() {
    let mut index = Index::new();
    assert!(!index.insert("a", &person("!!! ...", "")));
    assert!(!index.insert("b", &person("", "not a date")));
    let passport = record(json!({"id": "p", "schema": "Person", "properties": {}}));
    assert!(!index.insert("c", &passport));
    assert!(Record::from_ftm_json(&json!({"schema": "Person"})).is_err());
    let (_, none) = Record::from_ftm_json(&json!({"id": "x", "schema": "Passport"})).unwrap();
    assert!(none.is_none(), "schemata that are not matched are not read");
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-zA-Zа-яА-Яқғңөұүһҳҷӣӯәіşçğöüıýňžšč '\\-ʻ’.]{0,40}",
        "[\\p{Arabic}\\p{Hebrew}\\p{Han} 😀🚀\\u{202E}\\u{200F}]{0,20}",
        Just("A".repeat(10_000)),
        Just("Иван ".repeat(2_000)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Whatever the text and dates, reading, comparing and searching never panic and scores
    /// stay in [0, 1].
    #[test]
    fn any_input_is_read_and_scored(a in any_text(), b in any_text(), d1 in any_text(), d2 in "[0-9.\\-/]{0,12}") {
        let mut index = Index::new();
        let ra = person(&a, &d1);
        let rb = person(&b, &d2);
        index.insert("a", &ra);
        if let (Some(pa), Some(pb)) = (index.prepare(&ra), index.prepare(&rb)) {
            let c = compare(&pa, &pb, &mut SimCache::default()).unwrap();
            prop_assert!((0.0..=1.0).contains(&c.score));
            let found = index.search(&pb, &SearchOptions { top: 3, threshold: 0.0, exclude: None }, &mut Scratch::default());
            for m in found {
                prop_assert!((0.0..=1.0).contains(&m.score));
            }
        }
    }

    /// A record matches itself — above the threshold, and at least as well as anything else
    /// matches it — and comparison is symmetric in its score. (Two random words are not always
    /// two names: `uLU` is the Kyrgyz "son of", so `ab uLU` is one name word, which is weak
    /// evidence even against itself; words that are all particles leave nothing to match on.)
    #[test]
    fn self_match_and_symmetry(a in "[A-Za-zА-Яа-я]{2,12} [A-Za-zА-Яа-я]{2,12}", b in "[A-Za-zА-Яа-я]{2,12} [A-Za-zА-Яа-я]{2,12}") {
        let index = Index::new();
        let (ra, rb) = (person(&a, "1980-01-02"), person(&b, "1980-01-02"));
        let (Some(pa), Some(pb)) = (index.prepare(&ra), index.prepare(&rb)) else {
            return Ok(());
        };
        let mut cache = SimCache::default();
        let mut s = |x, y| compare(x, y, &mut cache).unwrap().score;
        let itself = s(&pa, &pa);
        prop_assert!(itself >= DEFAULT_THRESHOLD, "{a:?} scores {itself} against itself");
        let (ab, ba) = (s(&pa, &pb), s(&pb, &pa));
        prop_assert!((ab - ba).abs() < 0.02, "{} vs {}", ab, ba);
        prop_assert!(itself + 1e-6 >= ab, "{a:?} matches {b:?} ({ab}) better than itself ({itself})");
    }
}
