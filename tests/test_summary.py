"""model.summary() (mlcore/summary.py): Keras' table, counts and widths."""
from mlcore import BatchNormalization, Dense, Sequential
from mlcore.summary import batch_shape


def summary_of(model):
    lines = []
    model.summary(print_fn=lines.append)
    assert len(lines) == 1  # one call with the whole table, as Keras' print_fn gets it
    return lines[0]


def test_summary_table_as_keras_prints_it():
    model = Sequential([Dense(16, input_shape=(1,), activation="relu", name="hidden"),
                        Dense(2, activation="softmax", name="out")])
    rule, double = "_" * 65, "=" * 65
    assert summary_of(model).splitlines() == [
        'Model: "sequential"', rule,
        " Layer (type)                 Output Shape              Param #", double,
        " hidden (Dense)               (None, 16)                32", rule,
        " out (Dense)                  (None, 2)                 34", double,
        "Total params: 66", "Trainable params: 66", "Non-trainable params: 0", rule]


def test_frozen_and_non_trainable_weights_are_counted_apart():
    model = Sequential([Dense(3, input_shape=(2,), name="a"), BatchNormalization(name="bn"),
                        Dense(2, name="b")])
    model.layers[0].trainable = False
    text = summary_of(model)
    # frozen kernel and bias (9) + batch norm's moving mean and variance (6)
    assert "Total params: 29" in text and "Trainable params: 14" in text
    assert "Non-trainable params: 15" in text


def test_thousands_separators_and_long_names_widen_the_column():
    text = summary_of(Sequential([Dense(1000, input_shape=(1000,), name="a" * 40)]))
    assert "1,001,000" in text
    row = next(line for line in text.splitlines() if line.startswith(" aaaa"))
    assert row == f" {'a' * 40} (Dense) {'(None, 1000)':<25} 1,001,000"  # name column: 49 wide


def test_an_unbuilt_layer_shows_a_question_mark():
    text = summary_of(Sequential([Dense(4, name="d")]))
    assert " d (Dense)                    ?                         0" in text.splitlines()
    assert batch_shape(None) == "?" and batch_shape((28, 28, 1)) == "(None, 28, 28, 1)"
