"""SentimentAnalyzer: create -> train -> load -> process in four languages, model selection."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from assistant.components.sentiment_analyzer import SentimentAnalyzer
from assistant.components.sentiment_model import (
    SHIPPED_LEXICON,
    Example,
    Lexicon,
    LinearSentimentModel,
)
from tests.unit.components.support import round_trip

NO_EXTENDED = "does/not/exist"


def storage_dir(tmp_path: Path) -> Path:
    """An empty directory for a model storage."""
    path = tmp_path / "storage"
    path.mkdir()
    return path


@pytest.fixture(scope="module")
def analyzer(tmp_path_factory: pytest.TempPathFactory) -> SentimentAnalyzer:
    """The component after create -> train (default model) -> load."""
    return round_trip(
        SentimentAnalyzer,
        tmp_path_factory.mktemp("sentiment_storage"),
        {"extended_model_dir": NO_EXTENDED},
    )


def sentiment(component: SentimentAnalyzer, text: Any, **attributes: Any) -> dict[str, Any]:
    message = Message(data={TEXT: text, **attributes})
    component.process([message])
    return message.get("sentiment")


# fresh sentences (not in assistant/sentiment/train.tsv)
@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("This is absolutely terrible, I want my money back", "en", "negative"),
        ("the parcel never arrived and support ignores me", "en", "negative"),
        ("Thank you, the shoes are perfect!", "en", "positive"),
        ("I love this jacket, great quality", "en", "positive"),
        ("Do you have this shirt in medium?", "en", "neutral"),
        ("How long does delivery to Spain take?", "en", "neutral"),
        ("Estoy muy enfadado, el pedido llegó roto", "es", "negative"),
        ("Una estafa, no compréis aquí", "es", "negative"),
        ("¡Muchas gracias, me encanta el vestido!", "es", "positive"),
        ("¿Tenéis esta camiseta en talla M?", "es", "neutral"),
        ("Das ist eine Frechheit, die Lieferung ist kaputt angekommen", "de", "negative"),
        ("Ich bin total enttäuscht von der Qualität", "de", "negative"),
        ("Vielen Dank, die Schuhe sind super!", "de", "positive"),
        ("Habt ihr diese Hose in Größe 34?", "de", "neutral"),
        ("C'est une honte, mon colis est arrivé cassé", "fr", "negative"),
        ("Je suis très déçu par cette veste", "fr", "negative"),
        ("Merci beaucoup, la robe est magnifique !", "fr", "positive"),
        ("Vous avez ce pantalon en taille 40 ?", "fr", "neutral"),
    ],
)
def test_labels_in_four_languages(
    analyzer: SentimentAnalyzer, text: str, language: str, expected: str
) -> None:
    result = sentiment(analyzer, text, language=language)
    assert result["label"] == expected
    assert -1.0 <= result["score"] <= 1.0
    assert result["model"] == "default"
    if expected == "negative":
        assert result["score"] < 0
    if expected == "positive":
        assert result["score"] > 0


def test_sentiment_is_on_the_parse_result(analyzer: SentimentAnalyzer) -> None:
    message = Message(data={TEXT: "great, thanks!"})
    analyzer.process([message])
    assert "sentiment" in message.as_dict(only_output_properties=True)


@pytest.mark.parametrize(
    ("language", "furious", "mild"),
    [
        ("en", "Worst shop ever!!! I want a chargeback.", "the box was a little dented"),
        ("es", "¡Una estafa! Voy a denunciaros.", "la caja llegó un poco aplastada"),
        ("de", "Absolute Frechheit! Ich gehe zum Anwalt!", "der Karton war leicht beschädigt"),
        ("fr", "C'est scandaleux ! Je vais porter plainte.", "le colis est un peu abîmé"),
    ],
)
def test_intensity_tells_furious_from_mild(
    analyzer: SentimentAnalyzer, language: str, furious: str, mild: str
) -> None:
    strong = sentiment(analyzer, furious, language=language)
    weak = sentiment(analyzer, mild, language=language)
    assert strong["intensity"] >= 0.7
    assert weak["intensity"] < 0.25
    assert 0.0 <= weak["intensity"] <= strong["intensity"] <= 1.0


def test_intensity_of_an_empty_or_unknown_language_message(analyzer: SentimentAnalyzer) -> None:
    assert sentiment(analyzer, "")["intensity"] == 0.25
    assert sentiment(analyzer, "SCAM!!!", language="xx")["intensity"] >= 0.7


def test_negation_flips_the_mood(analyzer: SentimentAnalyzer) -> None:
    happy = sentiment(analyzer, "I am happy with the delivery", language="en")
    unhappy = sentiment(analyzer, "I am not happy with the delivery", language="en")
    assert unhappy["score"] < happy["score"]
    assert unhappy["label"] == "negative"


@pytest.mark.parametrize(
    "text",
    ["", "   ", None, 42, "👍", "😡😡😡", "🙂🙃", "?!?!", "x" * 10_000, "ORD-123456", "!!!" * 3000],
)
def test_bad_input_does_not_crash(analyzer: SentimentAnalyzer, text: Any) -> None:
    result = sentiment(analyzer, text, language="en")
    assert result["label"] in {"negative", "neutral", "positive"}
    assert -1.0 <= result["score"] <= 1.0


def test_empty_text_is_neutral(analyzer: SentimentAnalyzer) -> None:
    assert sentiment(analyzer, "  ")["label"] == "neutral"
    assert sentiment(analyzer, "  ")["score"] == 0.0


@pytest.mark.parametrize("language", [None, "xx", 3, "it"])
def test_unknown_language_falls_back(analyzer: SentimentAnalyzer, language: Any) -> None:
    assert sentiment(analyzer, "terrible service, I'm angry", language=language)["label"] == (
        "negative"
    )


def test_emoji_carry_mood(analyzer: SentimentAnalyzer) -> None:
    assert sentiment(analyzer, "😡👎")["score"] < sentiment(analyzer, "😍👍")["score"]


# ----------------------------------------------------------------- the larger-set model


def write_extended(directory: Path, languages: list[str], name: str = "extended-test") -> None:
    """A small 'larger-set' model that answers 'positive' for anything about tea."""
    examples = [
        Example("tea", "positive"),
        Example("tea please", "positive"),
        Example("black tea", "positive"),
        Example("coffee", "negative"),
        Example("coffee please", "negative"),
        Example("black coffee", "negative"),
    ]
    model = LinearSentimentModel.train(examples, Lexicon.read(SHIPPED_LEXICON), name=name)
    model.info["use_for_languages"] = languages
    model.save(directory)


def test_extended_model_is_used_for_its_languages(tmp_path: Path) -> None:
    extended = tmp_path / "extended"
    write_extended(extended, ["en"])
    component = round_trip(
        SentimentAnalyzer, storage_dir(tmp_path), {"extended_model_dir": str(extended)}
    )
    english = sentiment(component, "tea", language="en")
    assert english["model"] == "extended-test"
    assert english["label"] == "positive"
    assert sentiment(component, "coffee", language="en")["label"] == "negative"
    spanish = sentiment(component, "¡Qué vergüenza de servicio!", language="es")
    assert spanish["model"] == "default"
    assert spanish["label"] == "negative"


def test_extended_model_is_persisted_not_read_at_run_time(tmp_path: Path) -> None:
    extended = tmp_path / "extended"
    write_extended(extended, ["en", "de"])
    component = round_trip(
        SentimentAnalyzer, storage_dir(tmp_path), {"extended_model_dir": str(extended)}
    )
    for path in sorted(extended.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    assert sentiment(component, "tea", language="de")["model"] == "extended-test"


@pytest.mark.parametrize("content", ["not json", '{"kind": "unknown"}', '{"kind": "linear"}'])
def test_invalid_extended_model_keeps_the_default(tmp_path: Path, content: str) -> None:
    extended = tmp_path / "extended"
    extended.mkdir()
    (extended / "manifest.json").write_text(content, encoding="utf-8")
    component = round_trip(
        SentimentAnalyzer, storage_dir(tmp_path), {"extended_model_dir": str(extended)}
    )
    assert sentiment(component, "thanks a lot!", language="en")["model"] == "default"


def test_extended_model_can_be_switched_off(tmp_path: Path) -> None:
    extended = tmp_path / "extended"
    write_extended(extended, ["en"])
    component = round_trip(
        SentimentAnalyzer,
        storage_dir(tmp_path),
        {"extended_model_dir": str(extended), "use_extended_model": False},
    )
    assert sentiment(component, "tea", language="en")["model"] == "default"


def test_fingerprint_changes_when_extended_model_appears(tmp_path: Path) -> None:
    config = {"extended_model_dir": str(tmp_path / "extended")}
    before = SentimentAnalyzer.fingerprint_addon(config)
    assert SentimentAnalyzer.fingerprint_addon(config) == before
    write_extended(tmp_path / "extended", ["en"])
    assert SentimentAnalyzer.fingerprint_addon(config) != before


def test_load_without_stored_model_trains_the_default(tmp_path: Path) -> None:
    config = {**SentimentAnalyzer.get_default_config(), "extended_model_dir": NO_EXTENDED}
    component = SentimentAnalyzer.load(
        config,
        LocalModelStorage.create(tmp_path),
        Resource("never_trained"),
        ExecutionContext(GraphSchema({}), "test"),
    )
    assert sentiment(component, "worst shop ever", language="en")["label"] == "negative"


def test_train_ignores_rasa_training_data(tmp_path: Path) -> None:
    storage = LocalModelStorage.create(tmp_path)
    config = {**SentimentAnalyzer.get_default_config(), "extended_model_dir": NO_EXTENDED}
    component = SentimentAnalyzer.create(
        config, storage, Resource("sentiment"), ExecutionContext(GraphSchema({}), "test")
    )
    resource = component.train(TrainingData())
    assert resource == Resource("sentiment")


def test_registered_as_trainable_component_in_the_predict_graph() -> None:
    path = "assistant.components.sentiment_analyzer.SentimentAnalyzer"
    assert DefaultV1Recipe._from_registry(path).is_trainable
    config = {
        "recipe": "default.v1",
        "language": "en",
        "pipeline": [{"name": "WhitespaceTokenizer"}, {"name": path}],
        "policies": [],
    }
    from rasa.shared.data import TrainingType

    graph = DefaultV1Recipe().graph_config_for_recipe(config, {}, training_type=TrainingType.NLU)
    nodes = [n for n in graph.predict_schema.nodes.values() if n.uses is SentimentAnalyzer]
    assert len(nodes) == 1 and nodes[0].fn == "process" and nodes[0].resource is not None
    assert any(n.uses is SentimentAnalyzer for n in graph.train_schema.nodes.values())
