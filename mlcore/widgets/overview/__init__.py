"""NetworkOverview: one image through a whole CNN, and one output pixel opened up.

One idea per module:

- ``state.py``: the pure state (``overview_state``, ``pixel_explanation``,
  ``saliency_map``, colour limits), computed by the engine on the model's
  twin, so the learner's model is never touched;
- ``view.py``: the ``NetworkOverview`` explorer, its columns of maps and its bars;
- ``columns.py``: one column of feature maps (or a strip of cells);
- ``zoom.py``: the row below that opens the chosen pixel;
- ``controls.py``: the controls (input image, shift/rotation/noise, scale, pixel).
"""
from .state import (map_layers, map_limits, overview_state, pixel_explanation, saliency_map,
                    transform_image)
from .view import NetworkOverview

__all__ = ["NetworkOverview", "overview_state", "pixel_explanation", "saliency_map",
           "map_limits", "map_layers", "transform_image"]
