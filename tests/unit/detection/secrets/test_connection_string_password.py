"""CONNECTION_STRING_PASSWORD: the password (only) in database/broker URIs and key-value
connection strings."""

from __future__ import annotations

import pytest
from presidio_analyzer import AnalyzerEngine

from pipelines.detection.secrets.connection_string_password import (
    ConnectionStringPasswordRecognizer,
)
from tests.unit.detection.secrets.fakes import rand
from tests.unit.detection.secrets.helpers import (
    Negative,
    Positive,
    assert_prefilter_covers,
    matches,
    negative_params,
    positive_params,
    presidio_matches,
    secret_params,
)

ENTITY = ConnectionStringPasswordRecognizer.ENTITY
PW = rand(16)
PUNCT = rand(8) + "!#%^*" + rand(6)
BRACED = rand(8) + ";" + rand(6)  # braces let ODBC values contain semicolons

POSITIVES: list[Positive] = [
    ("postgres", f"DATABASE_URL=postgres://app:{PW}@db.internal:5432/app", PW, 0.9),
    ("postgresql-driver", f"postgresql+psycopg2://svc:{PW}@10.0.0.5/prod", PW, 0.9),
    ("mysql-jdbc", f"jdbc:mysql://root:{PW}@localhost:3306/shop?useSSL=true", PW, 0.9),
    ("mongodb-srv", f'MONGO_URI="mongodb+srv://admin:{PW}@cluster0.ab.mongodb.net/db"', PW, 0.9),
    ("redis-no-user", f"redis://:{PW}@cache:6379/0", PW, 0.9),
    ("rediss", f"rediss://default:{PW}@cache.example.net:6380", PW, 0.9),
    ("amqp", f"broker_url = 'amqp://guest:{PW}@rabbit:5672//'", PW, 0.9),
    ("colon-in-password", f"mysql://u:{(p := 'ab:' + rand(10))}@h/db", p, 0.9),
    ("weak-but-real", "postgres://postgres:postgres@localhost:5432/dev", "postgres", 0.9),
    ("punctuation", f"postgres://u:{PUNCT}@h/db", PUNCT, 0.9),
    ("uri-query", f"jdbc:postgresql://db:5432/app?user=app&password={PW}&ssl=true", PW, 0.8),
    (
        "ado-net",
        f"Server=tcp:sql.example.net,1433;Database=app;User ID=svc;Password={PW};Encrypt=True;",
        PW,
        0.8,
    ),
    ("ado-password-last", f"Data Source=db;Initial Catalog=app;User Id=sa;Password={PW}", PW, 0.8),
    ("ado-password-first", f"Password={PW};User ID=sa;Server=db", PW, 0.8),
    ("ado-spaces", "Server=db;User ID=sa;Password=correct horse battery;Timeout=30",
     "correct horse battery", 0.8),
    ("odbc-braces", f"DRIVER={{ODBC Driver 18}};SERVER=db;UID=sa;PWD={{{BRACED}}};", BRACED, 0.85),
    ("quoted", f'Host=db;Username=app;Password="{PW}";Database=x', PW, 0.8),
    ("jdbc-sqlserver", f"jdbc:sqlserver://db:1433;databaseName=a;user=sa;password={PW};", PW, 0.8),
]

NEGATIVES: list[Negative] = [
    ("no-userinfo", "postgres://db.internal:5432/app"),
    ("user-only", "postgres://app@db.internal:5432/app"),
    ("empty-password", "mysql://root:@localhost/db"),
    ("angle-placeholder", "postgres://user:<password>@localhost/db"),
    ("env-template", "postgres://user:${DB_PASSWORD}@localhost/db"),
    ("jinja-template", "Server=db;User=sa;Password={{ db_password }};"),
    ("masked", "mongodb://admin:********@cluster/db"),
    ("literal-word", "mysql://user:password@localhost:3306/db"),
    ("changeme", "Server=db;User ID=sa;Password=changeme;"),
    ("http-basic-auth", f"https://user:{PW}@example.com/path"),
    ("prose-password-equals", "set the field Password=hunter2 in the login form"),
    ("prose", "The connection string needs a password; ask the DBA for it."),
]


@pytest.fixture(scope="module")
def recognizer() -> ConnectionStringPasswordRecognizer:
    return ConnectionStringPasswordRecognizer()


@pytest.mark.parametrize(("text", "secret", "score"), positive_params(POSITIVES))
def test_finds_password_only(
    recognizer: ConnectionStringPasswordRecognizer, text: str, secret: str, score: float
) -> None:
    assert matches(recognizer, text) == {secret: pytest.approx(score)}


@pytest.mark.parametrize("text", negative_params(NEGATIVES))
def test_ignores_near_misses(recognizer: ConnectionStringPasswordRecognizer, text: str) -> None:
    assert matches(recognizer, text) == {}


@pytest.mark.parametrize(("text", "secret"), secret_params(POSITIVES))
def test_prefilter_covers(text: str, secret: str) -> None:
    assert_prefilter_covers(ConnectionStringPasswordRecognizer, text, secret)


@pytest.mark.parametrize(("text", "secret"), secret_params(POSITIVES))
def test_found_inside_presidio(analyzer: AnalyzerEngine, text: str, secret: str) -> None:
    assert secret in presidio_matches(analyzer, text, ENTITY)


@pytest.mark.parametrize("text", negative_params(NEGATIVES))
def test_presidio_ignores_near_misses(analyzer: AnalyzerEngine, text: str) -> None:
    assert presidio_matches(analyzer, text, ENTITY) == {}
