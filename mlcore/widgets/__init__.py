"""Interactive components for the chapters (ipywidgets + matplotlib).

Each widget is split in two: a pure state function (NumPy in, NumPy out,
tested without Jupyter) and a view (a ``WidgetView``) that builds the
controls and redraws the figure in place.
"""
from .activation_boundary import ActivationBoundaryExplorer, train_boundary
from .batch_size import BatchSizeExplorer, batch_size_run
from .batchnorm import BatchNormExplorer, batchnorm_state
from .convolution import ConvolutionAnimator, convolution_step
from .capacity import CapacityExplorer, capacity_curves
from .dashboard import TrainingDashboard
from .denoising import DenoisingExplorer, denoise_state
from .descent import GradientDescentExplorer, descent_path
from .fine_tuning import FineTuningExplorer, fine_tune
from .gallery import FilterGallery, feature_maps
from .initialization import InitializationExplorer, layer_statistics
from .loss_explorer import LossExplorer, loss_state
from .network import WeightUpdateAnimator, draw_network, training_step_frames
from .neuron import NeuronExplorer, neuron_state
from .playground import PlaygroundState
from .playground_settings import PlaygroundSettings
from .playground_view import Playground
from .pooling import PoolingAnimator, pooling_step
from .regularization import RegularizationExplorer, train_regularized
from .view import WidgetView, play_controls

__all__ = ["WidgetView", "play_controls",
           "NeuronExplorer", "neuron_state", "draw_network",
           "WeightUpdateAnimator", "training_step_frames",
           "GradientDescentExplorer", "descent_path", "TrainingDashboard",
           "InitializationExplorer", "layer_statistics",
           "RegularizationExplorer", "train_regularized",
           "ConvolutionAnimator", "convolution_step", "PoolingAnimator", "pooling_step",
           "BatchNormExplorer", "batchnorm_state", "FilterGallery", "feature_maps",
           "Playground", "PlaygroundState", "PlaygroundSettings",
           # chapter-specific explorers
           "ActivationBoundaryExplorer", "train_boundary", "BatchSizeExplorer", "batch_size_run",
           "LossExplorer", "loss_state", "CapacityExplorer", "capacity_curves",
           "DenoisingExplorer", "denoise_state", "FineTuningExplorer", "fine_tune"]
