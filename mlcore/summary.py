"""``model.summary()``: the table every Keras user knows.

One row per layer, ``name (Type)``, its output shape with ``None`` for the
batch axis, and its parameter count; then the total, trainable and
non-trainable counts. Laid out as Keras' ``print_summary``, with the same
column widths (wider when a name needs it).
"""

WIDTHS = (29, 26, 10)  # Keras' columns: layer (type), output shape, param #


def batch_shape(shape):
    """``(28, 28, 1) -> '(None, 28, 28, 1)'``: one sample's shape with the batch axis, or '?'."""
    return "?" if shape is None else str((None,) + tuple(shape))


def print_summary(model, print_fn=print):
    """Print ``model``'s summary table with one call of ``print_fn``.

    Parameters
    ----------
    model : Sequential
        Unbuilt layers show '?' as their output shape.
    print_fn : callable, default print
        Receives the whole table as one string (e.g. ``lines.append``).
    """
    names = [f"{layer.name} ({type(layer).__name__})" for layer in model.layers]
    widths = (max([WIDTHS[0]] + [len(name) + 1 for name in names]),) + WIDTHS[1:]
    rule, double_rule = "_" * sum(widths), "=" * sum(widths)

    def row(*cells):
        return "".join(f" {str(c):<{w - 1}}" for c, w in zip(cells, widths)).rstrip()

    lines = [f'Model: "{model.name}"', rule, row("Layer (type)", "Output Shape", "Param #"),
             double_rule]
    for i, (layer, name) in enumerate(zip(model.layers, names)):
        lines.append(row(name, batch_shape(layer.output_shape), f"{layer.count_params():,}"))
        lines.append(rule if i < len(model.layers) - 1 else double_rule)
    total, trainable = model.count_params(), model.count_trainable_params()
    lines += [f"Total params: {total:,}", f"Trainable params: {trainable:,}",
              f"Non-trainable params: {total - trainable:,}", rule]
    print_fn("\n".join(lines))
