-- Databases beside rasa's tracker store (POSTGRES_DB): the SQL event broker's own table lives in
-- rasa_events (it is also called "events"), the profile service in profiles, the console in console.
CREATE DATABASE rasa_events;
CREATE DATABASE profiles;
CREATE DATABASE console;
