-- Names of countries and agencies by language code, as a JSON object ({"en": …, "ru": …}), so
-- that a third language is more names, never another column in every table.
ALTER TABLE countries ADD COLUMN names TEXT NOT NULL DEFAULT '{}';
UPDATE countries SET names = json_object('en', name_en, 'ru', name_ru);
ALTER TABLE countries DROP COLUMN name_en;
ALTER TABLE countries DROP COLUMN name_ru;
ALTER TABLE agencies ADD COLUMN names TEXT NOT NULL DEFAULT '{}';
UPDATE agencies SET names = json_object('en', name_en, 'ru', name_ru);
ALTER TABLE agencies DROP COLUMN name_en;
ALTER TABLE agencies DROP COLUMN name_ru;
