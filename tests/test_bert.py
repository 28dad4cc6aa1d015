"""The plain BERT encoder accepts only the architecture it implements exactly (fast: no weights read)."""

import json

import pytest

from voicecheck.bert import BertEncoder, UnsupportedModel

CONFIG = {"model_type": "bert", "hidden_act": "gelu", "position_embedding_type": "absolute",
          "max_position_embeddings": 512, "hidden_size": 8, "num_attention_heads": 2, "num_hidden_layers": 1}
MODULES = [{"type": "sentence_transformers.models.Transformer"}, {"type": "sentence_transformers.models.Pooling"},
           {"type": "sentence_transformers.models.Normalize"}]


def _folder(tmp_path, config=CONFIG, modules=MODULES, pooling=None, reader=None):
    (tmp_path / "1_Pooling").mkdir()
    (tmp_path / "config.json").write_text(json.dumps(config))
    (tmp_path / "modules.json").write_text(json.dumps(modules))
    (tmp_path / "1_Pooling" / "config.json").write_text(json.dumps(pooling or {"pooling_mode_mean_tokens": True}))
    (tmp_path / "sentence_bert_config.json").write_text(json.dumps(reader or {"max_seq_length": 256}))
    (tmp_path / "tokenizer.json").write_text("{}")
    (tmp_path / "model.safetensors").write_bytes(b"")
    return tmp_path


@pytest.mark.parametrize("change", [
    {"config": {**CONFIG, "model_type": "roberta"}},
    {"config": {**CONFIG, "hidden_act": "relu"}},
    {"config": {**CONFIG, "position_embedding_type": "relative_key"}},
    {"modules": MODULES[:2]},
    {"pooling": {"pooling_mode_cls_token": True}},
    {"pooling": {"pooling_mode_mean_tokens": True, "pooling_mode_max_tokens": True}},
    {"reader": {"max_seq_length": 256, "do_lower_case": True}},
    {"reader": {"max_seq_length": 1024}},
], ids=["roberta", "relu", "relative-positions", "no-normalise", "cls-pooling", "mean+max", "lowercasing",
        "too-long"])
def test_other_architectures_are_refused(tmp_path, change):
    with pytest.raises(UnsupportedModel):
        BertEncoder(_folder(tmp_path, **change))


def test_unreadable_folder_is_refused(tmp_path):
    with pytest.raises(UnsupportedModel, match="cannot read"):
        BertEncoder(tmp_path)
