"""mlcore: a small NumPy deep-learning engine with a Keras-shaped API.

Build, train and inspect networks the way the course's Keras code does::

    import mlcore
    from mlcore import Sequential, Dense, Adam

    mlcore.set_seed(0)
    model = Sequential([Dense(16, input_shape=(1,), activation='relu'),
                        Dense(2, activation='softmax')])
    model.compile(Adam(learning_rate=1e-3), loss='sparse_categorical_crossentropy',
                  metrics=['accuracy'])
    model.fit(x, y, batch_size=10, epochs=20, verbose=2)

Every layer keeps its last input, pre-activation ``z``, output ``a`` and
gradients, so a notebook can look inside a forward and backward pass.

The package, from the bottom up (a module imports only from its own line and
the lines above it; ``tests/test_import_graph.py`` holds it):

- ``backend`` (seed, float type), ``arguments`` (argument checks, name look-up);
- ``ops/``: stateless array functions (convolution, pooling, padding);
- ``activations``, ``initializers``, ``regularizers``, ``losses``, ``metrics``,
  ``optimizers``: the pieces a layer or a model is configured with; ``summary``
  and ``saving``: the model's table and weight files;
- ``layers/``: ``Layer`` and the Keras layers;
- ``training/``: the fit/evaluate/predict loop, its input checks, callbacks and
  progress output, written against the ``TrainableModel`` protocol;
- ``model``: ``Sequential``, which mixes the training loop in (as Keras'
  ``Model`` inherits its ``Trainer``);
- ``data/``: MNIST-5k and the toy sets;
- ``teaching/``: what only the course needs (gradient checks, filter pictures,
  k-means, a painted scene, augmentation, the shipped pretrained CNNs);
- ``exercises/`` and ``widgets/``: the chapters' checked questions and explorers.
"""
from . import activations, initializers, losses, ops, optimizers, regularizers
from .backend import float_precision, floatx, set_floatx, set_seed
from .training import callbacks
from .training.callbacks import Callback, EarlyStopping, History, LambdaCallback
from .layers import (Activation, AveragePooling2D, BatchNormalization, Conv2D, Dense, Dropout,
                     Flatten, GlobalAveragePooling2D, GlobalMaxPooling2D, Layer, MaxPooling2D)
from .layers.base import clear_session
from .model import DivergenceWarning, Input, Sequential
from .optimizers import SGD, Adam, RMSprop
from .regularizers import l1, l1_l2, l2
from . import data, exercises
from .teaching import augment, cluster, gradcheck, pretrained, visualize

__all__ = [
    "Sequential", "Input", "Layer", "Dense", "Activation", "Flatten", "Dropout",
    "Conv2D", "MaxPooling2D", "AveragePooling2D", "GlobalAveragePooling2D", "GlobalMaxPooling2D",
    "BatchNormalization", "ops",
    "SGD", "Adam", "RMSprop", "l1", "l2", "l1_l2",
    "Callback", "History", "LambdaCallback", "EarlyStopping", "DivergenceWarning",
    "set_seed", "floatx", "set_floatx", "float_precision", "clear_session",
    "activations", "losses", "optimizers", "initializers", "regularizers", "callbacks",
    "gradcheck", "data", "augment", "cluster", "visualize", "pretrained", "exercises",
]
