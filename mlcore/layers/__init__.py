"""Layers: the building blocks of a Sequential model."""
from .base import Layer
from .core import Activation, Dense, Dropout, Flatten

__all__ = ["Layer", "Dense", "Activation", "Flatten", "Dropout"]
