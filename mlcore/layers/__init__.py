"""Layers: the building blocks of a Sequential model."""
from .base import Layer
from .conv import Conv2D
from .core import Activation, Dense, Dropout, Flatten
from .normalization import BatchNormalization
from .pooling import (AveragePooling2D, GlobalAveragePooling2D, GlobalMaxPooling2D,
                      MaxPooling2D)

__all__ = ["Layer", "Dense", "Activation", "Flatten", "Dropout",
           "Conv2D", "MaxPooling2D", "AveragePooling2D", "GlobalAveragePooling2D",
           "GlobalMaxPooling2D", "BatchNormalization"]
