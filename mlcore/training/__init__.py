"""Training a model: the fit/evaluate/predict loop, its input checks, callbacks, progress output."""
