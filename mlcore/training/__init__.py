"""Training a model: the fit/evaluate/predict loop and what it uses.

- :mod:`~mlcore.training.trainer`: ``Trainer`` (compile, fit, evaluate,
  predict, train_on_batch), mixed into :class:`mlcore.Sequential`;
- :mod:`~mlcore.training.protocol`: ``TrainableModel``, all the loop needs of a model;
- :mod:`~mlcore.training.input_checks`: what ``fit`` and friends are given, checked first;
- :mod:`~mlcore.training.callbacks`: History, EarlyStopping, LambdaCallback, the
  progress output, one per module, called through one ``CallbackList``;
- :mod:`~mlcore.training.progress`: the running means ``fit`` reports and their format.

The package sits on the engine (losses, optimizers, metrics) and knows the
model only through the protocol: it never imports ``mlcore.model``.
"""
