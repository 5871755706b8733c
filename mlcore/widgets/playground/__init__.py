"""TensorFlow Playground in the notebook, on an mlcore model you can inspect.

One idea per module:

- ``settings``: ``PlaygroundSettings``, every setting of an experiment and
  the short string that shares it, and ``SettingsTraits``, the same
  settings as the traits the controls are linked to;
- ``state``: ``PlaygroundState``, the data, the network and its training,
  without Jupyter (a chapter's measurements run on it);
- ``controls``: the widgets, linked to the traits;
- ``view``: ``Playground``, the ``Explorer`` that draws the state.
"""
from .settings import PlaygroundSettings, SettingsTraits
from .state import PlaygroundState
from .view import Playground

__all__ = ["Playground", "PlaygroundState", "PlaygroundSettings", "SettingsTraits"]
